import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { testManifest } from '../test/rule-tester.js';
import type { AnalyzeResult } from './analyze.js';
import { analyzeSql } from './analyze.js';
import { ADAPT_WINDOW, MAX_CACHED_STATEMENT_LENGTH, StatementCache, statementCache, statementContext } from './analysis-cache.js';
import { resolveRules } from './rules/engine.js';
import { rules } from './rules/index.js';
import { loadParser } from './sql/parser.js';

beforeAll(() => loadParser());

const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

function sqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sqlFiles(`${dir}/${e.name}`) : e.name.endsWith('.sql') ? [`${dir}/${e.name}`] : []));
}

/** The diagnostics and reports of `result` moved by `delta` characters, for comparison. */
function shifted(result: AnalyzeResult, delta: number, indexDelta: number): unknown {
  return {
    statements: result.statements.map((s) => ({ ...s, index: s.index + indexDelta, span: { start: s.span.start + delta, end: s.span.end + delta }, ...(s.route && { route: { ...s.route, tables: s.route.tables.map((t) => ({ ...t, offset: t.offset + delta })) } }) })),
    diagnostics: result.diagnostics.map((d) => ({
      ...d,
      statement: (d.statement ?? 0) + indexDelta,
      span: { start: d.span.start + delta, end: d.span.end + delta },
      labels: d.labels.map((l) => ({ ...l, span: { start: l.span.start + delta, end: l.span.end + delta } })),
      suggestions: d.suggestions.map((s) => ({ ...s, edits: s.edits.map((e) => ({ ...e, span: { start: e.span.start + delta, end: e.span.end + delta } })) })),
    })),
  };
}

