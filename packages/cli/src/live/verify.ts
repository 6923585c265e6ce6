import { isParserLoaded, loadParser, parseStatements } from '@limitless-lint/core';
import type { ConnectionRequest, LiveConnection } from './connection.js';
import { QueryTimeoutError, describeQueryError, resolveConnection, withConnection } from './connection.js';
import { CliError } from '../util/errors.js';
import { printable } from '../reporters/printable.js';
import type { CliIo } from '../util/io.js';
import type { PlanVerdict, VerifyOutcome } from './plan.js';
import { classifyPlan, compareWithPlan } from './plan.js';
import type { ParameterTypeRow } from './sample-values.js';
import { PARAMETER_TYPES_SQL, parameterTypeOf, sampleValue, sqlLiteral } from './sample-values.js';

/** What `explain --verify` needs besides the statements: where the database is. */
export type VerifyRequest = ConnectionRequest;

/** A statement to verify: its text and static verdict (an `ExplainedStatement`). */
export interface StatementToVerify {
  readonly sql: string;
  readonly route: string;
  readonly fanout: number;
}

/** The plan's verdict on one statement, and how it compares with the static one (part of `explain --format json`). */
export interface Verification {
  /** `skipped`: not a statement EXPLAIN takes; `not-explained`: EXPLAIN failed (the note says why). */
  readonly outcome: VerifyOutcome | 'not-explained' | 'skipped';
  readonly note: string;
  readonly plan?: {
    readonly route: PlanVerdict['kind'];
    readonly fanout: number;
    readonly singleShardOptimized: boolean;
    readonly partitions: readonly string[];
    readonly queryId?: string;
    readonly evidence: string;
    /** The EXPLAIN output, one line per element. */
    readonly lines: readonly string[];
  };
  /** The values bound to `$1`, `$2` … for the EXPLAIN (as text; `null` for NULL). */
  readonly parameters?: readonly (string | null)[];
}

export interface VerifyRun {
  /** The database, as `postgres://user@host:port/database`. */
  readonly server: string;
  readonly shards: number;
  /** Whether the server prints `Single Shard Optimized` (rds_aurora.limitless_explain_options has single_shard_optimization). */
  readonly footerSupported: boolean;
  /** One per statement, in order. */
  readonly results: readonly Verification[];
}

/** Statements that `EXPLAIN` takes and that route through shards. */
const EXPLAINABLE = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/**
 * `explain --verify`: for each statement, runs `EXPLAIN (VERBOSE, COSTS OFF)` on the database and
 * compares the plan with the static route. Never runs a statement itself: each one is PREPAREd and
 * EXPLAINed (without ANALYZE) inside a READ ONLY transaction that is rolled back, under
 * `statement_timeout`, with `plan_cache_mode = force_custom_plan` and made-up values for its bind
 * parameters (see `sampleValue` for why not NULL).
 *
 * @throws {CliError} when the database cannot be reached.
 */
export async function verifyStatements(statements: readonly StatementToVerify[], request: VerifyRequest, fallbackShards: number, io: CliIo): Promise<VerifyRun> {
  if (!isParserLoaded()) await loadParser();
  const target = resolveConnection(request, io.env, io.cwd);
  return withConnection(target, async (connection) => {
    const session = await readSession(connection, fallbackShards);
    const results: Verification[] = [];
    let index = 0;
    for (const statement of statements) {
      results.push(await verifyOne(connection, statement, session, `limitless_lint_verify_${index++}`));
    }
    return { server: target.display, shards: session.shards, footerSupported: session.footerSupported, results };
  });
}

interface Session {
  readonly shards: number;
  readonly footerSupported: boolean;
  readonly shardedTables: ReadonlySet<string>;
  readonly statementTimeoutMs: number;
}

