import { limitlessDocsUrl } from '../diagnostic.js';
import type { Constraint, CreateStmt, IndexStmt, IntoClause, Node } from 'libpg-query';
import type { Span } from '../diagnostic.js';
import { conversionCall, indexColumns, placeNewTable } from '../ddl/replay.js';
import type { LearnedTable } from '../ddl/replay.js';
import { stringList } from '../route/ast.js';
import { argumentSpan, keywordSpan, parenthesizedEnd } from './keyword-span.js';
import type { CatalogueTable } from '../catalogue/catalogue.js';
import { columnList, createdTable, inheritsColumns, matchColumn } from './known-table.js';
import type { RuleContext } from './types.js';
import { defineRule } from './types.js';

const REFERENCE_NOTE =
  'A reference table is copied to every shard and Limitless identifies its rows by primary key: it requires one to create or convert a reference table (' + limitlessDocsUrl('tables', 'shard-key-rules') + ').';

export default defineRule({
  meta: {
    id: 'require-shard-key-in-unique',
    description: 'Require every primary key and unique constraint of a sharded table to include the shard key, and a primary key on every reference table',
    category: 'schema',
    defaultLevel: 'error',
    facts: ['tables#creating-tables', 'tables#converting-tables', 'tables#shard-key-rules'],
    messages: {
      missingShardKey: '{{constraint}} on sharded table `{{table}}` does not include the shard key `{{missing}}`.',
      conversionBlocked: '`{{table}}` cannot be sharded on `{{shardKey}}`: its {{constraint}} does not include `{{missing}}`.',
      referenceWithoutPrimaryKey: 'Reference table `{{table}}` has no PRIMARY KEY.',
      referenceConversionWithoutPrimaryKey: '`{{table}}` has no PRIMARY KEY, so it cannot be converted to a reference table.',
      referenceCreateTableAs: '`{{table}}` is created by {{statement}} while the mode is `reference`, but a reference table needs a PRIMARY KEY, which {{statement}} cannot declare.',
    },
    note: 'Limitless checks uniqueness on each shard separately, so every primary and unique key of a sharded table must contain the shard key: "the shard key is a subset of the primary or unique key" (' + limitlessDocsUrl('tables', 'shard-key-rules') + ').',
    help: 'Add `{{missing}}` to the key, e.g. `{{suggested}}`, or choose a shard key that this key contains.',
    examples: {
      invalid: [
        "BEGIN;\nSET LOCAL rds_aurora.limitless_create_table_mode = 'sharded';\nSET LOCAL rds_aurora.limitless_create_table_shard_key = '{\"account_id\"}';\nCREATE TABLE invoices (\n    account_id bigint NOT NULL,\n    invoice_id bigint NOT NULL,\n    PRIMARY KEY (invoice_id)\n);\nCOMMIT;",
        'ALTER TABLE transactions ADD CONSTRAINT transactions_id_key UNIQUE (transaction_id);',
        "BEGIN;\nSET LOCAL rds_aurora.limitless_create_table_mode = 'reference';\nCREATE TABLE regions (code text NOT NULL, name text NOT NULL);\nCOMMIT;",
      ],
      valid: [
        "BEGIN;\nSET LOCAL rds_aurora.limitless_create_table_mode = 'sharded';\nSET LOCAL rds_aurora.limitless_create_table_shard_key = '{\"account_id\"}';\nCREATE TABLE invoices (\n    account_id bigint NOT NULL,\n    invoice_id bigint NOT NULL,\n    PRIMARY KEY (account_id, invoice_id)\n);\nCOMMIT;",
        'CREATE UNIQUE INDEX transactions_account_id_transaction_id_key ON transactions (account_id, transaction_id);',
        "BEGIN;\nSET LOCAL rds_aurora.limitless_create_table_mode = 'reference';\nCREATE TABLE regions (code text PRIMARY KEY, name text NOT NULL UNIQUE);\nCOMMIT;",
      ],
    },
  },
  check(context) {
    const { ast } = context;
    if ('CreateStmt' in ast) checkCreate(context, ast.CreateStmt);
    else if ('CreateTableAsStmt' in ast) {
      const s = ast.CreateTableAsStmt;
      if (s.objtype === 'OBJECT_TABLE' && s.into) checkCreateAs(context, s.into, 'CREATE TABLE AS');
    } else if ('SelectStmt' in ast && ast.SelectStmt.intoClause) checkCreateAs(context, ast.SelectStmt.intoClause, 'SELECT INTO');
    else if ('AlterTableStmt' in ast) checkAlter(context, ast.AlterTableStmt);
    else if ('IndexStmt' in ast) checkIndex(context, ast.IndexStmt);
    else if ('CallStmt' in ast) checkConversion(context, ast.CallStmt.funccall);
  },
});

