import { limitlessDocsUrl } from '../diagnostic.js';
import { shardCount } from '../route/pinning.js';
import { relLabel } from '../route/model.js';
import { defineRule } from './types.js';

/** The statement that writes, named after the query block the analysis gave the write target. */
const VERBS: Readonly<Record<string, string>> = {
  INSERT: 'INSERT',
  UPDATE: 'UPDATE',
  DELETE: 'DELETE',
  MERGE: 'MERGE',
  TRUNCATE: 'TRUNCATE',
  COPY: 'COPY … FROM',
};

export default defineRule({
  meta: {
    id: 'no-reference-table-write',
    description: 'Report writes to reference tables, which Limitless applies to the copy on every shard',
    category: 'routing',
    defaultLevel: 'warn',
    facts: ['tables#table-types', 'routing#writes'],
    messages: {
      referenceWrite: '`{{table}}` is a reference table: this {{statement}} changes its copy on every one of the {{shards}} shards.',
    },
    note: 'Limitless keeps a full copy of a reference table on every shard so that joins with it stay on one shard (' + limitlessDocsUrl('tables', 'table-types') + '); a write must reach every copy, so it is a distributed write to all shards, and AWS meant reference tables for small, rarely modified data.',
    help: 'Keep writes to `{{name}}` rare and batched (administrative jobs, migrations); if the application changes it routinely, make it a sharded table collocated with the tables that join it, or a standard table.',
    examples: {
      invalid: ["UPDATE currencies SET minor_units = 2 WHERE code = 'JPY'", "INSERT INTO countries (code, name) VALUES ('XK', 'Kosovo')"],
      valid: ["SELECT code, name, minor_units FROM currencies WHERE code = $1", "UPDATE accounts SET currency_code = 'EUR' WHERE account_id = $1"],
    },
  },
  check(context) {
    const shards = String(shardCount(context.manifest));
    for (const rel of context.analysis.rels) {
      if (rel.mode !== 'reference' || rel.access !== 'write') continue;
      context.report({
        messageId: 'referenceWrite',
        data: { table: relLabel(rel), name: rel.display, statement: VERBS[rel.block.label] ?? 'statement', shards },
        span: context.statement.nameSpan(rel.offset),
      });
    }
  },
});