async function readSession(connection: LiveConnection, fallbackShards: number): Promise<Session> {
  const options = await connection.query<{ options: string | null }>(
    "SELECT current_setting('rds_aurora.limitless_explain_options', true) AS options",
    [],
    'read rds_aurora.limitless_explain_options',
  );
  const footerSupported = /\bsingle_shard_optimization\b/.test(options.rows[0]?.options ?? '');
  // On a router a sharded table is a partitioned table with one partition per shard (docs/limitless/tables.md#table-types).
  const partitioned = await connection.query<{ key: string; partitions: number }>(
    `SELECT n.nspname || '.' || c.relname AS key, count(i.inhrelid)::int AS partitions
       FROM pg_partitioned_table pt
       JOIN pg_class c ON c.oid = pt.partrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_inherits i ON i.inhparent = c.oid
      GROUP BY 1`,
    [],
    'read the sharded tables',
  );
  const most = Math.max(0, ...partitioned.rows.map((r) => r.partitions));
  return {
    shards: most > 0 ? most : fallbackShards,
    footerSupported,
    shardedTables: new Set(partitioned.rows.map((r) => r.key)),
    statementTimeoutMs: connection.target.statementTimeoutMs,
  };
}

async function verifyOne(connection: LiveConnection, statement: StatementToVerify, session: Session, name: string): Promise<Verification> {
  const parsed = parseStatements(statement.sql).statements;
  const ast = parsed.length === 1 ? parsed[0]?.ast : undefined;
  const kind = ast ? (Object.keys(ast)[0] ?? '') : '';
  if (!ast) return { outcome: 'skipped', note: parsed.length > 1 ? 'more than one statement' : 'the statement does not parse' };
  if (!EXPLAINABLE.has(kind)) return { outcome: 'skipped', note: 'EXPLAIN shows a plan for SELECT, INSERT, UPDATE, DELETE and MERGE only' };
  if ('SelectStmt' in ast && ast.SelectStmt?.intoClause) return { outcome: 'skipped', note: 'SELECT INTO creates a table: not explained' };

  const attempt = async (allText: boolean): Promise<Verification> => {
    await connection.rawQuery('BEGIN READ ONLY');
    try {
      await connection.rawQuery(`SET LOCAL statement_timeout = ${Math.max(0, Math.floor(session.statementTimeoutMs))}`);
      await connection.rawQuery('SET LOCAL plan_cache_mode = force_custom_plan');
      const types = allText ? `(${Array.from({ length: parameterCount(statement.sql) }, () => 'text').join(', ')})` : '';
      // The extended protocol refuses a text with more than one statement: only this one is prepared.
      await connection.rawQuery(`PREPARE ${name}${types} AS ${statement.sql}`, [], true);
      const typeRows = await connection.rawQuery<ParameterTypeRow>(PARAMETER_TYPES_SQL, [name]);
      const parameters = typeRows.rows.map((row) => sampleValue(parameterTypeOf(row), row.ord));
      const args = parameters.length > 0 ? `(${parameters.map(sqlLiteral).join(', ')})` : '';
      const explained = await connection.rawQuery<{ 'QUERY PLAN': string }>(`EXPLAIN (VERBOSE, COSTS OFF) EXECUTE ${name}${args}`);
      await connection.rawQuery(`DEALLOCATE ${name}`);
      const lines = explained.rows.map((r) => r['QUERY PLAN']);
      const plan = classifyPlan(lines.join('\n'), { shards: session.shards, shardedTables: session.shardedTables, footerSupported: session.footerSupported });
      const comparison = compareWithPlan(statement.route, statement.fanout, session.shards, plan, session.footerSupported);
      return {
        outcome: comparison.outcome,
        note: comparison.note,
        plan: {
          route: plan.kind,
          fanout: plan.fanout,
          singleShardOptimized: plan.singleShardOptimized,
          partitions: plan.partitions,
          ...(plan.queryId !== undefined && { queryId: plan.queryId }),
          evidence: plan.evidence,
          lines,
        },
        parameters,
      };
    } finally {
      await connection.rawQuery('ROLLBACK').catch(() => undefined);
    }
  };

  // A server that stopped answering ends the run: the session is closed, and every later EXPLAIN would wait as long.
  const unanswered = (error: unknown) => (error instanceof QueryTimeoutError ? new CliError(`could not EXPLAIN on ${connection.target.display}: ${describeQueryError(error, connection.target)}`) : undefined);
  try {
    return await attempt(false);
  } catch (error) {
    const fatal = unanswered(error);
    if (fatal) throw fatal;
    const code = (error as { code?: string }).code;
    // 42P18 indeterminate_datatype: `$1` alone says nothing about its type; bind text instead.
    if (code === '42P18' || code === '42725') {
      try {
        return await attempt(true);
      } catch (retry) {
        const fatalRetry = unanswered(retry);
        if (fatalRetry) throw fatalRetry;
        return { outcome: 'not-explained', note: `EXPLAIN failed: ${describeQueryError(retry, connection.target)}` };
      }
    }
    return { outcome: 'not-explained', note: `EXPLAIN failed: ${describeQueryError(error, connection.target)}` };
  }
}

