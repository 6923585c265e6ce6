import type { ColumnDef, Constraint, CreateStmt, IntoClause, Node, TypeName } from 'libpg-query';
import { normalizeIdentifier, parseIdentifierChain, parseQualifiedName, tableKey } from '../manifest/names.js';
import type { TableMode } from '../manifest/types.js';
import { stringList } from '../route/ast.js';
import type { Statement } from '../sql/statements.js';
import { LayeredMap } from './layered-map.js';

/** A column as a CREATE TABLE / ALTER TABLE declared it. */
export interface LearnedColumn {
  readonly name: string;
  /**
   * Type name as written, without `pg_catalog.` and without type modifiers, with PostgreSQL's
   * internal names mapped to the usual ones (`bigint`, `timestamptz`, `bigserial`, `char`, `text[]` …).
   */
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
  /** Column lists of UNIQUE constraints and unique indexes on plain columns. */
  readonly uniques: readonly (readonly string[])[];
  /**
   * Its placement cannot be told from the text: the table was created without
   * `rds_aurora.limitless_create_table_mode` set in it to a known constant (the server's default, a
   * role's or database's setting, a psql variable would decide), or made sharded with no shard key
   * or one that is not a constant. Routing treats such a table as unknown.
   */
  readonly placementUnknown?: true;
}

/** The effective `rds_aurora.limitless_create_table_*` settings (docs/limitless/tables.md#creating-tables). */
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
  /** Enum types created so far in this text (`CREATE TYPE … AS ENUM`): key `schema.name` → labels. */
  readonly enums: ReadonlyMap<string, readonly string[]>;
  /**
   * Whether an `rds_aurora.limitless_create_table_*` variable was SET or RESET earlier in this text,
   * i.e. whether it creates Limitless tables with the session variables (docs/limitless/tables.md#creating-tables) rather than
   * with the conversion procedures (docs/limitless/tables.md#converting-tables).
   */
  readonly createTableVariablesUsed: boolean;
}

/** Where a new table goes under the settings in force: its mode, shard key and collocation. */
export interface Placement {
  readonly mode: TableMode;
  readonly shardKey: readonly string[];
  /** Key of the table it is collocated with (resolved against the known tables). */
  readonly collocateWith?: string;
}

const MODE = 'rds_aurora.limitless_create_table_mode';
const SHARD_KEY = 'rds_aurora.limitless_create_table_shard_key';
const COLLOCATE = 'rds_aurora.limitless_create_table_collocate_with';
const VARIABLES = new Set([MODE, SHARD_KEY, COLLOCATE]);

type Vars = Record<string, string | undefined>;

/** Everything a ROLLBACK (TO SAVEPOINT) restores. */
interface Saved {
  readonly session: Vars;
  readonly local: Vars;
  readonly tables: LayeredMap<string, LearnedTable>;
  readonly enums: ReadonlyMap<string, readonly string[]>;
}

/**
 * Replays DDL in order, the way a Limitless session would execute it: `SET` lasts for the session,
 * `SET LOCAL` until the end of the transaction (and is ignored outside one), `RESET` returns to the
 * default (`standard`), and a ROLLBACK (or ROLLBACK TO SAVEPOINT) undoes the SETs and the DDL of the
 * transaction (or since the savepoint), since PostgreSQL's DDL is transactional. CREATE TABLE, CREATE
 * TABLE AS and SELECT INTO take the settings in force; `CALL rds_aurora.limitless_alter_table_type_sharded /
 * _reference` converts; renames, schema moves and drops apply.
 */
export class DdlReplay {
  private session: Vars = {};
  private local: Vars = {};
  /** The state at BEGIN, while a transaction block is open. */
  private transaction: Saved | undefined;
  private savepoints: { readonly name: string; readonly saved: Saved }[] = [];
  // Copy on write: the maps are shared with the states handed out and the savepoints until the replay
  // changes them; only then does it copy (writableTables, writableEnums). The tables are a layer of
  // changes over the known tables (LayeredMap): those can number thousands, and a text changes few.
  private tableMap: LayeredMap<string, LearnedTable>;
  private enumMap: ReadonlyMap<string, readonly string[]> = new Map();
  private ownTables = false;
  private ownEnums = false;
  private variablesUsed = false;
  private state: SchemaState | undefined;

