import type { Suggestion } from '../diagnostic.js';
import type { Rel } from '../route/model.js';
import type { Pin } from '../route/pinning.js';
import { relLabel } from '../route/model.js';
import { boundedFanout, shardCount, shardKeyPartner } from '../route/pinning.js';
import { clauseEnd } from '../sql/clause-end.js';
import type { RuleContext } from './types.js';
import { defineRule } from './types.js';

type Unpinned = Extract<Pin, { state: 'all' }>;

export default defineRule({
  meta: {
    id: 'require-shard-key',
    description: 'Require an equality on the full shard key for every sharded table a statement reads or changes',
    category: 'routing',
    defaultLevel: 'error',
    facts: ['routing#single-shard-optimization', 'routing#transitivity', 'routing#in-lists-or-and-ranges', 'routing#ctes-and-subqueries'],
    messages: {
      missingShardKey: '`{{table}}` has no equality on its shard key `{{column}}`, so this statement runs on every shard.',
      unusableShardKey: '`{{table}}`: shard key `{{column}}` {{why}}, so this statement runs on every shard.',
      joinDoesNotCarry: '`{{table}}` is joined on `{{joinColumn}}`, not on its shard key `{{column}}`: the pin of `{{partner}}` does not carry over, so this statement runs on every shard.',
      multiShard: '`{{table}}`: {{predicate}} reaches up to {{fanout}} shards, not one.',
      onlyInOuterJoinOn: '`{{table}}` is pinned only in the ON clause of an outer join, which does not restrict the preserved side, so this statement runs on every shard.',
    },
    note: 'Limitless prunes shards only on explicit predicates on the shard key of every sharded table; a scatter-gather runs on all {{shards}} shards and is billed about {{shards}} times.',
    help: 'Add an equality on `{{column}}` (a constant or a bind parameter) for `{{table}}`.',
    options: {
      multiShard: { type: 'boolean', default: true, description: 'Also report bounded fan-outs (`IN (a, b)`, `= ANY($1)`, `OR`), as warnings.' },
    },
    examples: {
      invalid: [
        'SELECT * FROM transactions WHERE merchant_id = $1',
        'SELECT * FROM accounts a JOIN transactions t ON t.account_id = a.account_id JOIN ledger_entries l ON l.transaction_id = t.transaction_id WHERE a.account_id = $1',
      ],
      valid: [
        'SELECT * FROM transactions WHERE account_id = $1',
        'SELECT * FROM accounts a JOIN transactions t ON t.account_id = a.account_id WHERE a.account_id = $1',
      ],
    },
  },
  check(context) {
    const { analysis } = context;
    for (const rel of analysis.rels) {
      const pin = analysis.pins.get(rel.id);
      if (!pin || rel.mode !== 'sharded') continue;
      // INSERT targets are about rows, not predicates (no-multi-shard-write); TRUNCATE/COPY are whole-table by intent.
      if (analysis.inserts.has(rel.id) || analysis.wholeTable.has(rel.id)) continue;
      if (pin.state === 'all') reportUnpinned(context, rel, pin);
      else if (pin.state === 'multi' && context.options.multiShard !== false) {
        const shards = shardCount(context.manifest);
        context.report({
          messageId: 'multiShard',
          data: { table: rel.display, predicate: pin.texts.join(' and '), fanout: String(boundedFanout(pin.count, shards)), column: keyOf(rel), shards: String(shards) },
          span: context.statement.nameSpan(rel.offset),
          severity: 'warning',
          note: 'Limitless sends a multi-value shard-key predicate to every shard that holds one of the values: a distributed query, not the single-shard fast path.',
          help: 'If the values belong to one tenant, query them one key at a time or make the list a single value; otherwise accept the bounded fan-out.',
        });
      }
    }
  },
});

function keyOf(rel: Rel): string {
  return (rel.table?.shardKey ?? []).join(', ');
}

function reportUnpinned(context: RuleContext, rel: Rel, pin: Unpinned): void {
  const { statement, analysis } = context;
  const shards = String(shardCount(context.manifest));
  const base = { table: rel.display, column: pin.missing.join(', '), shards };
  const span = statement.nameSpan(rel.offset);
  if (pin.onlyOuterJoinOn) {
    context.report({ messageId: 'onlyInOuterJoinOn', data: base, span, help: 'Move the equality on `{{column}}` from the ON clause to WHERE (or make the join an inner join).' });
    return;
  }
  const unusable = pin.unusable[0];
  if (unusable) {
    context.report({
      messageId: 'unusableShardKey',
      data: { ...base, column: unusable.column, why: unusable.why },
      span,
      labels: [{ span: statement.tokenSpan(unusable.offset), message: 'this predicate cannot prune shards' }],
      help: 'Hash sharding prunes only on equality: compare `{{column}}` with `=` to a constant or bind parameter, without a cast or expression on the column.',
    });
    return;
  }
  const joined = pin.joinedOn[0];
  const fix = shardKeyPartner(rel, pin, analysis.rels, analysis.pins);
  if (fix) {
    const { partner, predicate } = fix;
    const data = { ...base, partner: relLabel(partner), joinColumn: joined?.column ?? '', predicate };
    const suggestions = suggestAppend(context, rel, predicate);
    context.report({
      messageId: joined ? 'joinDoesNotCarry' : 'missingShardKey',
      data,
      span,
      labels: [{ span: statement.nameSpan(partner.offset), message: `${partner.refName} is pinned, but the pin reaches ${rel.refName} only through an explicit shard-key equality` }],
      suggestions,
      help: 'Add `{{predicate}}`: Limitless needs the shard-key equality spelled out even when it is implied.',
    });
    return;
  }
  context.report({ messageId: 'missingShardKey', data: base, span });
}

/** Appends `AND <predicate>` to the relation's ON clause, or else to the WHERE clause, when its end is certain. */
function suggestAppend(context: RuleContext, rel: Rel, predicate: string): Suggestion[] {
  const at = clauseEnd(context.statement, rel.offset, 'ON') ?? clauseEnd(context.statement, rel.offset, 'WHERE');
  if (at === undefined) return [];
  return [{ message: `Add \`${predicate}\``, edits: [{ span: { start: at, end: at }, text: ` AND ${predicate}` }] }];
}
