import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadManifestSync, loadParser } from '@limitless-lint/core';
import type { Manifest } from '@limitless-lint/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../src/live/audit/aggregate.js';
import { WorkloadAggregator, canonicalText, literalShape, stripPrepare } from '../../src/live/audit/aggregate.js';
import { exportRowEntry } from '../../src/live/audit/exports.js';
import { detectFormat } from '../../src/live/audit/inputs.js';
import { ProgressBar } from '../../src/live/audit/progress.js';
import { repoRoot, runCli } from '../run-cli.js';

const DEMO = 'fixtures/demo/limitless.yaml';
let manifest: Manifest;
let dir: string;

beforeAll(async () => {
  await loadParser();
  const loaded = loadManifestSync(join(repoRoot, DEMO));
  if (!loaded.ok) throw new Error('demo manifest');
  manifest = loaded.manifest;
  dir = mkdtempSync(join(tmpdir(), 'limitless-lint-audit-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('WorkloadAggregator', () => {
  it('groups statements that differ only in constants and layout, and routes each group once', () => {
    const a = new WorkloadAggregator();
    a.entry({ query: 'SELECT * FROM accounts WHERE account_id = 1', calls: 1, totalTimeMs: 2 });
    a.entry({ query: 'select *\n  from accounts\n where account_id = 42', calls: 1, totalTimeMs: 4 });
    a.entry({ query: 'SELECT * FROM accounts WHERE account_id = $1', calls: 3, totalTimeMs: 6 });
    a.entry({ query: 'SELECT * FROM transactions WHERE merchant_id = $1', calls: 2, totalTimeMs: 1 });
    const report = a.report(manifest, [], 'work');
    expect(report.statements.map(({ query, route, fanout, calls, totalTimeMs, shardWork }) => ({ query, route, fanout, calls, totalTimeMs, shardWork }))).toEqual([
      { query: 'SELECT * FROM transactions WHERE merchant_id = $1', route: 'all-shards', fanout: 16, calls: 2, totalTimeMs: 1, shardWork: 32 },
      { query: 'SELECT * FROM accounts WHERE account_id = $1', route: 'single-shard', fanout: 1, calls: 5, totalTimeMs: 12, shardWork: 5 },
    ]);
    expect(report.summary).toMatchObject({ statements: 2, calls: 7, shardWork: 37, scatterCalls: 2, predictedSingleShardCalls: 5 });
    expect(report.summary.scatterShare).toBeCloseTo(2 / 7);
    expect(report.statements[0]?.workShare).toBeCloseTo(32 / 37);
  });

  it('ranks by time or calls when asked', () => {
    const a = new WorkloadAggregator();
    a.entry({ query: 'SELECT * FROM accounts WHERE account_id = $1', calls: 100, totalTimeMs: 5 });
    a.entry({ query: 'SELECT * FROM transactions WHERE merchant_id = $1', calls: 1, totalTimeMs: 50 });
    a.entry({ query: 'SELECT 1', calls: 1000, totalTimeMs: 1 });
    const first = (sort: 'work' | 'time' | 'calls') => a.report(manifest, [], sort).statements[0]?.query;
    expect(first('work')).toBe('SELECT * FROM accounts WHERE account_id = $1');
    expect(first('time')).toBe('SELECT * FROM transactions WHERE merchant_id = $1');
    expect(first('calls')).toBe('SELECT $1');
  });

  it('splits multi-statement texts, unwraps PREPARE and adds bare durations to the session’s last statement', () => {
    const a = new WorkloadAggregator();
    a.entry({ query: 'BEGIN; UPDATE accounts SET status = $2 WHERE account_id = $1; COMMIT', calls: 1, totalTimeMs: 3, session: 's1' });
    a.entry({ query: 'PREPARE upd (bigint, text) AS UPDATE accounts SET status = $2 WHERE account_id = $1', calls: 1, totalTimeMs: 0, session: 's1' });
    a.duration('s1', 10);
    a.duration('unknown-session', 99);
    const report = a.report(manifest, [], 'calls');
    const byQuery = Object.fromEntries(report.statements.map((s) => [s.query, { calls: s.calls, totalTimeMs: s.totalTimeMs }]));
    expect(byQuery).toEqual({
      BEGIN: { calls: 1, totalTimeMs: 1 },
      COMMIT: { calls: 1, totalTimeMs: 1 },
      'UPDATE accounts SET status = $2 WHERE account_id = $1': { calls: 2, totalTimeMs: 11 },
    });
  });

  it('compares sso_calls with the prediction, statement by statement', () => {
    const a = new WorkloadAggregator();
    a.entry({ query: 'SELECT * FROM accounts WHERE account_id = $1', calls: 10, totalTimeMs: 1, ssoCalls: 10 });
    a.entry({ query: 'SELECT * FROM transactions t JOIN accounts a USING (account_id) WHERE a.account_id = $1', calls: 10, totalTimeMs: 1, ssoCalls: 1 });
    a.entry({ query: 'SELECT * FROM accounts WHERE account_id IN ($1, $2)', calls: 10, totalTimeMs: 1, ssoCalls: 9 });
    a.entry({ query: 'SELECT name FROM feature_flags', calls: 10, totalTimeMs: 1, ssoCalls: 10 });
    const report = a.report(manifest, [], 'work');
    const note = (start: string) => report.statements.find((s) => s.query.startsWith(start))?.ssoDisagreement;
    expect(note('SELECT * FROM accounts WHERE account_id = $1')).toBeUndefined();
    expect(note('SELECT * FROM transactions t')).toBe('predicted single-shard, but only 10% of calls were single-shard optimized');
    expect(note('SELECT * FROM accounts WHERE account_id IN')).toBe('predicted multi-shard, but 90% of calls were single-shard optimized');
    // Standard tables: the fast path is not predicted either way.
    expect(note('SELECT name FROM feature_flags')).toBeUndefined();
    expect(report.summary.sso).toEqual({ calls: 40, ssoCalls: 30, observedRate: 0.75, predictedRate: 0.5, disagreements: 2 });
  });

  it('keeps apart what pg_query fingerprints alike but routes differently: = $1, IN ($1, $2), IN ($1, $2, $3)', () => {
    const a = new WorkloadAggregator();
    for (const query of ['SELECT * FROM accounts WHERE account_id = 7', 'SELECT * FROM accounts WHERE account_id IN (1, 2)', 'SELECT * FROM accounts WHERE account_id IN (1, 2, 3)', 'select * from ACCOUNTS /* hot */ where account_id in (4,5)']) {
      a.entry({ query, calls: 1, totalTimeMs: 1 });
    }
    const report = a.report(manifest, [], 'work');
    expect(report.statements.map(({ query, route, calls }) => ({ query, route, calls }))).toEqual([
      { query: 'SELECT * FROM accounts WHERE account_id IN ($1, $2)', route: 'multi-shard', calls: 2 },
      { query: 'SELECT * FROM accounts WHERE account_id IN ($1, $2, $3)', route: 'multi-shard', calls: 1 },
      { query: 'SELECT * FROM accounts WHERE account_id = $1', route: 'single-shard', calls: 1 },
    ]);
    expect(new Set(report.statements.map((s) => s.fingerprint)).size).toBe(1);
    expect(canonicalText('select *  FROM "Accounts" /* c */ where Account_ID = $1')).toBe('select * from "Accounts" where account_id = $1');
  });

  it('blanks the constants of simple texts, to normalise each shape of a log once', () => {
    expect(literalShape("SELECT * FROM t WHERE a = 42 AND b = 'x''y' AND c > 1.5e3 LIMIT 20")).toBe("\u0000SELECT * FROM t WHERE a = 0 AND b = '' AND c > 0 LIMIT 0");
    // Parameters, names with digits and casts stay.
    expect(literalShape('SELECT t1.c2 FROM t1 WHERE a = $1::int4')).toBe('\u0000SELECT t1.c2 FROM t1 WHERE a = $1::int4');
    // Not simple: comments, quoted names, escape strings, dollar quotes.
    for (const text of ["SELECT 1 -- it's", 'SELECT "col 1" FROM t', "SELECT E'\\n'", 'SELECT $$x$$', "SELECT X'ff'"]) expect(literalShape(text)).toBeUndefined();
  });

  it('takes a literal of 10 MB without overflowing the stack, and leaves an unclosed quote alone', () => {
    const big = 'x'.repeat(10_000_000);
    expect(literalShape(`SELECT * FROM accounts WHERE note = '${big}' AND account_id = 7`)).toBe("\u0000SELECT * FROM accounts WHERE note = '' AND account_id = 0");
    expect(literalShape(`SELECT '${big}'' quoted ''${big}'`)).toBe("\u0000SELECT ''");
    expect(literalShape("SELECT 'a'' b")).toBeUndefined();
  });

  it('unwraps PREPARE … AS with argument types in parentheses', () => {
    expect(stripPrepare('PREPARE p (numeric(10, 2), text) AS SELECT $1')).toBe('SELECT $1');
    expect(stripPrepare('prepare "Q 1" as\n  select 1')).toBe('select 1');
    expect(stripPrepare('SELECT 1')).toBe('SELECT 1');
  });
});

describe('exports and formats', () => {
  it('reads pg_stat_statements rows of PostgreSQL 12 and 13+, and leaves out shard rows and hidden texts', () => {
    expect(exportRowEntry({ query: 'SELECT 1', calls: '4', total_exec_time: '2.5', total_plan_time: '0.5' })).toEqual({ query: 'SELECT 1', calls: 4, totalTimeMs: 3 });
    expect(exportRowEntry({ query: 'SELECT 1', calls: 4, total_time: 2 })).toEqual({ query: 'SELECT 1', calls: 4, totalTimeMs: 2 });
    expect(exportRowEntry({ query: 'SELECT 1', calls: 4, mean_exec_time: 0.5 })).toEqual({ query: 'SELECT 1', calls: 4, totalTimeMs: 2 });
    expect(exportRowEntry({ query: 'SELECT 1', calls: 4, total_exec_time: 1, sso_calls: '3', distributedqueryid: '', subcluster_type: 'router' })).toEqual({
      query: 'SELECT 1',
      calls: 4,
      totalTimeMs: 1,
      ssoCalls: 3,
    });
    expect(exportRowEntry({ query: 'SELECT 1', calls: 4, distributedqueryid: '-123' })).toBe('shard-row');
    expect(exportRowEntry({ query: 'SELECT 1', calls: 4, subcluster_type: 'shard' })).toBe('shard-row');
    expect(exportRowEntry({ query: '<insufficient privilege>', calls: 4 })).toBe('hidden');
  });

  it('tells exports from logs by their content', () => {
    expect(detectFormat('userid,dbid,queryid,query,calls,total_exec_time\n', 'x.csv')).toBe('csv');
    expect(detectFormat('[{"query":"SELECT 1","calls":1}]', 'x')).toBe('json');
    expect(detectFormat('{"query":"SELECT 1","calls":1}\n', 'x')).toBe('json');
    expect(detectFormat('{"timestamp":"2026-11-27","error_severity":"LOG","message":"statement: SELECT 1"}\n', 'x')).toBe('jsonlog');
    expect(detectFormat('2026-11-27 06:58:58.991 UTC,"app","db",1,"h",s,1,"SELECT",2026-11-27 06:58:58 UTC,3/0,0,LOG,00000,"statement: SELECT 1",,,,,,,,,"","client backend",,0\n', 'x')).toBe('csvlog');
    expect(detectFormat('2026-11-27 06:58:58 UTC:10.0.0.1(5):app@db:[9]:LOG:  statement: SELECT 1\n', 'x')).toBe('log');
    expect(detectFormat('hello\n', 'notes.txt')).toBeUndefined();
    // A first line that is not well-formed CSV is not a CSV header: no format, not a thrown error.
    expect(detectFormat('  bigint NOT NULL DEFAULT "a"b,\n', 'x')).toBeUndefined();
    expect(detectFormat('"a"b,c\n', 'stats.csv')).toBe('csv');
  });
});

describe('limitless-lint audit (files)', () => {
  it('streams a large gzip-compressed stderr log', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 40_000; i++) {
      const pid = 1000 + (i % 7);
      lines.push(`2026-11-27 06:58:58.${String(i % 1000).padStart(3, '0')} UTC [${pid}] app@orders LOG:  duration: 0.${i % 10}10 ms  execute S_1: SELECT *`);
      lines.push('\tFROM accounts');
      lines.push('\tWHERE account_id = $1');
      lines.push(`2026-11-27 06:58:58.${String(i % 1000).padStart(3, '0')} UTC [${pid}] app@orders DETAIL:  parameters: $1 = '${i}'`);
      if (i % 4 === 0) lines.push(`2026-11-27 06:58:58.000 UTC [${pid}] app@orders LOG:  duration: 1.000 ms  statement: SELECT * FROM transactions WHERE created_at > '2026-01-0${1 + (i % 9)}'`);
    }
    const file = join(dir, 'postgresql-big.log.gz');
    writeFileSync(file, gzipSync(`${lines.join('\n')}\n`));
    const started = Date.now();
    const run = await runCli(['audit', '--config', DEMO, '--format', 'json', '--with-parameters', file]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as AuditReport;
    expect(report.statements.map(({ query, calls, route }) => ({ query, calls, route }))).toEqual([
      { query: 'SELECT * FROM transactions WHERE created_at > $1', calls: 10_000, route: 'all-shards' },
      { query: 'SELECT *\nFROM accounts\nWHERE account_id = $1', calls: 40_000, route: 'single-shard' },
    ]);
    expect(report.statements[1]?.sampleParameters).toEqual(['0']);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('audits a statement with a 10 MB literal', async () => {
    const file = join(dir, 'big-literal.csv');
    const literal = 'x'.repeat(10_000_000);
    writeFileSync(file, `query,calls,total_exec_time\n"SELECT * FROM accounts WHERE account_id = 7 AND owner_name = '${literal}'",3,1.5\n`);
    const run = await runCli(['audit', '--config', DEMO, file, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as AuditReport;
    expect(report.statements.map(({ query, route, calls }) => ({ query, route, calls }))).toEqual([
      { query: 'SELECT * FROM accounts WHERE account_id = $1 AND owner_name = $2', route: 'single-shard', calls: 3 },
    ]);
  }, 60_000);

  it('reads a gzipped log with a 12 MB line in about the time of the plain file (linear, not quadratic)', async () => {
    const prefix = '2026-11-27 06:58:58.000 UTC [1000] app@orders LOG:  duration: 1.000 ms  statement: ';
    const text = `${prefix}SELECT * FROM accounts WHERE account_id = 7 AND owner_name = '${'x'.repeat(12_000_000)}'\n${prefix}SELECT 1\n`;
    const plain = join(dir, 'long-line.log');
    writeFileSync(plain, text);
    writeFileSync(`${plain}.gz`, gzipSync(text));
    const timed = async (file: string) => {
      const started = performance.now();
      const run = await runCli(['audit', '--config', DEMO, '--format', 'json', file]);
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect((JSON.parse(run.stdout) as AuditReport).summary.calls).toBe(2);
      return performance.now() - started;
    };
    const plainMs = await timed(plain);
    const gzipMs = await timed(`${plain}.gz`);
    // Before: each 16 KB piece of unpacked text re-searched the whole line so far (12 MB: about 5x the plain time).
    expect(gzipMs).toBeLessThan(2 * plainMs + 1000);
  }, 60_000);

  it('keeps what a truncated .gz held, leaves out the cut line and says where it stopped', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) lines.push(`2026-11-27 06:58:58.000 UTC [${1000 + (i % 5)}] app@orders LOG:  duration: 0.500 ms  statement: SELECT * FROM accounts WHERE account_id = ${i}`);
    const whole = gzipSync(`${lines.join('\n')}\n`);
    writeFileSync(join(dir, 'cut.log.gz'), whole.subarray(0, Math.floor(whole.length * 0.6)));
    const run = await runCli(['audit', '--config', join(repoRoot, DEMO), '--format', 'json', 'cut.log.gz'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^limitless-lint: cut\.log\.gz: the gzip file ends early \(truncated\): the [\d.]+ (KB|MB) unpacked before that are read, the last incomplete line left out\n$/);
    const report = JSON.parse(run.stdout) as AuditReport;
    expect(report.sources).toEqual([{ kind: 'log', name: 'cut.log.gz', truncated: expect.stringContaining('ends early') }]);
    expect(report.summary.calls).toBeGreaterThan(5000);
    expect(report.summary.calls).toBeLessThan(20_000);
    expect(report.statements.map((st) => st.query)).toEqual(['SELECT * FROM accounts WHERE account_id = $1']);
    const stylish = await runCli(['audit', '--config', join(repoRoot, DEMO), 'cut.log.gz'], { cwd: dir });
    expect(stylish.stdout).toContain('\nIncomplete input: cut.log.gz: the gzip file ends early (truncated)');
    // Nothing unpacked at all: not a gzip file.
    writeFileSync(join(dir, 'plain.log.gz'), 'not gzip\n');
    const notGzip = await runCli(['audit', '--config', DEMO, '--input-format', 'log', join(dir, 'plain.log.gz')]);
    expect({ code: notGzip.code, stderr: notGzip.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(/plain\.log\.gz: not a valid gzip file\n$/) });
  });

  const HEADER = 'query,calls,total_exec_time\n';
  const GOOD_ROW = '"SELECT * FROM accounts WHERE account_id = 1",3,1.5\n';
  it.each([
    { name: 'an unterminated quote at the end', file: 'x.csv', text: `${HEADER}${GOOD_ROW}"SELECT 1,3,1\nSELECT 3,5,1\n`, error: 'x.csv:3: a quoted field opens here and is never closed (a " is missing, or one too many)' },
    { name: 'a missing quote that merges rows', file: 'x.csv', text: `${HEADER}${GOOD_ROW}"SELECT 1,3,1\n"SELECT 2",4,1\nSELECT 3,5,1\n`, error: 'x.csv:3: the quoted field that opens here closes on line 4 and is followed by more text (a " is missing, or one too many)' },
    { name: 'text after a closing quote', file: 'x.csv', text: `${HEADER}"SELECT 1" x,3,1\n`, error: 'x.csv:2: the quoted field that opens here is followed by more text (a " is missing, or one too many)' },
    { name: 'negative calls', file: 'x.csv', text: `${HEADER}${GOOD_ROW}SELECT 1,-5,1\n`, error: 'x.csv:3: calls is "-5": expected a whole number, 0 or more' },
    { name: 'NaN calls', file: 'x.csv', text: `${HEADER}SELECT 1,NaN,1\n`, error: 'x.csv:2: calls is "NaN": expected a whole number, 0 or more' },
    { name: 'calls of 1e309 (infinite)', file: 'x.csv', text: `${HEADER}${GOOD_ROW}${GOOD_ROW}SELECT 1,1e309,1\n`, error: 'x.csv:4: calls is "1e309": expected a whole number, 0 or more' },
    { name: 'calls that are not a number', file: 'x.csv', text: `${HEADER}SELECT 1,abc,1\n`, error: 'x.csv:2: calls is "abc": expected a whole number, 0 or more' },
    { name: 'a fraction of a call', file: 'x.csv', text: `${HEADER}SELECT 1,2.5,1\n`, error: 'x.csv:2: calls is "2.5": expected a whole number, 0 or more' },
    { name: 'an infinite total time', file: 'x.csv', text: `${HEADER}SELECT 1,1,Infinity\n`, error: 'x.csv:2: total_exec_time is "Infinity": expected a number of milliseconds, 0 or more' },
    { name: 'a line break inside a quoted query, then a bad value', file: 'x.csv', text: `${HEADER}"SELECT *\nFROM accounts",1,1\nSELECT 1,x,1\n`, error: 'x.csv:4: calls is "x": expected a whole number, 0 or more' },
    { name: 'total times that add up to infinity', file: 'x.csv', text: `${HEADER}SELECT 1,1,1e308\nSELECT 2,1,1e308\n`, error: "x.csv:3: the total time of this statement, added up, is too large to be a number of milliseconds" },
    { name: 'a JSON array row with 1e309 calls', file: 'x.json', text: '[{"query": "SELECT 1", "calls": 1}, {"query": "SELECT 1", "calls": 1e309}]', error: 'x.json: row 2 of the array: calls is Infinity: expected a whole number, 0 or more' },
    { name: 'a JSON line with negative calls', file: 'x.json', text: '\n{"query": "SELECT 1", "calls": 1}\n{"query": "SELECT 1", "calls": -1}\n', error: 'x.json:3: calls is -1: expected a whole number, 0 or more' },
  ])('rejects an export with $name, naming the file and line', async ({ file, text, error }) => {
    writeFileSync(join(dir, file), text);
    const run = await runCli(['audit', '--config', join(repoRoot, DEMO), file], { cwd: dir });
    expect({ code: run.code, stderr: run.stderr, stdout: run.stdout }).toEqual({ code: 2, stderr: `limitless-lint: ${error}\n`, stdout: '' });
  });

  it('draws a progress bar on a terminal only', () => {
    let written = '';
    let now = 0;
    const tty = new ProgressBar({ write: (s: string) => (written += s), isTTY: true, columns: 100 }, 'big.log', 1000, () => now);
    tty.update(250);
    now += 50;
    tty.update(300); // throttled: less than 100 ms later
    now += 100;
    tty.update(1000);
    tty.done();
    expect(written.split('\r\u001b[2K').filter((s) => s !== '')).toEqual([
      `${'█'.repeat(10)}${'░'.repeat(30)}  25% 250 B of 1000 B  big.log`,
      `${'█'.repeat(40)} 100% 1000 B of 1000 B  big.log`,
    ]);
    expect(written.endsWith('\r\u001b[2K')).toBe(true);
    let piped = '';
    const pipe = new ProgressBar({ write: (s: string) => (piped += s) }, 'big.log', 1000);
    pipe.update(500);
    pipe.done();
    expect(piped).toBe('');
  });

  it('has help with examples, for audit and schema pull', async () => {
    for (const command of [['audit'], ['schema', 'pull']]) {
      const run = await runCli([...command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Examples:');
      expect(run.stdout).toContain('--database-url <url>');
      expect(run.stdout).toContain('--ssl-root-cert <file>');
    }
  });

  it('needs files or --database-url, and a manifest', async () => {
    const none = await runCli(['audit', '--config', DEMO]);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('limitless-lint: audit needs workload files (a pg_stat_statements export or PostgreSQL logs) or --database-url; see limitless-lint audit --help\n');
    const noManifest = await runCli(['audit', 'x.csv'], { cwd: dir });
    expect(noManifest.code).toBe(2);
    expect(noManifest.stderr).toContain('audit needs a manifest to route statements');
    const missing = await runCli(['audit', '--config', DEMO, 'fixtures/nope.log']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('limitless-lint: fixtures/nope.log: no such file or directory (a dangling symbolic link?)\n');
  });

  it('warns about a log without executed statements', async () => {
    const file = join(dir, 'quiet.log');
    writeFileSync(file, '2026-11-27 06:58:58.990 UTC [1] LOG:  checkpoint starting: time\n');
    const run = await runCli(['audit', '--config', DEMO, file]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('no executed statement in this log: log them with log_min_duration_statement = 0');
  });
});
