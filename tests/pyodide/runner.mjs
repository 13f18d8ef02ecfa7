#!/usr/bin/env node
// Run pytest inside real Pyodide, in Node, against the built pycognito-web wheel.
//
//   node tests/pyodide/runner.mjs [options] TEST_PATH... [-- PYTEST_ARG...]
//
// Options:
//   --root DIR         repository root (default: two folders above this file)
//   --pyodide DIR      Pyodide's npm package (default: ROOT/node_modules/pyodide)
//   --wheel FILE       the pycognito-web wheel (default: the one in ROOT/dist/)
//   --wheels-dir DIR   micropip + pytest wheels for Pyodide (default: ROOT/.cache/wheels/pyodide)
//   --env KEY=VALUE    set os.environ[KEY] inside Pyodide; repeatable
//   --env-file FILE    a JSON object of more such variables
//   --copy PATH        a file or folder copied in as TEST_PATHs are, but not given to
//                      pytest (tests/support, the support package); repeatable
//
// What it does, as a user of the package would:
//   1. loadPyodide({indexURL: node_modules/pyodide}) — the npm package's core files only;
//   2. loads micropip from the wheel that scripts/setup took from PyPI (none in the npm package);
//   3. micropip.install("file:///.../dist/pycognito_web-*.whl") — our wheel by file URL;
//   4. micropip.install of pytest and its pure-Python dependencies from local wheels;
//   5. copies TEST_PATHs (files, or folders taken whole) into Pyodide's file system under
//      /home/pyodide/project/, keeping their paths relative to ROOT, with pyproject.toml (for
//      pytest's settings). For a file, the conftest.py and __init__.py beside it come too;
//      conftest.py files in folders above are NOT copied (tests/conftest.py is CPython's: it
//      starts the emulator). The repository's pycognito_web/ is never copied, so the import
//      is the installed wheel's;
//   6. runs pytest.main() through JSPI (callPromising), with _pyodide_plugin.py providing
//      async-test support, and exits with pytest's exit code (5 = no tests collected).
// Exit code 10 means the harness itself failed (reason on stderr).
//
// Inside Pyodide in Node, global fetch and crypto.getRandomValues are Node's own, so tests
// reach a server on 127.0.0.1 over real HTTP. Pyodide's async tests block via
// pyodide.ffi.run_sync, which needs WebAssembly stack switching: this script re-executes
// Node with the flag it needs if it was started without it.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HARNESS_FAILURE = 10;

function fail(message) {
  process.stderr.write(`[pyodide-runner] ERROR: ${message}\n`);
  process.exit(HARNESS_FAILURE);
}

function log(message) {
  process.stderr.write(`[pyodide-runner] ${message}\n`);
}

// --- JSPI: re-exec with the stack-switching flag when needed -----------------------------
const hasJspi = typeof WebAssembly !== "undefined" &&
  ("Suspending" in WebAssembly || "Suspender" in WebAssembly);
if (!hasJspi) {
  if (process.env.PYODIDE_RUNNER_REEXEC) {
    fail(`this Node (${process.version}) has no WebAssembly stack switching even with ` +
      `${process.env.PYODIDE_RUNNER_REEXEC}; async tests cannot run inside Pyodide`);
  }
  const major = Number(process.versions.node.split(".")[0]);
  const flag = major >= 22 ? "--experimental-wasm-jspi" : "--experimental-wasm-stack-switching";
  const child = spawnSync(process.execPath, [flag, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, PYODIDE_RUNNER_REEXEC: flag },
  });
  if (child.error) fail(`could not re-execute node with ${flag}: ${child.error.message}`);
  process.exit(child.status ?? HARNESS_FAILURE);
}

