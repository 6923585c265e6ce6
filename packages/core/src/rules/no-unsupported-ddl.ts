import { UNSUPPORTED_HELP, UNSUPPORTED_NOTE, allowOption, checkUnsupported, messagesOf } from './unsupported-features.js';
import { defineRule } from './types.js';

// One of the no-unsupported-* rules (group alias `no-unsupported-feature`); the features, their
// detection and their messages live in unsupported-features.ts, found in one walk for all five.
export default defineRule({
  meta: {
    id: 'no-unsupported-ddl',
    description: 'Report DDL that Aurora PostgreSQL Limitless rejects although PostgreSQL accepts it (triggers, temporary tables, materialized views, domains, COMMENT ON, ALTER SYSTEM …)',
    category: 'schema',
    defaultLevel: 'error',
    facts: ['unsupported', 'routing#distributed-functions'],
    messages: messagesOf('no-unsupported-ddl'),
    note: UNSUPPORTED_NOTE,
    help: UNSUPPORTED_HELP,
    options: allowOption('no-unsupported-ddl'),
    examples: {
      invalid: [
        'CREATE TRIGGER accounts_audit AFTER UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION audit();',
        'CREATE TEMPORARY TABLE scratch (id bigint);',
        "COMMENT ON TABLE accounts IS 'customer accounts';",
      ],
      valid: [
        'CREATE TABLE audit_events (id bigserial PRIMARY KEY, payload jsonb);',
        'CREATE VIEW active_accounts AS SELECT * FROM accounts WHERE closed_at IS NULL;',
      ],
    },
  },
  check: checkUnsupported('no-unsupported-ddl'),
});
