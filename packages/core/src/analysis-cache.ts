import type { Node } from 'libpg-query';
import type { Diagnostic, Span } from './diagnostic.js';
import type { SchemaState } from './ddl/replay.js';
import type { Route } from './route/types.js';
import type { PlaceholderParameter } from './sql/placeholders.js';

/**
 * What analysing one statement produced, with every offset relative to the statement's start, so
 * that the same text anywhere (another file, another SQL site of a TypeScript file, the next lint
 * of an edited file) reuses it without being parsed, routed or checked again.
 */
export interface CachedStatement {
  /** The statement's node type, or `parse-error`. */
  readonly kind: string;
  /** The parse tree of a statement that DDL replay acts on (BEGIN, SET, CREATE …), to replay it again. */
  readonly ast?: Node;
  readonly route: Route | undefined;
  /** Before suppressions; without the `statement` index. */
  readonly diagnostics: readonly Diagnostic[];
  fingerprint?: string;
  /** Placeholders that a parse with psql variables as parameters read (see `analyzeSql`). */
  readonly parameters?: readonly PlaceholderParameter[];
}

/**
 * A bounded map from statement text (in a given schema state) to its analysis. Two generations
 * approximate least-recently-used: entries go to the young one; a hit in the old one moves the entry
 * to the young one; when the young one is full (half the entries or half the bytes allowed) it
 * becomes the old one and the old one is dropped. (A single `Map` with delete-and-reinsert on every
 * hit costs more than the analysis it saves: V8 walks the holes the deletes leave at the front to
 * find the oldest key.) One cache serves one configuration: see {@link statementCache}.
 *
 * Storing is adaptive, so that the cache is never slower than no cache: storing an entry copies the
 * text and the findings and keeps them (and a DDL statement's parse tree) alive, which costs more
 * than the hits it brings when few statements repeat (migrations, PostgreSQL's regression SQL: 79 %
 * distinct texts, ≈ 10 % of lookups hit). The cache counts its lookups and hits over windows of
 * {@link ADAPT_WINDOW} lookups; while a window's hit rate is below {@link MIN_HIT_RATE}, it admits a
 * text only the second time it is missed (a "doorkeeper": first sightings are remembered as 32-bit
 * hashes, which keep no text alive), so that texts that do repeat are still kept and the hit rate
 * can climb back; above it, every miss is stored.
 */
export class StatementCache {
  // By text, with the context the entry is for: a text is seen in one context almost always, and
  // hashing the text alone costs less than building and hashing a combined key.
  private young = new Map<string, Slot>();
  private old = new Map<string, Slot>();
  private youngBytes = 0;
  private lookups = 0;
  private hits = 0;
  /** While set, a text is admitted only when it was missed before (its hash is in the set). */
  private doorkeeper: Set<number> | undefined;

  /**
   * @param capacity at most this many entries are kept;
   * @param budget and about this many bytes (estimated: the key text, the findings, a fixed part).
   */
  constructor(
    readonly capacity: number,
    readonly budget: number = Number.POSITIVE_INFINITY,
  ) {}

  get size(): number {
    return this.young.size + this.old.size;
  }

  /** The entry for `text` seen in `context` (see {@link statementContext}). */
  get(text: string, context: string): CachedStatement | undefined {
    if (++this.lookups === ADAPT_WINDOW) this.adapt();
    const hit = this.young.get(text);
    if (hit !== undefined) {
      if (hit.context !== context) return undefined;
      this.hits++;
      return hit.value;
    }
    const older = this.old.get(text);
    if (older === undefined || older.context !== context) return undefined;
    this.hits++;
    this.old.delete(text);
    this.store(text, older);
    return older.value;
  }

  /**
   * Whether to store the analysis of `text`, just missed: always while statements repeat enough;
   * else only a text missed before (see the class comment).
   */
  admits(text: string): boolean {
    const seen = this.doorkeeper;
    if (seen === undefined) return true;
    const h = textHash(text);
    if (seen.has(h)) return true;
    if (seen.size >= DOORKEEPER_CAPACITY) seen.clear();
    seen.add(h);
    return false;
  }

  /** Whether the last window's lookups hit often enough to store every miss. */
  get storesEveryMiss(): boolean {
    return this.doorkeeper === undefined;
  }

  private adapt(): void {
    const rate = this.hits / this.lookups;
    if (rate < MIN_HIT_RATE) this.doorkeeper ??= new Set();
    else this.doorkeeper = undefined;
    this.lookups = this.hits = 0;
  }

  /** Keeps an entry; one per text (the last context stored wins). */
  set(text: string, context: string, value: CachedStatement): void {
    this.store(text, { context, value });
  }

  private store(text: string, slot: Slot): void {
    const bytes = estimateBytes(text, slot.value);
    if (this.young.size >= Math.max(1, this.capacity >> 1) || this.youngBytes + bytes > this.budget / 2) {
      this.old = this.young;
      this.young = new Map();
      this.youngBytes = 0;
    }
    this.young.set(text, slot);
    this.youngBytes += bytes;
  }
}