/** The highest `$n` in a statement (bind parameters outside string literals and comments, roughly). */
function parameterCount(sql: string): number {
  const code = sql.replace(/'(?:[^']|'')*'|--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  return Math.max(0, ...[...code.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
}

/** Counts per outcome, for the summary line. */
export function verifyCounts(run: VerifyRun): Record<Verification['outcome'], number> {
  const counts: Record<Verification['outcome'], number> = { agrees: 0, 'more-local': 0, 'more-distributed': 0, 'not-comparable': 0, 'not-explained': 0, skipped: 0 };
  for (const r of run.results) counts[r.outcome]++;
  return counts;
}

/** Whether a verification is a disagreement between the static route and the plan. */
export function isDisagreement(v: Verification): boolean {
  return v.outcome === 'more-local' || v.outcome === 'more-distributed';
}

/** Colours for {@link verificationLines}: identity functions when colour is off. */
export interface Paint {
  readonly good: (text: string) => string;
  readonly bad: (text: string) => string;
  readonly dim: (text: string) => string;
}

/** The lines `explain --verify` prints under a statement (indented like its reasons). */
export function verificationLines(v: Verification, paint: Paint): string[] {
  // Notes and evidence quote the server (error messages, partition names): never raw on a terminal.
  const note = printable(v.note);
  if (v.outcome === 'skipped') return [paint.dim(`  plan: not explained (${note})`)];
  if (v.outcome === 'not-explained') return [paint.bad(`  plan: ${note}`)];
  const plan = v.plan;
  const head = plan ? `plan: ${plan.route} fan-out ${plan.fanout} — ${printable(plan.evidence)}` : 'plan: none';
  const verdict = v.outcome === 'agrees' ? paint.good(`✔ ${note}`) : v.outcome === 'not-comparable' ? paint.dim(`· ${note}`) : paint.bad(`✖ ${note}`);
  return [`  ${head}`, `    ${verdict}`];
}

/** The closing lines of `explain --verify`: the server, the counts and each disagreement. */
export function verificationSummary(run: VerifyRun, statements: readonly { readonly file: string; readonly line: number; readonly column: number; readonly route: string }[]): string[] {
  const counts = verifyCounts(run);
  const parts = [
    `${counts.agrees} agree`,
    ...(counts['more-distributed'] > 0 ? [`${counts['more-distributed']} more distributed than predicted`] : []),
    ...(counts['more-local'] > 0 ? [`${counts['more-local']} more local than predicted`] : []),
    ...(counts['not-comparable'] > 0 ? [`${counts['not-comparable']} not comparable`] : []),
    ...(counts['not-explained'] > 0 ? [`${counts['not-explained']} not explained (errors)`] : []),
    ...(counts.skipped > 0 ? [`${counts.skipped} skipped (not SELECT/INSERT/UPDATE/DELETE/MERGE)`] : []),
  ];
  const out = [`Verified against ${run.server} (${run.shards} shards${run.footerSupported ? '' : '; no Single Shard Optimized footer on this server, so one shard is compared as one shard'}): ${parts.join(', ')}`];
  const disagreements = run.results.flatMap((v, i) => (isDisagreement(v) ? [{ v, s: statements[i] }] : []));
  if (disagreements.length > 0) {
    out.push('Disagreements:');
    for (const { v, s } of disagreements) {
      out.push(`  ${s ? `${printable(s.file)}:${s.line}:${s.column}` : '?'}  static ${s?.route ?? '?'}, plan ${v.plan?.route ?? '?'} (fan-out ${v.plan?.fanout ?? '?'}): ${printable(v.note)}`);
    }
  }
  return out;
}
