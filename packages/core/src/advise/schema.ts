import type { Constraint, Node, RangeVar } from 'libpg-query';
import type { LearnedTable } from '../ddl/replay.js';
import { DdlReplay, resolveTableKey } from '../ddl/replay.js';
import { stringList } from '../route/ast.js';
import { parseStatements } from '../sql/statements.js';
import type { AdviseSchema, ForeignKey } from './types.js';

/** A DDL text (one migration file). */
export interface DdlSource {
  readonly text: string;
  readonly file?: string;
}

export interface SchemaFromDdl {
  readonly schema: AdviseSchema;
  /** Files with statements that did not parse (they were not replayed). */
  readonly problems: readonly { readonly file?: string; readonly parseErrors: number }[];
}

/**
 * Replays migrations in order (the linter's own DDL replay: tables, columns, primary and unique keys)
 * and collects their foreign keys (column `REFERENCES`, table `FOREIGN KEY`, `ALTER TABLE … ADD
 * CONSTRAINT … FOREIGN KEY`). The Limitless modes the DDL may set are kept in the tables but the
 * advisor does not read them: it proposes its own.
 */
export function schemaFromDdl(sources: readonly DdlSource[], searchPath: readonly string[] = ['public']): SchemaFromDdl {
  const replay = new DdlReplay(searchPath);
  const pending: { readonly table: readonly string[]; readonly constraint: Constraint; readonly column?: string }[] = [];
  const problems: { file?: string; parseErrors: number }[] = [];
  for (const source of sources) {
    let parseErrors = 0;
    for (const statement of parseStatements(source.text).statements) {
      if (!statement.ast) {
        parseErrors++;
        continue;
      }
      replay.advance(statement);
      collectForeignKeys(statement.ast, pending);
    }
    if (parseErrors > 0) problems.push({ ...(source.file !== undefined && { file: source.file }), parseErrors });
  }
  const tables = replay.tables;
  const foreignKeys: ForeignKey[] = [];
  const seen = new Set<string>();
  for (const p of pending) {
    const table = resolveTableKey(p.table, tables, searchPath);
    const pk = p.constraint.pktable;
    const references = pk ? resolveTableKey(rangeVarParts(pk), tables, searchPath) : undefined;
    if (!table || !references || !tables.has(table) || !tables.has(references)) continue;
    const columns = p.column !== undefined ? [p.column] : stringList(p.constraint.fk_attrs);
    const named = stringList(p.constraint.pk_attrs);
    const referencedColumns = named.length > 0 ? named : (tables.get(references)?.primaryKey ?? []);
    if (columns.length === 0 || columns.length !== referencedColumns.length) continue;
    const id = `${table}(${columns.join(',')})>${references}(${referencedColumns.join(',')})`;
    if (seen.has(id)) continue;
    seen.add(id);
    foreignKeys.push({ table, columns, references, referencedColumns });
  }
  return { schema: { tables, foreignKeys, searchPath }, problems };
}

function rangeVarParts(rv: RangeVar): string[] {
  return rv.schemaname ? [rv.schemaname, rv.relname ?? ''] : [rv.relname ?? ''];
}

function collectForeignKeys(ast: Node, out: { table: readonly string[]; constraint: Constraint; column?: string }[]): void {
  if ('CreateStmt' in ast) {
    const rv = ast.CreateStmt.relation;
    if (!rv) return;
    const table = rangeVarParts(rv);
    for (const element of ast.CreateStmt.tableElts ?? []) {
      if ('Constraint' in element && element.Constraint.contype === 'CONSTR_FOREIGN') out.push({ table, constraint: element.Constraint });
      if ('ColumnDef' in element) {
        for (const c of element.ColumnDef.constraints ?? []) {
          if ('Constraint' in c && c.Constraint.contype === 'CONSTR_FOREIGN') out.push({ table, constraint: c.Constraint, column: element.ColumnDef.colname ?? '' });
        }
      }
    }
    return;
  }
  if ('AlterTableStmt' in ast) {
    const rv = ast.AlterTableStmt.relation;
    if (!rv) return;
    const table = rangeVarParts(rv);
    for (const cmd of ast.AlterTableStmt.cmds ?? []) {
      if (!('AlterTableCmd' in cmd)) continue;
      const def = cmd.AlterTableCmd.def;
      if (cmd.AlterTableCmd.subtype === 'AT_AddConstraint' && def && 'Constraint' in def && def.Constraint.contype === 'CONSTR_FOREIGN') {
        out.push({ table, constraint: def.Constraint });
      }
      if (cmd.AlterTableCmd.subtype === 'AT_AddColumn' && def && 'ColumnDef' in def) {
        for (const c of def.ColumnDef.constraints ?? []) {
          if ('Constraint' in c && c.Constraint.contype === 'CONSTR_FOREIGN') out.push({ table, constraint: c.Constraint, column: def.ColumnDef.colname ?? '' });
        }
      }
    }
  }
}

/** Tables learned elsewhere (a live catalog) as an advisor schema. */
export function adviseSchema(tables: ReadonlyMap<string, LearnedTable>, foreignKeys: readonly ForeignKey[] = [], searchPath: readonly string[] = ['public']): AdviseSchema {
  return { tables, foreignKeys, searchPath };
}
