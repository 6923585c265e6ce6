import { limitlessDocsUrl } from '../diagnostic.js';
import type { Node } from 'libpg-query';
import { stringList, walk } from '../route/ast.js';
import { builtinVolatility } from '../route/function-volatility.js';
import type { Rel } from '../route/model.js';
import type { Pin } from '../route/pinning.js';
import { boundedFanout, collocationGroup, shardCount, shareValues } from '../route/pinning.js';
import { relLabel } from '../route/model.js';
import type { RuleContext } from './types.js';
import { defineRule } from './types.js';

type Pinned = Extract<Pin, { state: 'pinned' }>;

const VERBS: Readonly<Record<string, string>> = { UPDATE: 'UPDATE', DELETE: 'DELETE', MERGE: 'MERGE', INSERT: 'INSERT' };

export default defineRule({
  meta: {
    id: 'no-multi-shard-write',
    description: 'Report INSERT, UPDATE, DELETE and MERGE statements that write a sharded table on more than one shard',
    category: 'routing',
    defaultLevel: 'warn',
    facts: ['routing#writes', 'routing#transactions'],
    messages: {
      allShards: 'This {{statement}} writes `{{table}}` on every shard ({{shards}}) in one distributed transaction: {{reason}}.',
      multiShard: 'This {{statement}} writes `{{table}}` on up to {{fanout}} shards in one distributed transaction ({{predicate}}).',
      multiRowInsert: 'This INSERT into `{{table}}` has {{detail}}: the rows go to up to {{fanout}} shards in one distributed transaction.',
      insertSelect: 'This INSERT … SELECT into `{{table}}` takes its rows from a query: it runs through the router and may write every shard ({{shards}}) in one distributed transaction.',
      severalTargets: 'This statement writes `{{table}}` ({{where}}) and `{{other}}` ({{otherWhere}}), which may be on different shards: one distributed transaction.',
      truncate: 'TRUNCATE empties `{{table}}` on every shard ({{shards}}) in one distributed transaction.',
      copyFrom: 'COPY … FROM loads `{{table}}` rows for any shard-key value: every shard ({{shards}}) may be written in one distributed transaction.',
    },
    note: 'A transaction that writes one shard commits on that shard; one that writes several is coordinated by the router with two-phase commit, holds row locks on every shard it writes until it commits, and can take part in distributed deadlocks (' + limitlessDocsUrl('routing', 'transactions') + ').',
    help: 'Write one shard-key value per statement: restrict the write with `{{column}} = <value>` and repeat it per key; for a deliberate bulk change, run it in small batches and suppress this report with a reason.',
    options: {
      wholeTable: { type: 'boolean', default: true, description: 'Also report TRUNCATE and COPY … FROM of sharded tables, at `info` severity (they write every shard by intent).' },
    },
    examples: {
      invalid: [
        'DELETE FROM transactions WHERE created_at < $1',
        "INSERT INTO accounts (account_id, owner_name) VALUES (1, 'Ann'), (2, 'Bob')",
      ],
      valid: [
        'DELETE FROM payment_methods WHERE account_id = $1 AND payment_method_id = $2',
        'INSERT INTO transactions (account_id, amount) VALUES ($1, 10), ($1, 20)',
      ],
    },
  },
  check(context) {
    const { analysis } = context;
    const shards = shardCount(context.manifest);
    const pinned: { rel: Rel; pin: Pinned }[] = [];
    for (const rel of analysis.rels) {
      if (rel.mode !== 'sharded' || rel.access !== 'write') continue;
      if (analysis.wholeTable.has(rel.id)) {
        if (context.options.wholeTable !== false) reportWholeTable(context, rel, shards);
        continue;
      }
      const pin = analysis.pins.get(rel.id);
      if (!pin) continue;
      if (pin.state === 'pinned') pinned.push({ rel, pin });
      else if (analysis.inserts.has(rel.id)) reportInsert(context, rel, pin, shards);
      else reportUpdate(context, rel, pin, shards);
    }
    reportSeveralTargets(context, pinned);
  },
});

function base(rel: Rel, shards: number): Record<string, string> {
  return { table: relLabel(rel), statement: VERBS[rel.block.label] ?? 'statement', shards: String(shards), column: (rel.table?.shardKey ?? []).join(', ') };
}

