import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Node, ParseResult } from 'libpg-query';
import { MAX_TREE_DEPTH, textNestsDeeperThan } from './depth.js';

export type { Node, ParseResult };

// PostgreSQL's parser is libpg-query's WebAssembly build. libpg-query's package entry instantiates
// it asynchronously as soon as it is imported and keeps the instance private, so a caller that
// cannot wait (an ESLint plugin loaded by `require()` from eslint.config.cjs) could not get a
// loaded parser in time. This module therefore instantiates the same emscripten build itself
// (libpg-query/wasm/libpg-query.js and .wasm, unmodified) through emscripten's documented
// `instantiateWasm` hook, and calls the same exported C functions libpg-query's own wrappers call.

/** The part of libpg-query's emscripten module (wasm/libpg-query.js) that this module uses. */
interface PgQueryWasm {
  _malloc(size: number): number;
  _free(ptr: number): void;
  lengthBytesUTF8(text: string): number;
  stringToUTF8(text: string, ptr: number, maxBytes: number): void;
  UTF8ToString(ptr: number): string;
  getValue(ptr: number, type: 'i32'): number;
  _wasm_parse_query_raw(ptr: number): number;
  _wasm_free_parse_result(ptr: number): void;
  _wasm_scan(ptr: number): number;
  _wasm_fingerprint(ptr: number): number;
  _wasm_normalize_query(ptr: number): number;
  _wasm_free_string(ptr: number): void;
}

// Node.js's WebAssembly global, typed here: @types/node 20 does not declare it (TypeScript's DOM lib does).
interface WasmInstance {
  readonly exports: object;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => WasmInstance;
  compile(bytes: Uint8Array): Promise<object>;
}
const { WebAssembly: wasmApi } = globalThis as unknown as { WebAssembly: WasmApi };

type InstantiateWasm = (imports: object, receive: (instance: WasmInstance) => void) => object;
type PgQueryFactory = (module: { instantiateWasm: InstantiateWasm }) => Promise<PgQueryWasm>;

const require = createRequire(import.meta.url);

let wasm: PgQueryWasm | undefined;
/** The compiled module, kept to replace an instance that a trap has left unusable. */
let compiledModule: object | undefined;
let loading: Promise<void> | undefined;
let loadingSync: Promise<void> | undefined;

/** Starts emscripten's runtime on a compiled module; the instance itself is created synchronously. */
function start(compiled: object): Promise<void> {
  compiledModule ??= compiled;
  return instantiate(compiled).ready.then((module) => {
    wasm ??= module;
  });
}

/**
 * Emscripten's runtime on a compiled module. The instance is created synchronously (the
 * `instantiateWasm` hook), and the factory fills in the object it is given while it runs: `now` is
 * usable when this returns, `ready` settles a few promise reactions later.
 */
function instantiate(compiled: object): { readonly now: Partial<PgQueryWasm>; readonly ready: Promise<PgQueryWasm> } {
  const factory = require('libpg-query/wasm/libpg-query.js') as PgQueryFactory;
  const module = {
    instantiateWasm: ((imports, receive) => {
      const instance = new wasmApi.Instance(compiled, imports);
      receive(instance);
      return instance.exports;
    }) as InstantiateWasm,
  };
  const ready = factory(module);
  return { now: module as Partial<PgQueryWasm>, ready };
}

/** A new instance, ready when this returns (for replacing one without waiting). */
function instantiateNow(compiled: object): PgQueryWasm | undefined {
  const { now, ready } = instantiate(compiled);
  ready.catch(() => undefined);
  return typeof now._wasm_parse_query_raw === 'function' && typeof now._malloc === 'function' ? (now as PgQueryWasm) : undefined;
}

/**
 * Replaces an instance after a trap. A call that traps (the JavaScript stack exhausted by a deeply
 * nested statement, memory exhausted) unwinds through the C code without running its cleanup: the
 * stack pointer is not restored and the statement's memory context is never freed. After a few
 * dozen such traps every later parse failed, and after some hundreds PostgreSQL's allocator gave
 * up (FATAL). A fresh instance from the compiled module costs a few milliseconds.
 */
function replaceTrapped(pg: PgQueryWasm): void {
  if (wasm !== pg || compiledModule === undefined) return;
  wasm = instantiateNow(compiledModule) ?? wasm;
}

/** An error text that a libpg-query function returned: the call completed normally. */
class ParserMessage extends Error {}

function wasmPath(): string {
  return require.resolve('libpg-query/wasm/libpg-query.wasm');
}

/**
 * Loads PostgreSQL's parser (libpg-query, WebAssembly), compiling it in the background. Once per
 * process; every other function of this module is synchronous and needs it loaded first.
 */
export function loadParser(): Promise<void> {
  loading ??= loadingSync ?? readFile(wasmPath()).then((bytes) => wasmApi.compile(bytes)).then(start);
  return loading;
}

/**
 * Loads PostgreSQL's parser without waiting for anything: reads, compiles and instantiates the
 * WebAssembly synchronously (about 25 ms). Emscripten's runtime then finishes starting in a few
 * promise reactions, so the parser is loaded once the current microtask queue has drained, before
 * any I/O or timer callback of the process runs. For callers that cannot await (an ESLint plugin
 * loaded by `require()`); returns the same promise as `loadParser()` would.
 */