/** A PRIMARY KEY or UNIQUE key: its columns, how to name it, where it is written. */
interface Key {
  readonly columns: readonly string[];
  readonly label: string;
  readonly span: Span;
  /** For a unique index: its parameter list as written, without the parentheses. */
  readonly indexList?: string;
}

function checkCreate(context: RuleContext, c: CreateStmt): void {
  const table = createdTable(context, c);
  const rel = c.relation;
  if (!table || !rel) return;
  const nameSpan = context.statement.nameSpan(context.statement.offsetOf(rel.location));
  if (table.mode === 'reference') {
    // A table built from LIKE / INHERITS / PARTITION OF may get its key from elsewhere.
    if (!table.primaryKey && !inheritsColumns(c)) {
      context.report({ messageId: 'referenceWithoutPrimaryKey', data: { table: table.name }, span: nameSpan, note: REFERENCE_NOTE, help: 'Declare a PRIMARY KEY in the CREATE TABLE, e.g. on the natural key of the reference data.' });
    }
    return;
  }
  const sharded = table.mode === 'sharded' ? table : declaredSharded(context, table);
  if (!sharded || sharded.mode !== 'sharded' || sharded.shardKey.length === 0) return;
  const shardKey = resolvedShardKey(sharded);
  for (const key of createKeys(context, c)) reportMissing(context, table.name, shardKey, key);
}

/** The PRIMARY KEY and UNIQUE keys a CREATE TABLE declares, inline and as table constraints. */
function createKeys(context: RuleContext, c: CreateStmt): Key[] {
  const keys: Key[] = [];
  for (const elt of c.tableElts ?? []) {
    if ('ColumnDef' in elt) {
      for (const k of elt.ColumnDef.constraints ?? []) {
        if (!('Constraint' in k)) continue;
        const key = inlineKey(context, k.Constraint, elt.ColumnDef.colname ?? '');
        if (key) keys.push(key);
      }
    } else if ('Constraint' in elt) {
      const key = tableKey(context, elt.Constraint);
      if (key) keys.push(key);
    }
  }
  return keys;
}

/** `id bigint PRIMARY KEY`: span the `PRIMARY KEY` / `UNIQUE` keywords (with `CONSTRAINT name`). */
function inlineKey(context: RuleContext, k: Constraint, column: string): Key | undefined {
  const primary = k.contype === 'CONSTR_PRIMARY';
  if (!primary && k.contype !== 'CONSTR_UNIQUE') return undefined;
  const from = context.statement.offsetOf(k.location);
  const words = primary ? ['PRIMARY', 'KEY'] : ['UNIQUE'];
  const keyword = keywordSpan(context.statement, words, from);
  const span = keyword ? { start: from, end: keyword.end } : context.statement.tokenSpan(from);
  return { columns: [column], label: `${primary ? 'PRIMARY KEY' : 'UNIQUE'} (${column})`, span };
}

/** `PRIMARY KEY (a, b)` / `CONSTRAINT x UNIQUE (a)`: span from the constraint to its closing parenthesis. */
function tableKey(context: RuleContext, k: Constraint): Key | undefined {
  const primary = k.contype === 'CONSTR_PRIMARY';
  if (!primary && k.contype !== 'CONSTR_UNIQUE') return undefined;
  const columns = stringList(k.keys);
  // `… USING INDEX name` names no columns here.
  if (columns.length === 0) return undefined;
  const from = context.statement.offsetOf(k.location);
  const end = parenthesizedEnd(context.statement, from);
  const span = end === undefined ? context.statement.tokenSpan(from) : { start: from, end };
  const kind = primary ? 'PRIMARY KEY' : 'UNIQUE';
  return { columns, label: k.conname ? `${kind} constraint \`${k.conname}\` (${columnList(columns)})` : `${kind} (${columnList(columns)})`, span };
}

