import { defineRule } from './types.js';

/** Reported by the engine when it reads suppression comments; this module holds its metadata. */
export default defineRule({
  meta: {
    id: 'invalid-suppression',
    description: 'Report suppression comments without a reason, without a rule, or naming an unknown rule',
    category: 'housekeeping',
    defaultLevel: 'error',
    facts: [],
    messages: {
      missingReason: 'This suppression of {{ruleId}} gives no reason.',
      unknownRule: 'This suppression names an unknown rule: {{ruleId}}.',
      noRule: 'This suppression names no rule.',
      noStatement: 'This suppression is not followed by a statement.',
    },
    note: 'A suppression is a decision someone made; without a reason nobody can revisit it, and a misspelt rule id silently suppresses nothing.',
    help: 'Write `-- limitless-lint-ignore <rule-id>[, <rule-id>]: <reason>` with ids from `limitless-lint rules`.',
    examples: {
      invalid: ['-- limitless-lint-ignore require-shard-key\nSELECT * FROM transactions'],
      valid: ['-- limitless-lint-ignore require-shard-key: nightly report, runs once\nSELECT * FROM transactions'],
    },
  },
  check() {},
});
