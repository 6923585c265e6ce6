import { CliError } from '../../util/errors.js';
import type { LiveConnection } from '../connection.js';
import { quoteIdentifier } from '@limitless-lint/core';
import { applyRow } from './exports.js';
import type { WorkloadSink } from './inputs.js';

export const DATABASE_SOURCES = ['auto', 'limitless_stat_statements', 'pg_stat_statements'] as const;
export type DatabaseSource = (typeof DATABASE_SOURCES)[number];

/**
 * Reads the statement statistics of a database: `rds_aurora.limitless_stat_statements` when it
 * exists (its router rows, `distributedqueryid IS NULL`, with `sso_calls`; docs/limitless/system-views.md#statistics), else
 * `pg_stat_statements`. Rows of other databases are left out unless `allDatabases`.
 *
 * @returns the view read.
 * @throws {CliError} when neither view can be read, with what to do.
 */
export async function readStatementStatistics(
  connection: LiveConnection,
  source: DatabaseSource,
  allDatabases: boolean,
  sink: WorkloadSink,
): Promise<'limitless_stat_statements' | 'pg_stat_statements'> {
  const probe = await connection.query<{ limitless: boolean; schema: string | null }>(
    `SELECT to_regclass('rds_aurora.limitless_stat_statements') IS NOT NULL AS limitless,
            (SELECT n.nspname::text FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements') AS schema`,
    [],
    'look for pg_stat_statements',
  );
  const found = probe.rows[0];
  const useLimitless = source === 'limitless_stat_statements' || (source === 'auto' && found?.limitless === true);
  if (useLimitless) {
    if (!found?.limitless) throw new CliError('rds_aurora.limitless_stat_statements does not exist here: not an Aurora Limitless database (use --source pg_stat_statements)');
    const columns = await columnsOf(connection, 'rds_aurora.limitless_stat_statements');
    const filters = [columns.has('distributedqueryid') ? 'distributedqueryid IS NULL' : undefined, !allDatabases && columns.has('dbname') ? 'dbname = current_database()' : undefined].filter(
      (f): f is string => f !== undefined,
    );
    const rows = await connection.query<Record<string, unknown>>(
      `SELECT * FROM rds_aurora.limitless_stat_statements${filters.length > 0 ? ` WHERE ${filters.join(' AND ')}` : ''}`,
      [],
      'read rds_aurora.limitless_stat_statements',
    );
    rows.rows.forEach((row, i) => applyRow(row, sink, `rds_aurora.limitless_stat_statements of ${connection.target.display}, row ${i + 1}`));
    if (columns.has('distributedqueryid')) {
      // The shards' rows, left out by the filter: counted, so that the report can say so.
      const shardRows = await connection.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM rds_aurora.limitless_stat_statements WHERE distributedqueryid IS NOT NULL${!allDatabases && columns.has('dbname') ? ' AND dbname = current_database()' : ''}`,
        [],
        'count the shard rows of rds_aurora.limitless_stat_statements',
      );
      for (let i = 0; i < (shardRows.rows[0]?.n ?? 0); i++) sink.skipped('shard-row');
    }
    return 'limitless_stat_statements';
  }
  if (!found?.schema) {
    throw new CliError(
      'pg_stat_statements is not installed in this database: run CREATE EXTENSION pg_stat_statements (with pg_stat_statements in shared_preload_libraries), or audit an export or the server logs instead',
    );
  }
  const view = `${quoteIdentifier(found.schema)}.pg_stat_statements`;
  const rows = await connection.query<Record<string, unknown>>(
    `SELECT * FROM ${view}${allDatabases ? '' : ' WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())'}`,
    [],
    `read ${view}`,
  );
  rows.rows.forEach((row, i) => applyRow(row, sink, `${view} of ${connection.target.display}, row ${i + 1}`));
  return 'pg_stat_statements';
}

async function columnsOf(connection: LiveConnection, relation: string): Promise<Set<string>> {
  const result = await connection.query(`SELECT * FROM ${relation} LIMIT 0`, [], `read the columns of ${relation}`);
  return new Set(result.fields.map((f) => f.name.toLowerCase()));
}
