import { limitlessDocsUrl } from '../diagnostic.js';
import type { Node, RangeVar } from 'libpg-query';
import type { Rel } from '../route/model.js';
import { relLabel } from '../route/model.js';
import type { RuleContext } from './types.js';
import { defineRule } from './types.js';

export default defineRule({
  meta: {
    id: 'no-shard-key-update',
    description: 'Disallow UPDATE statements and ON CONFLICT DO UPDATE clauses that assign a shard-key column of a sharded table',
    category: 'routing',
    defaultLevel: 'error',
    facts: ['tables#shard-key-rules'],
    messages: {
      shardKeyUpdate: '`{{column}}` is the shard key of `{{table}}`: Limitless rejects this UPDATE with `ERROR: Shard key column update is not supported`.',
      upsertShardKeyUpdate: '`ON CONFLICT … DO UPDATE` assigns `{{column}}`, the shard key of `{{table}}`: Limitless rejects it with `ERROR: Shard key column update is not supported`.',
    },
    note: 'A row lives on the shard that the hash of its shard key selects; Limitless does not move rows between shards, so it refuses any change of a shard-key value, even to the same value (' + limitlessDocsUrl('tables', 'shard-key-rules') + ').',
    help: 'To move the row to another shard-key value, DELETE it and INSERT it with the new value in one transaction; if the SET only repeats the current value (an ORM writing every column), leave `{{column}}` out of the SET list.',
    examples: {
      invalid: [
        'UPDATE transactions SET account_id = $2 WHERE account_id = $1 AND transaction_id = $3',
        'UPDATE accounts SET (account_id, status) = ($2, $3) WHERE account_id = $1',
      ],
      valid: [
        'UPDATE transactions SET amount = $3 WHERE account_id = $1 AND transaction_id = $2',
        "UPDATE currencies SET code = 'EUR' WHERE code = 'XEU'",
      ],
    },
  },
  create(context) {
    return {
      UpdateStmt(update) {
        const target = writeTarget(context, update.relation);
        if (target) reportTargets(context, target, update.targetList, 'shardKeyUpdate');
      },
      InsertStmt(insert) {
        const clause = insert.onConflictClause;
        if (clause?.action !== 'ONCONFLICT_UPDATE') return;
        const target = writeTarget(context, insert.relation);
        if (target) reportTargets(context, target, clause.targetList, 'upsertShardKeyUpdate');
      },
    };
  },
});

/** The sharded table an UPDATE or INSERT writes, as the statement model resolved it. */
function writeTarget(context: RuleContext, relation: RangeVar | undefined): Rel | undefined {
  const rel = relation && context.analysis.model.relOf(relation);
  return rel?.mode === 'sharded' && rel.access === 'write' ? rel : undefined;
}

/** Reports each SET target (`SET k = …`, `SET (k, x) = …`, `SET k[1] = …`) that names a shard-key column. */
function reportTargets(context: RuleContext, rel: Rel, targets: readonly Node[] | undefined, messageId: string): void {
  const key = rel.table?.shardKey ?? [];
  const { statement } = context;
  for (const t of targets ?? []) {
    if (!('ResTarget' in t)) continue;
    const column = t.ResTarget.name;
    if (column === undefined || !key.includes(column)) continue;
    context.report({
      messageId,
      data: { column, table: relLabel(rel) },
      span: statement.tokenSpan(statement.offsetOf(t.ResTarget.location)),
      labels: [{ span: statement.nameSpan(rel.offset), message: `sharded on \`${key.join(', ')}\`` }],
      ...(messageId === 'upsertShardKeyUpdate'
        ? { help: 'Leave `{{column}}` out of the DO UPDATE SET list: every unique key of a sharded table includes the shard key (' + limitlessDocsUrl('tables', 'shard-key-rules') + '), so the conflicting row already has the inserted shard-key value; to move a row to another value, DELETE it and INSERT it in one transaction.' }
        : {}),
    });
  }
}