// --- arguments ---------------------------------------------------------------------------
function parseArgs(argv) {
  const opts = { root: path.resolve(HERE, "..", ".."), pyodideDir: null, wheel: null, wheelsDir: null,
    env: {}, tests: [], copies: [], pytestArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === "--") { opts.pytestArgs = argv.slice(i + 1); break; }
    else if (arg === "--root") opts.root = path.resolve(value());
    else if (arg === "--pyodide") opts.pyodideDir = path.resolve(value());
    else if (arg === "--wheel") opts.wheel = path.resolve(value());
    else if (arg === "--wheels-dir") opts.wheelsDir = path.resolve(value());
    else if (arg === "--copy") opts.copies.push(value());
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
    } else if (arg === "-h" || arg === "--help") {
      const text = fs.readFileSync(fileURLToPath(import.meta.url), "utf8");
      process.stdout.write(text.split("\n").filter((l) => l.startsWith("//")).slice(0, 17)
        .map((l) => l.slice(3)).join("\n") + "\n");
      process.exit(0);
    } else if (arg.startsWith("--")) fail(`unknown option ${arg}`);
    else opts.tests.push(arg);
  }
  opts.wheelsDir ??= path.join(opts.root, ".cache", "wheels", "pyodide");
  opts.pyodideDir ??= path.join(opts.root, "node_modules", "pyodide");
  if (!opts.tests.length) fail("no test paths given");
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const ROOT = opts.root;
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

function requireFile(file, hint) {
  if (!fs.existsSync(file)) fail(`${file} is missing (${hint})`);
  return file;
}

const indexDir = opts.pyodideDir;
requireFile(path.join(indexDir, "pyodide.mjs"), "run scripts/setup: npm ci installs pyodide");
if (!fs.existsSync(opts.wheelsDir)) fail(`${opts.wheelsDir} is missing (run scripts/setup)`);
const localWheels = fs.readdirSync(opts.wheelsDir).filter((f) => f.endsWith(".whl"));
const micropipWheel = localWheels.find((f) => f.startsWith("micropip-"));
if (!micropipWheel) fail(`no micropip wheel in ${opts.wheelsDir} (run scripts/setup)`);
// pytest and its dependencies for Python 3.14; pytest-asyncio is NOT wanted here (its
// asyncio.Runner cannot start inside Pyodide's always-running loop: _pyodide_plugin.py).
const testWheels = [];
for (const needed of ["pytest-", "pluggy-", "iniconfig-", "packaging-", "pygments-"]) {
  const found = localWheels.filter((f) => f.toLowerCase().startsWith(needed)).sort();
  if (!found.length) fail(`no ${needed}*.whl in ${opts.wheelsDir} (run scripts/setup)`);
  if (found.length > 1) fail(`more than one ${needed}*.whl in ${opts.wheelsDir}: ${found}`);
  testWheels.push(found[0]);
}
if (!opts.wheel) {
  const dist = path.join(ROOT, "dist");
  const built = fs.existsSync(dist)
    ? fs.readdirSync(dist).filter((f) => /^pycognito_web-.*-py3-none-any\.whl$/.test(f)) : [];
  if (built.length !== 1) {
    fail(`expected one pycognito_web-*-py3-none-any.whl in ${dist}, found ${built.length} ` +
      "(run scripts/setup, which builds it)");
  }
  opts.wheel = path.join(dist, built[0]);
}
requireFile(opts.wheel, "the pycognito-web wheel");

// --- files to copy into Pyodide ----------------------------------------------------------
const PROJECT = "/home/pyodide/project";
const copies = new Map(); // host path -> path inside Pyodide

function addFile(hostFile) {
  const rel = path.relative(ROOT, hostFile);
  if (rel.startsWith("..") || path.isAbsolute(rel)) fail(`${hostFile} is outside ${ROOT}`);
  copies.set(hostFile, path.posix.join(PROJECT, rel.split(path.sep).join("/")));
}

function addDir(hostDir) {
  for (const entry of fs.readdirSync(hostDir, { withFileTypes: true })) {
    const full = path.join(hostDir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "__pycache__" && !entry.name.startsWith(".")) addDir(full);
    } else if (/\.(py|json|txt)$/.test(entry.name)) addFile(full);
  }
}

