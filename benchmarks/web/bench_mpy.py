# The port's side of benchmarks/web/mpy_bench.html; runs inside PyScript's MicroPython
# (<script type="mpy">), not on CPython. The same measures as bench_port.py (Pyodide):
# SRP work with fixed inputs, and a whole sign-in started as a click handler would.
import asyncio
import binascii
import json

import js

T0 = js.performance.now()
import pycognito_web  # noqa: E402

IMPORT_MS = js.performance.now() - T0
from pycognito_web import _srp  # noqa: E402
from pycognito_web.flows import sign_in as _flow  # noqa: E402

now = js.performance.now
_pools = {}
_tasks = {}
_first = []  # the page's first srp_pair, with whatever it sets up once


def _backend():
    # "host": the page's BigInt (_platform.host_pow); "python": the fixed-base table and
    # windowed pow in MicroPython (the fallback where a CSP forbids Function()).
    lookup = getattr(_srp, "_host_pow", None)
    return "host" if lookup is not None and lookup() is not None else "python"


def _reset_one_offs(python_only):
    # Forget what the first srp_pair sets up once (the host pow lookup, the fixed-base
    # table), so that "first" can be measured again; python_only: no host BigInt.
    for name in ("_host", "_g_table"):
        held = getattr(_srp, name, None)
        if held is not None:
            held.clear()
    if python_only and getattr(_srp, "_host", None) is not None:
        _srp._host.append(None)


def srp_work(inputs_json, runs, first, python_only=False):
    """The SRP split with fixed inputs; ``first``: each run redoes the one-off set-up."""
    inputs = json.loads(inputs_json)
    raw_a = binascii.unhexlify(inputs["a_hex"])
    params = {
        "SRP_B": inputs["B_hex"],
        "SALT": inputs["salt_hex"],
        "SECRET_BLOCK": inputs["secret_block"],
    }
    stamp = inputs["timestamp"]
    out = {"A": [], "claim": [], "A_hex": None, "key_hex": None}
    if python_only:
        _reset_one_offs(True)
        if not first:
            _flow.srp_pair(raw_a)  # the table, built once before the "later" runs
    for _ in range(runs):
        if first and (_first or python_only):
            _reset_one_offs(python_only)
        t = now()
        a, big_a = _flow.srp_pair(raw_a)
        out["A"].append(now() - t)
        if first and not _first and not python_only:
            _first.append(out["A"][-1])
        t = now()
        big_b, salt, block = _flow._server_srp(params)
        key = _srp.authentication_key(
            a, big_a, big_b, salt, inputs["pool_name"], inputs["user_id"], inputs["password"]
        )
        _srp.claim_signature(key, inputs["pool_name"], inputs["user_id"], block, stamp)
        out["claim"].append(now() - t)
        out["A_hex"] = "%x" % big_a
        out["key_hex"] = binascii.hexlify(key).decode()
    out["backend"] = _backend()
    if python_only:
        _reset_one_offs(False)  # back to the page's own choice
    return json.dumps(out)


def _pool(pool_id, client_id, endpoint):
    key = (pool_id, client_id, endpoint)
    if key not in _pools:
        _pools[key] = pycognito_web.UserPool(pool_id, client_id, endpoint=endpoint)
    return _pools[key]


def prepare(pool_id, client_id, endpoint):
    _pool(pool_id, client_id, endpoint).prepare_srp()


def start_sign_in(cfg_json, done):
    """A sign-in as site/mpy.html's click handler runs it (a task); ``done(json)`` at the end."""
    cfg = json.loads(cfg_json)

    async def run():
        try:
            pool = _pool(cfg["pool_id"], cfg["client_id"], cfg["endpoint"])
            session = await pool.user(cfg["username"]).authenticate(cfg["password"])
            done(json.dumps({"ok": bool(getattr(session, "access_token", None))}))
        except Exception as error:  # reported to the page, which rejects
            done(json.dumps({"error": "%s: %s" % (type(error).__name__, error)}))

    _tasks["sign_in"] = asyncio.create_task(run())  # held, as the demo's handler would


def info():
    return json.dumps({"import_ms": IMPORT_MS, "first_A_ms": _first[0] if _first else None})


js.window.mpySrpWork = srp_work
js.window.mpyPrepare = prepare
js.window.mpyStartSignIn = start_sign_in
js.window.mpyInfo = info
js.document.body.dataset.state = "ready"
