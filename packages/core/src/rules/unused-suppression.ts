import { defineRule } from './types.js';

/** Reported by the engine after all rules ran; this module holds its metadata. */
export default defineRule({
  meta: {
    id: 'unused-suppression',
    description: 'Report suppression comments that suppress nothing',
    category: 'housekeeping',
    defaultLevel: 'warn',
    facts: [],
    messages: { unusedSuppression: 'This suppression of {{ruleId}} suppresses nothing.' },
    note: 'The problem it was written for is gone (or was never reported here); a stale suppression would hide the next real one.',
    help: 'Remove the comment.',
    examples: {
      invalid: ['-- limitless-lint-ignore require-shard-key: single tenant\nSELECT * FROM accounts WHERE account_id = $1'],
      valid: ['-- limitless-lint-ignore require-shard-key: nightly report, runs once\nSELECT * FROM transactions'],
    },
  },
  check() {},
});
