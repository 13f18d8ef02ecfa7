#!/usr/bin/env node
// What a page pays in Pyodide (Node) to be ready to sign in, module by module, and its first
// sign-in after that, with and without pool.prepare_srp() in between.
//
//   node benchmarks/experiments/pyodide_ready.mjs WHEEL[,WHEEL...] [EMULATOR_URL POOL_ID CLIENT_ID] [--runs N]
//
// WHEEL is a web build (dist/web/pycognito_web-X+web-py3-none-any.whl); with several (say,
// before and after a change) their samples alternate. Each sample is a
// fresh Pyodide in a child process (compiling is per interpreter), with a Map-backed
// localStorage as in a browser:
//   ready     import pycognito_web; UserPool(...); pool.current_user() with nothing stored;
//   prepare   pool.prepare_srp() (what pages call once ready, before the click);
//   sign_in   pool.user(name).authenticate(password) against the emulator: total, and call
//             to first request; "cold" without prepare_srp, "prepared" with it;
//   returning ready with the session of an earlier sign-in in localStorage.
// Per module: own exec time (mostly compiling source: the wheel has no bytecode) and
// cumulative time, hooked on exec_module; stdlib modules imported on the way are listed.
// Prints one JSON object: per wheel and mode, the medians of each phase and of each module's own and
// cumulative time, with the phase that first imported it.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { confirmedUser as createdUser } from "./emulator_user.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const PASSWORD = "Bench-passw0rd!";
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return +s[s.length >> 1].toFixed(1); };

const PY_HOOK = `
import importlib._bootstrap_external as _ext, sys, time
_own, _cum, _stack, _phase_of = {}, {}, [], {}
_phase = ["import"]
_exec = _ext._LoaderBasics.exec_module
def _timed(self, module):
    start = time.perf_counter(); _stack.append(0.0)
    try:
        return _exec(self, module)
    finally:
        total = (time.perf_counter() - start) * 1000.0
        children = _stack.pop()
        _own[module.__name__] = total - children
        _cum[module.__name__] = total
        _phase_of[module.__name__] = _phase[0]
        if _stack: _stack[-1] += total
_ext._LoaderBasics.exec_module = _timed
_before = set(sys.modules)
_stdlib = {}
def _mark(phase):
    global _before
    new = sorted(m for m in set(sys.modules) - _before if not m.startswith("pycognito_web"))
    _stdlib[phase] = new
    _before = set(sys.modules)
def _ms(t): return (time.perf_counter() - t) * 1000.0
`;

const PY_READY = `
t = time.perf_counter()
import pycognito_web
phases = {"import": _ms(t)}
_mark("import"); _phase[0] = "UserPool"
t = time.perf_counter()
pool = pycognito_web.UserPool(POOL_ID, CLIENT_ID, endpoint=ENDPOINT)
phases["UserPool"] = _ms(t)
_mark("UserPool"); _phase[0] = "current_user"
t = time.perf_counter()
current = pool.current_user()
phases["current_user"] = _ms(t)
_mark("current_user")
phases["ready"] = phases["import"] + phases["UserPool"] + phases["current_user"]
assert (current is None) == (not STORED), current
`;

const PY_SIGN_IN = `
if PREPARE:
    _phase[0] = "prepare_srp"
    t = time.perf_counter()
    pool.prepare_srp()
    phases["prepare_srp"] = _ms(t)
    _mark("prepare_srp")
_phase[0] = "sign_in"
_first = []
_send = pool.transport.handle_async_request
async def _spy(request):
    if not _first: _first.append(time.perf_counter())
    return await _send(request)
pool.transport.handle_async_request = _spy
t = time.perf_counter()
session = await pool.user(USERNAME).authenticate(PASSWORD)
phases["sign_in"] = _ms(t)
phases["first_request"] = (_first[0] - t) * 1000.0
_mark("sign_in")
assert session.is_valid(time.time())
`;

