/**
 * The oracle in one call, for the command, the tests and scripts/oracle.mjs: statements and their static
 * verdicts in, the planner's verdict and the comparison out, with the figures.
 */
import type { LearnedTable, Manifest } from '@limitless-lint/core';
import { parseStatements } from '@limitless-lint/core';
import type { Agreement, Comparison, StaticVerdict } from './compare.js';
import { compareVerdicts } from './compare.js';
import type { PlanResult } from './planner.js';
import { LocalPlanner } from './planner.js';
import { localSchema, MAX_PARTITIONS } from './schema.js';

/** Statements PostgreSQL plans and that route through shards. */
const PLANNED = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

export interface OracleStatement extends StaticVerdict {
  readonly sql: string;
}

export interface OracleResult {
  readonly comparison: Comparison;
  readonly plan?: PlanResult;
}

export interface OracleFigures {
  readonly statements: number;
  readonly compared: number;
  readonly agree: number;
  readonly unsafe: number;
  readonly conservative: number;
  readonly notCompared: number;
}

export interface OracleRun {
  readonly results: readonly OracleResult[];
  readonly figures: OracleFigures;
  readonly modulus: number;
}

export interface OracleOptions {
  /** Tables the DDL of the linted files creates: their column types. */
  readonly learned?: ReadonlyMap<string, LearnedTable>;
  readonly maxPartitions?: number;
}

/** Plans every statement in an embedded PostgreSQL built from the manifest, and compares. */
export async function runOracle(manifest: Manifest, statements: readonly OracleStatement[], options: OracleOptions = {}): Promise<OracleRun> {
  const parsed = statements.map((s) => parseStatements(s.sql).statements[0]?.ast);
  const schema = localSchema(manifest, options.learned ?? new Map(), namedInStatements(parsed, manifest, options.learned), options.maxPartitions ?? MAX_PARTITIONS);
  const planner = await LocalPlanner.open(schema);
  const results: OracleResult[] = [];
  try {
    for (const [i, statement] of statements.entries()) {
      const ast = parsed[i];
      const kind = ast ? Object.keys(ast)[0] ?? '' : '';
      if (!PLANNED.has(kind)) {
        results.push({ comparison: { agreement: 'not-compared', note: ast ? `not a statement the planner routes (${kind})` : 'does not parse' } });
        continue;
      }
      const plan = await planner.plan(statement.sql, /"(InsertStmt|MergeStmt)"/.test(JSON.stringify(ast)));
      results.push({ comparison: compareVerdicts(statement, plan, schema.modulus), plan });
    }
  } finally {
    await planner.close();
  }
  const count = (a: Agreement) => results.filter((r) => r.comparison.agreement === a).length;
  const notCompared = count('not-compared');
  return {
    results,
    modulus: schema.modulus,
    figures: { statements: statements.length, compared: statements.length - notCompared, agree: count('agree'), unsafe: count('unsafe'), conservative: count('conservative'), notCompared },
  };
}

/**
 * Tables and columns the statements name that the manifest and the DDL do not give: every column name
 * seen goes to every table without DDL, so that a statement plans; unknown tables become plain tables.
 */
function namedInStatements(asts: readonly unknown[], manifest: Manifest, learned: ReadonlyMap<string, LearnedTable> | undefined): Map<string, Set<string>> {
  const tables = new Set<string>();
  const columns = new Set<string>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const record = node as Record<string, unknown>;
    const rangeVar = record['RangeVar'] as { relname?: string; schemaname?: string } | undefined;
    if (rangeVar?.relname) tables.add(`${rangeVar.schemaname ?? manifest.searchPath[0] ?? 'public'}.${rangeVar.relname}`);
    const ref = record['ColumnRef'] as { fields?: { String?: { sval?: string } }[] } | undefined;
    const last = ref?.fields?.[ref.fields.length - 1]?.String?.sval;
    if (last) columns.add(last);
    const target = record['ResTarget'] as { name?: string } | undefined;
    if (target?.name) columns.add(target.name);
    for (const k in record) visit(record[k]);
  };
  asts.forEach(visit);
  const extra = new Map<string, Set<string>>();
  const known = (key: string) => manifest.tables.has(key) || learned?.has(key);
  const catalog = (key: string) => key.startsWith('pg_catalog.') || key.startsWith('information_schema.') || key.includes('.pg_');
  for (const key of [...manifest.tables.keys(), ...tables]) {
    if (catalog(key) || learned?.has(key) || extra.has(key)) continue;
    if (!known(key) && manifest.tables.size > 0 && !tables.has(key)) continue;
    extra.set(key, columns);
  }
  return extra;
}
