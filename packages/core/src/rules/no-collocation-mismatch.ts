import { limitlessDocsUrl } from '../diagnostic.js';
import type { CreateStmt, Node } from 'libpg-query';
import type { Span } from '../diagnostic.js';
import type { LearnedTable } from '../ddl/replay.js';
import { conversionCall } from '../ddl/replay.js';
import type { TableInfo, TableMode } from '../manifest/types.js';
import { argumentSpan } from './keyword-span.js';
import type { CatalogueTable } from '../catalogue/catalogue.js';
import { baseType, columnList, createdTable, inheritsColumns, matchColumn, shardKeyColumn, shortName } from './known-table.js';
import type { RuleContext } from './types.js';
import { defineRule } from './types.js';

const STATE_NOTE =
  'Limitless decides a table\'s mode, shard key and collocation from the `rds_aurora.limitless_create_table_*` settings in force at CREATE TABLE (' + limitlessDocsUrl('tables', 'creating-tables') + '); when they differ from limitless.yaml, either the table is created wrongly or the manifest misleads every routing verdict about it.';

export default defineRule({
  meta: {
    id: 'no-collocation-mismatch',
    description:
      'Report collocated tables whose shard-key column names or types differ, and CREATE TABLE statements whose Limitless mode, shard key or collocation disagree with the manifest or ignore a set shard key',
    category: 'schema',
    defaultLevel: 'error',
    facts: ['tables#collocation', 'tables#creating-tables', 'tables#converting-tables'],
    messages: {
      shardKeyNamesDiffer: '`{{table}}` is collocated with `{{target}}`, but its shard key `{{shardKey}}` differs from `{{target}}`\'s `{{targetShardKey}}`.',
      shardKeyTypesDiffer: '`{{table}}` is collocated with `{{target}}`, but shard-key column `{{column}}` has type `{{type}}` here and `{{targetType}}` in `{{target}}`.',
      collocatedWithNonSharded: '`{{table}}` is collocated with `{{target}}`, which is a {{targetMode}} table, not a sharded one.',
      unknownShardKeyColumn: 'Shard key `{{column}}` is not a column of `{{table}}`.',
      modeDisagrees: '`{{table}}` {{becomes}} a {{mode}} table here, but the manifest declares it {{manifestMode}}.',
      shardKeyDisagrees: '`{{table}}` is sharded on `{{shardKey}}` here, but the manifest declares shard key `{{manifestShardKey}}`.',
      collocationDisagrees: '`{{table}}` is {{actual}} here, but the manifest {{declared}}.',
      shardKeyIgnored: '`rds_aurora.limitless_create_table_shard_key` is set to `{{shardKey}}`, but `{{table}}` is created in mode `{{mode}}`, which ignores it.',
    },
    note: 'Collocated tables keep rows with the same shard-key value on the same shard only if "the same shard key … including the same column names and column types" is used (' + limitlessDocsUrl('tables', 'collocation') + '); otherwise joins between them cannot run on one shard.',
    help: 'Give `{{table}}` the shard key of `{{target}}` with the same column names and types, or do not collocate it.',
    examples: {
      invalid: [
        "BEGIN;\nSET LOCAL rds_aurora.limitless_create_table_mode = 'sharded';\nSET LOCAL rds_aurora.limitless_create_table_shard_key = '{\"account_id\"}';\nCREATE TABLE wallets (account_id bigint NOT NULL, PRIMARY KEY (account_id));\nSET LOCAL rds_aurora.limitless_create_table_collocate_with = 'wallets';\nCREATE TABLE wallet_events (account_id integer NOT NULL, event_id bigint NOT NULL, PRIMARY KEY (account_id, event_id));\nCOMMIT;",
        "BEGIN;\nSET LOCAL rds_aurora.limitless_create_table_mode = 'reference';\nCREATE TABLE countries (code char(2) PRIMARY KEY, name text NOT NULL);\nCOMMIT;\nCREATE TABLE accounts (account_id bigint PRIMARY KEY, owner_name text NOT NULL);",
      ],
      valid: [
        "BEGIN;\nSET LOCAL rds_aurora.limitless_create_table_mode = 'sharded';\nSET LOCAL rds_aurora.limitless_create_table_shard_key = '{\"account_id\"}';\nCREATE TABLE wallets (account_id bigint NOT NULL, PRIMARY KEY (account_id));\nSET LOCAL rds_aurora.limitless_create_table_collocate_with = 'wallets';\nCREATE TABLE wallet_events (account_id bigint NOT NULL, event_id bigint NOT NULL, PRIMARY KEY (account_id, event_id));\nCOMMIT;",
        "BEGIN;\nSET LOCAL rds_aurora.limitless_create_table_mode = 'sharded';\nSET LOCAL rds_aurora.limitless_create_table_shard_key = '{\"account_id\"}';\nCREATE TABLE accounts (account_id bigint PRIMARY KEY, owner_name text NOT NULL);\nCOMMIT;",
      ],
    },
  },
  check(context) {
    const { ast } = context;
    if ('CreateStmt' in ast) checkCreate(context, ast.CreateStmt);
    else if ('CallStmt' in ast) checkConversion(context, ast.CallStmt.funccall);
  },
});