describe('the statement cache', () => {
  const manifest = testManifest('demo');

  it('changes no result on any fixture SQL file, analysed cold, then from the cache', () => {
    const files = sqlFiles(FIXTURES);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const fresh = analyzeSql(text, { manifest, cache: false, fingerprints: true });
      analyzeSql(text, { manifest, fingerprints: true });
      expect(analyzeSql(text, { manifest, fingerprints: true }), file).toEqual(fresh);
    }
  });

  it('moves a cached statement to where it is seen again', () => {
    const text = readFileSync(`${FIXTURES}demo/queries/bad.sql`, 'utf8');
    const once = analyzeSql(text, { manifest, cache: false });
    expect(once.diagnostics.length).toBeGreaterThan(5);
    const twice = analyzeSql(`${text}\n${text}`, { manifest });
    const second = { statements: twice.statements.slice(once.statements.length), diagnostics: twice.diagnostics.slice(once.diagnostics.length) };
    expect(second).toEqual(shifted(once, text.length + 1, once.statements.length));
  });

  it('stores each distinct statement once, and nothing after DDL changed the tables', () => {
    const cache = statementCache(resolveRules(rules, manifest), undefined);
    const probe = `SELECT ${Date.now()} AS probe_${Math.random().toString(36).slice(2)}`;
    const before = cache.size;
    analyzeSql(`${probe}; ${probe}; ${probe};`, { manifest });
    expect(cache.size).toBe(before + 1);
    // The CREATE TABLE is kept (with its parse tree, to replay it); what follows it is not.
    const after = `${probe}, 2`;
    analyzeSql(`CREATE TABLE scratch_cache_test (id bigint); ${after};`, { manifest });
    expect(cache.size).toBe(before + 2);
    analyzeSql(`${after};`, { manifest });
    expect(cache.size).toBe(before + 3);
  });

  it('does not reuse a statement across schema states or tables learned elsewhere', () => {
    // ORDER BY a sequence column is reported only when the column is known to come from a sequence:
    // here from the CREATE TABLE earlier in the same text, which the cache must not carry over.
    const create = "SET rds_aurora.limitless_create_table_mode = 'sharded'; SET rds_aurora.limitless_create_table_shard_key = '{\"tenant\"}'; CREATE TABLE cache_probe (id bigserial, tenant bigint);";
    const query = 'SELECT id FROM cache_probe WHERE tenant = $1 ORDER BY id DESC LIMIT 10;';
    const withDdl = analyzeSql(`${create}\n${query}`, { manifest });
    const alone = analyzeSql(query, { manifest });
    expect(withDdl.diagnostics.map((d) => d.ruleId)).toContain('no-sequence-ordering');
    expect(alone.diagnostics.map((d) => d.ruleId)).not.toContain('no-sequence-ordering');
    expect(alone).toEqual(analyzeSql(query, { manifest, cache: false }));
    const learned = analyzeSql(`${create}`, { manifest }).learnedTables;
    const known = analyzeSql(query, { manifest, knownTables: learned });
    expect(known.diagnostics.map((d) => d.ruleId)).toContain('no-sequence-ordering');
    expect(known).toEqual(analyzeSql(query, { manifest, knownTables: learned, cache: false }));
  });

  it('keeps a transaction block apart from the same statement outside one', () => {
    const lock = 'SELECT pg_advisory_xact_lock(42);';
    for (const text of [`BEGIN; ${lock} COMMIT; ${lock}`, `${lock} BEGIN; ${lock} COMMIT;`]) {
      expect(analyzeSql(text, { manifest }), text).toEqual(analyzeSql(text, { manifest, cache: false }));
    }
  });

  it('forgets statements not used for longest first, and holds at most its capacity', () => {
    const cache = new StatementCache(4);
    const entry = (kind: string) => ({ kind, route: undefined, diagnostics: [] });
    for (const k of ['a', 'b', 'c', 'd']) cache.set(k, '', entry(k));
    expect(cache.size).toBe(4);
    expect(cache.get('a', '')?.kind).toBe('a'); // used again: kept
    cache.set('e', '', entry('e'));
    cache.set('f', '', entry('f'));
    expect(cache.size).toBeLessThanOrEqual(4);
    expect(cache.get('a', '')?.kind).toBe('a');
    expect(cache.get('f', '')?.kind).toBe('f');
    expect(cache.get('b', '')).toBeUndefined();
    expect(cache.get('c', '')).toBeUndefined();
  });

  it('keeps shard-key settings that print alike apart', () => {
    // '{"a,b"}' is one column named `a,b`; '{a,b}' two columns: the keys must differ.
    const one = statementContext(undefined, { settings: { mode: 'sharded', shardKey: ['a,b'] }, inTransaction: false, tables: new Map(), enums: new Map(), createTableVariablesUsed: true });
    const two = statementContext(undefined, { settings: { mode: 'sharded', shardKey: ['a', 'b'] }, inTransaction: false, tables: new Map(), enums: new Map(), createTableVariablesUsed: true });
    expect(one).not.toBe(two);
  });

  it('answers for the context an entry was stored in only', () => {
    const cache = new StatementCache(10);
    cache.set('SELECT 1', 'a', { kind: 'SelectStmt', route: undefined, diagnostics: [] });
    expect(cache.get('SELECT 1', 'a')?.kind).toBe('SelectStmt');
    expect(cache.get('SELECT 1', 'b')).toBeUndefined();
  });

  it('does not keep very long statements, and bounds its memory as well as its entries', () => {
    const cache = statementCache(resolveRules(rules, manifest), undefined);
    const long = `SELECT 1 AS x WHERE 'k${Date.now()}' = '${'y'.repeat(MAX_CACHED_STATEMENT_LENGTH)}'`;
    const before = cache.size;
    analyzeSql(long, { manifest });
    expect(cache.size).toBe(before);
    const small = new StatementCache(1000, 10_000);
    for (let i = 0; i < 100; i++) small.set(`key ${i} ${'z'.repeat(200)}`, '', { kind: 'SelectStmt', route: undefined, diagnostics: [] });
    // Each entry is counted at ≥ 1 KB: a 10 KB budget holds about ten of them, however many are allowed.
    expect(small.size).toBeLessThanOrEqual(12);
    expect(small.get(`key 99 ${'z'.repeat(200)}`, '')).toBeDefined();
  });

  it('stores only repeated texts while few lookups hit, and every miss again once they do', () => {
    const cache = new StatementCache(100_000);
    const entry = { kind: 'SelectStmt', route: undefined, diagnostics: [] } as const;
    // A window of distinct texts: no hit.
    for (let i = 0; i < ADAPT_WINDOW - 1; i++) {
      expect(cache.get(`SELECT ${i}`, '')).toBeUndefined();
      expect(cache.admits(`SELECT ${i}`)).toBe(true);
      cache.set(`SELECT ${i}`, '', entry);
    }
    expect(cache.get('SELECT new', '')).toBeUndefined(); // the lookup that ends the window
    expect(cache.storesEveryMiss).toBe(false);
    expect(cache.admits('SELECT new')).toBe(false);
    expect(cache.admits('SELECT new')).toBe(true); // missed a second time: it repeats
    // A window in which most lookups hit: every miss is stored again.
    for (let i = 1; i < ADAPT_WINDOW; i++) cache.get(`SELECT ${i % 500}`, '');
    cache.get('SELECT 1', '');
    expect(cache.storesEveryMiss).toBe(true);
    expect(cache.admits('SELECT other')).toBe(true);
  });

  it('gives the same results once it admits only repeats', () => {
    // Enough distinct statements to fill a window without hits, then repeats of some of them.
    const distinct = Array.from({ length: ADAPT_WINDOW + 200 }, (_, i) => `SELECT * FROM orders WHERE customer_id = ${i} ORDER BY created_at;`);
    const text = [...distinct, ...distinct.slice(0, 300), ...distinct.slice(0, 300)].join('\n');
    const fresh = analyzeSql(text, { manifest, cache: false });
    expect(analyzeSql(text, { manifest })).toEqual(fresh);
    expect(analyzeSql(text, { manifest })).toEqual(fresh);
  });
});