  private readonly initial: ReadonlyMap<string, LearnedTable>;

  constructor(
    private readonly searchPath: readonly string[] = ['public'],
    initial?: ReadonlyMap<string, LearnedTable>,
  ) {
    this.initial = initial ?? new Map();
    this.tableMap = new LayeredMap(this.initial);
    this.ownTables = true;
  }

  private writableTables(): LayeredMap<string, LearnedTable> {
    if (!this.ownTables) {
      this.tableMap = this.tableMap.fork();
      this.ownTables = true;
    }
    return this.tableMap;
  }

  private writableEnums(): Map<string, readonly string[]> {
    if (!this.ownEnums) {
      this.enumMap = new Map(this.enumMap);
      this.ownEnums = true;
    }
    return this.enumMap as Map<string, readonly string[]>;
  }

  /** The tables now: the very map the replay started from while nothing changed it. */
  get tables(): ReadonlyMap<string, LearnedTable> {
    return this.tableMap.unchanged ? this.initial : this.tableMap;
  }

  /** {@link tables} as one plain map: for a caller that keeps them as the base of further replays. */
  flatTables(): ReadonlyMap<string, LearnedTable> {
    return this.tableMap.unchanged ? this.initial : new Map(this.tableMap);
  }

  /** The state before `statement` runs; then applies it. */
  step(statement: Statement): SchemaState {
    const state = this.current();
    this.advance(statement);
    return state;
  }

  /** Applies a statement, without the state before it (for callers that only want the tables). */
  advance(statement: Statement): void {
    if (!statement.ast || isReplayNeutral(statement.ast)) return;
    this.state = undefined;
    this.apply(statement.ast, statement);
  }

  /** The state in force now, i.e. before the next statement runs. */
  current(): SchemaState {
    // One state object is shared by the statements between two that the replay acts on; it shares
    // the maps, which the replay copies before it next changes them.
    if (this.state) return this.state;
    this.ownTables = this.ownEnums = false;
    this.state = {
      settings: this.settings(),
      inTransaction: this.transaction !== undefined,
      tables: this.tables,
      enums: this.enumMap,
      createTableVariablesUsed: this.variablesUsed,
    };
    return this.state;
  }

  /**
   * Whether the tables or enum types in force differ from the initial tables (a change adds to the
   * tables' layer; a ROLLBACK to before it brings the empty layer back): while they do not, the
   * schema is exactly the tables the replay started from.
   */
  get touchedSchema(): boolean {
    return this.enumMap.size > 0 || !this.tableMap.unchanged;
  }

  /** A create-table variable's value in force: SET LOCAL over SET; undefined when not set in this text. */
  private setting(name: string): string | undefined {
    return name in this.local ? this.local[name] : this.session[name];
  }

  settings(): CreateTableSettings {
    const mode = (this.setting(MODE) ?? 'standard').toLowerCase();
    const shardKey = parseArrayLiteral(this.setting(SHARD_KEY));
    const collocate = this.setting(COLLOCATE);
    return { mode, ...(shardKey ? { shardKey } : {}), ...(collocate ? { collocateWith: collocate } : {}) };
  }

  /**
   * A table just created, marked `placementUnknown` unless the text determines where it goes: the
   * create-table mode SET in this text to a known constant (not the server's, a role's or database's
   * default after no SET or a RESET, nor a psql variable), and a sharded table's key constant.
   */
  private placed<T extends LearnedTable>(table: T): T {
    const mode = this.setting(MODE)?.toLowerCase();
    const explicit = mode === 'sharded' || mode === 'reference' || mode === 'standard';
    return explicit && (table.mode !== 'sharded' || validShardKey(table.shardKey)) ? table : { ...table, placementUnknown: true };
  }

