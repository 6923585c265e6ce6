import { defineRule } from './types.js';

export default defineRule({
  meta: {
    id: 'unknown-table',
    description: 'Report tables that the manifest does not declare',
    category: 'housekeeping',
    defaultLevel: 'warn',
    facts: ['tables#table-types'],
    messages: { unknownTable: '`{{table}}` is not in the manifest, so its route cannot be decided.' },
    note: 'Limitless routes a statement by the mode of every table it touches (sharded, reference or standard); an undeclared table makes the route unknown.',
    help: 'Add `{{table}}` to limitless.yaml under `tables:` with its mode, or set `unknown_tables: off` if such tables are expected.',
    examples: { invalid: ['SELECT * FROM refunds WHERE account_id = $1'], valid: ['SELECT * FROM accounts WHERE account_id = $1'] },
  },
  check(context) {
    for (const rel of context.analysis.rels) {
      if (rel.mode !== 'unknown') continue;
      context.report({ messageId: 'unknownTable', data: { table: rel.display }, span: context.statement.nameSpan(rel.offset) });
    }
  },
});
