import { UNSUPPORTED_HELP, UNSUPPORTED_NOTE, allowOption, checkUnsupported, messagesOf } from './unsupported-features.js';
import { defineRule } from './types.js';

// One of the no-unsupported-* rules (group alias `no-unsupported-feature`); the features, their
// detection and their messages live in unsupported-features.ts, found in one walk for all five.
export default defineRule({
  meta: {
    id: 'no-unsupported-isolation',
    description: 'Report the SERIALIZABLE isolation level, which Aurora PostgreSQL Limitless does not support, however it is set',
    category: 'schema',
    defaultLevel: 'error',
    facts: ['unsupported#isolation-levels'],
    messages: messagesOf('no-unsupported-isolation'),
    note: UNSUPPORTED_NOTE,
    help: UNSUPPORTED_HELP,
    options: allowOption('no-unsupported-isolation'),
    examples: {
      invalid: [
        'BEGIN ISOLATION LEVEL SERIALIZABLE;',
        "SET default_transaction_isolation = 'serializable';",
      ],
      valid: [
        'BEGIN ISOLATION LEVEL REPEATABLE READ;',
        'SET TRANSACTION ISOLATION LEVEL READ COMMITTED;',
      ],
    },
  },
  check: checkUnsupported('no-unsupported-isolation'),
});
