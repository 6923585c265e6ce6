import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql, learnTables } from './analyze.js';
import { parseManifest } from './manifest/parse.js';
import type { Manifest } from './manifest/types.js';
import { loadParser, parseRaw } from './sql/parser.js';

beforeAll(() => loadParser());

const MANIFEST_TEXT = 'shards: 16\ntables:\n  accounts: { mode: sharded, shard_key: [account_id] }\n';

function manifest(): Manifest {
  const r = parseManifest(MANIFEST_TEXT);
  if (!r.ok) throw new Error('bad test manifest');
  return r.manifest;
}

/** What a run reports, compactly: per statement its kind and route; per finding its rule, message id and position. */
function summary(sql: string) {
  const r = analyzeSql(sql, { manifest: manifest(), cache: false });
  return {
    statements: r.statements.map((s) => [s.kind, s.route?.kind]),
    diagnostics: r.diagnostics.map((d) => [d.ruleId, d.messageId, d.span.start]),
  };
}

describe('text PostgreSQL rejects is a parse-error, never a shorter statement', () => {
  it('an unterminated /* comment is reported where it starts, and swallows no statement silently', () => {
    const sql = 'SELECT 1;\nDELETE FROM accounts WHERE account_id = 1 /* note;\nDELETE FROM accounts;';
    const r = analyzeSql(sql, { manifest: manifest() });
    expect(r.statements.map((s) => s.kind)).toEqual(['SelectStmt', 'parse-error']);
    const error = r.diagnostics.find((d) => d.ruleId === 'parse-error');
    expect(error?.message).toContain('unterminated /* comment');
    expect(error?.span.start).toBe(sql.indexOf('/*'));
  });

  it('an unterminated /* comment between statements is a parse-error too', () => {
    const r = analyzeSql('SELECT 1; /* DELETE FROM accounts;');
    expect(r.statements.map((s) => s.kind)).toEqual(['SelectStmt', 'parse-error']);
  });

  it('a NUL byte makes the statement a parse-error at the NUL, not a single-shard DELETE', () => {
    const sql = 'DELETE FROM accounts WHERE account_id = 7\0 OR true;\nSELECT 1;';
    const r = analyzeSql(sql, { manifest: manifest() });
    expect(r.statements.map((s) => [s.kind, s.route?.kind])).toEqual([
      ['parse-error', undefined],
      ['SelectStmt', 'none'],
    ]);
    const error = r.diagnostics.find((d) => d.ruleId === 'parse-error');
    expect(error?.span.start).toBe(sql.indexOf('\0'));
    expect(error?.message).toContain('0x00');
  });

  it('a NUL after non-BMP characters is located by string index', () => {
    const sql = "SELECT '😀😀' \0";
    const error = analyzeSql(sql).diagnostics.find((d) => d.ruleId === 'parse-error');
    expect(error?.span.start).toBe(sql.indexOf('\0'));
  });
});

/** Statements that PostgreSQL parses, nested far deeper than any real query. */
const DEEP: readonly { name: string; sql: string }[] = [
  { name: '1,000 nested subqueries', sql: `SELECT ${'(SELECT '.repeat(1000)}1${')'.repeat(1000)}` },
  { name: '2,000 chained NOTs', sql: `SELECT * FROM accounts WHERE ${'NOT '.repeat(2000)}account_id = 1` },
  { name: '2,000 nested calls', sql: `SELECT ${'abs('.repeat(2000)}1${')'.repeat(2000)}` },
  { name: '5,000 casts', sql: `SELECT 1${'::int'.repeat(5000)}` },
  { name: '5,000 || terms', sql: `SELECT ${Array.from({ length: 5000 }, () => "'a'").join(' || ')}` },
  // Deep enough to exhaust the JavaScript stack inside PostgreSQL's parser (WebAssembly), at a
  // depth that depends on the thread: not given to the parser at all.
  { name: '3,000 nested subqueries', sql: `SELECT ${'(SELECT '.repeat(3000)}1${')'.repeat(3000)}` },
  { name: '10,000 casts', sql: `SELECT 1${'::int'.repeat(10000)}` },
  { name: '10,000 || terms', sql: `SELECT ${Array.from({ length: 10000 }, () => "'a'").join(' || ')}` },
];

