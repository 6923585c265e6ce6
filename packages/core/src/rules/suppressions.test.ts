import { beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../../test/rule-tester.js';
import { loadParser } from '../sql/parser.js';

beforeAll(() => loadParser());

/** Rule id, message id and line of every diagnostic, for compact expectations. */
function found(sql: string): string[] {
  return lint(sql).map((d) => `${d.line}:${d.column} ${d.ruleId}/${d.messageId}`);
}

describe('suppression comments', () => {
  const cases: { name: string; sql: string; expected: string[] }[] = [
    {
      name: 'a reasoned suppression hides the next statement only',
      sql: '-- limitless-lint-ignore require-shard-key: nightly report\nSELECT * FROM transactions;\nSELECT * FROM transactions;',
      expected: ['3:15 require-shard-key/missingShardKey'],
    },
    {
      name: 'several rule ids, comma-separated',
      sql: '-- limitless-lint-ignore require-shard-key, unknown-table: staging\nSELECT * FROM transactions t JOIN refunds r ON r.id = t.transaction_id;',
      expected: [],
    },
    {
      name: 'a block comment works too',
      sql: '/* limitless-lint-ignore require-shard-key: batch job */ SELECT * FROM transactions;',
      expected: [],
    },
    {
      name: 'file scope hides the rule everywhere',
      sql: 'SELECT * FROM transactions;\n-- limitless-lint-ignore-file require-shard-key: analytics file\nSELECT * FROM ledger_entries;',
      expected: [],
    },
    {
      name: 'a missing reason is reported, and still suppresses',
      sql: '-- limitless-lint-ignore require-shard-key\nSELECT * FROM transactions;',
      expected: ['1:1 invalid-suppression/missingReason'],
    },
    {
      name: 'an unknown rule id is reported and suppresses nothing',
      sql: '-- limitless-lint-ignore require-shard-keys: typo\nSELECT * FROM transactions;',
      expected: ['1:1 invalid-suppression/unknownRule', '2:15 require-shard-key/missingShardKey'],
    },
    {
      name: 'no rule id',
      sql: '-- limitless-lint-ignore: because\nSELECT 1;',
      expected: ['1:1 invalid-suppression/noRule'],
    },
    {
      name: 'nothing after the suppression',
      sql: 'SELECT 1;\n-- limitless-lint-ignore require-shard-key: trailing',
      expected: ['2:1 invalid-suppression/noStatement'],
    },
    {
      name: 'a suppression that suppresses nothing is unused',
      sql: '-- limitless-lint-ignore require-shard-key: was a scan once\nSELECT * FROM transactions WHERE account_id = $1;',
      expected: ['1:1 unused-suppression/unusedSuppression'],
    },
    {
      name: 'an ordinary comment is not a directive',
      sql: '-- limitless-lint rocks\nSELECT * FROM transactions WHERE account_id = $1;',
      expected: [],
    },
  ];
  it.each(cases)('$name', ({ sql, expected }) => {
    expect(found(sql)).toEqual(expected);
  });

  it('does not call a suppression unused when its rule is off', () => {
    const sql = '-- limitless-lint-ignore require-shard-key: scan\nSELECT * FROM transactions;';
    expect(lint(sql, { overrides: { 'require-shard-key': 'off' } })).toEqual([]);
  });
});