const pytestPaths = [];
for (const t of opts.tests) {
  const [hostPathPart, ...selector] = t.split("::");
  const host = path.resolve(ROOT, hostPathPart);
  if (!fs.existsSync(host)) fail(`test path ${t} does not exist`);
  if (fs.statSync(host).isDirectory()) addDir(host);
  else {
    addFile(host);
    for (const sibling of ["conftest.py", "__init__.py"]) {
      const s = path.join(path.dirname(host), sibling);
      if (fs.existsSync(s)) addFile(s);
    }
  }
  const inside = path.posix.join(PROJECT, path.relative(ROOT, host).split(path.sep).join("/"));
  pytestPaths.push([inside, ...selector].join("::"));
}
for (const c of opts.copies) {
  const host = path.resolve(ROOT, c);
  if (!fs.existsSync(host)) fail(`--copy ${c} does not exist`);
  if (fs.statSync(host).isDirectory()) addDir(host);
  else addFile(host);
}
const pyproject = path.join(ROOT, "pyproject.toml");
if (fs.existsSync(pyproject)) addFile(pyproject);

// --- Pyodide -----------------------------------------------------------------------------
const { loadPyodide } = await import(pathToFileURL(path.join(indexDir, "pyodide.mjs")).href);
let pyodide;
try {
  pyodide = await loadPyodide({
    indexURL: indexDir + path.sep,
    env: { HOME: "/home/pyodide", PYTHONDONTWRITEBYTECODE: "1", ...opts.env },
  });
  // Raw, unbatched: pytest writes a test's name, then its outcome on the same line.
  // The buffer is a view into Wasm memory, so it is copied before Node writes it out.
  pyodide.setStdout({ write: (buf) => { process.stdout.write(Buffer.from(buf)); return buf.length; } });
  pyodide.setStderr({ write: (buf) => { process.stderr.write(Buffer.from(buf)); return buf.length; } });
} catch (e) {
  fail(`loadPyodide failed: ${e.stack || e}`);
}
const pyVersion = pyodide.runPython("import sys; sys.version.split()[0]");
log(`Pyodide ${pyodide.version} (Python ${pyVersion}) loaded in ${elapsed()}`);

try {
  await pyodide.loadPackage(path.join(opts.wheelsDir, micropipWheel), { messageCallback: () => {} });
} catch (e) {
  fail(`loading ${micropipWheel} failed: ${e.message || e}`);
}

const fileUrl = (f) => pathToFileURL(f).href;
pyodide.globals.set("_runner_wheel_url", fileUrl(opts.wheel));
pyodide.globals.set("_runner_test_wheels",
  pyodide.toPy(testWheels.map((f) => fileUrl(path.join(opts.wheelsDir, f)))));
try {
  await pyodide.runPythonAsync(`
import micropip
# Our package, the way a user installs it: by URL, dependencies resolved by micropip.
await micropip.install(_runner_wheel_url)
# The test tools: local wheels only (the lock file's entries point at files we lack).
await micropip.install(_runner_test_wheels, deps=False)
del _runner_wheel_url, _runner_test_wheels
`);
} catch (e) {
  fail(`micropip.install failed: ${e.message || e}`);
}
const installed = pyodide.runPython(
  "import importlib.metadata as m; m.version('pycognito-web') + ' / pytest ' + m.version('pytest')");
log(`installed pycognito-web ${installed} in ${elapsed()}`);

const pluginDir = "/home/pyodide/_runner";
copies.set(path.join(HERE, "_pyodide_plugin.py"), `${pluginDir}/_pyodide_plugin.py`);
for (const [host, inside] of copies) {
  pyodide.FS.mkdirTree(path.posix.dirname(inside));
  pyodide.FS.writeFile(inside, fs.readFileSync(host));
}
log(`copied ${copies.size} files into ${PROJECT}; running pytest ${pytestPaths.join(" ")}`);

const main = pyodide.runPython(`
def _runner_main(args):
    import os, sys
    import pytest
    os.chdir(${JSON.stringify(PROJECT)})
    sys.path.insert(0, ${JSON.stringify(pluginDir)})
    return int(pytest.main(list(args)))
_runner_main
`);
let rc;
try {
  const args = ["-p", "_pyodide_plugin", "-p", "no:cacheprovider", "--rootdir", PROJECT,
    ...pytestPaths, ...opts.pytestArgs];
  rc = await main.callPromising(pyodide.toPy(args));
} catch (e) {
  fail(`pytest crashed inside Pyodide: ${e.message || e}`);
}
log(`pytest exited ${rc} after ${elapsed()}`);
process.exit(rc);
