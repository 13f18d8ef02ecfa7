#!/usr/bin/env node
// MicroPython vs Pyodide vs the original JS SDK, in Node, against a running emulator.
//   node benchmarks/experiments/micropython_node.mjs EMULATOR_URL POOL_ID CLIENT_ID [RUNS]
// Prints JSON: cold start to ready (load + package + import), SRP client work (A, then
// key + signature from B), and a whole SRP sign-in (call to tokens), medians of RUNS.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { confirmedUser as createdUser } from "./emulator_user.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const [url, poolId, clientId, runsArg] = process.argv.slice(2);
const RUNS = Number(runsArg || 5);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return +s[s.length >> 1].toFixed(1); };
const PASSWORD = "Corr3ct-Horse-Battery!";

const confirmedUser = (name) => createdUser(url, clientId, name, PASSWORD);

const PY = (user) => `
import time
from pycognito_web import UserPool, MemoryStorage, _platform
from pycognito_web.flows import sign_in
from pycognito_web import _srp
def ms(t): return (time.time_ns() - t) / 1e6
t = time.time_ns(); a, A = sign_in.srp_pair(_platform.random_bytes(128)); first_a = ms(t)
t = time.time_ns(); a, A = sign_in.srp_pair(_platform.random_bytes(128)); a_ms = ms(t)
B = pow(3, a + 12345, _srp.N)
t = time.time_ns()
key = _srp.authentication_key(a, A, B, 0xABCDEF, "Abc", "${user}", "${PASSWORD}")
_srp.claim_signature(key, "Abc", "${user}", "YmxvY2s=", _srp.timestamp(time.time()))
key_ms = ms(t)
pool = UserPool("${poolId}", "${clientId}", endpoint="${url}/", storage=MemoryStorage())
t = time.time_ns(); await pool.user("${user}").authenticate("${PASSWORD}"); cold_sign_in = ms(t)
pool.prepare_srp()
t = time.time_ns(); await pool.user("${user}").authenticate("${PASSWORD}"); prepared_sign_in = ms(t)
result = [first_a, a_ms, key_ms, cold_sign_in, prepared_sign_in]
`;

function copyPackage(FS, dir, dest) {
  try { FS.mkdir(dest); } catch {}
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) { if (e.name !== "emulator" && e.name !== "__pycache__") copyPackage(FS, path.join(dir, e.name), dest + "/" + e.name); }
    else if (e.name.endsWith(".py")) FS.writeFile(dest + "/" + e.name, fs.readFileSync(path.join(dir, e.name)));
  }
}

async function micropython(user) {
  const t0 = performance.now();
  const { loadMicroPython } = await import(pathToFileURL(path.join(ROOT, "node_modules/@micropython/micropython-webassembly-pyscript/micropython.mjs")).href);
  const mp = await loadMicroPython({ heapsize: 64 * 1024 * 1024, stdout: () => {}, stderr: (l) => process.stderr.write(l + "\n") });
  const boot = performance.now() - t0;
  try { mp.FS.mkdir("/lib"); } catch {}
  copyPackage(mp.FS, path.join(ROOT, "pycognito_web"), "/lib/pycognito_web");
  mp.runPython("import pycognito_web");
  const ready = performance.now() - t0;
  await mp.runPythonAsync(PY(user));
  return [boot, ready, ...mp.globals.get("result")];
}

async function pyodide(user) {
  const t0 = performance.now();
  const { loadPyodide } = await import(pathToFileURL(path.join(ROOT, "node_modules/pyodide/pyodide.mjs")).href);
  const py = await loadPyodide({ indexURL: path.join(ROOT, "node_modules/pyodide") + path.sep });
  const boot = performance.now() - t0;
  copyPackage(py.FS, path.join(ROOT, "pycognito_web"), "/home/pyodide/pycognito_web");
  py.runPython("import sys; sys.path.insert(0, '/home/pyodide'); import pycognito_web");
  const ready = performance.now() - t0;
  await py.runPythonAsync(PY(user));
  return [boot, ready, ...py.globals.get("result").toJs()];
}

async function original(user) {
  const t0 = performance.now();
  const require = createRequire(import.meta.url);
  const sdk = require(path.join(ROOT, "node_modules/amazon-cognito-identity-js"));
  const ready = performance.now() - t0;
  let t = performance.now();
  const helper = new sdk.AuthenticationHelper("Abc"); // computes A in its constructor
  await new Promise((ok, no) => helper.getLargeAValue((e, v) => (e ? no(e) : ok(v))));
  const aMs = performance.now() - t;
  const BigInteger = helper.N.constructor;
  const big = helper.N.subtract(new BigInteger("123456789abcdef", 16));
  t = performance.now();
  await new Promise((ok, no) => helper.getPasswordAuthenticationKey(user, PASSWORD, big, new BigInteger("abcdef", 16), (e, v) => (e ? no(e) : ok(v))));
  const keyMs = performance.now() - t;
  const pool = new sdk.CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: url + "/" });
  const cu = new sdk.CognitoUser({ Username: user, Pool: pool });
  t = performance.now();
  await new Promise((ok, no) => cu.authenticateUser(new sdk.AuthenticationDetails({ Username: user, Password: PASSWORD }), { onSuccess: ok, onFailure: no }));
  const signIn = performance.now() - t;
  return [0, ready, aMs, aMs, keyMs, signIn, signIn];
}

process.on("uncaughtException", (e) => { console.error("ERR", String(e.message || e).slice(0, 500)); process.exit(1); });
process.on("unhandledRejection", (e) => { console.error("ERR", String(e?.message || e).slice(0, 500)); process.exit(1); });
const which = process.argv[6] || "all";
const out = {};
for (const [name, fn] of [["micropython", micropython], ["pyodide", pyodide], ["original", original]]) {
  if (which !== "all" && which !== name) continue;
  const rows = [];
  for (let i = 0; i < RUNS; i++) rows.push(await fn(await confirmedUser(`bench-${name}-${Date.now()}-${i}`)));
  const cols = ["boot_ms", "ready_ms", "first_A_ms", "A_ms", "key_and_signature_ms", "sign_in_ms", "sign_in_prepared_A_ms"];
  out[name] = Object.fromEntries(cols.map((c, j) => [c, median(rows.map((r) => r[j]))]));
}
console.log(JSON.stringify(out, null, 1));
