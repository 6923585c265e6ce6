import { beforeAll, describe, expect, it } from 'vitest';
import { testManifest, testRule } from '../../test/rule-tester.js';
import { analyzeSql } from '../analyze.js';
import { loadParser } from '../sql/parser.js';

const ruleId = 'no-shard-key-update';

testRule(ruleId, {
  invalid: [
    { sql: 'UPDATE transactions SET account_id = $2 WHERE account_id = $1 AND transaction_id = $3', errors: [{ messageId: 'shardKeyUpdate', severity: 'error', line: 1, column: 25, endColumn: 35 }] },
    { sql: 'UPDATE transactions\nSET account_id = $2\nWHERE account_id = $1 AND transaction_id = $3', errors: [{ messageId: 'shardKeyUpdate', severity: 'error', line: 2, column: 5, endColumn: 15 }] },
    { sql: 'UPDATE accounts SET (account_id, status) = ($2, $3) WHERE account_id = $1', errors: [{ messageId: 'shardKeyUpdate', severity: 'error', line: 1, column: 22, endColumn: 32 }] },
    { sql: 'UPDATE accounts SET (account_id, status) = (SELECT 1, 2) WHERE account_id = 3', errors: [{ messageId: 'shardKeyUpdate', severity: 'error', line: 1, column: 22, endColumn: 32 }] },
    { sql: 'UPDATE merchants SET name = $2, merchant_id = $3 WHERE merchant_id = $1', errors: [{ messageId: 'shardKeyUpdate', severity: 'error', line: 1, column: 33, endColumn: 44 }] },
    // An ORM that writes every column repeats the shard key: Limitless still rejects it.
    { sql: 'UPDATE accounts SET account_id = account_id, status = $2 WHERE account_id = $1', errors: [{ messageId: 'shardKeyUpdate', severity: 'error', line: 1, column: 21, endColumn: 31 }] },
    { sql: 'UPDATE ledger_entries l SET "account_id" = 1 WHERE l.account_id = 2', errors: [{ messageId: 'shardKeyUpdate', severity: 'error', line: 1, column: 29, endColumn: 41 }] },
    {
      sql: 'WITH moved AS (\n  UPDATE payment_methods SET account_id = $2 WHERE account_id = $1 RETURNING *\n)\nSELECT count(*) FROM moved',
      errors: [{ messageId: 'shardKeyUpdate', severity: 'error', line: 2, column: 30, endColumn: 40 }],
    },
    { sql: 'EXPLAIN UPDATE merchants SET merchant_id = 1 WHERE merchant_id = 2', errors: [{ messageId: 'shardKeyUpdate', severity: 'error', line: 1, column: 30, endColumn: 41 }] },
    {
      sql: 'INSERT INTO accounts (account_id, owner_name) VALUES ($1, $2)\nON CONFLICT (account_id) DO UPDATE\n  SET account_id = EXCLUDED.account_id, owner_name = EXCLUDED.owner_name',
      errors: [{ messageId: 'upsertShardKeyUpdate', severity: 'error', line: 3, column: 7, endColumn: 17 }],
    },
    { manifest: 'aws', sql: 'UPDATE orders SET customer_id = 2 WHERE customer_id = 1', errors: [{ messageId: 'shardKeyUpdate', severity: 'error', line: 1, column: 19, endColumn: 30 }] }
  ],
  valid: [
    { sql: 'UPDATE transactions SET amount = $3 WHERE account_id = $1 AND transaction_id = $2' },
    { sql: 'UPDATE transactions SET merchant_id = $3 WHERE account_id = $1 AND transaction_id = $2' },
    { sql: 'UPDATE transactions SET amount = account_id WHERE account_id = $1' },
    { sql: "UPDATE currencies SET code = 'EUR' WHERE code = 'XEU'" },
    { sql: 'UPDATE audit_log SET account_id = $1 WHERE id = $2' },
    { sql: 'UPDATE refunds SET account_id = $1 WHERE refund_id = $2' },
    { sql: 'INSERT INTO accounts (account_id, owner_name) VALUES ($1, $2) ON CONFLICT (account_id) DO NOTHING' },
    { sql: 'INSERT INTO accounts (account_id, owner_name) VALUES ($1, $2) ON CONFLICT (account_id) DO UPDATE SET owner_name = EXCLUDED.owner_name' },
    { sql: 'SELECT account_id FROM accounts WHERE account_id = $1' },
    { manifest: 'aws', sql: 'UPDATE products SET id = 2 WHERE id = 1' },
  ],
});

beforeAll(() => loadParser());

describe(ruleId, () => {
  it('quotes the Limitless error, labels the table and says how to move a row', () => {
    const sql = 'UPDATE transactions SET account_id = $2 WHERE account_id = $1';
    const [d] = analyzeSql(sql, { manifest: testManifest() }).diagnostics.filter((x) => x.ruleId === ruleId);
    expect(d?.message).toBe('`account_id` is the shard key of `transactions`: Limitless rejects this UPDATE with `ERROR: Shard key column update is not supported`.');
    expect(d?.labels.map((l) => [sql.slice(l.span.start, l.span.end), l.message])).toEqual([['transactions', 'sharded on `account_id`']]);
    expect(d?.help).toContain('DELETE it and INSERT it with the new value in one transaction');
    expect(d?.suggestions).toEqual([]);
  });
});