export function loadParserSync(): Promise<void> {
  if (wasm) return Promise.resolve();
  loadingSync ??= start(new wasmApi.Module(readFileSync(wasmPath())));
  loading ??= loadingSync;
  return loadingSync;
}

export function isParserLoaded(): boolean {
  return wasm !== undefined;
}

function loadedParser(): PgQueryWasm {
  if (!wasm) throw new Error('The SQL parser is not loaded: await loadParser() first.');
  return wasm;
}

/** Calls one of libpg-query's C functions on `sql` (as a NUL-terminated UTF-8 string in WebAssembly memory). */
function withCString<T>(pg: PgQueryWasm, sql: string, call: (ptr: number) => T): T {
  const size = pg.lengthBytesUTF8(sql) + 1;
  const ptr = pg._malloc(size);
  let trapped = false;
  try {
    pg.stringToUTF8(sql, ptr, size);
    return call(ptr);
  } catch (error) {
    if (!(error instanceof ParserMessage)) {
      trapped = true;
      replaceTrapped(pg);
    }
    throw error;
  } finally {
    if (!trapped) pg._free(ptr);
  }
}

/** One of libpg-query's string-returning C functions; an error comes back as text in place of the result. */
function callForString(pg: PgQueryWasm, fn: (ptr: number) => number, sql: string): string {
  return withCString(pg, sql, (ptr) => {
    const result = fn(ptr);
    try {
      const text = pg.UTF8ToString(result);
      if (text.startsWith('syntax error') || text.startsWith('deparse error') || text.startsWith('ERROR')) throw new ParserMessage(text);
      return text;
    } finally {
      if (result) pg._wasm_free_string(result);
    }
  });
}

/** A syntax error as PostgreSQL reports it; `cursor` counts characters (code points) into the parsed text. */
export interface SyntaxError {
  readonly message: string;
  readonly cursor: number;
}

export type RawParse =
  | { readonly ok: true; readonly result: ParseResult }
  /** `tooDeep`: not given to the parser, its text nests too deeply (see `textNestsDeeperThan`). */
  | { readonly ok: false; readonly error: SyntaxError; readonly tooDeep?: true };

/** Parses with pg_query_parse: the parse tree, or PostgreSQL's error (its struct read as libpg-query reads it). */
function parseOrError(pg: PgQueryWasm, sql: string): RawParse {
  return withCString(pg, sql, (ptr) => {
    const result = pg._wasm_parse_query_raw(ptr);
    if (!result) throw new Error('memory allocation failed');
    try {
      const tree = pg.getValue(result, 'i32');
      const error = pg.getValue(result + 8, 'i32');
      if (error) {
        const message = pg.getValue(error, 'i32');
        const cursor = pg.getValue(error + 16, 'i32'); // 1-based; 0 when PostgreSQL gives no position
        return { ok: false, error: { message: message ? pg.UTF8ToString(message) : 'Unknown error', cursor: cursor > 0 ? cursor - 1 : 0 } };
      }
      if (!tree) throw new Error('no parse tree generated');
      return { ok: true, result: JSON.parse(pg.UTF8ToString(tree)) as ParseResult };
    } finally {
      pg._wasm_free_parse_result(result);
    }
  });
}

/** Parses SQL with PostgreSQL's grammar. Never throws for bad input: errors are returned. */
export function parseRaw(sql: string): RawParse {
  const pg = loadedParser();
  try {
    if (sql === '') throw new Error('Query cannot be empty');
    if (textNestsDeeperThan(sql)) return { ok: false, error: { message: `nests deeper than the analyzer's limit (${MAX_TREE_DEPTH} levels)`, cursor: 0 }, tooDeep: true };
    return parseOrError(pg, sql);
  } catch (e) {
    // Not a syntax error: the parser itself gave up (stack depth, memory, a statement of tens of MB).
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, error: { message: `the parser could not process this statement (${Math.round(sql.length / 1024)} KB): ${why}`, cursor: 0 } };
  }
}

export interface Token {
  /** UTF-8 byte offsets into the scanned text. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly tokenName: string;
}

/** PostgreSQL's scanner: every token with its start and end. Returns [] when the text cannot be scanned. */
export function scanTokens(sql: string): readonly Token[] {
  const pg = loadedParser();
  try {
    return (JSON.parse(callForString(pg, (ptr) => pg._wasm_scan(ptr), sql)) as { tokens: Token[] }).tokens;
  } catch {
    return [];
  }
}

/** pg_query's fingerprint: equal for statements that differ only in constants and formatting. */
export function fingerprint(sql: string): string | undefined {
  const pg = loadedParser();
  try {
    return callForString(pg, (ptr) => pg._wasm_fingerprint(ptr), sql);
  } catch {
    return undefined;
  }
}

/** Replaces constants with `$n` placeholders, as pg_stat_statements does. */
export function normalize(sql: string): string | undefined {
  const pg = loadedParser();
  try {
    return callForString(pg, (ptr) => pg._wasm_normalize_query(ptr), sql);
  } catch {
    return undefined;
  }
}
