import { testRule } from '../../test/rule-tester.js';

// Every feature of this rule is covered through the group alias in no-unsupported-feature.test.ts;
// these cases check the rule on its own: its diagnostics, its `allow` option and its printed output.
testRule('no-unsupported-ddl', {
  valid: [
    'CREATE VIEW v AS SELECT 1;',
    { sql: "COMMENT ON TABLE accounts IS 'x';", options: { allow: ['comment'] } },
    'MERGE INTO accounts a USING incoming i ON a.account_id = i.account_id WHEN MATCHED THEN DELETE;',
  ],
  invalid: [
    { sql: 'CREATE TEMP TABLE recent (account_id bigint);', errors: [{ messageId: 'unsupportedStatement', line: 1, column: 8, endColumn: 12 }] },
    { sql: "COMMENT ON TABLE accounts IS 'x';", options: { allow: ['trigger'] }, errors: [{ messageId: 'unsupportedStatement', column: 1, endColumn: 11 }] },
  ],
});