  // Every statement kind handled here must make isReplayNeutral() answer false.
  private apply(ast: Node, statement: Statement): void {
    if ('TransactionStmt' in ast) return this.transactionStmt(ast.TransactionStmt);
    if ('VariableSetStmt' in ast) return this.variable(ast.VariableSetStmt);
    if ('DiscardStmt' in ast) {
      // DISCARD ALL includes RESET ALL (it cannot run inside a transaction block).
      if (ast.DiscardStmt.target === 'DISCARD_ALL') {
        this.session = {};
        this.local = {};
      }
      return;
    }
    if ('CreateStmt' in ast) return this.create(ast.CreateStmt, statement);
    if ('CreateTableAsStmt' in ast) {
      const s = ast.CreateTableAsStmt;
      if (s.objtype === 'OBJECT_TABLE' && s.into) this.createAs(s.into, s.if_not_exists === true);
      return;
    }
    if ('SelectStmt' in ast) {
      // SELECT … INTO creates a table like CREATE TABLE AS, under the same settings (docs/limitless/tables.md#creating-tables).
      if (ast.SelectStmt.intoClause) this.createAs(ast.SelectStmt.intoClause, false);
      return;
    }
    if ('CallStmt' in ast) return this.call(ast.CallStmt.funccall);
    if ('RenameStmt' in ast) return this.rename(ast.RenameStmt);
    if ('AlterObjectSchemaStmt' in ast) return this.moveSchema(ast.AlterObjectSchemaStmt);
    if ('DropStmt' in ast) return this.drop(ast.DropStmt);
    if ('AlterTableStmt' in ast) return this.alter(ast.AlterTableStmt, statement);
    if ('IndexStmt' in ast) return this.index(ast.IndexStmt);
    if ('CreateEnumStmt' in ast) {
      const key = this.typeKey(stringList(ast.CreateEnumStmt.typeName));
      if (key) this.writableEnums().set(key, stringList(ast.CreateEnumStmt.vals));
      return;
    }
    if ('AlterEnumStmt' in ast) {
      const e = ast.AlterEnumStmt;
      const key = this.typeKey(stringList(e.typeName));
      const labels = key ? this.enumMap.get(key) : undefined;
      if (!key || !labels || !e.newVal) return;
      if (e.oldVal) this.writableEnums().set(key, labels.map((l) => (l === e.oldVal ? (e.newVal as string) : l)));
      else if (!labels.includes(e.newVal)) this.writableEnums().set(key, [...labels, e.newVal]);
    }
  }

  private transactionStmt(t: Extract<Node, { TransactionStmt: unknown }>['TransactionStmt']): void {
    switch (t.kind) {
      case 'TRANS_STMT_BEGIN':
      case 'TRANS_STMT_START':
        // BEGIN inside a transaction block only warns.
        this.transaction ??= this.save();
        return;
      case 'TRANS_STMT_COMMIT':
      case 'TRANS_STMT_PREPARE':
        this.endTransaction(false, t.chain === true);
        return;
      case 'TRANS_STMT_ROLLBACK':
        this.endTransaction(true, t.chain === true);
        return;
      case 'TRANS_STMT_SAVEPOINT':
        if (this.transaction && t.savepoint_name) this.savepoints.push({ name: t.savepoint_name, saved: this.save() });
        return;
      case 'TRANS_STMT_ROLLBACK_TO': {
        const at = this.savepointIndex(t.savepoint_name);
        const target = this.savepoints[at];
        if (!target) return;
        // The savepoint itself survives a ROLLBACK TO; later ones are gone.
        this.savepoints = this.savepoints.slice(0, at + 1);
        this.restore(target.saved);
        return;
      }
      case 'TRANS_STMT_RELEASE': {
        const at = this.savepointIndex(t.savepoint_name);
        if (at >= 0) this.savepoints = this.savepoints.slice(0, at);
        return;
      }
      default:
        return;
    }
  }

  private savepointIndex(name: string | undefined): number {
    for (let i = this.savepoints.length - 1; i >= 0; i--) if (this.savepoints[i]?.name === name) return i;
    return -1;
  }

  private save(): Saved {
    this.ownTables = this.ownEnums = false;
    return { session: { ...this.session }, local: { ...this.local }, tables: this.tableMap, enums: this.enumMap };
  }

  private restore(saved: Saved): void {
    this.session = { ...saved.session };
    this.local = { ...saved.local };
    this.tableMap = saved.tables;
    this.enumMap = saved.enums;
    this.ownTables = this.ownEnums = false;
  }

  /** COMMIT keeps the session SETs and the DDL; ROLLBACK undoes both. SET LOCAL ends either way. */
  private endTransaction(rollback: boolean, chain: boolean): void {
    if (rollback && this.transaction) this.restore(this.transaction);
    this.transaction = undefined;
    this.savepoints = [];
    this.local = {};
    // COMMIT/ROLLBACK AND CHAIN starts a new transaction at once.
    if (chain) this.transaction = this.save();
  }

