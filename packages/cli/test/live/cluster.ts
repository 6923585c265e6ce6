import { copyFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadParser, splitStatements } from '@limitless-lint/core';
import type pg from 'pg';
import type { ParameterTypeRow } from '../../src/live/sample-values.js';
import { PARAMETER_TYPES_SQL, parameterTypeOf, sampleValue } from '../../src/live/sample-values.js';
import { repoRoot } from '../run-cli.js';
import type { PgServer } from './pg-server.js';
import { startPgServer } from './pg-server.js';

/** The application role that runs the workload; its password has characters a URL must encode. */
export const APP_USER = 'app';
export const APP_PASSWORD = 'p@ss:w/rd#1';

/** How many times the workload runs each statement of good.sql and of bad.sql. */
export const GOOD_RUNS = 5;
export const BAD_RUNS = 2;

/**
 * The pretend Limitless router of the live tests, on a real PostgreSQL server:
 *
 * - database `router`: fixtures/live/limitless-router.sql (the rds_aurora views over real tables,
 *   sharded tables as hash-partitioned tables with _fs partitions), then fixtures/demo/migrations
 *   unchanged, then fixtures/live/functions.sql;
 * - database `plain`: the demo migrations only, without rds_aurora (plain PostgreSQL);
 * - the demo workload (fixtures/demo/queries/good.sql and bad.sql, with sample bind parameters),
 *   run as `app` with every statement logged, the second half under RDS's log_line_prefix;
 * - rds_aurora.limitless_stat_statements.sso_calls filled for one statement, as a router would.
 */
export interface LiveCluster {
  readonly server: PgServer;
  readonly routerUrl: string;
  readonly plainUrl: string;
  readonly appUrl: string;
  /** Copies of the log files the server wrote during the workload: stderr format, csvlog and (15+) jsonlog. */
  readonly logs: { readonly stderr: string; readonly csv: string; readonly json?: string };
  /** Statements of the workload that failed on purpose (refunds does not exist, the SELEC typo …). */
  readonly failures: number;
  stop(): Promise<void>;
}