describe('statements nested too deeply for the analyzer', () => {
  it.each(DEEP)('$name: one unanalysable finding, an unknown route, no internal-error', ({ sql }) => {
    const r = analyzeSql(`${sql};\nSELECT * FROM accounts WHERE account_id = 3;`, { manifest: manifest() });
    expect(r.statements.map((s) => [s.kind, s.route?.kind])).toEqual([
      ['unanalysable', 'unknown'],
      ['SelectStmt', 'single-shard'],
    ]);
    const findings = r.diagnostics.filter((d) => d.statement === 0);
    expect(findings.map((d) => [d.ruleId, d.messageId])).toEqual(expect.arrayContaining([['unanalysable', 'tooDeep']]));
    expect(findings.filter((d) => d.ruleId === 'unanalysable')).toHaveLength(1);
    expect(r.diagnostics.some((d) => d.ruleId === 'internal-error')).toBe(false);
    expect(r.statements[0]?.route?.reasons[0]).toMatch(/nests deeper than the analyzer's limit/);
    expect(r.skipped.unanalysable).toBe(1);
  });

  it('the DDL pre-pass skips them too, and learns from the other statements', () => {
    const sql = `CREATE TABLE t2 (a int DEFAULT ${'abs('.repeat(3000)}1${')'.repeat(3000)});\nCREATE TABLE t3 (a int);`;
    expect([...learnTables(sql).keys()]).toEqual(['public.t3']);
    expect(analyzeSql(sql).statements.map((s) => s.kind)).toEqual(['unanalysable', 'CreateStmt']);
  });

  it.each([
    ['5,000 conditions joined by OR', `SELECT * FROM accounts WHERE account_id = 1 AND (${Array.from({ length: 5000 }, (_, i) => `note = '${i}'`).join(' OR ')})`],
    ['an IN list of 20,000 values', `SELECT * FROM accounts WHERE account_id = 1 AND note IN (${Array.from({ length: 20000 }, (_, i) => -i).join(', ')})`],
    ['3,000 brackets inside a string, a quoted name and comments', `SELECT * FROM accounts WHERE account_id = 1 AND note = '${'('.repeat(3000)}' /* ${'['.repeat(3000)} */ AND "${'('.repeat(3000)}" IS NULL -- ${'('.repeat(3000)}\n`],
    ['3,000 brackets in a dollar-quoted string', `SELECT * FROM accounts WHERE account_id = 1 AND note = $x$${'('.repeat(3000)}$x$`],
  ])('%s is wide, not deep: analysed in full', (_name, sql) => {
    expect(summary(sql).statements).toEqual([['SelectStmt', 'single-shard']]);
  });

  it('a statement just under the limit is analysed in full', () => {
    const sql = `SELECT * FROM accounts WHERE account_id = 1 AND ${'NOT '.repeat(300)}true`;
    expect(summary(sql).statements).toEqual([['SelectStmt', 'single-shard']]);
  });

  it('gives the same report in a worker thread as in the main thread', async () => {
    const inputs = DEEP.map((d) => d.sql);
    const main = inputs.map(summary);
    const dist = new URL('../dist/index.js', import.meta.url);
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      import(workerData.dist).then(async (core) => {
        await core.loadParser();
        const r = core.parseManifest(workerData.manifest);
        const out = workerData.inputs.map((sql) => {
          const a = core.analyzeSql(sql, { manifest: r.manifest, cache: false });
          return { statements: a.statements.map((s) => [s.kind, s.route?.kind]), diagnostics: a.diagnostics.map((d) => [d.ruleId, d.messageId, d.span.start]) };
        });
        parentPort.postMessage(out);
      });`;
    const worker = new Worker(code, { eval: true, workerData: { dist: dist.href, manifest: MANIFEST_TEXT, inputs } });
    try {
      const inWorker = await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(inWorker).toEqual(main);
    } finally {
      await worker.terminate();
    }
  });
});

describe('wide joins', () => {
  /** `n` collocated sharded tables, comma-joined with a chain of shard-key equalities, pinned at one end. */
  function wideJoin(n: number): { manifest: Manifest; sql: string } {
    const names = Array.from({ length: n }, (_, i) => `t${i}`);
    const text = `shards: 16\ntables:\n${names.map((t, i) => `  ${t}: { mode: sharded, shard_key: [k]${i ? ', collocate_with: t0' : ''} }`).join('\n')}\n`;
    const r = parseManifest(text);
    if (!r.ok) throw new Error('bad test manifest');
    const chain = names.slice(1).map((t, i) => `${t}.k = t${i}.k`).join(' AND ');
    return { manifest: r.manifest, sql: `SELECT * FROM ${names.join(', ')} WHERE ${chain} AND t0.k = 5` };
  }

  // Each relation's facts were gathered by re-reading every block-wide fact once per joined relation:
  // cubic in the join's width (2,000 tables took 52 s). The test's time limit is the guard here.
  it('a 2,000-table join pinned through a chain of equalities is analysed, every table pinned', () => {
    const { manifest, sql } = wideJoin(2000);
    const r = analyzeSql(sql, { manifest, cache: false });
    const route = r.statements[0]?.route;
    expect(route?.kind).toBe('single-shard');
    expect(route?.tables).toHaveLength(2000);
    expect(r.diagnostics.filter((d) => d.ruleId === 'internal-error' || d.ruleId === 'unanalysable')).toEqual([]);
  });
});

describe('the parser after a trap', () => {
  // A parse that exhausts the JavaScript stack unwinds through PostgreSQL's C code without its
  // cleanup (the WebAssembly stack pointer, the statement's memory): after a few hundred such traps
  // every later parse failed. Here the traps are forced by parsing at many depths of a JS recursion.
  it('parses normally after hundreds of traps at every depth of the stack', () => {
    const deep = `SELECT ${'(SELECT '.repeat(900)}1${')'.repeat(900)}`;
    let max = 0;
    const measure = (k: number): void => {
      max = Math.max(max, k);
      measure(k + 1);
    };
    try {
      measure(0);
    } catch {
      // the stack's depth in frames of `measure` is known now
    }
    const at = (k: number, target: number): ReturnType<typeof parseRaw> => (k >= target ? parseRaw(deep) : at(k + 1, target));
    let traps = 0;
    for (let round = 0; round < 3; round++) {
      for (let m = 2000; m >= 0; m -= 40) {
        try {
          const r = at(0, max - m);
          if (!r.ok && /could not process/.test(r.error.message)) traps++;
        } catch {
          // the recursion itself ran out of stack before the parse
        }
      }
    }
    expect(traps).toBeGreaterThan(50);
    expect(parseRaw('SELECT 1').ok).toBe(true);
    expect(parseRaw(deep).ok).toBe(true);
  });
});

describe('routes: false', () => {
  it('keeps the findings and counts, and leaves the routes out of the statement reports', () => {
    const sql = 'SELECT * FROM accounts WHERE account_id = 1;\nSELECT * FROM accounts;\nSELEC 1;\n'.repeat(3);
    const full = analyzeSql(sql, { manifest: manifest(), cache: false });
    const slim = analyzeSql(sql, { manifest: manifest(), cache: false, routes: false });
    expect(slim.diagnostics).toEqual(full.diagnostics);
    expect(slim.stats).toEqual(full.stats);
    expect(slim.statements).toEqual(full.statements.map(({ index, span, kind }) => ({ index, span, kind })));
    expect(full.statements[0]?.route?.kind).toBe('single-shard');
    // The same from the statement cache.
    analyzeSql(sql, { manifest: manifest() });
    expect(analyzeSql(sql, { manifest: manifest(), routes: false }).statements).toEqual(slim.statements);
  });
});
