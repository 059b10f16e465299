// Preloaded into the server by bench/load.ts (`node --require bench/memory-probe.cjs …`), never
// by the app itself. Plain CommonJS so that it loads the same way into the compiled build and
// under tsx. Once a second it appends one JSON line to MEMORY_PROBE_FILE: process.memoryUsage(),
// V8's heap spaces and code statistics, the WebAssembly memories (PGlite's heap: committed size
// and resident part) and a split of the resident set from /proc/self/smaps. Without
// MEMORY_PROBE_FILE it does nothing.
'use strict';
const fs = require('node:fs');
const v8 = require('node:v8');
const { isMainThread } = require('node:worker_threads');

const file = process.env.MEMORY_PROBE_FILE;
// the main thread only: under tsx (`--import tsx`) the preload runs in its loader thread, too
if (file && isMainThread) {
  /** Every WebAssembly.Memory made from now on (PGlite makes its own with `new WebAssembly.Memory`). */
  const memories = [];
  const Original = WebAssembly.Memory;
  class TrackedMemory extends Original {
    constructor(descriptor) {
      super(descriptor);
      memories.push(new WeakRef(this));
    }
  }
  WebAssembly.Memory = TrackedMemory;

  /** Resident bytes by kind of mapping; a WebAssembly memory is the one anonymous mapping of exactly its size. */
  const smaps = (wasmSizes) => {
    const split = { wasm: 0, anonymous: 0, nodeBinary: 0, otherFiles: 0 };
    let text;
    try {
      text = fs.readFileSync('/proc/self/smaps', 'utf8');
    } catch {
      return null;
    }
    let current;
    const flush = () => {
      if (!current) return;
      const { size, name, rss } = current;
      if (name === '' && wasmSizes.includes(size)) split.wasm += rss;
      else if (name === process.execPath) split.nodeBinary += rss;
      else if (name.startsWith('/')) split.otherFiles += rss;
      else split.anonymous += rss;
    };
    for (const line of text.split('\n')) {
      const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (head) {
        flush();
        current = { size: parseInt(head[2], 16) - parseInt(head[1], 16), name: head[3], rss: 0 };
        continue;
      }
      const rss = /^Rss:\s+(\d+) kB/.exec(line);
      if (rss && current) current.rss = Number(rss[1]) * 1024;
    }
    flush();
    return split;
  };

  const sample = () => {
    const wasmSizes = [];
    for (const ref of memories) {
      const memory = ref.deref();
      if (memory) wasmSizes.push(memory.buffer.byteLength);
    }
    const spaces = {};
    for (const s of v8.getHeapSpaceStatistics()) spaces[s.space_name] = s.space_size;
    const code = v8.getHeapCodeStatistics();
    const line = {
      t: Date.now(),
      ...process.memoryUsage(),
      spaces,
      codeAndMetadata: code.code_and_metadata_size + code.bytecode_and_metadata_size,
      wasmCommitted: wasmSizes.reduce((a, b) => a + b, 0),
      smaps: smaps(wasmSizes),
    };
    fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
  };
  setInterval(sample, 1000).unref();
}
