// Unpack a .zip into MicroPython's file system, so that `import package` finds it.
//
// Under PyScript (site/mpy.html), before a <script type="mpy"> runs:
//
//   <link rel="preload" href="./wheels/pycognito_web-mpy.zip.gz" as="fetch" crossorigin>
//   <script type="module">
//     import { hooks } from "./vendor/pyscript/core.js";
//     import { unzipBeforeRun } from "./mpy-unzip.js";
//     unzipBeforeRun(hooks, "./wheels/pycognito_web-mpy.zip.gz");
//   </script>
//
// With MicroPython loaded directly (site/mpy-direct.html, no PyScript):
//
//   const files = fetchArchive("./wheels/pycognito_web-mpy.zip.gz");  // fetched, inflated
//   const mp = await loadMicroPython({ ... });
//   await unzipInto(mp.FS, files);  // written into MicroPython's file system
//
// PyScript's own `"files": {"x.zip": "./*"}` does the same job (with the deflated .zip), but it fetches the archive
// only once MicroPython has booted, then loads zip.js (72 KB) and inflates each entry in a
// web worker: ~200 ms for the package's 25 files in headless Chromium. Here the archive is
// fetched (the preload hint) and inflated by the browser's own DecompressionStream, all
// entries at once, while the interpreter loads; only the writes wait for it (a few ms;
// benchmarks/micropython.md).

const decoder = new TextDecoder();

async function inflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// [name, Promise<Uint8Array>] of each file in a zip (stored or deflated; no zip64).
function entries(buffer) {
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  let end = bytes.length - 22; // the end of central directory record, after any comment
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error("not a zip archive");
  const found = [];
  let at = view.getUint32(end + 16, true);
  for (let i = view.getUint16(end + 10, true); i > 0; i--) {
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const local = view.getUint32(at + 42, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    if (name.endsWith("/")) continue;
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = bytes.subarray(start, start + size);
    if (method !== 0 && method !== 8) throw new Error(`${name}: unsupported zip method ${method}`);
    found.push([name, method === 8 ? inflate(data) : Promise.resolve(data)]);
  }
  return found;
}

function makeDirs(FS, path) {
  const parts = path.split("/").slice(0, -1);
  for (let i = 1; i <= parts.length; i++) {
    try {
      FS.mkdir(parts.slice(0, i).join("/"));
    } catch {
      // already there
    }
  }
}

// A gzip (pycognito_web-mpy.zip.gz: a stored zip, gzipped whole) inflated in one stream,
// several times faster than inflating each deflated entry; anything else as it is (a
// plain zip, or a host that already undid the gzip with Content-Encoding).
async function gunzipped(buffer) {
  const head = new Uint8Array(buffer, 0, Math.min(2, buffer.byteLength));
  if (head[0] !== 0x1f || head[1] !== 0x8b) return buffer;
  const stream = new Blob([buffer]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).arrayBuffer();
}

// The files of the zip (or gzipped zip) at `url`, fetched and inflated now, while the
// interpreter loads: a promise of [[name, Uint8Array], ...] (rejects on an HTTP error or
// a bad archive).
export function fetchArchive(url) {
  const files = fetch(url).then(async (response) => {
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    const found = entries(await gunzipped(await response.arrayBuffer()));
    return Promise.all(found.map(async ([name, data]) => [name, await data]));
  });
  files.catch(() => {}); // reported where it is awaited
  return files;
}

// Write the files (fetchArchive's promise) under the file system's current directory (an
// Emscripten FS: MicroPython's `interpreter.FS`), so that `import package` finds them.
// Marks "mpy-unzip:start" and "mpy-unzip:done" (performance.mark).
export async function unzipInto(FS, files) {
  performance.mark("mpy-unzip:start");
  for (const [name, data] of await files) {
    makeDirs(FS, name);
    FS.writeFile(name, data);
  }
  performance.mark("mpy-unzip:done");
}

// Fetch and inflate `url` now; when PyScript's MicroPython is ready (hooks.main.onReady,
// before any <script type="mpy"> code runs), write the archive's files under MicroPython's
// current directory, so that `import package` finds them.
export function unzipBeforeRun(hooks, url) {
  const archive = fetchArchive(url);
  const done = new WeakSet(); // onReady runs for each <script type="mpy">; unpack once
  hooks.main.onReady.add(async ({ type, interpreter }) => {
    if (type !== "mpy" || done.has(interpreter)) return; // not for <script type="py">
    done.add(interpreter);
    await unzipInto(interpreter.FS, archive);
  });
}
