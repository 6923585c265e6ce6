import type { LearnedTable } from '../ddl/replay.js';
import type { Manifest, TableInfo } from '../manifest/types.js';
import type { RouteAnalysis } from '../route/analyze-route.js';
import { analyzeRoute } from '../route/analyze-route.js';
import { fingerprint } from '../sql/parser.js';
import type { Statement } from '../sql/statements.js';
import { parseStatements } from '../sql/statements.js';
import type { AdviseSchema, AdviseSource, AdvisedStatement, WorkloadRow } from './types.js';

/** A statement parsed once, with the tables it uses; routed again under every candidate manifest. */
export interface Unit {
  readonly index: number;
  readonly statement: Statement;
  readonly info: AdvisedStatement;
  /** Keys of the schema's tables it uses, sorted. */
  readonly tables: readonly string[];
  /** Its route with every table standard: where its facts (filters, joins) come from. */
  readonly base: RouteAnalysis;
}

export interface Prepared {
  readonly units: readonly Unit[];
  readonly skipped: Record<string, number>;
  readonly weighted: boolean;
}

const DML = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** A manifest of the schema's tables, as given (the advisor's candidates, or every table standard). */
export function manifestOf(tables: Iterable<TableInfo>, searchPath: readonly string[], shards: number): Manifest {
  return {
    shards,
    searchPath,
    tables: new Map([...tables].map((t) => [t.key, t])),
    unknownTables: 'warn',
    functions: { immutable: [], distributed: [] },
    rules: {},
    embeddedSql: { tags: [], calls: [] },
    include: [],
    exclude: [],
  };
}

/** A table as a standard table of a manifest. */
export function standardInfo(t: LearnedTable): TableInfo {
  return { key: t.key, schema: t.schema, name: t.name, mode: 'standard', shardKey: [], sequenceColumns: t.columns.filter((c) => c.sequence).map((c) => c.name) };
}

/**
 * Parses every source once and keeps its DML statements that use the schema's tables. With a
 * workload, each statement's weight is its calls (matched by pg_query fingerprint, shared evenly
 * between statements with the same fingerprint); workload statements the sources do not hold are
 * added; statements the workload never ran weigh 0. Without one, every statement weighs 1.
 */
export function prepareStatements(schema: AdviseSchema, sources: readonly AdviseSource[], workload: readonly WorkloadRow[] | undefined, shards: number): Prepared {
  const base = manifestOf([...schema.tables.values()].map(standardInfo), schema.searchPath, shards);
  const skipped: Record<string, number> = {};
  const skip = (why: string) => {
    skipped[why] = (skipped[why] ?? 0) + 1;
  };
  const units: Unit[] = [];
  const add = (statement: Statement, info: Omit<AdvisedStatement, 'weight'>, weight: number): Unit | undefined => {
    if (!statement.ast) {
      skip('did not parse');
      return undefined;
    }
    const tag = Object.keys(statement.ast)[0] ?? '';
    if (!DML.has(tag)) {
      skip('not a query or DML statement');
      return undefined;
    }
    const analysis = analyzeRoute(statement, base);
    const tables = [...new Set(analysis.rels.flatMap((r) => (r.table && schema.tables.has(r.table.key) ? [r.table.key] : [])))].sort();
    if (tables.length === 0) {
      skip('uses no table of the schema');
      return undefined;
    }
    if (analysis.rels.some((r) => r.mode === 'unknown')) {
      skip('uses a table the schema does not have');
      return undefined;
    }
    const unit: Unit = { index: units.length, statement, info: { ...info, weight }, tables, base: analysis };
    units.push(unit);
    return unit;
  };

  for (const source of sources) {
    const parsed = parseStatements(source.sql);
    let previousEnd = 0;
    for (const statement of parsed.statements) {
      const lead = /^(?:\s*(?:--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/))*/.exec(statement.text)?.[0] ?? '';
      const before = source.sql.slice(previousEnd, statement.span.start) + lead;
      previousEnd = statement.span.end;
      const named = [...before.matchAll(/--\s*name:\s*([A-Za-z_][\w.$-]*)/g)].pop()?.[1];
      const at = statement.span.start + lead.length + (/\S/.exec(statement.text.slice(lead.length))?.index ?? 0);
      const line = (source.line ?? 1) + countLines(source.sql, at);
      const where = source.file !== undefined ? `${source.file}:${line}` : `statement ${units.length + 1}`;
      const name = source.name ?? named ?? where;
      add(statement, { name, sql: statement.text.trim(), ...(source.file !== undefined && { file: source.file, line }) }, workload ? 0 : 1);
    }
  }
  if (!workload) return { units, skipped, weighted: false };

  // Weights from the workload, by fingerprint.
  const byPrint = new Map<string, Unit[]>();
  for (const unit of units) {
    const print = fingerprint(unit.statement.text);
    if (print !== undefined) byPrint.set(print, [...(byPrint.get(print) ?? []), unit]);
  }
  const calls = new Map<Unit, number>();
  const extra = new Map<string, { query: string; calls: number }>();
  for (const row of workload) {
    if (!(row.calls > 0)) {
      skip('workload row without calls');
      continue;
    }
    const print = fingerprint(row.query);
    if (print === undefined) {
      skip('workload row that did not parse');
      continue;
    }
    const matched = byPrint.get(print);
    if (matched) {
      for (const unit of matched) calls.set(unit, (calls.get(unit) ?? 0) + row.calls / matched.length);
      continue;
    }
    const known = extra.get(print);
    extra.set(print, { query: known?.query ?? row.query, calls: (known?.calls ?? 0) + row.calls });
  }
  const weightedUnits = units.map((u) => {
    const c = calls.get(u);
    return c === undefined ? u : { ...u, info: { ...u.info, weight: c, calls: c } };
  });
  units.length = 0;
  units.push(...weightedUnits);
  let n = 0;
  for (const [, row] of [...extra].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const parsed = parseStatements(row.query).statements;
    const statement = parsed.find((s) => s.ast !== undefined) ?? parsed[0];
    if (!statement || parsed.length !== 1) {
      skip(parsed.length === 0 ? 'workload row that did not parse' : 'workload row of several statements');
      continue;
    }
    n++;
    add(statement, { name: `workload#${n}: ${oneLine(row.query, 48)}`, sql: row.query.trim(), calls: row.calls }, row.calls);
  }
  return { units, skipped, weighted: true };
}

function countLines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** A statement on one line, cut at `max` characters. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
