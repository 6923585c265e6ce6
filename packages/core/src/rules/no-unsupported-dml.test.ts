import { testRule } from '../../test/rule-tester.js';

// Every feature of this rule is covered through the group alias in no-unsupported-feature.test.ts;
// these cases check the rule on its own: its diagnostics, its `allow` option and its printed output.
testRule('no-unsupported-dml', {
  valid: [
    'CREATE TEMP TABLE recent (account_id bigint);',
    { sql: 'LISTEN payments;', options: { allow: ['listen-notify'] } },
  ],
  invalid: [
    { sql: 'LISTEN payments;', errors: [{ messageId: 'unsupportedStatement', line: 1, column: 1, endColumn: 7 }] },
    { sql: 'INSERT INTO accounts (account_id) VALUES (1) ON CONFLICT (account_id) DO UPDATE SET status = random()::text;', errors: [{ messageId: 'unsupportedConflictAction' }] },
  ],
});
