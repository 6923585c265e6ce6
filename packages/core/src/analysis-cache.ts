import type { Node } from 'libpg-query';
import type { Diagnostic, Span } from './diagnostic.js';
import type { SchemaState } from './ddl/replay.js';
import type { Route } from './route/types.js';

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
}

/**
 * A bounded map from statement text (in a given schema state) to its analysis. Two generations
 * approximate least-recently-used: entries go to the young one; a hit in the old one moves the entry
 * to the young one; when the young one is full it becomes the old one and the old one is dropped.
 * (A single `Map` with delete-and-reinsert on every hit costs more than the analysis it saves: V8
 * walks the holes the deletes leave at the front to find the oldest key.)
 * One cache serves one configuration: see {@link statementCache}.
 */
export class StatementCache {
  private young = new Map<string, CachedStatement>();
  private old = new Map<string, CachedStatement>();

  /** @param capacity at most this many entries are kept; at least the last `capacity / 2` used. */
  constructor(readonly capacity: number) {}

  get size(): number {
    return this.young.size + this.old.size;
  }

  get(key: string): CachedStatement | undefined {
    const hit = this.young.get(key);
    if (hit !== undefined) return hit;
    const older = this.old.get(key);
    if (older !== undefined) {
      this.old.delete(key);
      this.set(key, older);
    }
    return older;
  }

  set(key: string, value: CachedStatement): void {
    if (this.young.size >= Math.max(1, this.capacity >> 1)) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }
}

/**
 * Statements kept per configuration. Sized for a large repository's distinct queries: an entry is a
 * few hundred bytes (the key text, the route and its reasons, any findings), so the cache stays
 * within about 20 MB.
 */
export const STATEMENT_CACHE_CAPACITY = 40_000;

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
  if (!cache) byKnown.set(key, (cache = new StatementCache(STATEMENT_CACHE_CAPACITY)));
  return cache;
}

/** Forgets every cached statement: for measurements that must start cold, like a fresh process. */
export function clearStatementCaches(): void {
  caches = new WeakMap();
}

/**
 * The cache key of a statement: its text, where its `;` is, and the parts of the schema state that
 * rules read besides the tables (the tables are those the replay started from: see
 * `DdlReplay.touchedSchema`).
 */
export function statementKey(text: string, semicolon: number | undefined, state: SchemaState): string {
  let prefix = statePrefixes.get(state);
  if (prefix === undefined) {
    const s = state.settings;
    prefix = `${state.inTransaction ? 1 : 0}${state.createTableVariablesUsed ? 1 : 0}|${s.mode}|${s.shardKey?.join(',') ?? ''}|${s.collocateWith ?? ''}|`;
    statePrefixes.set(state, prefix);
  }
  return `${prefix}${semicolon ?? ''}\u0000${text}`;
}

const statePrefixes = new WeakMap<SchemaState, string>();

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
