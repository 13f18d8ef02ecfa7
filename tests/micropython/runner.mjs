#!/usr/bin/env node
// Run MicroPython test files (tests/micropython/mpy_test_*.py) inside PyScript's MicroPython
// (npm @micropython/micropython-webassembly-pyscript), in Node, against the package source.
//
//   node tests/micropython/runner.mjs [options] TEST_FILE...
//
// Options:
//   --root DIR        repository root (default: two folders above this file)
//   --package DIR     the pycognito_web package folder (default: ROOT/pycognito_web)
//   --env KEY=VALUE   a value the tests read with mpy_support.env(KEY); repeatable
//   --env-file FILE   a JSON object of more such values
//   --heap MB         MicroPython's heap (default 64)
//   --timeout S       give up after S seconds (default 300)
//
// What it does, as a page with <script type="mpy"> and a `files` config would:
//   1. loadMicroPython() from the npm package (the same build PyScript's mpy uses);
//   2. copies pycognito_web/**/*.py, except emulator/ (server-side, CPython only), to
//      /lib/pycognito_web/ (/lib is on MicroPython's sys.path);
//   3. copies harness.py, every other non-test .py beside this file, and TEST_FILEs to
//      /tests/, the support package (tests/support/*.py) to /tests/support/, and the
//      --env values to /tests/mpy_env.json;
//   4. runs `await harness.main([...modules])` with top-level await, and exits with
//      0 (all passed), 1 (a test failed), 5 (no tests found) or 10 (the run itself failed:
//      the reason is on stderr).
// HTTP inside goes through Node's global fetch and randomness through Node's
// crypto.getRandomValues: the library's own browser defaults, unchanged.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HARNESS_FAILURE = 10;

function fail(message) {
  process.stderr.write(`[micropython-runner] ERROR: ${message}\n`);
  process.exit(HARNESS_FAILURE);
}

function log(message) {
  process.stderr.write(`[micropython-runner] ${message}\n`);
}

function parseArgs(argv) {
  const opts = { root: path.resolve(HERE, "..", ".."), pkg: null, env: {}, heap: 64,
    timeout: 300, tests: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === "--root") opts.root = path.resolve(value());
    else if (arg === "--package") opts.pkg = path.resolve(value());
    else if (arg === "--heap") opts.heap = Number(value());
    else if (arg === "--timeout") opts.timeout = Number(value());
    else if (arg === "--env") {
      const pair = value();
      const eq = pair.indexOf("=");
      if (eq <= 0) fail(`--env wants KEY=VALUE, got ${JSON.stringify(pair)}`);
      opts.env[pair.slice(0, eq)] = pair.slice(eq + 1);
    } else if (arg === "--env-file") {
      const file = value();
      let data;
      try { data = JSON.parse(fs.readFileSync(file, "utf8")); }
      catch (e) { fail(`cannot read --env-file ${file}: ${e.message}`); }
      if (data === null || typeof data !== "object" || Array.isArray(data)) {
        fail(`--env-file ${file} must hold a JSON object`);
      }
      for (const [k, v] of Object.entries(data)) opts.env[k] = String(v);
    } else if (arg.startsWith("--")) fail(`unknown option ${arg}`);
    else opts.tests.push(path.resolve(arg));
  }
  opts.pkg ??= path.join(opts.root, "pycognito_web");
  if (!opts.tests.length) fail("no test files given");
  if (!(opts.heap > 0)) fail("--heap wants a positive number of megabytes");
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const moduleFile = path.join(opts.root, "node_modules", "@micropython",
  "micropython-webassembly-pyscript", "micropython.mjs");
if (!fs.existsSync(moduleFile)) {
  fail(`${moduleFile} is missing (run scripts/setup: npm ci installs it from package.json)`);
}
if (!fs.existsSync(path.join(opts.pkg, "__init__.py"))) fail(`${opts.pkg} is not a package`);
for (const t of opts.tests) if (!fs.existsSync(t)) fail(`test file ${t} does not exist`);

const timer = setTimeout(() => fail(`the run took over ${opts.timeout}s`), opts.timeout * 1000);

const t0 = performance.now();
const { loadMicroPython } = await import(pathToFileURL(moduleFile).href);
// MicroPython hands stdout over line by line, without the newline.
const lines = [];
const mp = await loadMicroPython({
  heapsize: opts.heap * 1024 * 1024,
  stdout: (line) => { lines.push(line); process.stdout.write(line + "\n"); },
  stderr: (line) => process.stderr.write(line + "\n"),
});
log(`MicroPython loaded in ${(performance.now() - t0).toFixed(0)} ms`);

function mkdirs(dir) {
  let at = "";
  for (const part of dir.split("/").filter(Boolean)) {
    at += "/" + part;
    try { mp.FS.mkdir(at); } catch { /* exists */ }
  }
}

let copied = 0;
function copyPackage(dir, dest) {
  mkdirs(dest);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "emulator" && entry.name !== "__pycache__") {
        copyPackage(full, `${dest}/${entry.name}`);
      }
    } else if (entry.name.endsWith(".py")) {
      mp.FS.writeFile(`${dest}/${entry.name}`, fs.readFileSync(full));
      copied++;
    }
  }
}
copyPackage(opts.pkg, "/lib/pycognito_web");

mkdirs("/tests");
const support = fs.readdirSync(HERE).filter((f) => f.endsWith(".py") && !f.startsWith("mpy_test_")
  && !f.startsWith("test_"));
for (const f of support) mp.FS.writeFile(`/tests/${f}`, fs.readFileSync(path.join(HERE, f)));
// The support package every suite shares; its CPython-only modules are copied but never
// imported here.
const SUPPORT = path.join(opts.root, "tests", "support");
mkdirs("/tests/support");
for (const f of fs.readdirSync(SUPPORT).filter((f) => f.endsWith(".py"))) {
  mp.FS.writeFile(`/tests/support/${f}`, fs.readFileSync(path.join(SUPPORT, f)));
}
const modules = [];
for (const t of opts.tests) {
  const name = path.basename(t);
  if (!name.endsWith(".py")) fail(`${t} is not a .py file`);
  mp.FS.writeFile(`/tests/${name}`, fs.readFileSync(t));
  modules.push(name.slice(0, -3));
}
mp.FS.writeFile("/tests/mpy_env.json", JSON.stringify(opts.env));
log(`copied ${copied} package files and ${modules.length} test files; running`);

try {
  await mp.runPythonAsync(`
import sys
sys.path.insert(0, "/tests")
import harness
await harness.main(${JSON.stringify(modules)})
`);
} catch (e) {
  // An error the harness did not catch (an import error in the harness itself).
  fail(`MicroPython raised: ${e.message || e}`);
}
clearTimeout(timer);

const summary = lines.filter((l) => /^\d+ passed, \d+ failed$/.test(l)).pop();
if (!summary) fail("the harness printed no summary line");
const [passed, failed] = summary.match(/\d+/g).map(Number);
log(`${summary} in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
process.exit(failed ? 1 : passed ? 0 : 5);