  private variable(v: Extract<Node, { VariableSetStmt: unknown }>['VariableSetStmt']): void {
    const name = v.name ?? '';
    if (v.kind === 'VAR_RESET_ALL') {
      this.session = {};
      this.local = {};
      return;
    }
    if (!VARIABLES.has(name)) return;
    this.variablesUsed = true;
    // SET LOCAL outside a transaction block has no effect (PostgreSQL warns and ignores it).
    if (v.is_local && this.transaction === undefined) return;
    const target = v.is_local ? this.local : this.session;
    if (v.kind === 'VAR_RESET' || v.kind === 'VAR_SET_DEFAULT') {
      target[name] = undefined;
      if (!v.is_local) delete this.local[name];
      return;
    }
    if (v.kind !== 'VAR_SET_VALUE') return;
    const value = (v.args ?? []).map(constString).join(',');
    target[name] = value;
    // A session SET after a SET LOCAL in the same transaction overrides it (guc.c, push_old_value).
    if (!v.is_local) delete this.local[name];
  }

  private create(c: CreateStmt, statement: Statement): void {
    const table = learnCreateTable(c, statement, this.settings(), this.tableMap, this.searchPath);
    // CREATE TABLE IF NOT EXISTS leaves an existing table alone.
    if (!table || (c.if_not_exists && this.tableMap.has(table.key))) return;
    this.writableTables().set(table.key, this.placed(table));
  }

  private createAs(into: IntoClause, ifNotExists: boolean): void {
    const rel = into.rel;
    // Temporary tables are session-local, not Limitless tables.
    if (!rel?.relname || rel.relpersistence === 't') return;
    const schema = rel.schemaname ?? this.searchPath[0] ?? 'public';
    const key = tableKey(schema, rel.relname);
    if (ifNotExists && this.tableMap.has(key)) return;
    const placement = placeNewTable(this.settings(), this.tableMap, this.searchPath);
    this.writableTables().set(key, this.placed({ key, schema, name: rel.relname, ...placement, columns: [], uniques: [] }));
  }

  private call(f: Extract<Node, { FuncCall: unknown }>['FuncCall'] | undefined): void {
    const conversion = conversionCall(f);
    if (!conversion) return;
    const key = this.qualify(conversion.table);
    if (!key) return;
    const existing = this.tableMap.get(key);
    const dot = key.indexOf('.');
    const base: LearnedTable = existing ?? { key, schema: key.slice(0, dot), name: key.slice(dot + 1), mode: 'standard', shardKey: [], columns: [], uniques: [] };
    // The conversion decides the placement: whatever the table was created as no longer counts.
    const { collocateWith: _previous, placementUnknown: _unknown, ...rest } = base;
    void _previous;
    void _unknown;
    if (conversion.kind === 'reference') {
      this.writableTables().set(key, { ...rest, mode: 'reference', shardKey: [] });
      return;
    }
    const collocate = conversion.collocateWith ? this.qualify(conversion.collocateWith) : undefined;
    this.writableTables().set(key, {
      ...rest,
      mode: 'sharded',
      shardKey: conversion.shardKey,
      ...(collocate ? { collocateWith: collocate } : {}),
      ...(!validShardKey(conversion.shardKey) && { placementUnknown: true as const }),
    });
  }

  private rename(r: Extract<Node, { RenameStmt: unknown }>['RenameStmt']): void {
    const rel = r.relation;
    const key = rel ? this.resolve([...(rel.schemaname ? [rel.schemaname] : []), rel.relname ?? '']) : undefined;
    const table = key ? this.tableMap.get(key) : undefined;
    if (!table || !key || !r.newname) return;
    if (r.renameType === 'OBJECT_TABLE') {
      this.rekey(key, { ...table, key: tableKey(table.schema, r.newname), name: r.newname });
    } else if (r.renameType === 'OBJECT_COLUMN' && r.subname) {
      const from = r.subname;
      const to = r.newname;
      const swap = (c: string) => (c === from ? to : c);
      this.writableTables().set(key, {
        ...table,
        shardKey: table.shardKey.map(swap),
        columns: table.columns.map((c) => (c.name === from ? { ...c, name: to } : c)),
        ...(table.primaryKey ? { primaryKey: table.primaryKey.map(swap) } : {}),
        uniques: table.uniques.map((u) => u.map(swap)),
      });
    }
  }