function reportMissing(context: RuleContext, table: string, shardKey: readonly string[], key: Key): void {
  const missing = shardKey.filter((k) => !key.columns.includes(k));
  if (missing.length === 0) return;
  context.report({
    messageId: 'missingShardKey',
    data: { constraint: key.label, table, missing: columnList(missing), shardKey: columnList(shardKey), suggested: suggestedKey(key, missing) },
    span: key.span,
  });
}

/** `PRIMARY KEY (account_id, invoice_id)`: the key with the missing shard-key columns in front. */
function suggestedKey(key: Key, missing: readonly string[]): string {
  if (key.indexList !== undefined) return `(${columnList(missing)}, ${key.indexList})`;
  const kind = key.label.startsWith('PRIMARY KEY') ? 'PRIMARY KEY' : 'UNIQUE';
  return `${kind} (${columnList([...missing, ...key.columns])})`;
}

/** The shard key as the table's column names (a case-only difference in the array literal is forgiven). */
function resolvedShardKey(table: LearnedTable): string[] {
  const names = table.columns.map((c) => c.name);
  return table.shardKey.map((k) => matchColumn(k, names) ?? k);
}


/** CREATE TABLE AS / SELECT INTO in reference mode (docs/limitless/tables.md#creating-tables). */
function checkCreateAs(context: RuleContext, into: IntoClause, statement: string): void {
  const rel = into.rel;
  if (!rel?.relname || rel.relpersistence === 't') return;
  const placement = placeNewTable(context.schema.settings, context.schema.tables, context.catalogue.searchPath);
  if (placement.mode !== 'reference') return;
  context.report({
    messageId: 'referenceCreateTableAs',
    data: { table: rel.relname, statement },
    span: context.statement.nameSpan(context.statement.offsetOf(rel.location)),
    note: `${REFERENCE_NOTE} "You can't use CREATE TABLE AS to create reference tables, because they require primary key constraints."`,
    help: 'Create the table with CREATE TABLE and a PRIMARY KEY, then fill it with INSERT … SELECT.',
  });
}

/** ALTER TABLE … ADD [CONSTRAINT …] PRIMARY KEY / UNIQUE on a sharded table. */
function checkAlter(context: RuleContext, a: Extract<Node, { AlterTableStmt: unknown }>['AlterTableStmt']): void {
  const rel = a.relation;
  if (!rel?.relname || (a.objtype !== undefined && a.objtype !== 'OBJECT_TABLE')) return;
  const table = manifestSharded(context, context.catalogue.lookup(rel.schemaname, rel.relname));
  if (!table || table.mode !== 'sharded' || table.shardKey.length === 0) return;
  const shardKey = shardKeyOf(table);
  for (const cmd of a.cmds ?? []) {
    if (!('AlterTableCmd' in cmd)) continue;
    const c = cmd.AlterTableCmd;
    if (c.subtype === 'AT_AddConstraint' && c.def && 'Constraint' in c.def) {
      const key = tableKey(context, c.def.Constraint);
      if (key) reportMissing(context, table.name, shardKey, key);
    } else if (c.subtype === 'AT_AddColumn' && c.def && 'ColumnDef' in c.def) {
      for (const k of c.def.ColumnDef.constraints ?? []) {
        const key = 'Constraint' in k ? inlineKey(context, k.Constraint, c.def.ColumnDef.colname ?? '') : undefined;
        if (key) reportMissing(context, table.name, shardKey, key);
      }
    }
  }
}

/**
 * A plain CREATE TABLE (no Limitless session variables in the text) makes a standard table as the DDL
 * replay sees it; when the manifest declares the table sharded, the migration creates the table that
 * will be sharded (a PostgreSQL schema moved to Limitless), and its keys must hold the shard key.
 */
function declaredSharded(context: RuleContext, table: LearnedTable): LearnedTable | undefined {
  if (table.mode !== 'standard' || context.schema.createTableVariablesUsed) return undefined;
  const info = context.catalogue.declared(table.key);
  return info?.mode === 'sharded' ? { ...table, mode: 'sharded', shardKey: info.shardKey } : undefined;
}

