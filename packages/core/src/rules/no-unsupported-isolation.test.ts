import { testRule } from '../../test/rule-tester.js';

// Every feature of this rule is covered through the group alias in no-unsupported-feature.test.ts;
// these cases check the rule on its own: its diagnostics, its `allow` option and its printed output.
testRule('no-unsupported-isolation', {
  valid: [
    'BEGIN ISOLATION LEVEL REPEATABLE READ;',
    { sql: 'BEGIN ISOLATION LEVEL SERIALIZABLE;', options: { allow: ['serializable'] } },
  ],
  invalid: [
    { sql: 'START TRANSACTION ISOLATION LEVEL SERIALIZABLE;', errors: [{ messageId: 'unsupportedIsolation' }] },
    { sql: "SELECT set_config('transaction_isolation', 'serializable', true);", errors: [{ messageId: 'unsupportedIsolation' }] },
  ],
});
