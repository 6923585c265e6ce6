import { beforeAll, describe, expect, it } from 'vitest';
import { lint, testManifest } from '../../test/rule-tester.js';
import { analyzeSql } from '../analyze.js';
import { loadParser } from '../sql/parser.js';

beforeAll(() => loadParser());

const ruleId = 'no-multi-shard-write';

describe(ruleId, () => {
  const invalid: { sql: string; manifest?: string; errors: { messageId: string; line: number; column: number; endColumn: number; severity?: string }[] }[] = [
    { sql: 'DELETE FROM transactions WHERE created_at < $1', errors: [{ messageId: 'allShards', line: 1, column: 13, endColumn: 25 }] },
    { sql: 'DELETE\nFROM transactions\nWHERE created_at < $1', errors: [{ messageId: 'allShards', line: 2, column: 6, endColumn: 18 }] },
    {
      sql: "DELETE FROM transactions WHERE account_id IN (SELECT account_id FROM accounts WHERE status = 'closed')",
      errors: [{ messageId: 'allShards', line: 1, column: 13, endColumn: 25 }],
    },
    {
      sql: 'UPDATE transactions t SET amount = 0 FROM merchants m WHERE m.merchant_id = t.merchant_id AND m.merchant_id = $1',
      errors: [{ messageId: 'allShards', line: 1, column: 8, endColumn: 20 }],
    },
    { sql: 'WITH d AS (DELETE FROM ledger_entries WHERE amount = 0 RETURNING 1) SELECT count(*) FROM d', errors: [{ messageId: 'allShards', line: 1, column: 24, endColumn: 38 }] },
    {
      sql: 'MERGE INTO accounts a USING (VALUES (1)) v(id) ON a.account_id = v.id WHEN MATCHED THEN DELETE',
      errors: [{ messageId: 'allShards', line: 1, column: 12, endColumn: 20 }],
    },
    { sql: "UPDATE accounts SET status = 'closed' WHERE account_id IN (1, 2, 3)", errors: [{ messageId: 'multiShard', line: 1, column: 8, endColumn: 16 }] },
    { sql: "UPDATE accounts SET status = 'closed' WHERE account_id = ANY($1)", errors: [{ messageId: 'multiShard', line: 1, column: 8, endColumn: 16 }] },
    { sql: "INSERT INTO accounts (account_id, owner_name) VALUES (1, 'Ann'), (2, 'Bob')", errors: [{ messageId: 'multiRowInsert', line: 1, column: 13, endColumn: 21 }] },
    {
      sql: "INSERT INTO\n  accounts (account_id, owner_name)\nVALUES ($1, 'Ann'),\n       ($2, 'Bob')",
      errors: [{ messageId: 'multiRowInsert', line: 2, column: 3, endColumn: 11 }],
    },
    { sql: 'INSERT INTO transactions (amount) VALUES (1), (2)', errors: [{ messageId: 'multiRowInsert', line: 1, column: 13, endColumn: 25 }] },
    {
      sql: 'INSERT INTO ledger_entries (account_id, transaction_id, amount)\nSELECT account_id, transaction_id, amount FROM transactions WHERE account_id IN ($1, $2)',
      errors: [{ messageId: 'insertSelect', line: 1, column: 13, endColumn: 27 }],
    },
    { sql: 'INSERT INTO accounts (account_id) SELECT generate_series(1, 10)', errors: [{ messageId: 'insertSelect', line: 1, column: 13, endColumn: 21 }] },
    {
      sql: "WITH closed AS (\n  UPDATE accounts SET status = 'closed' WHERE account_id = $1 RETURNING account_id\n)\nDELETE FROM payment_methods WHERE account_id = $2",
      errors: [{ messageId: 'severalTargets', line: 4, column: 13, endColumn: 28 }],
    },
    {
      sql: 'TRUNCATE transactions, ledger_entries',
      errors: [
        { messageId: 'truncate', line: 1, column: 10, endColumn: 22, severity: 'info' },
        { messageId: 'truncate', line: 1, column: 24, endColumn: 38, severity: 'info' },
      ],
    },
    { sql: 'COPY transactions (account_id, amount) FROM STDIN', errors: [{ messageId: 'copyFrom', line: 1, column: 6, endColumn: 18, severity: 'info' }] },
    { manifest: 'aws', sql: 'DELETE FROM orders WHERE order_id = $1', errors: [{ messageId: 'allShards', line: 1, column: 13, endColumn: 19 }] },
  ];
  it.each(invalid)('reports $sql', ({ sql, manifest, errors }) => {
    const found = lint(sql, { ruleId, ...(manifest ? { manifest } : {}) });
    expect(found.map(({ messageId, line, column, endColumn, severity }) => ({ messageId, line, column, endColumn, severity }))).toEqual(
      errors.map((e) => ({ severity: 'warning', ...e })),
    );
  });

  const valid: { sql: string; manifest?: string }[] = [
    // INSERT … SELECT within one pinned tenant of one collocation group: one shard.
    { sql: 'INSERT INTO ledger_entries (account_id, transaction_id, amount)\nSELECT account_id, transaction_id, amount FROM transactions WHERE account_id = $1' },
    { sql: 'DELETE FROM payment_methods WHERE account_id = $1 AND payment_method_id = $2' },
    { sql: 'UPDATE transactions SET amount = $3 WHERE account_id = $1 AND transaction_id = $2' },
    { sql: "UPDATE accounts SET status = 'x' WHERE account_id IN ($1)" },
    { sql: 'UPDATE transactions t SET amount = 0 FROM accounts a WHERE a.account_id = t.account_id AND a.account_id = $1' },
    { sql: 'INSERT INTO transactions (account_id, amount) VALUES ($1, 10)' },
    { sql: 'INSERT INTO transactions (account_id, amount) VALUES ($1, 10), ($1, 20)' },
    { sql: 'INSERT INTO transactions (amount) VALUES (10)' },
    { sql: 'INSERT INTO accounts (account_id, owner_name) SELECT $1, upper($2)' },
    { sql: 'INSERT INTO accounts DEFAULT VALUES' },
    { sql: "WITH closed AS (UPDATE accounts SET status = 'closed' WHERE account_id = $1 RETURNING account_id)\nDELETE FROM payment_methods WHERE account_id = $1" },
    { sql: 'SELECT * FROM accounts WHERE account_id IN (1, 2)' },
    { sql: 'DELETE FROM audit_log WHERE at < $1' },
    { sql: "UPDATE currencies SET minor_units = 2 WHERE code = 'JPY'" },
    { sql: 'COPY transactions TO STDOUT' },
    { manifest: 'aws', sql: 'DELETE FROM orders WHERE customer_id = $1 AND order_id = $2' },
  ];
  it.each(valid)('accepts $sql', ({ sql, manifest }) => {
    expect(lint(sql, { ruleId, ...(manifest ? { manifest } : {}) })).toEqual([]);
  });

  it('can leave TRUNCATE and COPY alone', () => {
    const overrides = { [ruleId]: { level: 'warn' as const, options: { wholeTable: false } } };
    expect(lint('TRUNCATE transactions', { ruleId, overrides })).toEqual([]);
    expect(lint('COPY transactions FROM STDIN', { ruleId, overrides })).toEqual([]);
  });

  it('explains the bounded fan-out and labels the other write target', () => {
    expect(lint("UPDATE accounts SET status = 'closed' WHERE account_id IN (1, 2, 3)", { ruleId }).map((d) => d.message)).toEqual([
      'This UPDATE writes `accounts` on up to 3 shards in one distributed transaction (account_id IN (1, 2, 3)).',
    ]);
    const sql = "WITH c AS (UPDATE accounts SET status = 'closed' WHERE account_id = 1 RETURNING 1) DELETE FROM payment_methods WHERE account_id = 2";
    const [d] = analyzeSql(sql, { manifest: testManifest() }).diagnostics.filter((x) => x.ruleId === ruleId);
    expect(d?.message).toBe('This statement writes `payment_methods` (account_id = 2) and `accounts` (account_id = 1), which may be on different shards: one distributed transaction.');
    expect(d?.labels.map((l) => sql.slice(l.span.start, l.span.end))).toEqual(['accounts']);
  });
});
