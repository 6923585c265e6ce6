import { UNSUPPORTED_HELP, UNSUPPORTED_NOTE, allowOption, checkUnsupported, messagesOf } from './unsupported-features.js';
import { defineRule } from './types.js';

// One of the no-unsupported-* rules (group alias `no-unsupported-feature`); the features, their
// detection and their messages live in unsupported-features.ts, found in one walk for all five.
export default defineRule({
  meta: {
    id: 'no-unsupported-table-feature',
    description: 'Report table, column, constraint and index options Aurora PostgreSQL Limitless rejects (IDENTITY, PARTITION BY, WITH (…), EXCLUDE, CHECK with functions, inline foreign keys, long sharded table names …)',
    category: 'schema',
    defaultLevel: 'error',
    facts: ['unsupported', 'tables#creating-tables', 'tables#shard-key-rules'],
    messages: messagesOf('no-unsupported-table-feature'),
    note: UNSUPPORTED_NOTE,
    help: UNSUPPORTED_HELP,
    options: allowOption('no-unsupported-table-feature'),
    examples: {
      invalid: [
        'CREATE TABLE audit_events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload jsonb);',
        'CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);',
      ],
      valid: [
        'CREATE TABLE audit_events (id bigserial PRIMARY KEY, payload jsonb);',
        'CREATE INDEX CONCURRENTLY accounts_status ON accounts (status);',
      ],
    },
  },
  check: checkUnsupported('no-unsupported-table-feature'),
});