  /** ALTER TABLE … SET SCHEMA. */
  private moveSchema(m: Extract<Node, { AlterObjectSchemaStmt: unknown }>['AlterObjectSchemaStmt']): void {
    const rel = m.relation;
    if (m.objectType !== 'OBJECT_TABLE' || !rel || !m.newschema) return;
    const key = this.resolve([...(rel.schemaname ? [rel.schemaname] : []), rel.relname ?? '']);
    const table = key ? this.tableMap.get(key) : undefined;
    if (!table || !key) return;
    this.rekey(key, { ...table, key: tableKey(m.newschema, table.name), schema: m.newschema });
  }

  /** Replaces the table at `oldKey` by `table` (with a new key), keeping collocations pointing at it. */
  private rekey(oldKey: string, table: LearnedTable): void {
    this.writableTables().delete(oldKey);
    this.writableTables().set(table.key, table);
    for (const [k, t] of this.tableMap) if (t.collocateWith === oldKey) this.writableTables().set(k, { ...t, collocateWith: table.key });
  }

  private drop(d: Extract<Node, { DropStmt: unknown }>['DropStmt']): void {
    if (d.removeType === 'OBJECT_TABLE') {
      for (const obj of d.objects ?? []) {
        const parts = 'List' in obj ? stringList(obj.List.items) : [];
        const key = this.resolve(parts);
        if (key && this.tableMap.has(key)) this.writableTables().delete(key);
      }
    } else if (d.removeType === 'OBJECT_TYPE') {
      for (const obj of d.objects ?? []) {
        const key = 'TypeName' in obj ? this.typeKey(stringList(obj.TypeName.names)) : undefined;
        if (key && this.enumMap.has(key)) this.writableEnums().delete(key);
      }
    }
  }

  private alter(a: Extract<Node, { AlterTableStmt: unknown }>['AlterTableStmt'], statement: Statement): void {
    const rel = a.relation;
    if (a.objtype !== undefined && a.objtype !== 'OBJECT_TABLE') return;
    const key = rel ? this.resolve([...(rel.schemaname ? [rel.schemaname] : []), rel.relname ?? '']) : undefined;
    const table = key ? this.tableMap.get(key) : undefined;
    if (!table || !key) return;
    let next: LearnedTable = table;
    const updateColumn = (name: string | undefined, change: (c: LearnedColumn) => LearnedColumn) => {
      next = { ...next, columns: next.columns.map((c) => (c.name === name ? change(c) : c)) };
    };
    for (const cmd of a.cmds ?? []) {
      if (!('AlterTableCmd' in cmd)) continue;
      const c = cmd.AlterTableCmd;
      const def = c.def;
      switch (c.subtype) {
        case 'AT_AddColumn':
          if (def && 'ColumnDef' in def) next = { ...next, columns: [...next.columns, learnColumn(def.ColumnDef, statement)] };
          break;
        case 'AT_DropColumn':
          next = { ...next, columns: next.columns.filter((col) => col.name !== c.name) };
          break;
        case 'AT_AddConstraint':
          if (def && 'Constraint' in def) {
            const keys = constraintKeys(def.Constraint);
            if (keys.length === 0) break;
            if (def.Constraint.contype === 'CONSTR_PRIMARY') next = { ...next, primaryKey: keys };
            if (def.Constraint.contype === 'CONSTR_UNIQUE') next = { ...next, uniques: [...next.uniques, keys] };
          }
          break;
        case 'AT_AlterColumnType':
          if (def && 'ColumnDef' in def && def.ColumnDef.typeName) {
            const type = typeNameText(def.ColumnDef.typeName);
            updateColumn(c.name, (col) => ({ ...col, type }));
          }
          break;
        case 'AT_ColumnDefault': {
          // SET DEFAULT nextval(…) makes a sequence column; DROP DEFAULT ends it (IDENTITY aside).
          const nextval = def !== undefined && callsNextval(def);
          updateColumn(c.name, (col) => ({ ...col, sequence: nextval || col.identity }));
          break;
        }
        case 'AT_AddIdentity':
          updateColumn(c.name, (col) => ({ ...col, identity: true, sequence: true }));
          break;
        case 'AT_DropIdentity':
          updateColumn(c.name, (col) => ({ ...col, identity: false, sequence: false }));
          break;
        default:
          break;
      }
    }
    this.writableTables().set(key, next);
  }

