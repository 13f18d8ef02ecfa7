# The port's side of benchmarks/web/bench.html; runs inside Pyodide (not imported on CPython).
import hashlib  # noqa: F401 - stdlib the package needs; not the package's time
import hmac  # noqa: F401
import importlib._bootstrap_external as _ext
import json
import sys
import time

# Where import time goes: each module's own exec time (mostly compiling its source, since
# a py3-none-any wheel has no bytecode), measured with a hook around exec_module.
_MODULE_MS = {}
_stack = []
_exec_module = _ext._LoaderBasics.exec_module


def _timed_exec_module(self, module):
    start = time.perf_counter()
    _stack.append(0.0)
    try:
        return _exec_module(self, module)
    finally:
        total = (time.perf_counter() - start) * 1000.0
        children = _stack.pop()
        _MODULE_MS[module.__name__] = total - children
        if _stack:
            _stack[-1] += total


_ext._LoaderBasics.exec_module = _timed_exec_module
_t = time.perf_counter()
import pycognito_web  # noqa: E402

IMPORT_MS = (time.perf_counter() - _t) * 1000.0
# What a page pays to be ready to sign in: the import, a pool, and looking for a stored
# session (nobody is stored in this fresh context).
_pool = pycognito_web.UserPool("us-east-1_benchReady", "benchreadyclient")
_pool.current_user()
READY_MS = (time.perf_counter() - _t) * 1000.0
READY_MODULES = sorted(m for m in sys.modules if m.startswith("pycognito_web"))
_READY_OWN = dict(_MODULE_MS)
# Then what a page does in idle time after ready: prepare_srp() compiles what a sign-in
# runs and makes A, so that the click compiles nothing.
_t = time.perf_counter()
_pool.prepare_srp()
PREPARE_MS = (time.perf_counter() - _t) * 1000.0
_ext._LoaderBasics.exec_module = _exec_module
from pycognito_web import _srp  # noqa: E402
from pycognito_web.flows import sign_in as _flow  # noqa: E402

_pools = {}


def _srp_pair(raw):
    # The flow's own pair maker where this build has it (UserPool.prepare_srp uses it).
    maker = getattr(_flow, "srp_pair", None)
    if maker is not None:
        return maker(raw)
    a = _srp.small_a(raw)
    return a, _srp.large_a(a)


def import_report():
    mods = sorted(m for m in sys.modules if m.startswith("pycognito_web"))
    own = sorted(_MODULE_MS.items(), key=lambda item: -item[1])
    return json.dumps(
        {
            "import_ms": IMPORT_MS,
            "ready_ms": READY_MS,
            "ready_modules": READY_MODULES,
            "prepare_ms": PREPARE_MS,
            "modules": mods,
            "module_ms": own,
            "ready_module_ms": sorted(_READY_OWN.items(), key=lambda item: -item[1]),
        }
    )


def _ms(t):
    return (time.perf_counter() - t) * 1000.0


def srp_work(inputs_json, runs):
    """The port's SRP work (flow functions) and the bare arithmetic, fixed inputs."""
    inputs = json.loads(inputs_json)
    raw_a = bytes.fromhex(inputs["a_hex"])
    params = {
        "SRP_B": inputs["B_hex"],
        "SALT": inputs["salt_hex"],
        "SECRET_BLOCK": inputs["secret_block"],
    }
    stamp = inputs["timestamp"]
    out = {"A": [], "claim": [], "bare_A": [], "bare_S": [], "A_hex": None, "key_hex": None}
    for _ in range(runs):
        t = time.perf_counter()
        a, big_a = _srp_pair(raw_a)
        out["A"].append(_ms(t))
        t = time.perf_counter()
        big_b, salt, block = _flow._server_srp(params)
        key = _srp.authentication_key(
            a, big_a, big_b, salt, inputs["pool_name"], inputs["user_id"], inputs["password"]
        )
        _srp.claim_signature(key, inputs["pool_name"], inputs["user_id"], block, stamp)
        out["claim"].append(_ms(t))
        out["A_hex"], out["key_hex"] = "%x" % big_a, key.hex()
        # The bare arithmetic: the two 3072-bit exponentiations, nothing else.
        t = time.perf_counter()
        pow(2, a, _srp.N)
        out["bare_A"].append(_ms(t))
        u = _srp.compute_u(big_a, big_b)
        x = _srp.compute_x(salt, inputs["pool_name"], inputs["user_id"], inputs["password"])
        t = time.perf_counter()
        pow((big_b - _srp.K * pow(2, x, _srp.N)) % _srp.N, a + u * x, _srp.N)
        out["bare_S"].append(_ms(t))
    return json.dumps(out)


def _pool(pool_id, client_id, endpoint):
    key = (pool_id, client_id, endpoint)
    if key not in _pools:
        _pools[key] = pycognito_web.UserPool(pool_id, client_id, endpoint=endpoint)
    return _pools[key]


async def prepare(pool_id, client_id, endpoint):
    _pool(pool_id, client_id, endpoint).prepare_srp()


async def sign_in(pool_id, client_id, endpoint, username, password, prepared=False):
    pool = _pool(pool_id, client_id, endpoint)
    if prepared and not hasattr(pool, "prepare_srp"):
        raise RuntimeError("this build has no UserPool.prepare_srp")
    session = await pool.user(username).authenticate(password)
    return bool(getattr(session, "access_token", None))
