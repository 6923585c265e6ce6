import type { ColumnDef, Constraint, Node } from 'libpg-query';
import { normalizeIdentifier, parseQualifiedName, tableKey } from '../manifest/names.js';
import type { TableMode } from '../manifest/types.js';
import { stringList } from '../route/ast.js';
import type { Statement } from '../sql/statements.js';

/** A column as a CREATE TABLE / ALTER TABLE declared it. */
export interface LearnedColumn {
  readonly name: string;
  /** Type name as written, lower case, without `pg_catalog.` (`bigint`, `timestamptz`, `bigserial` …). */
  readonly type: string;
  /** SERIAL/BIGSERIAL/SMALLSERIAL, `DEFAULT nextval(…)` or IDENTITY: values come from a sequence. */
  readonly sequence: boolean;
  readonly identity: boolean;
  /** Offset of the column definition in its file's text. */
  readonly offset: number;
}

/** A table learned from DDL: where the Limitless session variables put it, and its keys. */
export interface LearnedTable {
  readonly key: string;
  readonly schema: string;
  readonly name: string;
  readonly mode: TableMode;
  readonly shardKey: readonly string[];
  /** Key of the table it is collocated with. */
  readonly collocateWith?: string;
  readonly columns: readonly LearnedColumn[];
  readonly primaryKey?: readonly string[];
  readonly uniques: readonly (readonly string[])[];
}

/** The effective `rds_aurora.limitless_create_table_*` settings (domain.md §1.2). */
export interface CreateTableSettings {
  readonly mode: string;
  /** Shard-key columns parsed from the array literal, when set. */
  readonly shardKey?: readonly string[];
  readonly collocateWith?: string;
}

/** What the DDL seen so far says, as of one statement. */
export interface SchemaState {
  /** Settings in force for a CREATE TABLE at this statement. */
  readonly settings: CreateTableSettings;
  /** Whether a transaction block is open. */
  readonly inTransaction: boolean;
  /** Tables created (or converted) so far, by key. */
  readonly tables: ReadonlyMap<string, LearnedTable>;
}

const MODE = 'rds_aurora.limitless_create_table_mode';
const SHARD_KEY = 'rds_aurora.limitless_create_table_shard_key';
const COLLOCATE = 'rds_aurora.limitless_create_table_collocate_with';
const VARIABLES = new Set([MODE, SHARD_KEY, COLLOCATE]);

type Vars = Record<string, string | undefined>;

/**
 * Replays DDL in order, the way a Limitless session would execute it: `SET` lasts for the session,
 * `SET LOCAL` until the end of the transaction, `RESET` returns to the default (`standard`), and a
 * ROLLBACK undoes the transaction's session-level SETs. CREATE TABLE takes the settings in force;
 * `CALL rds_aurora.limitless_alter_table_type_sharded / _reference` converts; renames and drops apply.
 */
export class DdlReplay {
  private session: Vars = {};
  private local: Vars = {};
  private snapshot: Vars | undefined;
  private readonly tableMap = new Map<string, LearnedTable>();

  constructor(
    private readonly searchPath: readonly string[] = ['public'],
    initial?: ReadonlyMap<string, LearnedTable>,
  ) {
    for (const [k, v] of initial ?? []) this.tableMap.set(k, v);
  }

  get tables(): ReadonlyMap<string, LearnedTable> {
    return this.tableMap;
  }

  /** The state before `statement` runs; then applies it. */
  step(statement: Statement): SchemaState {
    const state: SchemaState = { settings: this.settings(), inTransaction: this.snapshot !== undefined, tables: new Map(this.tableMap) };
    if (statement.ast) this.apply(statement.ast, statement);
    return state;
  }

  settings(): CreateTableSettings {
    const get = (name: string) => (name in this.local ? this.local[name] : this.session[name]);
    const mode = (get(MODE) ?? 'standard').toLowerCase();
    const shardKey = parseArrayLiteral(get(SHARD_KEY));
    const collocate = get(COLLOCATE);
    return { mode, ...(shardKey ? { shardKey } : {}), ...(collocate ? { collocateWith: collocate } : {}) };
  }

