#!/usr/bin/env node
// Install pycognito-web into Pyodide in Node by name, the two ways a page of a user's does,
// from a site served over HTTP (site/ as scripts/setup lays it out), and print one JSON line
// describing what got installed (the test's server records what was fetched).
//
//   node tests/pyodide/install_by_name.mjs micropip SITE_URL PYODIDE_DIR CACHE_DIR
//       loadPyodide(), loadPackage("micropip"), micropip.set_index_urls([SITE/wheels/simple]),
//       micropip.install("pycognito-web"): the PEP 503 index over the built wheel;
//   node tests/pyodide/install_by_name.mjs lockfile SITE_URL PYODIDE_DIR CACHE_DIR
//       loadPyodide({ lockFileURL: SITE/wheels/pyodide-lock.json, packages: ["pycognito-web"] })
//       (in Node: the lock file's contents and its folder as packageBaseUrl):
//       the package fetched while Pyodide boots, with no micropip at all.
//
// PYODIDE_DIR is Pyodide's core files (site/vendor/pyodide); CACHE_DIR an empty folder where
// Node's Pyodide keeps the packages it downloads (by default a folder named after the URL,
// in the working directory). Exit 10: the harness failed.
import path from "node:path";
import { pathToFileURL } from "node:url";

const [mode, site, pyodideDir, cacheDir] = process.argv.slice(2);
const fail = (m) => { process.stderr.write(`[install-by-name] ERROR: ${m}\n`); process.exit(10); };
if (!["micropip", "lockfile"].includes(mode) || !site || !pyodideDir || !cacheDir) {
  fail("usage: install_by_name.mjs micropip|lockfile SITE_URL PYODIDE_DIR CACHE_DIR");
}
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);

const t0 = Date.now();
let pyodide;
const indexURL = path.resolve(pyodideDir) + path.sep;
try {
  if (mode === "lockfile") {
    // Node's Pyodide reads a lockFileURL from the file system; a browser fetches it. So the
    // lock file is fetched here and handed over, with the folder it came from as the base
    // of its file names (what a browser page gets by default from lockFileURL).
    const lockFileContents = await (await fetch(`${site}/wheels/pyodide-lock.json`)).text();
    pyodide = await loadPyodide({ indexURL, lockFileContents, packageBaseUrl: `${site}/wheels/`,
      packageCacheDir: cacheDir, packages: ["pycognito-web"] });
  } else {
    pyodide = await loadPyodide({ indexURL });
    await pyodide.loadPackage("micropip", { messageCallback: () => {} });
    const micropip = pyodide.pyimport("micropip");
    micropip.set_index_urls([`${site}/wheels/simple`]);
    await micropip.install("pycognito-web");
  }
} catch (e) {
  fail(`${mode}: ${e.stack || e}`);
}
const ready = Date.now() - t0;
const info = pyodide.runPython(`
import json, sys, importlib.metadata as md
import pycognito_web
pool = pycognito_web.UserPool("us-east-1_aB12cDe34", "7ghr5379orhbo88d52vphda6s9")
json.dumps({
    "version": pycognito_web.__version__,
    "metadata_version": md.version("pycognito-web"),
    "file": pycognito_web.__file__,
    "endpoint": pool.endpoint,
    "distributions": sorted(d.metadata["Name"] for d in md.distributions()),
})
`);
const out = JSON.parse(info);
out.ready_ms = ready;
process.stdout.write(JSON.stringify(out) + "\n");
process.exit(0);
