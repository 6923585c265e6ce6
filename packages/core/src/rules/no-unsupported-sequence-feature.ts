import { UNSUPPORTED_HELP, UNSUPPORTED_NOTE, allowOption, checkUnsupported, messagesOf } from './unsupported-features.js';
import { defineRule } from './types.js';

// One of the no-unsupported-* rules (group alias `no-unsupported-feature`); the features, their
// detection and their messages live in unsupported-features.ts, found in one walk for all five.
export default defineRule({
  meta: {
    id: 'no-unsupported-sequence-feature',
    description: 'Report sequence features Aurora PostgreSQL Limitless distributed sequences lack (setval, CYCLE, temporary and unlogged sequences)',
    category: 'schema',
    defaultLevel: 'error',
    facts: ['sequences#unsupported-sequence-features'],
    messages: messagesOf('no-unsupported-sequence-feature'),
    note: UNSUPPORTED_NOTE,
    help: UNSUPPORTED_HELP,
    options: allowOption('no-unsupported-sequence-feature'),
    examples: {
      invalid: [
        "SELECT setval('invoice_numbers', 1000);",
        'CREATE SEQUENCE ticket_numbers CYCLE;',
      ],
      valid: [
        'CREATE SEQUENCE ticket_numbers START WITH 1000;',
        'ALTER SEQUENCE ticket_numbers RESTART WITH 1000;',
      ],
    },
  },
  check: checkUnsupported('no-unsupported-sequence-feature'),
});