  private apply(ast: Node, statement: Statement): void {
    if ('TransactionStmt' in ast) {
      const kind = ast.TransactionStmt.kind;
      if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') this.snapshot ??= { ...this.session };
      else if (kind === 'TRANS_STMT_COMMIT') this.endTransaction(false);
      else if (kind === 'TRANS_STMT_ROLLBACK') this.endTransaction(true);
      return;
    }
    if ('VariableSetStmt' in ast) return this.variable(ast.VariableSetStmt);
    if ('CreateStmt' in ast) return this.create(ast.CreateStmt, statement);
    if ('CreateTableAsStmt' in ast) {
      const into = ast.CreateTableAsStmt.into?.rel;
      if (into && ast.CreateTableAsStmt.objtype !== 'OBJECT_MATVIEW') this.addTable(into.schemaname, into.relname ?? '', [], undefined, []);
      return;
    }
    if ('CallStmt' in ast) return this.call(ast.CallStmt.funccall);
    if ('RenameStmt' in ast) return this.rename(ast.RenameStmt);
    if ('DropStmt' in ast && ast.DropStmt.removeType === 'OBJECT_TABLE') {
      for (const obj of ast.DropStmt.objects ?? []) {
        const parts = 'List' in obj ? stringList(obj.List.items) : [];
        const key = this.resolve(parts);
        if (key) this.tableMap.delete(key);
      }
      return;
    }
    if ('AlterTableStmt' in ast) this.alter(ast.AlterTableStmt, statement);
  }

  private endTransaction(rollback: boolean): void {
    if (rollback && this.snapshot) this.session = this.snapshot;
    this.snapshot = undefined;
    this.local = {};
  }

  private variable(v: NonNullable<Extract<Node, { VariableSetStmt: unknown }>['VariableSetStmt']>): void {
    const name = v.name ?? '';
    if (v.kind === 'VAR_RESET_ALL') {
      this.session = {};
      this.local = {};
      return;
    }
    if (!VARIABLES.has(name)) return;
    // SET LOCAL outside a transaction block has no effect (PostgreSQL warns and ignores it).
    if (v.is_local && this.snapshot === undefined) return;
    const target = v.is_local ? this.local : this.session;
    if (v.kind === 'VAR_RESET' || v.kind === 'VAR_SET_DEFAULT') {
      target[name] = undefined;
      if (!v.is_local) delete this.local[name];
      return;
    }
    if (v.kind !== 'VAR_SET_VALUE') return;
    const value = (v.args ?? []).map(constString).join(',');
    target[name] = value;
    if (!v.is_local) delete this.local[name];
  }

  private create(c: NonNullable<Extract<Node, { CreateStmt: unknown }>['CreateStmt']>, statement: Statement): void {
    const rel = c.relation;
    if (!rel || rel.relpersistence === 't') return;
    const columns: LearnedColumn[] = [];
    let primaryKey: string[] | undefined;
    const uniques: string[][] = [];
    for (const elt of c.tableElts ?? []) {
      if ('ColumnDef' in elt) {
        const col = learnColumn(elt.ColumnDef, statement);
        columns.push(col);
        for (const k of elt.ColumnDef.constraints ?? []) {
          if (!('Constraint' in k)) continue;
          if (k.Constraint.contype === 'CONSTR_PRIMARY') primaryKey = [col.name];
          if (k.Constraint.contype === 'CONSTR_UNIQUE') uniques.push([col.name]);
        }
      } else if ('Constraint' in elt) {
        const keys = constraintKeys(elt.Constraint);
        if (elt.Constraint.contype === 'CONSTR_PRIMARY') primaryKey = keys;
        if (elt.Constraint.contype === 'CONSTR_UNIQUE') uniques.push(keys);
      }
    }
    const s = this.settings();
    const mode: TableMode = s.mode === 'sharded' ? 'sharded' : s.mode === 'reference' ? 'reference' : 'standard';
    const collocate = mode === 'sharded' && s.collocateWith ? this.resolve(s.collocateWith.split('.').map((p) => normalizeIdentifier(p))) ?? this.qualify(s.collocateWith) : undefined;
    const shardKey = mode === 'sharded' ? [...(s.shardKey ?? this.tableMap.get(collocate ?? '')?.shardKey ?? [])] : [];
    this.addTable(rel.schemaname, rel.relname ?? '', columns, primaryKey, uniques, mode, shardKey, collocate);
  }