  /** A unique index on plain columns counts like a UNIQUE constraint. */
  private index(i: Extract<Node, { IndexStmt: unknown }>['IndexStmt']): void {
    if (!i.unique || !i.relation) return;
    const rel = i.relation;
    const key = this.resolve([...(rel.schemaname ? [rel.schemaname] : []), rel.relname ?? '']);
    const table = key ? this.tableMap.get(key) : undefined;
    if (!table || !key) return;
    const columns = indexColumns(i.indexParams);
    if (!columns) return;
    if (i.isconstraint && i.primary) this.writableTables().set(key, { ...table, primaryKey: columns });
    else this.writableTables().set(key, { ...table, uniques: [...table.uniques, columns] });
  }

  /** Key of an existing table named by `parts` (search_path for unqualified names). */
  private resolve(parts: readonly string[]): string | undefined {
    return resolveTableKey(parts, this.tableMap, this.searchPath);
  }

  /** A table name given as a string (procedure argument, session variable) → its key. */
  private qualify(text: string): string | undefined {
    return qualifyTableName(text, this.tableMap, this.searchPath);
  }

  /** Key of a type named by `parts`: `schema.name`, unqualified names in the first search_path schema. */
  private typeKey(parts: readonly string[]): string | undefined {
    return resolveTableKey(parts, this.enumMap, this.searchPath);
  }
}

/**
 * Whether replaying a statement of this kind can never change the replay's state (settings,
 * transaction, tables, enum types): the statements {@link DdlReplay.apply} ignores. Kept next to it.
 */
export function isReplayNeutral(ast: Node): boolean {
  if ('SelectStmt' in ast) return ast.SelectStmt.intoClause === undefined;
  return !(
    'TransactionStmt' in ast ||
    'VariableSetStmt' in ast ||
    'DiscardStmt' in ast ||
    'CreateStmt' in ast ||
    'CreateTableAsStmt' in ast ||
    'CallStmt' in ast ||
    'RenameStmt' in ast ||
    'AlterObjectSchemaStmt' in ast ||
    'DropStmt' in ast ||
    'AlterTableStmt' in ast ||
    'IndexStmt' in ast ||
    'CreateEnumStmt' in ast ||
    'AlterEnumStmt' in ast
  );
}

/**
 * Statements whose kind replay leaves alone (see {@link isReplayNeutral} and what `apply` does with
 * each kind), told from their first words, so that a caller learning tables need not parse them:
 * CREATE/ALTER/DROP of functions, views, roles, triggers and the like (a DROP or a RENAME acts only on
 * tables and types), and SETs and RESETs of variables other than the Limitless CREATE TABLE ones. A
 * list of what is known to be neutral: anything else is parsed and replayed.
 */
const NEUTRAL_CREATE =
  /^create\s+(?:or\s+replace\s+)?(?:function|procedure|view|trigger|role|user|group|domain|aggregate|rule|operator|policy|publication|subscription|extension|language|trusted|procedural|cast|collation|conversion|sequence|statistics|access|tablespace|server|database|event|transform|constraint)\b/i;
const NEUTRAL_ALTER = /^alter\s+(?:function|procedure|routine|role|user|group|domain|aggregate|operator|policy|publication|subscription|extension|language|collation|conversion|sequence|statistics|tablespace|server|database|event|default|large|system|trigger|rule)\b/i;
const NEUTRAL_DROP = /^drop\s+(?:function|procedure|routine|view|materialized|trigger|role|user|group|domain|aggregate|rule|operator|policy|publication|subscription|extension|language|cast|collation|conversion|sequence|statistics|access|tablespace|server|database|event|transform|index|owned)\b/i;
const NEUTRAL_SET = /^(?:set|reset)\b/i;

