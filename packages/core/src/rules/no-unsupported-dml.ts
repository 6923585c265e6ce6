import { UNSUPPORTED_HELP, UNSUPPORTED_NOTE, allowOption, checkUnsupported, messagesOf } from './unsupported-features.js';
import { defineRule } from './types.js';

// One of the no-unsupported-* rules (group alias `no-unsupported-feature`); the features, their
// detection and their messages live in unsupported-features.ts, found in one walk for all five.
export default defineRule({
  meta: {
    id: 'no-unsupported-dml',
    description: 'Report statements Aurora PostgreSQL Limitless rejects at run time (MERGE, LISTEN/NOTIFY, two-phase commit, WHERE CURRENT OF, REINDEX, ON CONFLICT DO UPDATE with non-immutable functions …)',
    category: 'schema',
    defaultLevel: 'error',
    facts: ['unsupported', 'unsupported#on-conflict'],
    messages: messagesOf('no-unsupported-dml'),
    note: UNSUPPORTED_NOTE,
    help: UNSUPPORTED_HELP,
    options: allowOption('no-unsupported-dml'),
    examples: {
      invalid: [
        "MERGE INTO accounts a USING incoming i ON a.account_id = i.account_id WHEN MATCHED THEN UPDATE SET status = i.status;",
        'NOTIFY account_changes;',
        'INSERT INTO accounts (account_id, status) VALUES ($1, $2) ON CONFLICT (account_id) DO UPDATE SET updated_at = now();',
      ],
      valid: [
        "INSERT INTO accounts (account_id, status) VALUES ($1, $2) ON CONFLICT (account_id) DO UPDATE SET status = EXCLUDED.status;",
        'UPDATE accounts SET status = $2 WHERE account_id = $1;',
      ],
    },
  },
  check: checkUnsupported('no-unsupported-dml'),
});