/** {@link declaredSharded} for a table an ALTER TABLE or CREATE INDEX names. */
function manifestSharded(context: RuleContext, table: CatalogueTable | undefined): CatalogueTable | undefined {
  if (!table?.learned) return table;
  const sharded = declaredSharded(context, table.learned);
  return sharded ? { ...table, mode: 'sharded', shardKey: sharded.shardKey, learned: sharded } : table;
}

function shardKeyOf(table: CatalogueTable): string[] {
  return table.learned ? resolvedShardKey(table.learned) : [...table.shardKey];
}

/** CREATE UNIQUE INDEX on a sharded table: span from `UNIQUE` to the end of the column list. */
function checkIndex(context: RuleContext, i: IndexStmt): void {
  const rel = i.relation;
  if (!i.unique || !rel?.relname) return;
  const table = manifestSharded(context, context.catalogue.lookup(rel.schemaname, rel.relname));
  if (!table || table.mode !== 'sharded' || table.shardKey.length === 0) return;
  const { statement } = context;
  const relAt = statement.offsetOf(rel.location);
  const unique = keywordSpan(statement, ['UNIQUE']);
  const end = parenthesizedEnd(statement, relAt);
  const span = unique && end !== undefined ? { start: unique.start, end } : statement.nameSpan(relAt);
  // An expression is not the plain shard-key column, so only plain columns count.
  const columns = (i.indexParams ?? []).flatMap((p) => ('IndexElem' in p && p.IndexElem.name ? [p.IndexElem.name] : []));
  const open = keywordSpan(statement, ['('], relAt);
  const list = indexColumns(i.indexParams) ? `(${columnList(columns)})` : open && end !== undefined ? statement.text.slice(open.start - statement.span.start, end - statement.span.start) : '(…)';
  const label = i.idxname ? `Unique index \`${i.idxname}\` ${list}` : `Unique index ${list}`;
  reportMissing(context, table.name, shardKeyOf(table), { columns, label, span, indexList: list.slice(1, -1) });
}

/** CALL rds_aurora.limitless_alter_table_type_sharded / _reference on a table whose keys the DDL declared. */
function checkConversion(context: RuleContext, f: Extract<Node, { FuncCall: unknown }>['FuncCall'] | undefined): void {
  const call = conversionCall(f);
  if (!call) return;
  const key = context.catalogue.qualify(call.table);
  const table = key ? context.catalogue.learned(key) : undefined;
  // Only a table whose CREATE TABLE we saw has known keys.
  if (!table || table.columns.length === 0) return;
  const [tableArg, keyArg] = call.args;
  if (call.kind === 'reference') {
    if (table.primaryKey) return;
    context.report({
      messageId: 'referenceConversionWithoutPrimaryKey',
      data: { table: table.name },
      span: argumentSpan(context.statement, tableArg),
      note: REFERENCE_NOTE,
      help: 'Add a primary key first (`ALTER TABLE … ADD PRIMARY KEY (…)`), then convert the table.',
    });
    return;
  }
  const names = table.columns.map((c) => c.name);
  const shardKey = call.shardKey.map((k) => matchColumn(k, names) ?? k);
  if (shardKey.length === 0) return;
  const keys = [...(table.primaryKey ? [{ columns: table.primaryKey, label: `PRIMARY KEY (${columnList(table.primaryKey)})` }] : []), ...table.uniques.map((u) => ({ columns: u, label: `UNIQUE key (${columnList(u)})` }))];
  for (const k of keys) {
    const missing = shardKey.filter((s) => !k.columns.includes(s));
    if (missing.length === 0) continue;
    context.report({
      messageId: 'conversionBlocked',
      data: { table: table.name, shardKey: columnList(shardKey), constraint: k.label, missing: columnList(missing), suggested: `${k.label.startsWith('PRIMARY') ? 'PRIMARY KEY' : 'UNIQUE'} (${columnList([...missing, ...k.columns])})` },
      span: argumentSpan(context.statement, keyArg ?? tableArg),
      help: 'Redefine the key to include `{{missing}}` (e.g. `{{suggested}}`) before converting, or shard the table on a key it contains.',
    });
  }
}