/** Whether replaying this statement (its text, from its first word) can change what replay knows. */
export function mayReplayChange(text: string): boolean {
  if (NEUTRAL_CREATE.test(text) || NEUTRAL_ALTER.test(text) || NEUTRAL_DROP.test(text)) return false;
  // A SET of another variable; not RESET ALL; nothing spelled with escapes (U&"…").
  if (NEUTRAL_SET.test(text)) return /limitless_create_table|\ball\b|u&/i.test(text);
  return true;
}

/**
 * Where a table created now goes (docs/limitless/tables.md#creating-tables): the mode in force; for a sharded table the shard
 * key in force, or else the shard key of the table it is collocated with; the collocation only for a
 * sharded table. `shard_key` and `collocate_with` are ignored in the other modes.
 */
export function placeNewTable(settings: CreateTableSettings, tables: ReadonlyMap<string, LearnedTable>, searchPath: readonly string[]): Placement {
  const mode: TableMode = settings.mode === 'sharded' ? 'sharded' : settings.mode === 'reference' ? 'reference' : 'standard';
  if (mode !== 'sharded') return { mode, shardKey: [] };
  const collocate = settings.collocateWith ? qualifyTableName(settings.collocateWith, tables, searchPath) : undefined;
  const shardKey = [...(settings.shardKey ?? (collocate ? tables.get(collocate)?.shardKey : undefined) ?? [])];
  return { mode, shardKey, ...(collocate ? { collocateWith: collocate } : {}) };
}

/**
 * The table a CREATE TABLE creates under `settings`, with its columns and keys; `undefined` for a
 * temporary table (session-local, never a Limitless table).
 */
export function learnCreateTable(
  c: CreateStmt,
  statement: Statement,
  settings: CreateTableSettings,
  tables: ReadonlyMap<string, LearnedTable>,
  searchPath: readonly string[],
): LearnedTable | undefined {
  const rel = c.relation;
  if (!rel?.relname || rel.relpersistence === 't') return undefined;
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
  const schema = rel.schemaname ?? searchPath[0] ?? 'public';
  const key = tableKey(schema, rel.relname);
  const placement = placeNewTable(settings, tables, searchPath);
  return { key, schema, name: rel.relname, ...placement, columns, ...(primaryKey ? { primaryKey } : {}), uniques };
}

/** A `CALL rds_aurora.limitless_alter_table_type_*` (docs/limitless/tables.md#converting-tables), its arguments read. */
export type ConversionCall =
  | { readonly kind: 'sharded'; readonly table: string; readonly shardKey: readonly string[]; readonly collocateWith?: string; readonly args: readonly Node[] }
  | { readonly kind: 'reference'; readonly table: string; readonly args: readonly Node[] };

/** Reads a conversion procedure call; `undefined` for any other call or one without a table argument. */
export function conversionCall(f: Extract<Node, { FuncCall: unknown }>['FuncCall'] | undefined): ConversionCall | undefined {
  const name = stringList(f?.funcname).join('.');
  const args = f?.args ?? [];
  const table = args[0] ? constString(args[0]) : '';
  if (!table) return undefined;
  if (name === 'rds_aurora.limitless_alter_table_type_reference' || name === 'rds_aurora.limitless_table_alter_type_reference') return { kind: 'reference', table, args };
  if (name !== 'rds_aurora.limitless_alter_table_type_sharded') return undefined;
  // Shard-key names are case-sensitive string literals here (docs/limitless/tables.md#converting-tables).
  const shardKey = arrayArgument(args[1]) ?? [];
  const collocateWith = args[2] ? constString(args[2]) : '';
  return { kind: 'sharded', table, shardKey, ...(collocateWith ? { collocateWith } : {}), args };
}

/** A shard key that places rows: at least one column, every one a constant name. */
function validShardKey(key: readonly string[]): boolean {
  return key.length > 0 && key.every((k) => k !== '');
}

/** `ARRAY['a', 'b']`, `ARRAY['a']::text[]` or `'{a,b}'` → its strings. */

function arrayArgument(node: Node | undefined): string[] | undefined {
  if (!node) return undefined;
  if ('TypeCast' in node && node.TypeCast.arg && 'A_ArrayExpr' in node.TypeCast.arg) return arrayArgument(node.TypeCast.arg);
  if ('A_ArrayExpr' in node) return (node.A_ArrayExpr.elements ?? []).map(constString);
  return parseArrayLiteral(constString(node));
}