/** UPDATE, DELETE and MERGE targets: their pin comes from the statement's predicates. */
function reportUpdate(context: RuleContext, rel: Rel, pin: Exclude<Pin, Pinned>, shards: number): void {
  const span = context.statement.nameSpan(rel.offset);
  if (pin.state === 'multi') {
    const fanout = String(boundedFanout(pin.count, shards));
    context.report({ messageId: 'multiShard', data: { ...base(rel, shards), fanout, predicate: pin.texts.join(' and ') }, span });
    return;
  }
  const unusable = pin.unusable[0];
  const reason = unusable ? `its shard key \`${unusable.column}\` ${unusable.why}` : `there is no equality on its shard key \`${pin.missing.join(', ')}\``;
  context.report({ messageId: 'allShards', data: { ...base(rel, shards), reason }, span });
}

/** INSERT targets: several rows with different shard-key values, or rows from a query (docs/limitless/routing.md#writes). */
function reportInsert(context: RuleContext, rel: Rel, pin: Exclude<Pin, Pinned>, shards: number): void {
  if (pin.state !== 'multi') return;
  const span = context.statement.nameSpan(rel.offset);
  const source = context.analysis.inserts.get(rel.id)?.source;
  const sel = source && 'SelectStmt' in source ? source.SelectStmt : undefined;
  const setOperation = !!sel?.op && sel.op !== 'SETOP_NONE';
  if (sel?.valuesLists && !sel.fromClause && !setOperation) {
    const fanout = String(boundedFanout(pin.count, shards));
    context.report({
      messageId: 'multiRowInsert',
      data: { ...base(rel, shards), detail: pin.texts.join(' and '), fanout },
      span,
      help: 'Group the rows by `{{column}}` and insert each group with its own statement (in its own transaction where atomicity allows), so that each commits on one shard.',
    });
    return;
  }
  // `INSERT … SELECT <expressions>` without FROM produces one row unless a built-in set-returning
  // function (`generate_series`, `unnest` …) multiplies it: the analysis cannot tell its shard, but
  // nothing says it writes several.
  if (sel && !sel.fromClause && !setOperation && !sel.valuesLists && !returnsSet(sel.targetList)) return;
  context.report({
    messageId: 'insertSelect',
    data: base(rel, shards),
    span,
    help: 'If the rows share one `{{column}}` value, insert them with VALUES and that value as a constant or bind parameter; for a bulk copy, run it in batches, one shard-key value at a time.',
  });
}

/** Whether the expressions call a built-in set-returning function (user functions are not known). */
function returnsSet(nodes: readonly Node[] | undefined): boolean {
  let found = false;
  walk(nodes, (tag, body) => {
    if (tag === 'FuncCall') {
      const names = stringList(body.funcname as Node[] | undefined);
      const schema = names.length > 1 ? names[0] : undefined;
      if ((schema === undefined || schema === 'pg_catalog') && builtinVolatility(names[names.length - 1] ?? '')?.setReturning) found = true;
    }
    return !found;
  });
  return found;
}

function reportWholeTable(context: RuleContext, rel: Rel, shards: number): void {
  const truncate = rel.block.label === 'TRUNCATE';
  context.report({
    messageId: truncate ? 'truncate' : 'copyFrom',
    data: base(rel, shards),
    span: context.statement.nameSpan(rel.offset),
    severity: 'info',
    help: truncate
      ? 'Expected for maintenance: run it in a maintenance window, when no transaction holds rows of `{{table}}` on any shard.'
      : 'Expected for bulk loads: load in batches (grouped by `{{column}}` where possible) so that each distributed transaction stays short.',
  });
}

/**
 * Several write targets of one statement (data-modifying CTEs), each on one shard but not provably the
 * same one: different collocation groups, or shard-key values that may differ.
 */
function reportSeveralTargets(context: RuleContext, pinned: readonly { rel: Rel; pin: Pinned }[]): void {
  const targets: { rel: Rel; pin: Pinned; group: string }[] = [];
  for (const { rel, pin } of [...pinned].sort((a, b) => a.rel.offset - b.rel.offset)) {
    const group = collocationGroup(rel);
    const same = targets.find((t) => t.group === group && shareValues(t.pin.keys, pin.keys));
    if (same) continue;
    const first = targets[0];
    if (first) {
      context.report({
        messageId: 'severalTargets',
        data: { table: relLabel(rel), where: pin.texts.join(', '), other: relLabel(first.rel), otherWhere: first.pin.texts.join(', '), column: (rel.table?.shardKey ?? []).join(', ') },
        span: context.statement.nameSpan(rel.offset),
        labels: [{ span: context.statement.nameSpan(first.rel.offset), message: 'also written by this statement' }],
        help: 'Write each shard-key value in its own statement, or keep them together only when the writes must be atomic (and accept the two-phase commit).',
      });
    }
    targets.push({ rel, pin, group });
  }
}
