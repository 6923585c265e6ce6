import { beforeAll, describe, expect, it } from 'vitest';
import { lint, testManifest } from '../../test/rule-tester.js';
import { analyzeSql } from '../analyze.js';
import { loadParser } from '../sql/parser.js';

beforeAll(() => loadParser());

const ruleId = 'no-cross-shard-join';

describe(ruleId, () => {
  const invalid: { sql: string; manifest?: string; errors: { messageId: string; line: number; column: number; endColumn: number; severity?: string }[] }[] = [
    {
      sql: 'SELECT t.amount, m.name FROM transactions t JOIN merchants m ON m.merchant_id = t.merchant_id WHERE t.account_id = $1',
      errors: [{ messageId: 'differentGroups', line: 1, column: 50, endColumn: 59 }],
    },
    {
      sql: 'SELECT t.transaction_id, t.amount, m.name AS merchant_name\nFROM transactions t\nJOIN merchants m ON m.merchant_id = t.merchant_id\nWHERE t.account_id = $1',
      errors: [{ messageId: 'differentGroups', line: 3, column: 6, endColumn: 15 }],
    },
    // Both pinned: still two shards, joined on the router.
    {
      sql: 'SELECT * FROM transactions t JOIN merchants m ON m.merchant_id = t.merchant_id WHERE t.account_id = $1 AND m.merchant_id = $2',
      errors: [{ messageId: 'differentGroups', line: 1, column: 35, endColumn: 44 }],
    },
    { sql: 'SELECT * FROM transactions t, merchants m', errors: [{ messageId: 'differentGroups', line: 1, column: 31, endColumn: 40 }] },
    {
      sql: 'UPDATE transactions t SET amount = 0 FROM merchants m WHERE m.merchant_id = t.merchant_id AND t.account_id = $1',
      errors: [{ messageId: 'differentGroups', line: 1, column: 43, endColumn: 52 }],
    },
    {
      sql: 'MERGE INTO transactions t USING merchants m ON m.merchant_id = t.merchant_id AND t.account_id = $1 WHEN MATCHED THEN DELETE',
      errors: [{ messageId: 'differentGroups', line: 1, column: 33, endColumn: 42 }],
    },
    // The AWS transitivity trap (docs/limitless/routing.md#single-shard-optimization), in the demo schema and in the AWS sample schema.
    {
      sql: 'SELECT a.account_id, t.transaction_id, l.entry_id, l.amount\nFROM accounts a\nJOIN transactions t ON t.account_id = a.account_id\nJOIN ledger_entries l ON l.transaction_id = t.transaction_id\nWHERE a.account_id = $1',
      errors: [{ messageId: 'notOnShardKey', line: 4, column: 6, endColumn: 20 }],
    },
    {
      manifest: 'aws',
      sql: 'SELECT * FROM customers c, orders o, order_details od WHERE c.customer_id = 1 AND c.customer_id = o.customer_id AND od.order_id = o.order_id',
      errors: [{ messageId: 'notOnShardKey', line: 1, column: 38, endColumn: 51 }],
    },
    {
      sql: 'SELECT * FROM accounts a1 JOIN accounts a2 ON a2.owner_name = a1.owner_name WHERE a1.account_id = $1',
      errors: [{ messageId: 'notOnShardKey', line: 1, column: 32, endColumn: 40 }],
    },
    { sql: 'SELECT * FROM transactions t, ledger_entries l WHERE t.account_id = 1 AND l.account_id = 2', errors: [{ messageId: 'notOnShardKey', line: 1, column: 31, endColumn: 45 }] },
    {
      sql: 'SELECT l.action, l.at, a.owner_name\nFROM audit_log l\nJOIN accounts a ON a.account_id = l.account_id\nWHERE a.account_id = $1',
      errors: [{ messageId: 'standardMix', line: 3, column: 6, endColumn: 14 }],
    },
    { sql: 'SELECT * FROM feature_flags f JOIN currencies c ON c.code = f.name', errors: [{ messageId: 'standardMix', line: 1, column: 36, endColumn: 46 }] },
    {
      sql: 'SELECT * FROM audit_log WHERE account_id IN (SELECT account_id FROM accounts WHERE account_id = $1)',
      errors: [{ messageId: 'standardMix', line: 1, column: 69, endColumn: 77 }],
    },
    {
      sql: 'SELECT c.code, a.account_id FROM currencies c LEFT JOIN accounts a ON a.currency_code = c.code AND a.account_id = $1',
      errors: [{ messageId: 'nullPaddedSharded', line: 1, column: 57, endColumn: 65, severity: 'warning' }],
    },
    {
      sql: 'SELECT * FROM accounts a RIGHT JOIN currencies c ON c.code = a.currency_code AND a.account_id = $1',
      errors: [{ messageId: 'nullPaddedSharded', line: 1, column: 37, endColumn: 47, severity: 'warning' }],
    },
    { sql: 'SELECT * FROM countries k FULL JOIN merchants m ON m.country_code = k.code', errors: [{ messageId: 'nullPaddedSharded', line: 1, column: 37, endColumn: 46, severity: 'warning' }] },
    { sql: 'SELECT * FROM merchants m FULL JOIN countries k ON m.country_code = k.code', errors: [{ messageId: 'nullPaddedSharded', line: 1, column: 37, endColumn: 46, severity: 'warning' }] },
    {
      manifest: 'aws',
      sql: 'SELECT * FROM products p LEFT JOIN orders o ON o.product_id = p.id AND o.customer_id = 11',
      errors: [{ messageId: 'nullPaddedSharded', line: 1, column: 36, endColumn: 42, severity: 'warning' }],
    },
    {
      sql: 'SELECT *\nFROM accounts a\nWHERE a.account_id = $1\n  AND a.currency_code NOT IN (SELECT code FROM currencies)',
      errors: [{ messageId: 'antiJoinReference', line: 4, column: 48, endColumn: 58, severity: 'warning' }],
    },
    {
      sql: 'SELECT * FROM currencies c WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.currency_code = c.code AND a.account_id = $1)',
      errors: [{ messageId: 'antiJoinReference', line: 1, column: 60, endColumn: 68, severity: 'warning' }],
    },
  ];
  it.each(invalid)('reports $sql', ({ sql, manifest, errors }) => {
    const found = lint(sql, { ruleId, ...(manifest ? { manifest } : {}) });
    expect(found.map(({ messageId, line, column, endColumn, severity }) => ({ messageId, line, column, endColumn, severity }))).toEqual(
      errors.map((e) => ({ severity: 'error', ...e })),
    );
  });

  const valid: { sql: string; manifest?: string }[] = [
    { sql: 'SELECT t.amount FROM accounts a JOIN transactions t ON t.account_id = a.account_id WHERE a.account_id = $1' },
    { sql: 'SELECT * FROM accounts a JOIN transactions t ON t.account_id = a.account_id JOIN ledger_entries l ON l.account_id = t.account_id AND l.transaction_id = t.transaction_id WHERE a.account_id = $1' },
    { sql: 'SELECT * FROM transactions t, ledger_entries l WHERE t.account_id = $1 AND l.account_id = $1' },
    { sql: 'SELECT * FROM transactions t JOIN ledger_entries l ON l.account_id = t.account_id WHERE t.account_id IN (1, 2)' },
    // Both sides unrestricted: require-shard-key reports each table, the join shape adds nothing.
    { sql: 'SELECT * FROM transactions t JOIN ledger_entries l ON l.transaction_id = t.transaction_id' },
    { sql: 'SELECT t.amount, c.name FROM transactions t JOIN currencies c ON c.code = t.currency_code WHERE t.account_id = $1' },
    { sql: 'SELECT a.owner_name, c.name FROM accounts a LEFT JOIN currencies c ON c.code = a.currency_code WHERE a.account_id = $1' },
    // A strict WHERE predicate on the null-padded side turns the outer join into an inner join.
    { sql: 'SELECT * FROM currencies c LEFT JOIN accounts a ON a.currency_code = c.code WHERE a.account_id = $1' },
    { sql: 'SELECT * FROM accounts a RIGHT JOIN currencies c ON c.code = a.currency_code WHERE a.account_id = $1' },
    { sql: 'SELECT * FROM currencies c JOIN countries k ON k.code = c.code' },
    { sql: 'SELECT f.name, l.action FROM feature_flags f JOIN audit_log l ON l.action = f.name' },
    { sql: 'INSERT INTO audit_log (account_id, action) SELECT account_id, $2 FROM accounts WHERE account_id = $1' },
    { sql: 'SELECT * FROM accounts WHERE account_id = $1 UNION ALL SELECT * FROM accounts WHERE account_id = $2' },
    { sql: "SELECT a.status FROM accounts a WHERE a.account_id = $1 AND EXISTS (SELECT 1 FROM payment_methods p WHERE p.account_id = $1 AND p.kind = 'card')" },
    { sql: 'SELECT * FROM refunds r JOIN accounts a ON a.account_id = r.account_id WHERE a.account_id = $1' },
    {
      manifest: 'aws',
      sql: 'SELECT * FROM customers c, orders o, order_details od WHERE c.customer_id = 1 AND c.customer_id = o.customer_id AND od.order_id = o.order_id AND o.customer_id = od.customer_id',
    },
  ];
  it.each(valid)('accepts $sql', ({ sql, manifest }) => {
    expect(lint(sql, { ruleId, ...(manifest ? { manifest } : {}) })).toEqual([]);
  });

  const diagnostics = (sql: string) => analyzeSql(sql, { manifest: testManifest() }).diagnostics.filter((d) => d.ruleId === ruleId);

  it('names both tables with their collocation groups and labels the other one', () => {
    const sql = 'SELECT * FROM transactions t JOIN merchants m ON m.merchant_id = t.merchant_id WHERE t.account_id = $1 AND m.merchant_id = $2';
    const [d] = diagnostics(sql);
    expect(d?.message).toBe(
      '`merchants m` (sharded on `merchant_id`, collocation group `merchants`) is joined to `transactions t` (sharded on `account_id`, collocation group `accounts`): tables of different collocation groups are not stored together, so this join cannot run on one shard.',
    );
    expect(d?.labels.map((l) => [sql.slice(l.span.start, l.span.end), l.message])).toEqual([['transactions', 'collocation group `accounts`']]);
    expect(d?.note).toContain('even with both tables pinned, this statement reads two shards');
  });

  it('gives the shard-key equality to add to the join condition', () => {
    const [d] = diagnostics('SELECT * FROM accounts a JOIN transactions t ON t.account_id = a.account_id JOIN ledger_entries l ON l.transaction_id = t.transaction_id WHERE a.account_id = $1');
    expect(d?.message).toBe(
      '`ledger_entries l` is joined to `transactions t` on `l.transaction_id = t.transaction_id` without equating their shard key `account_id`: collocated rows are on the same shard only for equal shard-key values.',
    );
    expect(d?.help).toBe('Add `l.account_id = t.account_id` to the join condition.');
    expect(d?.suggestions).toEqual([]);
  });
});