/** Lookups per adaptation window, and the hit rate below which only repeated texts are stored. */
export const ADAPT_WINDOW = 1024;
export const MIN_HIT_RATE = 0.125;
/** First sightings remembered while admitting only repeats (4 bytes-ish each; cleared when full). */
const DOORKEEPER_CAPACITY = 65_536;

/**
 * FNV-1a over the first and last 48 UTF-16 code units, mixed with the length: a 32-bit hash, for the
 * doorkeeper only (a collision only stores a text once too early). Hashing whole texts cost 2 % of
 * an analysis pass.
 */
function textHash(text: string): number {
  const n = text.length;
  let h = 0x811c9dc5 ^ n;
  const head = Math.min(n, 48);
  for (let i = 0; i < head; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  for (let i = Math.max(head, n - 48); i < n; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

interface Slot {
  readonly context: string;
  readonly value: CachedStatement;
}

/** About what an entry holds: its key (two bytes a character), route and findings (measured: ≈ 1.2 KB an entry on the generated corpus, ≈ 1.5 KB a finding). */
function estimateBytes(text: string, value: CachedStatement): number {
  return 2 * text.length + 700 + 1500 * value.diagnostics.length;
}

/**
 * Statements kept per configuration: a large repository's distinct queries, within a memory budget
 * (entries of long statements count for more, so few of them cannot hold much).
 */
export const STATEMENT_CACHE_CAPACITY = 40_000;
export const STATEMENT_CACHE_BUDGET = 32 * 1024 * 1024;

/** Statements longer than this are not cached: generated bulk INSERTs and dumps, which rarely repeat. */
export const MAX_CACHED_STATEMENT_LENGTH = 8_192;

let caches = new WeakMap<object, WeakMap<object, StatementCache>>();
const NO_KNOWN_TABLES = {};

/**
 * The cache for one configuration: the resolved rules (which also stand for the manifest and rule
 * options they were resolved from) and the tables known from other files' DDL.
 */
export function statementCache(active: object, knownTables: object | undefined): StatementCache {
  let byKnown = caches.get(active);
  if (!byKnown) caches.set(active, (byKnown = new WeakMap()));
  const key = knownTables ?? NO_KNOWN_TABLES;
  let cache = byKnown.get(key);
  if (!cache) byKnown.set(key, (cache = new StatementCache(STATEMENT_CACHE_CAPACITY, STATEMENT_CACHE_BUDGET)));
  return cache;
}

/** Forgets every cached statement: for measurements that must start cold, like a fresh process. */
export function clearStatementCaches(): void {
  caches = new WeakMap();
}

/**
 * What a statement's analysis depends on besides its text: where its `;` is, and the parts of the
 * schema state that rules read besides the tables (the tables are those the replay started from:
 * see `DdlReplay.touchedSchema`). JSON for the values that come from SQL (settings may hold any
 * character), so that two states never print alike.
 */
export function statementContext(semicolon: number | undefined, state: SchemaState): string {
  let prefix = statePrefixes.get(state);
  if (prefix === undefined) {
    const s = state.settings;
    prefix = JSON.stringify([state.inTransaction, state.createTableVariablesUsed, s.mode, s.shardKey ?? null, s.collocateWith ?? null]);
    statePrefixes.set(state, prefix);
  }
  return semicolon === undefined ? prefix : `${prefix}${semicolon}`;
}

const statePrefixes = new WeakMap<SchemaState, string>();

/**
 * A copy of `text` that is its own string. V8 represents a long `slice` of a string as a view that
 * keeps the whole original alive: a statement sliced from a file, and every string cut from the
 * statement (reasons, finding data), would keep the file's whole text in memory for as long as the
 * cache keeps the statement.
 */
export function ownString(text: string): string {
  // Appending makes a pair (text, ' '); slicing a pair first copies it into one flat string; the
  // result is a view of that copy, not of the original. (A JSON round trip costs ten times more.)
  return `${text} `.slice(0, -1);
}

/** A diagnostic moved by `delta` characters (every span in it). */
export function moveDiagnostic(d: Diagnostic, delta: number): Diagnostic {
  if (delta === 0) return d;
  return {
    ...d,
    span: move(d.span, delta),
    labels: d.labels.map((l) => ({ ...l, span: move(l.span, delta) })),
    suggestions: d.suggestions.map((s) => ({ ...s, edits: s.edits.map((e) => ({ ...e, span: move(e.span, delta) })) })),
  };
}

/** A route with its table offsets moved by `delta` characters. */
export function moveRoute(route: Route, delta: number): Route {
  if (delta === 0 || route.tables.length === 0) return route;
  return { ...route, tables: route.tables.map((t) => ({ ...t, offset: t.offset + delta })) };
}

function move(span: Span, delta: number): Span {
  return { start: span.start + delta, end: span.end + delta };
}
