import { testRule } from '../../test/rule-tester.js';

// Every feature of this rule is covered through the group alias in no-unsupported-feature.test.ts;
// these cases check the rule on its own: its diagnostics, its `allow` option and its printed output.
testRule('no-unsupported-table-feature', {
  valid: [
    'CREATE TABLE t (id bigserial PRIMARY KEY);',
    'SELECT setval(\'s\', 1);',
  ],
  invalid: [
    { sql: 'CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY, tag text CHECK (length(tag) > 0)) PARTITION BY HASH (id);', errors: [{ messageId: 'unsupportedTableFeature' }, { messageId: 'unsupportedTableFeature' }, { messageId: 'unsupportedTableFeature' }] },
  ],
});