/** Key of a table (or type) named by normalised `parts` in `tables`; an unqualified name is looked up along `searchPath`. */
export function resolveTableKey(parts: readonly string[], tables: ReadonlyMap<string, unknown>, searchPath: readonly string[]): string | undefined {
  const name = parts[parts.length - 1];
  if (name === undefined || name === '') return undefined;
  if (parts.length >= 2) return tableKey(parts[parts.length - 2] as string, name);
  for (const schema of searchPath) {
    const key = tableKey(schema, name);
    if (tables.has(key)) return key;
  }
  return tableKey(searchPath[0] ?? 'public', name);
}

/** A table name given as a string (procedure argument, session variable; folded like `regclass`) → its key. */
export function qualifyTableName(text: string, tables: ReadonlyMap<string, LearnedTable>, searchPath: readonly string[]): string | undefined {
  const q = parseQualifiedName(text, searchPath);
  if (q) return resolveTableKey(parseIdentifierChain(text)?.length === 2 ? [q.schema, q.name] : [q.name], tables, searchPath);
  // Not a clean identifier chain: take it apart at the dots.
  return resolveTableKey(text.split('.').map((p) => normalizeIdentifier(p.trim())), tables, searchPath);
}

/** The labels of the enum type a column type names, if the DDL created it. */
export function enumLabels(enums: ReadonlyMap<string, readonly string[]>, type: string, searchPath: readonly string[]): readonly string[] | undefined {
  if (type.endsWith('[]')) return undefined;
  // Learned type names are already normalised (see typeNameText).
  const key = resolveTableKey(type.split('.'), enums, searchPath);
  return key === undefined ? undefined : enums.get(key);
}

/** A column definition as the replay records it. */
export function learnColumn(def: ColumnDef, statement: Statement): LearnedColumn {
  const type = def.typeName ? typeNameText(def.typeName) : '';
  const constraints = (def.constraints ?? []).flatMap((c) => ('Constraint' in c ? [c.Constraint] : []));
  const identity = constraints.some((c) => c.contype === 'CONSTR_IDENTITY') || !!def.identity;
  const nextval = constraints.some((c) => c.contype === 'CONSTR_DEFAULT' && c.raw_expr !== undefined && callsNextval(c.raw_expr));
  const serial = SERIAL_TYPES.has(type);
  return { name: def.colname ?? '', type, sequence: serial || nextval || identity, identity, offset: statement.offsetOf(def.location) };
}

const SERIAL_TYPES = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

/** PostgreSQL's internal type names → what people write. */
const DISPLAY_TYPES: Readonly<Record<string, string>> = {
  int8: 'bigint',
  int4: 'integer',
  int2: 'smallint',
  bool: 'boolean',
  float8: 'double precision',
  float4: 'real',
  bpchar: 'char',
  varchar: 'varchar',
  timestamptz: 'timestamptz',
  timetz: 'timetz',
};

/**
 * A type name as the replay records it: without `pg_catalog.` and type modifiers, internal names
 * mapped (`int8` → `bigint`), `[]` appended for arrays. Other names keep their (normalised) spelling.
 */
export function typeNameText(typeName: TypeName): string {
  const names = stringList(typeName.names);
  const parts = names[0] === 'pg_catalog' && names.length === 2 ? names.slice(1) : names;
  const base = parts.join('.');
  const shown = parts.length === 1 ? (DISPLAY_TYPES[base] ?? base) : base;
  return typeName.arrayBounds && typeName.arrayBounds.length > 0 ? `${shown}[]` : shown;
}

/** Whether an expression calls `nextval` (a sequence default). */
export function callsNextval(expr: Node): boolean {
  return JSON.stringify(expr).includes('{"String":{"sval":"nextval"}}');
}

/** The plain column names of index parameters; `undefined` when one is an expression. */
export function indexColumns(params: readonly Node[] | undefined): string[] | undefined {
  const out: string[] = [];
  for (const p of params ?? []) {
    if (!('IndexElem' in p) || !p.IndexElem.name) return undefined;
    out.push(p.IndexElem.name);
  }
  return out;
}

function constraintKeys(c: Constraint): string[] {
  return stringList(c.keys);
}

/** The text of a string constant (or a cast of one), `''` for anything else. */
export function constString(node: Node): string {
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
