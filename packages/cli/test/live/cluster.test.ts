import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Manifest } from '@limitless-lint/core';
import { loadManifestSync, parseManifest } from '@limitless-lint/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExplainedStatement } from '../../src/commands/explain.js';
import type { AuditReport, AuditStatement } from '../../src/live/audit/aggregate.js';
import { LiveConnection, resolveConnection } from '../../src/live/connection.js';
import { diffManifests } from '../../src/live/manifest-text.js';
import { repoRoot, runCli } from '../run-cli.js';
import type { LiveCluster } from './cluster.js';
import { APP_PASSWORD, APP_USER, BAD_RUNS, GOOD_RUNS, startCluster } from './cluster.js';

// One real PostgreSQL server for this file (see cluster.ts): started once, stopped and deleted at the end.
let cluster: LiveCluster;
let work: string;
/** The manifest `schema pull` writes for the router, used by the audit and verify tests. */
let pulled: string;

beforeAll(async () => {
  cluster = await startCluster();
  work = mkdtempSync(join(tmpdir(), 'limitless-lint-live-'));
  pulled = join(work, 'pulled.yaml');
  const run = await runCli(['schema', 'pull', '--database-url', cluster.routerUrl, '--output', pulled]);
  if (run.code !== 0) throw new Error(`schema pull failed: ${run.stderr}`);
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

function manifestOf(text: string): Manifest {
  const parsed = parseManifest(text);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.line}:${p.column} ${p.message}`).join('\n'));
  return parsed.manifest;
}

/** The statement of an audit report whose normalised text starts with `start`. */
function statement(report: AuditReport, start: string): AuditStatement {
  const found = report.statements.filter((s) => s.query.replace(/\s+/g, ' ').startsWith(start));
  if (found.length !== 1) throw new Error(`${found.length} statements start with ${start}:\n${report.statements.map((s) => s.query).join('\n')}`);
  return found[0] as AuditStatement;
}

async function audit(args: readonly string[]): Promise<AuditReport> {
  const run = await runCli(['audit', '--config', pulled, '--format', 'json', ...args]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as AuditReport;
}

let oddNamesReady: Promise<void> | undefined;
/**
 * The database `odd_names` (created once, on first use): the test router with tables, columns and
 * functions whose names hold a line break, quotes, #, a tab and control characters (ESC, BEL).
 */
function oddNames(): Promise<void> {
  oddNamesReady ??= (async () => {
    const admin = await cluster.server.client('postgres');
    try {
      await admin.query('CREATE DATABASE odd_names');
    } finally {
      await admin.end();
    }
    const odd = await cluster.server.client('odd_names');
    try {
      await odd.query(readFileSync(join(repoRoot, 'fixtures/live/limitless-router.sql'), 'utf8'));
      await odd.query(`
        BEGIN;
        SET LOCAL rds_aurora.limitless_create_table_mode = 'sharded';
        SET LOCAL rds_aurora.limitless_create_table_shard_key = '{"acc\nount"}';
        CREATE TABLE "line\nbreak" ("acc\nount" bigint NOT NULL, "id\u001b[31m" bigserial, PRIMARY KEY ("acc\nount", "id\u001b[31m"));
        SET LOCAL rds_aurora.limitless_create_table_collocate_with = '"line\nbreak"';
        CREATE TABLE "it's # here: yes" ("acc\nount" bigint NOT NULL);
        COMMIT;
        BEGIN;
        SET LOCAL rds_aurora.limitless_create_table_mode = 'reference';
        CREATE TABLE "tab\there" (code text PRIMARY KEY);
        CREATE TABLE "true" (code text PRIMARY KEY);
        COMMIT;
        CREATE TABLE " - spaced " (x int);
        CREATE FUNCTION "fn\nname"(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x';
        CREATE FUNCTION "o'clock # \u0007"(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x';
        CREATE FUNCTION "mixed\nvolatility"(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x';
        CREATE FUNCTION "mixed\nvolatility"(x text) RETURNS int LANGUAGE sql STABLE AS 'SELECT 1';
        CREATE FUNCTION "balance\nof"("p\nacc" bigint) RETURNS bigint LANGUAGE sql STABLE AS 'SELECT 1::bigint';
        SELECT rds_aurora.limitless_distribute_function('"balance\nof"(bigint)', ARRAY['p\nacc'], '"line\nbreak"');
      `);
    } finally {
      await odd.end();
    }
  })();
  return oddNamesReady;
}

describe('schema pull', () => {
  it('reads modes, HASH shard keys (two columns too), collocation, shard count, sequences and functions', async () => {
    const run = await runCli(['schema', 'pull', '--database-url', cluster.routerUrl, '--output', '-']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# limitless-lint manifest, generated by `limitless-lint schema pull` from the catalog of database "router"/);
    const m = manifestOf(run.stdout);
    expect(m.shards).toBe(4);
    const table = (key: string) => {
      const t = m.tables.get(key);
      return t && { mode: t.mode, shardKey: t.shardKey, group: t.collocationGroup, sequences: t.sequenceColumns };
    };
    expect(table('public.accounts')).toEqual({ mode: 'sharded', shardKey: ['account_id'], group: 'public.accounts', sequences: [] });
    expect(table('public.transactions')).toEqual({ mode: 'sharded', shardKey: ['account_id'], group: 'public.accounts', sequences: ['transaction_id'] });
    expect(table('public.ledger_entries')).toEqual({ mode: 'sharded', shardKey: ['account_id'], group: 'public.accounts', sequences: ['entry_id'] });
    expect(table('public.merchants')).toEqual({ mode: 'sharded', shardKey: ['merchant_id'], group: 'public.merchants', sequences: [] });
    expect(table('billing.Invoices')).toEqual({ mode: 'sharded', shardKey: ['account_id', 'invoice_no'], group: 'billing.Invoices', sequences: [] });
    expect(table('public.currencies')?.mode).toBe('reference');
    expect(table('public.audit_log')).toMatchObject({ mode: 'standard', sequences: ['id'] });
    expect(m.tables.size).toBe(10);
    // format_amount has a STABLE overload: declaring it immutable would be wrong for that one.
    expect([...m.functions.immutable].sort()).toEqual(['billing.invoice_key', 'minor_units']);
    expect(run.stdout).toContain('# Not listed, because an overload is not IMMUTABLE: format_amount.');
    expect(m.functions.distributed).toEqual([{ name: 'account_balance', shardKeyArgs: ['p_account_id'], collocateWith: 'public.accounts' }]);
  });

  it('reproduces the tables of the demo manifest, which init --from-ddl writes from the same migrations', () => {
    const demo = loadManifestSync(join(repoRoot, 'fixtures/demo/limitless.yaml'));
    if (!demo.ok) throw new Error('the demo manifest is invalid');
    const differences = diffManifests(demo.manifest, manifestOf(readFileSync(pulled, 'utf8')), { compareShards: false });
    // Only what fixtures/live/functions.sql adds on top of the demo migrations.
    expect(differences.map((d) => `${d.sign} ${d.path}`)).toEqual([
      '+ tables.billing.Invoices',
      '+ functions.immutable.billing.invoice_key',
      '+ functions.immutable.minor_units',
      '+ functions.distributed.account_balance',
    ]);
  });

  it('writes limitless.yaml, refuses to overwrite it, and --check tells when it is out of date (exit 1)', async () => {
    const dir = mkdtempSync(join(work, 'check-'));
    const url = cluster.routerUrl;
    const first = await runCli(['schema', 'pull', '--database-url', url], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/^limitless-lint: wrote limitless\.yaml from postgres:\/\/postgres@127\.0\.0\.1:\d+\/router \(10 tables \(6 sharded in 3 collocation groups, 2 reference, 2 standard\), 4 shards/);
    const again = await runCli(['schema', 'pull', '--database-url', url], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('limitless.yaml exists; use --force');

    const upToDate = await runCli(['schema', 'pull', '--database-url', url, '--check'], { cwd: dir });
    expect(upToDate.code).toBe(0);
    expect(upToDate.stdout).toMatch(/^limitless\.yaml matches postgres:\/\/postgres@127\.0\.0\.1:\d+\/router/);

    // Hand edits: a wrong shard key, a forgotten table, a rules section to keep.
    const file = join(dir, 'limitless.yaml');
    const edited = readFileSync(file, 'utf8')
      .replace(/( {2}merchants:\n {4}mode: sharded\n {4}shard_key: \[merchant_id\]\n)/, '')
      .replace('  transactions:\n    mode: sharded\n    shard_key: [account_id]', '  transactions:\n    mode: sharded\n    shard_key: [transaction_id]\n    # collocation dropped')
      .replace(/\n {4}collocate_with: accounts\n {4}sequence_columns: \[transaction_id\]/, '\n    sequence_columns: [transaction_id]')
      .concat('\nrules:\n  no-session-pinning: off   # we do not use RDS Proxy\n');
    writeFileSync(file, edited);
    expect(parseManifest(edited).ok).toBe(true);
    const stale = await runCli(['schema', 'pull', '--database-url', url, '--check'], { cwd: dir });
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('limitless.yaml differs from postgres://postgres@127.0.0.1:');
    expect(stale.stdout).toContain('  + tables.merchants: sharded on [merchant_id], in the database only\n');
    expect(stale.stdout).toContain('  ~ tables.transactions.shard_key: [transaction_id] in the file, [account_id] in the database\n');
    expect(stale.stdout).toContain('  ~ tables.transactions.collocate_with: collocated with no other table in the file, with [accounts, ledger_entries, payment_methods] in the database\n');

    const forced = await runCli(['schema', 'pull', '--database-url', url, '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('kept rules from the old file');
    const rewritten = readFileSync(file, 'utf8');
    expect(rewritten).toContain('rules:\n  no-session-pinning: off   # we do not use RDS Proxy\n');
    expect(manifestOf(rewritten).rules['no-session-pinning']?.level).toBe('off');
    expect((await runCli(['schema', 'pull', '--database-url', url, '--check'], { cwd: dir })).code).toBe(0);
  });

  it('says clearly that plain PostgreSQL is not Limitless, and writes standard tables with --assume-standard', async () => {
    const refused = await runCli(['schema', 'pull', '--database-url', cluster.plainUrl, '--output', '-']);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      'limitless-lint: not an Aurora Limitless database: schema rds_aurora has no limitless_tables view; use --assume-standard to write every table as standard\n',
    );
    const standard = await runCli(['schema', 'pull', '--database-url', cluster.plainUrl, '--assume-standard', '--output', '-']);
    expect(standard.code).toBe(0);
    expect(standard.stderr).toMatch(/has no rds_aurora\.limitless_tables; writing every table as standard/);
    const m = manifestOf(standard.stdout);
    expect([...m.tables.values()].map((t) => `${t.name}:${t.mode}`).sort()).toEqual([
      'accounts:standard',
      'audit_log:standard',
      'countries:standard',
      'currencies:standard',
      'feature_flags:standard',
      'ledger_entries:standard',
      'merchants:standard',
      'payment_methods:standard',
      'transactions:standard',
    ]);
    expect(m.tables.get('public.transactions')?.sequenceColumns).toEqual(['transaction_id']);
  });

  it('writes a valid manifest for names with a line break, quotes, # and control characters', async () => {
    await oddNames();
    const run = await runCli(['schema', 'pull', '--database-url', cluster.server.url('odd_names'), '--output', '-']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const m = manifestOf(run.stdout);
    expect([...m.tables.values()].map((t) => [t.name, t.mode, t.shardKey, t.sequenceColumns]).sort()).toEqual([
      [' - spaced ', 'standard', [], []],
      ["it's # here: yes", 'sharded', ['acc\nount'], []],
      ['line\nbreak', 'sharded', ['acc\nount'], ['id\u001b[31m']],
      ['tab\there', 'reference', [], []],
      ['true', 'reference', [], []],
    ]);
    expect(m.tables.get("public.it's # here: yes")?.collocationGroup).toBe(m.tables.get('public.line\nbreak')?.collocationGroup ?? 'public.line\nbreak');
    expect([...m.functions.immutable].sort()).toEqual(['fn\nname', "o'clock # \u0007"]);
    expect(m.functions.distributed).toEqual([{ name: 'balance\nof', shardKeyArgs: ['p\nacc'], collocateWith: 'public.line\nbreak' }]);
    // Nothing raw reaches a terminal: the control characters are escaped in the YAML text.
    // eslint-disable-next-line no-control-regex
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });
});

describe('audit', () => {
  it('ranks what the server ran, from rds_aurora.limitless_stat_statements (router rows), with observed vs predicted single-shard', async () => {
    const report = await audit(['--database-url', cluster.routerUrl]);
    expect(report.sources).toEqual([{ kind: 'limitless_stat_statements', name: expect.stringMatching(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/router$/) }]);
    // Every statement has a shard row too; only the router rows count.
    expect(report.summary.skipped.shardRows).toBeGreaterThan(0);
    const lookup = statement(report, 'SELECT account_id, owner_name, currency_code, status, created_at FROM accounts WHERE account_id = $1');
    expect(lookup).toMatchObject({ route: 'single-shard', fanout: 1, calls: GOOD_RUNS, shardWork: GOOD_RUNS, ssoCalls: GOOD_RUNS, observedSingleShardRate: 1, predictedSingleShard: true });
    expect(lookup.ssoDisagreement).toBeUndefined();
    // The three-table join was never single-shard optimized (see cluster.ts): a disagreement.
    const join3 = statement(report, 'SELECT t.transaction_id, l.entry_id');
    expect(join3).toMatchObject({ route: 'single-shard', ssoCalls: 0, observedSingleShardRate: 0 });
    expect(join3.ssoDisagreement).toBe('predicted single-shard, but only 0% of calls were single-shard optimized');
    // IN (1, 2, 3), IN (4, 5, 6) and a multi-line IN (7, 8, 9): one statement.
    expect(statement(report, 'SELECT account_id, status FROM accounts WHERE account_id IN ($1, $2, $3)')).toMatchObject({ route: 'multi-shard', fanout: 3, calls: BAD_RUNS + 2 });
    expect(statement(report, 'SELECT transaction_id, amount, created_at FROM transactions WHERE merchant_id = $1')).toMatchObject({ route: 'all-shards', fanout: 4, calls: BAD_RUNS, shardWork: 4 * BAD_RUNS });
    // Ranked by shard work.
    const work = report.statements.map((s) => s.shardWork);
    expect(work).toEqual([...work].sort((a, b) => b - a));
    expect(report.summary.sso?.disagreements).toBe(1);
    expect(report.summary.scatterCalls).toBe(report.statements.filter((s) => s.fanout > 1 && s.route !== 'unknown').reduce((n, s) => n + s.calls, 0));
    expect(report.summary.scatterShare).toBeCloseTo(report.summary.scatterCalls / report.summary.calls);
  });

  it('reads pg_stat_statements itself with --source pg_stat_statements (no sso_calls there)', async () => {
    const report = await audit(['--database-url', cluster.routerUrl, '--source', 'pg_stat_statements']);
    expect(report.sources[0]?.kind).toBe('pg_stat_statements');
    expect(report.summary.sso).toBeUndefined();
    expect(statement(report, 'SELECT account_id, owner_name, currency_code, status, created_at').calls).toBe(GOOD_RUNS);
    expect(report.summary.skipped.shardRows).toBe(0);
  });

  it('reads the log files the server wrote: stderr (two log_line_prefix styles), csvlog and jsonlog agree', async () => {
    const stderrLog = readFileSync(cluster.logs.stderr, 'utf8');
    // The first half was logged with '%m [%p] %q%u@%d ', the second with RDS's '%t:%r:%u@%d:[%p]:'.
    expect(stderrLog).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC \[\d+\] app@router LOG: {2}duration: [\d.]+ ms {2}execute <unnamed>: SELECT account_id, owner_name/m);
    expect(stderrLog).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC:127\.0\.0\.1\(\d+\):app@router:\[\d+\]:LOG: {2}duration: [\d.]+ ms {2}execute <unnamed>: SELECT transaction_id, amount, created_at$/m);
    expect(stderrLog).toContain("DETAIL:  parameters: $1 = '");

    const fromStderr = await audit([cluster.logs.stderr, '--with-parameters']);
    expect(fromStderr.sources).toEqual([{ kind: 'log', name: cluster.logs.stderr }]);
    const lookup = statement(fromStderr, 'SELECT account_id, owner_name, currency_code, status, created_at FROM accounts WHERE account_id = $1');
    // Extended protocol: parse, bind and execute are logged; only execute is a call.
    expect(lookup).toMatchObject({ route: 'single-shard', calls: GOOD_RUNS });
    expect(lookup.sampleParameters).toEqual([expect.stringMatching(/^[1-5]$/)]);
    expect(statement(fromStderr, 'SELECT account_id, status FROM accounts WHERE account_id IN ($1, $2, $3)')).toMatchObject({ calls: BAD_RUNS + 2, route: 'multi-shard' });
    expect(statement(fromStderr, 'SELECT transaction_id, amount, created_at FROM transactions WHERE merchant_id = $1')).toMatchObject({ calls: BAD_RUNS, route: 'all-shards' });
    // Failed statements are not executions: the typo, the missing table.
    expect(fromStderr.statements.some((s) => /SELEC \*|refunds/.test(s.query))).toBe(false);
    expect(fromStderr.summary.calls).toBeGreaterThan(100);

    const callsOf = (r: AuditReport) => Object.fromEntries(r.statements.map((s) => [s.id, s.calls]));
    const fromCsv = await audit([cluster.logs.csv]);
    expect(fromCsv.sources[0]?.kind).toBe('csvlog');
    // Bind parameter values may be personal data: only with --with-parameters.
    expect(fromCsv.statements.some((s) => s.sampleParameters)).toBe(false);
    expect(callsOf(fromCsv)).toEqual(callsOf(fromStderr));
    if (cluster.logs.json) {
      const fromJson = await audit([cluster.logs.json]);
      expect(fromJson.sources[0]?.kind).toBe('jsonlog');
      expect(callsOf(fromJson)).toEqual(callsOf(fromStderr));
    }
  });

  it('reads CSV and JSON exports of limitless_stat_statements as the view itself', async () => {
    // COPY … TO … CSV HEADER writes the bytes psql's \copy … CSV HEADER writes (psql forwards COPY TO
    // STDOUT as it comes); here the server writes the file, into its own folder.
    const csv = join(cluster.server.dir, 'stats.csv');
    const copier = await cluster.server.client('router');
    try {
      await copier.query(`COPY (SELECT * FROM rds_aurora.limitless_stat_statements WHERE dbname = 'router') TO '${csv}' CSV HEADER`);
    } finally {
      await copier.end();
    }
    const client = await cluster.server.client('router');
    const json = join(work, 'stats.json');
    try {
      const { rows } = await client.query<{ rows: unknown }>("SELECT json_agg(s) AS rows FROM rds_aurora.limitless_stat_statements s WHERE dbname = 'router'");
      writeFileSync(json, JSON.stringify(rows[0]?.rows));
    } finally {
      await client.end();
    }
    const fromCsv = await audit([csv]);
    const fromJson = await audit([json]);
    expect(fromCsv.sources[0]?.kind).toBe('csv');
    expect(fromJson.sources[0]?.kind).toBe('json');
    for (const report of [fromCsv, fromJson]) {
      expect(statement(report, 'SELECT account_id, owner_name, currency_code, status, created_at')).toMatchObject({ calls: GOOD_RUNS, ssoCalls: GOOD_RUNS });
      expect(report.summary.skipped.shardRows).toBeGreaterThan(0);
    }
  });

  it('says what to do when the database has no pg_stat_statements', async () => {
    const run = await runCli(['audit', '--config', pulled, '--database-url', cluster.plainUrl]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'limitless-lint: pg_stat_statements is not installed in this database: run CREATE EXTENSION pg_stat_statements (with pg_stat_statements in shared_preload_libraries), or audit an export or the server logs instead\n',
    );
  });

  it('prints stylish and markdown reports', async () => {
    const stylish = await runCli(['audit', '--config', pulled, '--database-url', cluster.routerUrl, '--top', '5']);
    expect(stylish.code).toBe(0);
    expect(stylish.stdout).toMatch(/^Workload: \d+ statements, [\d,]+ calls, .* from limitless_stat_statements of postgres:\/\/postgres@127\.0\.0\.1:\d+\/router\n/);
    // The tests' own queries are in pg_stat_statements too: the workload's statement is not necessarily first.
    expect(stylish.stdout).toMatch(/\n {0,2}\d+\. multi-shard fan-out 3 {2}4 calls × 3 = 12 shard visits \([\d.]+% of the work\)/);
    expect(stylish.stdout).toMatch(/\nCalls that scatter \(more than one shard\): [\d.]+% \(\d+ of [\d,]+\)\n/);
    expect(stylish.stdout).toMatch(/\nObserved single-shard \(sso_calls\): [\d.]+% of [\d,]+ calls; predicted [\d.]+% for the same statements; 1 statement disagrees\n/);
    expect(stylish.stdout).not.toContain('\u001b[');
    const markdown = await runCli(['audit', '--config', pulled, cluster.logs.csv, '--format', 'markdown']);
    expect(markdown.stdout).toContain('| # | route | fan-out | calls | shard work | time | single-shard observed | statement |');
    expect(markdown.stdout).toContain('| 1 | multi-shard | 3 | 4 | 12 (');
  });
});

describe('explain --verify', () => {
  it('compares every route with EXPLAIN on the router, executing nothing', async () => {
    const client = await cluster.server.client('router');
    const counts = async () => (await client.query<{ n: string }>('SELECT (SELECT count(*) FROM payment_methods) || \'/\' || (SELECT count(*) FROM transactions) || \'/\' || (SELECT string_agg(minor_units::text, \',\' ORDER BY code) FROM currencies) AS n')).rows[0]?.n;
    const before = await counts();
    const run = await runCli(['explain', '--verify', '--database-url', cluster.appUrl, '--config', pulled, '--statement-timeout', '4321', '--format', 'json', 'fixtures/demo/queries/good.sql', 'fixtures/demo/queries/bad.sql']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const statements = JSON.parse(run.stdout) as ExplainedStatement[];
    const at = (start: string) => {
      const s = statements.find((x) => x.sql.replace(/\s+/g, ' ').startsWith(start));
      if (!s?.verify) throw new Error(`no verified statement starts with ${start}`);
      return s.verify;
    };
    expect(at('SELECT account_id, owner_name, currency_code')).toMatchObject({ outcome: 'agrees', plan: { route: 'single-shard-routed', fanout: 1, partitions: [expect.stringMatching(/^public\.accounts_fs0000[1-4]$/)] }, parameters: ['1'] });
    expect(at('SELECT account_id, status FROM accounts WHERE account_id IN (1, 2, 3)')).toMatchObject({ outcome: 'agrees', plan: { route: 'multi-shard', fanout: 3 } });
    expect(at('SELECT transaction_id, amount, created_at FROM transactions WHERE merchant_id')).toMatchObject({ outcome: 'agrees', plan: { route: 'all-shards', fanout: 4 } });
    expect(at('SELECT a.account_id, t.transaction_id, l.entry_id')).toMatchObject({ outcome: 'agrees', plan: { route: 'all-shards' } });
    expect(at('DELETE FROM transactions WHERE created_at < $1')).toMatchObject({ outcome: 'agrees', plan: { route: 'all-shards' } });
    expect(at('INSERT INTO payment_methods')).toMatchObject({ outcome: 'not-comparable', plan: { route: 'unknown' } });
    expect(at('UPDATE currencies')).toMatchObject({ outcome: 'not-comparable' });
    expect(at('BEGIN')).toMatchObject({ outcome: 'skipped' });
    expect(at('SELECT refund_id')).toEqual({ outcome: 'not-explained', note: 'EXPLAIN failed: relation "refunds" does not exist' });
    expect(statements.filter((s) => s.verify?.outcome === 'more-local' || s.verify?.outcome === 'more-distributed')).toEqual([]);
    expect(await counts()).toBe(before);
    await client.end();

    // The server's own log shows how: READ ONLY, the timeout, PREPARE + EXPLAIN EXECUTE, ROLLBACK.
    const log = readFileSync(join(cluster.server.logDir, 'postgresql.log'), 'utf8');
    const verifyLines = log.split('\n').filter((l) => l.includes(`${APP_USER}@router`) && l.includes('limitless_lint_verify_') || /app@router LOG: {2}duration: [\d.]+ ms {2}statement: (BEGIN READ ONLY|ROLLBACK|SET LOCAL statement_timeout = 4321)$/.test(l));
    expect(verifyLines.some((l) => l.endsWith('statement: BEGIN READ ONLY'))).toBe(true);
    expect(verifyLines.some((l) => l.endsWith('statement: SET LOCAL statement_timeout = 4321'))).toBe(true);
    expect(verifyLines.some((l) => /statement: EXPLAIN \(VERBOSE, COSTS OFF\) EXECUTE limitless_lint_verify_\d+\('1', '00000000-0000-4000-8000-000000000002'/.test(l))).toBe(true);
    expect(verifyLines.some((l) => l.endsWith('statement: ROLLBACK'))).toBe(true);
  });

  it('prints the plan under each statement and a summary, and exits 1 on a disagreement', async () => {
    const ok = await runCli(['explain', '--verify', '--database-url', cluster.appUrl, '--config', pulled, '-e', 'SELECT * FROM transactions WHERE account_id = 7']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/ {4}plan: single-shard-routed fan-out 1 — one shard: public\.transactions_fs0000\d, without Single Shard Optimized\n {6}✔ agrees on one shard/);
    expect(ok.stdout).toMatch(/\nVerified against postgres:\/\/app@127\.0\.0\.1:\d+\/router \(4 shards; no Single Shard Optimized footer on this server, so one shard is compared as one shard\): 1 agree\n$/);
    // A manifest that is wrong about the database: accounts declared a reference table.
    const wrong = join(work, 'wrong.yaml');
    writeFileSync(wrong, 'shards: 4\ntables:\n  accounts: { mode: reference }\n');
    const disagree = await runCli(['explain', '--verify', '--database-url', cluster.appUrl, '--config', wrong, '-e', 'SELECT * FROM accounts WHERE status = $1']);
    expect(disagree.code).toBe(1);
    expect(disagree.stdout).toContain('✖ the plan is more distributed than reference');
    expect(disagree.stdout).toMatch(/\nDisagreements:\n {2}<command-line>:1:1 {2}static reference, plan all-shards \(fan-out 4\): /);
  });

  it('never prints control characters from names, partitions or server errors raw', async () => {
    await oddNames();
    const run = await runCli(['explain', '--verify', '--database-url', cluster.server.url('odd_names'), '-e', 'SELECT * FROM "line\nbreak" WHERE "acc\nount" = 1; SELECT * FROM "no\u001b]0;title\u0007such"']);
    expect(run.stderr).toBe('');
    // Names in the reasons and the server's error message stay on their line, control characters as pictures.
    expect(run.stdout).toContain('\n    - line␊break: not in the manifest');
    expect(run.stdout).toContain('\n  SELECT * FROM "no␛]0;title␇such"\n');
    expect(run.stdout).toContain('\n    plan: EXPLAIN failed: relation "no␛]0;title␇such" does not exist\n');
    // eslint-disable-next-line no-control-regex
    expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it('needs --verify for the connection options', async () => {
    const run = await runCli(['explain', '--database-url', cluster.appUrl, '-e', 'SELECT 1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('limitless-lint: --database-url, --ssl, --ssl-root-cert and --statement-timeout are used with --verify only\n');
  });
});

describe('connections', () => {
  const port = () => cluster.server.port;

  it('reports bad credentials in one line, without the password or a stack trace', async () => {
    const run = await runCli(['schema', 'pull', '--output', '-', '--database-url', `postgres://${APP_USER}:Wr0ng-S3cret@127.0.0.1:${port()}/router`]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`limitless-lint: could not connect to postgres://app@127.0.0.1:${port()}/router: password authentication failed for user "app" (check the password in --database-url or PGPASSWORD)\n`);
    const missing = await runCli(['audit', '--config', pulled, '--database-url', `postgres://postgres:${encodeURIComponent(cluster.server.password)}@127.0.0.1:${port()}/nope`]);
    expect(missing.stderr).toBe(`limitless-lint: could not connect to postgres://postgres@127.0.0.1:${port()}/nope: database "nope" does not exist\n`);
    expect(missing.stderr).not.toContain(cluster.server.password);
  });

  it('reports a host that refuses connections', async () => {
    const closed = await new Promise<number>((resolvePort) => {
      import('node:net').then(({ createServer }) => {
        const s = createServer().listen(0, '127.0.0.1', () => {
          const a = s.address();
          s.close(() => resolvePort(typeof a === 'object' && a ? a.port : 1));
        });
      });
    });
    const run = await runCli(['schema', 'pull', '--output', '-', '--database-url', `postgres://app:${encodeURIComponent(APP_PASSWORD)}@127.0.0.1:${closed}/router`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`limitless-lint: could not connect to postgres://app@127.0.0.1:${closed}/router: connection refused: is the server running on 127.0.0.1 port ${closed} and accepting TCP/IP connections?\n`);
    expect(run.stderr).not.toContain(APP_PASSWORD);
  });

  it('takes PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE and PGSSLMODE from the environment', async () => {
    const env = { PGHOST: '127.0.0.1', PGPORT: String(port()), PGUSER: APP_USER, PGPASSWORD: APP_PASSWORD, PGDATABASE: 'router', PGSSLMODE: 'disable' };
    const run = await runCli(['explain', '--verify', '--config', pulled, '-e', 'SELECT 1'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Verified against postgres://app@127.0.0.1:${port()}/router`);
    expect(run.stdout + run.stderr).not.toContain(APP_PASSWORD);
  });

  it('speaks TLS: verify-full with the CA, require without, and refuses an unverifiable server', async () => {
    const open = async (ssl: 'verify-full' | 'require' | 'disable' | 'prefer', host: string, rootCert?: string) => {
      const target = resolveConnection(
        { databaseUrl: `postgres://${APP_USER}:${encodeURIComponent(APP_PASSWORD)}@${host}:${port()}/router`, ssl, ...(rootCert && { sslRootCert: rootCert }), statementTimeoutMs: 5000 },
        {},
        repoRoot,
      );
      const connection = await LiveConnection.open(target);
      try {
        const { rows } = await connection.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()', [], 'ask');
        return { encrypted: connection.encrypted, ssl: rows[0]?.ssl };
      } finally {
        await connection.close();
      }
    };
    expect(await open('verify-full', 'localhost', cluster.server.caFile)).toEqual({ encrypted: true, ssl: true });
    expect(await open('require', '127.0.0.1')).toEqual({ encrypted: true, ssl: true });
    expect(await open('prefer', '127.0.0.1')).toEqual({ encrypted: true, ssl: true });
    expect(await open('disable', '127.0.0.1')).toEqual({ encrypted: false, ssl: false });
    // A Unix socket has no TLS: prefer falls back to a plain connection, as libpq does; require refuses.
    const socket = encodeURIComponent(cluster.server.dir);
    expect(await open('prefer', socket)).toEqual({ encrypted: false, ssl: false });
    await expect(open('require', socket)).rejects.toThrow(
      `could not connect to postgres://app@[socket ${cluster.server.dir}]:${port()}/router: the server does not accept TLS connections (--ssl require); use --ssl disable or --ssl prefer only on a trusted network`,
    );

    const untrusted = await runCli(['schema', 'pull', '--output', '-', '--ssl', 'verify-full', '--database-url', `postgres://${APP_USER}:${encodeURIComponent(APP_PASSWORD)}@localhost:${port()}/router`]);
    expect(untrusted.code).toBe(2);
    expect(untrusted.stderr).toMatch(/^limitless-lint: could not connect to postgres:\/\/app@localhost:\d+\/router: the server's TLS certificate is not trusted \([A-Z_]+\): give its CA with --ssl-root-cert/);
    const trusted = await runCli(['schema', 'pull', '--output', '-', '--ssl', 'verify-full', '--ssl-root-cert', cluster.server.caFile, '--database-url', `postgres://postgres:${encodeURIComponent(cluster.server.password)}@localhost:${port()}/router`]);
    expect(trusted.code).toBe(0);
  });

  it('applies --statement-timeout to every query', async () => {
    const target = resolveConnection({ databaseUrl: cluster.appUrl, statementTimeoutMs: 50 }, {}, repoRoot);
    const connection = await LiveConnection.open(target);
    try {
      await expect(connection.query('SELECT pg_sleep(1)', [], 'sleep')).rejects.toThrow(
        `could not sleep on postgres://app@127.0.0.1:${port()}/router: canceled by the statement timeout (--statement-timeout 50ms)`,
      );
    } finally {
      await connection.close();
    }
  });
});