function checkCreate(context: RuleContext, c: CreateStmt): void {
  const table = createdTable(context, c);
  const rel = c.relation;
  if (!table || !rel) return;
  const span = context.statement.nameSpan(context.statement.offsetOf(rel.location));
  const settings = context.schema.settings;
  // R-CREATE-MODE-STATE: a shard key set outside mode `sharded` is ignored (docs/limitless/tables.md#creating-tables).
  if (table.mode !== 'sharded' && settings.shardKey && settings.shardKey.length > 0) {
    context.report({
      messageId: 'shardKeyIgnored',
      data: { table: table.name, mode: table.mode, shardKey: columnList(settings.shardKey) },
      span,
      severity: 'warning',
      note: 'The shard key "is ignored when `rds_aurora.limitless_create_table_mode` isn\'t `sharded`" (' + limitlessDocsUrl('tables', 'creating-tables') + '): the table is not sharded although the script looks as if it were.',
      help: "Set `rds_aurora.limitless_create_table_mode = 'sharded'` before this CREATE TABLE if it should be sharded; otherwise RESET the shard key first.",
    });
  }
  const own = inheritsColumns(c) ? undefined : table;
  let unknownColumn = false;
  if (table.mode === 'sharded' && own) {
    for (const k of table.shardKey) {
      if (shardKeyColumn(own, k)) continue;
      unknownColumn = true;
      context.report({
        messageId: 'unknownShardKeyColumn',
        data: { table: table.name, column: k, columns: columnList(own.columns.map((col) => col.name)) },
        span,
        note: 'Limitless hashes the shard-key columns of every row; a shard key naming a column the table lacks makes the CREATE TABLE fail (' + limitlessDocsUrl('tables', 'creating-tables') + ').',
        help: 'Fix the name in `rds_aurora.limitless_create_table_shard_key` (the table has `{{columns}}`); array-literal names are taken verbatim.',
      });
    }
  }
  compareWithManifest(context, table, span, false, (mode) => mode === 'standard' && !context.schema.createTableVariablesUsed);
  // With a misspelt shard key the CREATE TABLE fails anyway: no point comparing it further.
  if (table.mode === 'sharded' && table.collocateWith && !unknownColumn) compareCollocated(context, table, own, span);
}

/**
 * The create-table session state (docs/limitless/tables.md#creating-tables): the mode, shard key and collocation the DDL gives a table
 * against what limitless.yaml declares. `quietMode` says when a mode difference is expected.
 */
function compareWithManifest(context: RuleContext, table: LearnedTable, span: Span, conversion: boolean, quietMode: (mode: TableMode) => boolean): void {
  const declared = context.catalogue.declared(table.key);
  if (!declared) return;
  const warn = { span, severity: 'warning' as const, note: STATE_NOTE };
  if (declared.mode !== table.mode) {
    if (quietMode(table.mode)) return;
    context.report({
      ...warn,
      messageId: 'modeDisagrees',
      data: { table: table.name, mode: table.mode, manifestMode: declared.mode, becomes: conversion ? 'is converted to' : 'is created as' },
      help: modeHelp(declared),
    });
    return;
  }
  if (table.mode !== 'sharded') return;
  const names = table.columns.map((c) => c.name);
  const shardKey = table.shardKey.map((k) => matchColumn(k, names) ?? k);
  if (shardKey.join('\u0000') !== declared.shardKey.join('\u0000')) {
    context.report({
      ...warn,
      messageId: 'shardKeyDisagrees',
      data: { table: table.name, shardKey: columnList(shardKey), manifestShardKey: columnList(declared.shardKey) },
      help: 'Make `rds_aurora.limitless_create_table_shard_key` and the manifest\'s `shard_key` name the same columns.',
    });
  }
  if ((table.collocateWith ?? '') !== (declared.collocateWith ?? '')) {
    context.report({
      ...warn,
      messageId: 'collocationDisagrees',
      data: {
        table: table.name,
        actual: table.collocateWith ? `collocated with \`${shortName(context, table.collocateWith)}\`` : 'not collocated with any table',
        declared: declared.collocateWith ? `collocates it with \`${shortName(context, declared.collocateWith)}\`` : 'declares no collocation for it',
      },
      help: declared.collocateWith
        ? `Set \`rds_aurora.limitless_create_table_collocate_with = '${shortName(context, declared.collocateWith)}'\` before this CREATE TABLE, or change the manifest.`
        : 'RESET `rds_aurora.limitless_create_table_collocate_with` before this CREATE TABLE, or declare the collocation in the manifest.',
    });
  }
}

