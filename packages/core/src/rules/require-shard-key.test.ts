import { beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../../test/rule-tester.js';
import { loadParser } from '../sql/parser.js';

beforeAll(() => loadParser());

const ruleId = 'require-shard-key';

describe(ruleId, () => {
  const invalid: { sql: string; manifest?: string; errors: { messageId: string; line: number; column: number; endColumn: number; severity?: string }[] }[] = [
    { sql: 'SELECT * FROM transactions WHERE merchant_id = $1', errors: [{ messageId: 'missingShardKey', line: 1, column: 15, endColumn: 27 }] },
    { sql: 'SELECT * FROM public.transactions WHERE amount > 5', errors: [{ messageId: 'missingShardKey', line: 1, column: 15, endColumn: 34 }] },
    { sql: 'SELECT owner_name FROM accounts WHERE account_id > 10', errors: [{ messageId: 'unusableShardKey', line: 1, column: 24, endColumn: 32 }] },
    { sql: "SELECT 1 FROM accounts WHERE account_id::text = '1'", errors: [{ messageId: 'unusableShardKey', line: 1, column: 15, endColumn: 23 }] },
    { sql: 'SELECT 1 FROM accounts WHERE account_id IN (1, 2, 3)', errors: [{ messageId: 'multiShard', line: 1, column: 15, endColumn: 23, severity: 'warning' }] },
    { sql: 'SELECT 1 FROM accounts WHERE account_id = ANY($1)', errors: [{ messageId: 'multiShard', line: 1, column: 15, endColumn: 23, severity: 'warning' }] },
    { sql: 'UPDATE transactions SET amount = 0 WHERE merchant_id = $1', errors: [{ messageId: 'missingShardKey', line: 1, column: 8, endColumn: 20 }] },
    { sql: 'DELETE FROM ledger_entries WHERE entry_id = $1', errors: [{ messageId: 'missingShardKey', line: 1, column: 13, endColumn: 27 }] },
    {
      sql: 'SELECT *\nFROM accounts a\nJOIN transactions t ON t.account_id = a.account_id\nJOIN ledger_entries l ON l.transaction_id = t.transaction_id\nWHERE a.account_id = $1',
      errors: [{ messageId: 'joinDoesNotCarry', line: 4, column: 6, endColumn: 20 }],
    },
    {
      sql: 'SELECT * FROM accounts WHERE account_id = $1 AND EXISTS (SELECT 1 FROM transactions t WHERE t.merchant_id = 7)',
      errors: [{ messageId: 'missingShardKey', line: 1, column: 72, endColumn: 84 }],
    },
    {
      sql: 'WITH recent AS (SELECT * FROM transactions WHERE created_at > now() - interval \'1 day\') SELECT * FROM recent',
      errors: [{ messageId: 'missingShardKey', line: 1, column: 31, endColumn: 43 }],
    },
    {
      manifest: 'aws',
      sql: 'SELECT * FROM customers c LEFT JOIN orders o ON o.customer_id = c.customer_id AND c.customer_id = 1',
      errors: [{ messageId: 'onlyInOuterJoinOn', line: 1, column: 15, endColumn: 24 }],
    },
    {
      manifest: 'aws',
      sql: 'SELECT * FROM customers c, orders o, order_details od WHERE c.customer_id = 1 AND c.customer_id = o.customer_id AND od.order_id = o.order_id',
      errors: [{ messageId: 'joinDoesNotCarry', line: 1, column: 38, endColumn: 51 }],
    },
  ];
  it.each(invalid)('reports $sql', ({ sql, manifest, errors }) => {
    const found = lint(sql, { ruleId, ...(manifest ? { manifest } : {}) });
    expect(found.map(({ messageId, line, column, endColumn, severity }) => ({ messageId, line, column, endColumn, severity }))).toEqual(
      errors.map((e) => ({ severity: 'error', ...e })),
    );
  });

  const valid: { sql: string; manifest?: string }[] = [
    { sql: 'SELECT * FROM transactions WHERE account_id = $1' },
    { sql: 'SELECT * FROM transactions WHERE account_id IN ($1)' },
    { sql: 'SELECT * FROM accounts a JOIN transactions t ON t.account_id = a.account_id WHERE a.account_id = $1' },
    { sql: 'SELECT * FROM transactions t JOIN currencies c ON c.code = t.currency_code WHERE t.account_id = 42' },
    { sql: 'INSERT INTO transactions (account_id, amount) VALUES (1, 2), (3, 4)' },
    { sql: 'TRUNCATE transactions' },
    { sql: 'SELECT * FROM currencies' },
    { sql: 'SELECT 1 FROM accounts WHERE account_id IN (1, 2)', manifest: 'demo' },
    {
      manifest: 'aws',
      sql: 'SELECT * FROM customers c, orders o, order_details od WHERE c.customer_id = 1 AND c.customer_id = o.customer_id AND od.order_id = o.order_id AND o.customer_id = od.customer_id',
    },
  ];
  it.each(valid)('accepts $sql', ({ sql, manifest }) => {
    const found = lint(sql, { ruleId, ...(manifest ? { manifest } : {}) }).filter((d) => d.severity === 'error');
    expect(found).toEqual([]);
  });

  it('can leave bounded fan-outs alone', () => {
    expect(lint('SELECT 1 FROM accounts WHERE account_id IN (1, 2)', { ruleId, overrides: { [ruleId]: { level: 'error', options: { multiShard: false } } } })).toEqual([]);
  });

  it('suggests the exact shard-key equality, appended to the join condition', () => {
    const sql = 'SELECT * FROM accounts a JOIN transactions t ON t.account_id = a.account_id JOIN ledger_entries l ON l.transaction_id = t.transaction_id WHERE a.account_id = $1';
    const [d] = lint(sql, { ruleId });
    expect(d?.message).toContain('`ledger_entries` is joined on `transaction_id`');
    expect(d?.suggestions).toEqual([
      'SELECT * FROM accounts a JOIN transactions t ON t.account_id = a.account_id JOIN ledger_entries l ON l.transaction_id = t.transaction_id AND l.account_id = t.account_id WHERE a.account_id = $1',
    ]);
  });
});
