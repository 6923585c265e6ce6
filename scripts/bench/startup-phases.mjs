// Child process of the startup row: does what `limitless-lint <one small file>` does, one phase at a
// time, and prints each phase's duration (ms) as one JSON line. Every import is dynamic, so that
// `boot` (performance.now() at the first line: time since the process started) is node's own boot.
//
// Phases, in order: boot; core import (core's modules and yaml; libpg-query is not loaded yet);
// wasm (`await loadParser()`: reads libpg-query's .wasm, compiles it — V8's baseline compiler, the
// optimising one later in the background — instantiates it and starts libpg-query's emscripten
// runtime, its JS glue, in packages/core/src/sql/parser.ts); first parse (one statement); CLI import
// (what is left of the CLI's module graph: commander, chalk, the CLI's own modules and their
// dependencies); manifest (load and validate the demo limitless.yaml); lint (read and analyse the file).
//
// Usage: node scripts/bench/startup-phases.mjs <file.sql> <limitless.yaml>

const boot = performance.now();
const phases = { boot };
let mark = boot;
const lap = (name) => {
  const now = performance.now();
  phases[name] = now - mark;
  mark = now;
};

const [file, manifestPath] = process.argv.slice(2);
const core = await import(new URL('../../packages/core/dist/index.js', import.meta.url).href);
lap('importCore');
await core.loadParser();
lap('wasm');
core.parseStatements('SELECT 1');
lap('firstParse');
await import(new URL('../../packages/cli/dist/main.js', import.meta.url).href);
lap('importCli');
const loaded = await core.loadManifest(manifestPath);
if (!loaded.ok) throw new Error('manifest invalid');
lap('manifest');
const { readFile } = await import('node:fs/promises');
const text = await readFile(file, 'utf8');
const result = core.analyzeSql(text, { manifest: loaded.manifest, fileName: file });
lap('lint');
phases.total = performance.now();
phases.statements = result.stats.statements;
process.stdout.write(`${JSON.stringify(phases)}\n`);