export async function startCluster(): Promise<LiveCluster> {
  const server = await startPgServer();
  try {
    await loadParser();
    const admin = await server.client('postgres');
    try {
      await admin.query(`CREATE ROLE ${APP_USER} LOGIN PASSWORD '${APP_PASSWORD.replaceAll("'", "''")}'`);
      await admin.query('CREATE DATABASE router');
      await admin.query('CREATE DATABASE plain');
    } finally {
      await admin.end();
    }
    const migrations = readdirSync(join(repoRoot, 'fixtures/demo/migrations'))
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .map((f) => readFileSync(join(repoRoot, 'fixtures/demo/migrations', f), 'utf8'));

    const router = await server.client('router');
    try {
      await router.query(readFileSync(join(repoRoot, 'fixtures/live/limitless-router.sql'), 'utf8'));
      for (const sql of migrations) await router.query(sql);
      await router.query(readFileSync(join(repoRoot, 'fixtures/live/functions.sql'), 'utf8'));
      await router.query(SEED);
      await router.query(`GRANT USAGE ON SCHEMA billing TO ${APP_USER};
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public, billing TO ${APP_USER};
        GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${APP_USER}`);
      await router.query('SELECT pg_stat_statements_reset()');
    } finally {
      await router.end();
    }
    const plain = await server.client('plain');
    try {
      for (const sql of migrations) await plain.query(sql);
    } finally {
      await plain.end();
    }

    const failures = await runWorkload(server);
    await fillSsoCalls(server);
    // The server keeps logging (the tests' own queries): the audit tests read a copy taken now.
    const snapshot = join(server.dir, 'workload-logs');
    mkdirSync(snapshot);
    const copy = (name: string) => {
      copyFileSync(join(server.logDir, name), join(snapshot, name));
      return join(snapshot, name);
    };
    const logs = {
      stderr: copy('postgresql.log'),
      csv: copy('postgresql.csv'),
      ...(server.version >= 15 && { json: copy('postgresql.json') }),
    };
    return {
      server,
      routerUrl: server.url('router'),
      plainUrl: server.url('plain'),
      appUrl: server.url('router', APP_USER, APP_PASSWORD),
      logs,
      failures,
      stop: () => server.stop(),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** Reference data, accounts 1–10 (every sample account id exists), merchants and a few transactions. */
const SEED = `
INSERT INTO currencies VALUES ('EUR', 'Euro', 2), ('USD', 'US Dollar', 2), ('JPY', 'Yen', 0);
INSERT INTO countries VALUES ('FR', 'France'), ('US', 'United States'), ('JP', 'Japan');
INSERT INTO accounts (account_id, owner_name, currency_code) SELECT i, 'owner ' || i, 'EUR' FROM generate_series(1, 10) AS i;
INSERT INTO merchants SELECT i, 'merchant ' || i, 'FR' FROM generate_series(1, 5) AS i;
INSERT INTO transactions (account_id, merchant_id, amount, currency_code) SELECT 1 + i % 10, 1 + i % 5, i, 'EUR' FROM generate_series(1, 40) AS i;
INSERT INTO ledger_entries (account_id, transaction_id, direction, amount, currency_code) SELECT account_id, transaction_id, 'debit', amount, 'EUR' FROM transactions;
`;

/** The statements of a demo query file, in order. */
function statementsOf(file: string): string[] {
  const text = readFileSync(join(repoRoot, 'fixtures/demo/queries', file), 'utf8');
  return splitStatements(text)
    .statements.map((s) => s.text.trim())
    .filter((s) => s !== '');
}

/**
 * Runs the demo workload as `app`, logged: statements with bind parameters through the extended
 * protocol (values made up from the types the server infers, different on each run), the others as
 * simple queries. good.sql runs GOOD_RUNS times, then log_line_prefix switches to RDS's
 * (`%t:%r:%u@%d:[%p]:`) and bad.sql runs BAD_RUNS times, plus two literal variants of one statement.
 * Returns how many executions failed (on purpose: a missing table, a typo, a duplicate temp table …).
 */
async function runWorkload(server: PgServer): Promise<number> {
  const inspector = await server.client('router');
  const app = await server.client('router', { user: APP_USER, password: APP_PASSWORD, logStatements: true });
  let failures = 0;
  try {
    const typesOf = new Map<string, ReturnType<typeof parameterTypeOf>[] | undefined>();
    const types = async (sql: string) => {
      if (!typesOf.has(sql)) {
        try {
          await inspector.query(`PREPARE workload_probe AS ${sql}`);
          const rows = await inspector.query<ParameterTypeRow>(PARAMETER_TYPES_SQL, ['workload_probe']);
          typesOf.set(sql, rows.rows.map(parameterTypeOf));
        } catch {
          typesOf.set(sql, undefined);
        } finally {
          await inspector.query('DEALLOCATE ALL');
        }
      }
      return typesOf.get(sql);
    };
    const execute = async (client: pg.Client, sql: string, run: number) => {
      const parameterTypes = /\$\d/.test(sql) ? await types(sql) : [];
      try {
        if (parameterTypes && parameterTypes.length > 0) {
          // Values 1…5 for numbers: every account and merchant id they name exists.
          const values = parameterTypes.map((t, i) => (t.category === 'N' ? String(((i + run) % 5) + 1) : t.name === 'uuid' ? `00000000-0000-4000-8000-${String(run * 10 + i).padStart(12, '0')}` : sampleValue(t, i + 1, run)));
          await client.query(sql, values);
        } else {
          await client.query(sql);
        }
      } catch {
        failures++;
      }
    };
    for (let run = 0; run < GOOD_RUNS; run++) for (const sql of statementsOf('good.sql')) await execute(app, sql, run);
    await inspector.query("ALTER SYSTEM SET log_line_prefix = '%t:%r:%u@%d:[%p]:'");
    await inspector.query('SELECT pg_reload_conf()');
    await waitFor(async () => (await app.query<{ p: string }>("SELECT current_setting('log_line_prefix') AS p")).rows[0]?.p === '%t:%r:%u@%d:[%p]:', 'the new log_line_prefix');
    for (let run = 0; run < BAD_RUNS; run++) for (const sql of statementsOf('bad.sql')) await execute(app, sql, run);
    // The same statement with other constants: the audit must group them (constants become $n).
    await execute(app, 'SELECT account_id, status FROM accounts WHERE account_id IN (4, 5, 6)', 0);
    await execute(app, 'SELECT account_id, status\nFROM accounts\nWHERE account_id IN (7, 8, 9)', 0);
    await app.query("SELECT 'limitless-lint workload done' AS marker");
    await inspector.query('ALTER SYSTEM RESET log_line_prefix');
    await inspector.query('SELECT pg_reload_conf()');
  } finally {
    await app.end();
    await inspector.end();
  }
  // The logging collector writes asynchronously: wait until the marker is in every log file.
  const files = ['postgresql.log', 'postgresql.csv', ...(server.version >= 15 ? ['postgresql.json'] : [])];
  await waitFor(async () => files.every((f) => readFileSync(join(server.logDir, f), 'utf8').includes('limitless-lint workload done')), 'the workload in the log files');
  return failures;
}

/**
 * Statements of the workload that a Limitless router would have single-shard optimized (docs/limitless/routing.md#single-shard-optimization:
 * every sharded table pinned on one shard, or reference tables only), by the start of their text.
 * The three-table join is left out on purpose — as if a generic plan had lost the fast path — so
 * that the audit has an observed-vs-predicted disagreement to report.
 */
export const SSO_STATEMENTS = [
  'SELECT account_id, owner_name, currency_code, status, created_at',
  'SELECT t.transaction_id, t.amount, t.currency_code, t.created_at',
  'SELECT t.transaction_id, t.amount, c.name AS currency_name',
  'SELECT a.account_id, a.owner_name, c.name AS currency_name',
  'SELECT transaction_id, amount, currency_code, created_at',
  'SELECT currency_code, sum(amount)',
  'SELECT a.account_id, a.status',
  'INSERT INTO payment_methods',
  'UPDATE transactions\nSET amount',
  'UPDATE accounts\nSET status',
  'DELETE FROM payment_methods',
  'SELECT code, name, minor_units',
  // bad.sql: pinned on one shard, whatever else is wrong with them.
  'SELECT *\nFROM transactions\nWHERE account_id = $1',
  'UPDATE transactions\nSET account_id',
];

/** Fills limitless_fixture.sso_calls (what limitless_stat_statements.sso_calls shows) as a router would have counted. */
async function fillSsoCalls(server: PgServer): Promise<void> {
  const client = await server.client('router');
  try {
    const { rows } = await client.query<{ queryid: string; calls: string; query: string }>('SELECT queryid::text, calls::text, query FROM pg_stat_statements');
    for (const row of rows) {
      if (!SSO_STATEMENTS.some((prefix) => row.query.startsWith(prefix))) continue;
      await client.query('INSERT INTO limitless_fixture.sso_calls (queryid, sso_calls) VALUES ($1, $2) ON CONFLICT (queryid) DO UPDATE SET sso_calls = limitless_fixture.sso_calls.sso_calls + excluded.sso_calls', [row.queryid, row.calls]);
    }
  } finally {
    await client.end();
  }
}

async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (await condition().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