  private addTable(
    schema: string | undefined,
    name: string,
    columns: LearnedColumn[],
    primaryKey: string[] | undefined,
    uniques: string[][],
    mode?: TableMode,
    shardKey: string[] = [],
    collocateWith?: string,
  ): void {
    const s = mode ?? (this.settings().mode as TableMode);
    const sch = schema ?? this.searchPath[0] ?? 'public';
    const key = tableKey(sch, name);
    this.tableMap.set(key, {
      key,
      schema: sch,
      name,
      mode: s === 'sharded' || s === 'reference' ? s : 'standard',
      shardKey,
      ...(collocateWith ? { collocateWith } : {}),
      columns,
      ...(primaryKey ? { primaryKey } : {}),
      uniques,
    });
  }

  private call(f: Extract<Node, { FuncCall: unknown }>['FuncCall'] | undefined): void {
    const name = stringList(f?.funcname).join('.');
    const args = f?.args ?? [];
    const isSharded = name === 'rds_aurora.limitless_alter_table_type_sharded';
    const isReference = name === 'rds_aurora.limitless_alter_table_type_reference' || name === 'rds_aurora.limitless_table_alter_type_reference';
    if (!isSharded && !isReference) return;
    const tableArg = args[0] ? constString(args[0]) : undefined;
    const key = tableArg ? this.qualify(tableArg) : undefined;
    const existing = key ? this.tableMap.get(key) : undefined;
    if (!key) return;
    const base: LearnedTable = existing ?? { key, schema: key.split('.')[0] ?? 'public', name: key.split('.').slice(1).join('.'), mode: 'standard', shardKey: [], columns: [], uniques: [] };
    if (isReference) {
      this.tableMap.set(key, { ...base, mode: 'reference', shardKey: [] });
      return;
    }
    const arr = args[1];
    // Shard-key names are case-sensitive string literals here (domain.md §1.3).
    const shardKey = arr && 'A_ArrayExpr' in arr ? (arr.A_ArrayExpr.elements ?? []).map(constString) : parseArrayLiteral(arr ? constString(arr) : undefined) ?? [];
    const collocate = args[2] ? this.qualify(constString(args[2])) : undefined;
    const { collocateWith: _previous, ...rest } = base;
    void _previous;
    this.tableMap.set(key, { ...rest, mode: 'sharded', shardKey, ...(collocate ? { collocateWith: collocate } : {}) });
  }

  private rename(r: NonNullable<Extract<Node, { RenameStmt: unknown }>['RenameStmt']>): void {
    const rel = r.relation;
    const key = rel ? this.resolve([...(rel.schemaname ? [rel.schemaname] : []), rel.relname ?? '']) : undefined;
    const table = key ? this.tableMap.get(key) : undefined;
    if (!table || !key || !r.newname) return;
    if (r.renameType === 'OBJECT_TABLE') {
      const newKey = tableKey(table.schema, r.newname);
      this.tableMap.delete(key);
      this.tableMap.set(newKey, { ...table, key: newKey, name: r.newname });
      for (const [k, t] of this.tableMap) if (t.collocateWith === key) this.tableMap.set(k, { ...t, collocateWith: newKey });
    } else if (r.renameType === 'OBJECT_COLUMN' && r.subname) {
      const from = r.subname;
      const to = r.newname;
      const swap = (c: string) => (c === from ? to : c);
      this.tableMap.set(key, {
        ...table,
        shardKey: table.shardKey.map(swap),
        columns: table.columns.map((c) => (c.name === from ? { ...c, name: to } : c)),
        ...(table.primaryKey ? { primaryKey: table.primaryKey.map(swap) } : {}),
        uniques: table.uniques.map((u) => u.map(swap)),
      });
    }
  }