async function one(wheel, mode, config) {
  const { loadPyodide } = await import(pathToFileURL(path.join(ROOT, "node_modules/pyodide/pyodide.mjs")).href);
  const items = new Map(Object.entries(config.stored || {}));
  globalThis.localStorage = {
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    setItem: (k, v) => { items.set(k, String(v)); },
    removeItem: (k) => { items.delete(k); },
    clear: () => items.clear(),
    get length() { return items.size; },
  };
  const py = await loadPyodide({ indexURL: path.join(ROOT, "node_modules/pyodide") + path.sep });
  py.FS.writeFile("/tmp/p.whl", fs.readFileSync(wheel));
  py.runPython("import zipfile, sys; zipfile.ZipFile('/tmp/p.whl').extractall('/tmp/site'); sys.path.insert(0, '/tmp/site')");
  py.runPython(PY_HOOK);
  const g = py.globals;
  g.set("POOL_ID", config.poolId); g.set("CLIENT_ID", config.clientId);
  g.set("ENDPOINT", config.url ? config.url + "/" : undefined);
  g.set("USERNAME", config.username || ""); g.set("PASSWORD", PASSWORD);
  g.set("STORED", Boolean(config.stored)); g.set("PREPARE", mode === "prepared");
  py.runPython(PY_READY);
  if (mode === "cold" || mode === "prepared") await py.runPythonAsync(PY_SIGN_IN);
  const out = JSON.parse(py.runPython(`
import json
json.dumps({"phases": phases, "stdlib": _stdlib,
            "modules": {m: [_own[m], _cum[m], _phase_of[m]] for m in _own if m.startswith("pycognito_web")}})
`));
  out.stored = Object.fromEntries(items);
  return out;
}

const confirmedUser = (url, clientId, name) => createdUser(url, clientId, name, PASSWORD);

function sample(wheel, mode, config) {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--one", mode, wheel, JSON.stringify(config)],
    { encoding: "utf8", maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`${mode} sample failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").at(-1));
}

const args = process.argv.slice(2);
if (args[0] === "--one") {
  const config = JSON.parse(args[3]);
  if (args[1] === "cold" || args[1] === "prepared") {
    config.username = await confirmedUser(config.url, config.clientId, `ready${Date.now()}`);
  }
  try {
    process.stdout.write(JSON.stringify(await one(args[2], args[1], config)) + "\n");
    process.exit(0);
  } catch (error) {  // a Python traceback is in the message; Pyodide's own source is not
    process.stderr.write(String(error.message || error) + "\n");
    process.exit(1);
  }
}
let runs = 5;
const i = args.indexOf("--runs");
if (i >= 0) { runs = Number(args[i + 1]); args.splice(i, 2); }
const [wheelArg, url, poolId = "us-east-1_pycogDemo", clientId = "pycognitowebdemoclient0001"] = args;
if (!wheelArg) { process.stderr.write("usage: node benchmarks/experiments/pyodide_ready.mjs WHEEL[,WHEEL...] [EMULATOR_URL POOL_ID CLIENT_ID] [--runs N]\n"); process.exit(2); }
// Several wheels (before, after) are sampled in turn, so a busy machine weighs on each alike.
const wheels = wheelArg.split(",");
const modes = url ? ["ready", "cold", "prepared", "returning"] : ["ready"];
const result = { runs, wheels: {} };
for (const wheel of wheels) result.wheels[wheel] = { modes: {} };
const samples = {}, stored = {};
for (const mode of modes) {
  for (let r = 0; r < runs; r++) {
    for (const wheel of wheels) {
      const config = { url, poolId, clientId };
      if (mode === "returning") config.stored = stored[wheel];
      const s = sample(wheel, mode === "returning" ? "ready" : mode, config);
      if (mode === "cold") stored[wheel] = s.stored;
      ((samples[wheel] ??= {})[mode] ??= []).push(s);
    }
  }
  for (const wheel of wheels) {
    const list = samples[wheel][mode];
    const phases = {};
    for (const name of Object.keys(list[0].phases)) phases[name] = median(list.map((s) => s.phases[name]));
    const last = list.at(-1);
    const modules = Object.entries(last.modules).map(([m, [, , phase]]) => [m,
      median(list.map((s) => s.modules[m][0])), median(list.map((s) => s.modules[m][1])), phase])
      .sort((a, b) => b[1] - a[1]);
    result.wheels[wheel].modes[mode] = { phases, modules, stdlib: last.stdlib };
  }
}
process.stdout.write(JSON.stringify(result, null, 1) + "\n");