function modeHelp(declared: TableInfo): string {
  if (declared.mode === 'standard') return 'Create it with `rds_aurora.limitless_create_table_mode` reset to `standard`, or change its mode in the manifest.';
  const key = declared.mode === 'sharded' ? ` and \`rds_aurora.limitless_create_table_shard_key = '{${declared.shardKey.map((k) => `"${k}"`).join(', ')}}'\`` : '';
  return `Set \`rds_aurora.limitless_create_table_mode = '${declared.mode}'\`${key} before this CREATE TABLE, or change its mode in the manifest.`;
}

/**
 * The collocation rule (docs/limitless/tables.md#converting-tables): same shard-key column names and types as the table it is
 * collocated with. Types are compared only when the DDL declared both tables' columns.
 */
function compareCollocated(context: RuleContext, table: LearnedTable, own: LearnedTable | undefined, span: Span): void {
  const key = table.collocateWith as string;
  const target = context.catalogue.byKey(key);
  const targetName = target?.name ?? shortName(context, key);
  // A target we know nothing about (created elsewhere, not in the manifest) is not judged.
  if (!target) return;
  if (target.mode !== 'sharded') {
    context.report({
      messageId: 'collocatedWithNonSharded',
      data: { table: table.name, target: targetName, targetMode: target.mode },
      span,
      help: 'Collocate `{{table}}` with a sharded table, or reset `rds_aurora.limitless_create_table_collocate_with`.',
    });
    return;
  }
  const names = own ? own.columns.map((c) => c.name) : [];
  const shardKey = table.shardKey.map((k) => matchColumn(k, names) ?? k);
  const targetKey = targetShardKey(target);
  if (shardKey.length !== targetKey.length || shardKey.some((k, i) => k !== targetKey[i])) {
    context.report({
      messageId: 'shardKeyNamesDiffer',
      data: { table: table.name, target: targetName, shardKey: columnList(shardKey), targetShardKey: columnList(targetKey) },
      span,
    });
    return;
  }
  if (!own || !target.learned || target.learned.columns.length === 0) return;
  for (const [i, k] of table.shardKey.entries()) {
    const mine = shardKeyColumn(own, k);
    const theirs = shardKeyColumn(target.learned, target.learned.shardKey[i] ?? k);
    if (!mine || !theirs || baseType(mine.type) === baseType(theirs.type)) continue;
    context.report({
      messageId: 'shardKeyTypesDiffer',
      data: { table: table.name, target: targetName, column: mine.name, type: mine.type, targetType: theirs.type },
      span,
      help: 'Declare `{{column}}` as `{{targetType}}`, the type it has in `{{target}}`.',
    });
  }
}

function targetShardKey(target: CatalogueTable): string[] {
  if (!target.learned) return [...target.shardKey];
  const names = target.learned.columns.map((c) => c.name);
  return target.shardKey.map((k) => matchColumn(k, names) ?? k);
}

/** CALL rds_aurora.limitless_alter_table_type_sharded(…, 'collocated_table') and conversions the manifest contradicts. */
function checkConversion(context: RuleContext, f: Extract<Node, { FuncCall: unknown }>['FuncCall'] | undefined): void {
  const call = conversionCall(f);
  if (!call) return;
  const key = context.catalogue.qualify(call.table);
  if (!key) return;
  const existing = context.catalogue.learned(key);
  const dot = key.indexOf('.');
  const base: LearnedTable = existing ?? { key, schema: key.slice(0, dot), name: key.slice(dot + 1), mode: 'standard', shardKey: [], columns: [], uniques: [] };
  const { collocateWith: _previous, ...rest } = base;
  void _previous;
  const collocateWith = call.kind === 'sharded' && call.collocateWith ? context.catalogue.qualify(call.collocateWith) : undefined;
  const converted: LearnedTable =
    call.kind === 'reference' ? { ...rest, mode: 'reference', shardKey: [] } : { ...rest, mode: 'sharded', shardKey: call.shardKey, ...(collocateWith ? { collocateWith } : {}) };
  const span = argumentSpan(context.statement, call.args[0]);
  compareWithManifest(context, converted, span, true, () => false);
  const own = existing && existing.columns.length > 0 ? converted : undefined;
  if (converted.mode === 'sharded' && converted.collocateWith) compareCollocated(context, converted, own, span);
}

/** A table key as people write it: without the schema when it is the first of the search path. */

