import { testRule } from '../../test/rule-tester.js';

// Every feature of this rule is covered through the group alias in no-unsupported-feature.test.ts;
// these cases check the rule on its own: its diagnostics, its `allow` option and its printed output.
testRule('no-unsupported-sequence-feature', {
  valid: [
    'CREATE SEQUENCE s START WITH 10;',
    'SELECT nextval(\'s\');',
  ],
  invalid: [
    { sql: "SELECT setval('invoice_numbers', 1000);", errors: [{ messageId: 'unsupportedSequenceFeature', column: 8, endColumn: 14 }] },
    { sql: 'CREATE UNLOGGED SEQUENCE s;', errors: [{ messageId: 'unsupportedSequenceFeature' }] },
  ],
});