  private alter(a: NonNullable<Extract<Node, { AlterTableStmt: unknown }>['AlterTableStmt']>, statement: Statement): void {
    const rel = a.relation;
    const key = rel ? this.resolve([...(rel.schemaname ? [rel.schemaname] : []), rel.relname ?? '']) : undefined;
    const table = key ? this.tableMap.get(key) : undefined;
    if (!table || !key) return;
    let next: LearnedTable = table;
    for (const cmd of a.cmds ?? []) {
      if (!('AlterTableCmd' in cmd)) continue;
      const c = cmd.AlterTableCmd;
      const def = c.def;
      if (c.subtype === 'AT_AddColumn' && def && 'ColumnDef' in def) next = { ...next, columns: [...next.columns, learnColumn(def.ColumnDef, statement)] };
      else if (c.subtype === 'AT_DropColumn' && c.name) next = { ...next, columns: next.columns.filter((col) => col.name !== c.name) };
      else if (c.subtype === 'AT_AddConstraint' && def && 'Constraint' in def) {
        const keys = constraintKeys(def.Constraint);
        if (def.Constraint.contype === 'CONSTR_PRIMARY') next = { ...next, primaryKey: keys };
        if (def.Constraint.contype === 'CONSTR_UNIQUE') next = { ...next, uniques: [...next.uniques, keys] };
      }
    }
    this.tableMap.set(key, next);
  }

  /** Key of an existing table named by `parts` (search_path for unqualified names). */
  private resolve(parts: readonly string[]): string | undefined {
    if (parts.length === 2) return tableKey(parts[0] as string, parts[1] as string);
    const name = parts[0];
    if (name === undefined) return undefined;
    for (const schema of this.searchPath) {
      const key = tableKey(schema, name);
      if (this.tableMap.has(key)) return key;
    }
    return tableKey(this.searchPath[0] ?? 'public', name);
  }

  /** A table name given as a string (procedure argument, session variable) → its key. */
  private qualify(text: string): string | undefined {
    const q = parseQualifiedName(text, this.searchPath);
    if (!q) return undefined;
    return this.resolve(text.includes('.') ? [q.schema, q.name] : [q.name]);
  }
}

function learnColumn(def: ColumnDef, statement: Statement): LearnedColumn {
  const type = stringList(def.typeName?.names)
    .filter((n) => n !== 'pg_catalog')
    .join('.')
    .toLowerCase();
  const constraints = (def.constraints ?? []).flatMap((c) => ('Constraint' in c ? [c.Constraint] : []));
  const identity = constraints.some((c) => c.contype === 'CONSTR_IDENTITY') || !!def.identity;
  const nextval = constraints.some((c) => c.contype === 'CONSTR_DEFAULT' && c.raw_expr && callsNextval(c.raw_expr));
  const serial = /^(small|big)?serial[248]?$/.test(type);
  return { name: def.colname ?? '', type: displayType(type), sequence: serial || nextval || identity, identity, offset: statement.offsetOf(def.location) };
}

function callsNextval(expr: Node): boolean {
  return JSON.stringify(expr).includes('{"String":{"sval":"nextval"}}');
}

/** PostgreSQL's internal type names → what people write. */
function displayType(type: string): string {
  const names: Record<string, string> = { int8: 'bigint', int4: 'integer', int2: 'smallint', bool: 'boolean', timestamptz: 'timestamptz', float8: 'double precision', float4: 'real', bpchar: 'char', varchar: 'varchar' };
  return names[type] ?? type;
}

function constraintKeys(c: Constraint): string[] {
  return stringList(c.keys);
}

function constString(node: Node): string {
  if ('A_Const' in node) {
    const c = node.A_Const;
    if (c.sval) return c.sval.sval ?? '';
    if (c.ival) return String(c.ival.ival ?? 0);
    if (c.boolval) return String(c.boolval.boolval ?? false);
  }
  if ('String' in node) return node.String.sval ?? '';
  if ('TypeCast' in node && node.TypeCast.arg) return constString(node.TypeCast.arg);
  return '';
}

/**
 * Parses the untyped array literal of `limitless_create_table_shard_key` (`'{"id"}'`, `'{a, b}'`).
 * Elements are used verbatim (array literals do not fold case), as Limitless reads them.
 */
export function parseArrayLiteral(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*\{(.*)\}\s*$/s.exec(text);
  if (!m) return undefined;
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|([^,]+?))\s*(?:,|$)/gy;
  const body = m[1] as string;
  let match: RegExpExecArray | null;
  while (re.lastIndex < body.length && (match = re.exec(body))) {
    if (match[1] !== undefined) out.push(match[1].replace(/\\(.)/g, '$1'));
    else if (match[2] !== undefined) out.push(match[2].trim());
    if (match[0] === '') break;
  }
  return out;
}
