import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../../test/rule-tester.js';
import { loadParser } from '../sql/parser.js';

beforeAll(() => loadParser());

const ruleId = 'no-sequence-ordering';
const fixtures = fileURLToPath(new URL('../../../../fixtures/demo/', import.meta.url));

type Expected = { messageId: string; line: number; column: number; endLine?: number; endColumn: number };

function positions(sql: string, options: Record<string, unknown> | undefined = undefined) {
  const found = lint(sql, { ruleId, ...(options ? { overrides: { [ruleId]: { level: 'warn', options } } } : {}) });
  return found.map(({ messageId, line, column, endLine, endColumn, severity }) => ({ messageId, line, column, endLine, endColumn, severity }));
}

function expected(errors: readonly Expected[]) {
  // The demo manifest sets `no-sequence-ordering: warn`.
  return errors.map((e) => ({ severity: 'warning', endLine: e.line, ...e }));
}

describe(ruleId, () => {
  // Demo manifest: transactions.transaction_id, ledger_entries.entry_id and audit_log.id are sequence columns.
  const invalid: { sql: string; errors: Expected[] }[] = [
    // ORDER BY a sequence column: directly, qualified, through an alias, by position.
    { sql: 'SELECT * FROM transactions WHERE account_id = $1 ORDER BY transaction_id', errors: [{ messageId: 'orderBy', line: 1, column: 59, endColumn: 73 }] },
    { sql: 'SELECT * FROM transactions t WHERE t.account_id = $1 ORDER BY t.transaction_id ASC', errors: [{ messageId: 'orderBy', line: 1, column: 63, endColumn: 83 }] },
    { sql: 'SELECT * FROM transactions WHERE account_id = $1 ORDER BY public.transactions.transaction_id', errors: [{ messageId: 'orderBy', line: 1, column: 59, endColumn: 93 }] },
    { sql: 'SELECT transaction_id AS id, amount FROM transactions WHERE account_id = $1 ORDER BY id', errors: [{ messageId: 'orderBy', line: 1, column: 86, endColumn: 88 }] },
    { sql: 'SELECT transaction_id, amount FROM transactions WHERE account_id = $1 ORDER BY 1 NULLS FIRST', errors: [{ messageId: 'orderBy', line: 1, column: 80, endColumn: 93 }] },
    { sql: 'SELECT 1 FROM transactions WHERE account_id = 1 ORDER BY ( transaction_id ) DESC', errors: [{ messageId: 'orderBy', line: 1, column: 58, endColumn: 81 }] },
    { sql: 'SELECT l.entry_id, l.amount FROM ledger_entries l WHERE l.account_id = $1 ORDER BY l.entry_id', errors: [{ messageId: 'orderBy', line: 1, column: 84, endColumn: 94 }] },
    {
      sql: 'SELECT a.owner_name, t.amount FROM accounts a JOIN transactions t ON t.account_id = a.account_id WHERE a.account_id = $1 ORDER BY transaction_id DESC',
      errors: [{ messageId: 'orderBy', line: 1, column: 131, endColumn: 150 }],
    },
    // A leading ORDER BY column fixed by WHERE is no real sort key: the sequence column decides.
    { sql: 'SELECT * FROM transactions WHERE account_id = $1 ORDER BY account_id, transaction_id DESC', errors: [{ messageId: 'orderBy', line: 1, column: 71, endColumn: 90 }] },
    // Not a keyset comparison (the other side is a column): plain ORDER BY.
    { sql: 'SELECT * FROM transactions WHERE account_id = $1 AND transaction_id > amount ORDER BY transaction_id', errors: [{ messageId: 'orderBy', line: 1, column: 87, endColumn: 101 }] },
    // "Latest n": DESC with a LIMIT.
    { sql: 'SELECT * FROM transactions WHERE account_id = $1 ORDER BY transaction_id DESC LIMIT 20', errors: [{ messageId: 'latest', line: 1, column: 59, endColumn: 78 }] },
    { sql: 'SELECT * FROM transactions WHERE account_id = $1 ORDER BY transaction_id DESC FETCH FIRST $2 ROWS ONLY', errors: [{ messageId: 'latest', line: 1, column: 59, endColumn: 78 }] },
    { sql: 'SELECT * FROM transactions WHERE account_id = $1 ORDER BY transaction_id::bigint DESC LIMIT 1', errors: [{ messageId: 'latest', line: 1, column: 59, endColumn: 86 }] },
    { sql: 'SELECT * FROM audit_log ORDER BY id DESC LIMIT 50', errors: [{ messageId: 'latest', line: 1, column: 34, endColumn: 41 }] },
    { sql: 'SELECT *\nFROM transactions\nWHERE account_id = $1\nORDER BY\n  transaction_id\n    DESC\nLIMIT 5', errors: [{ messageId: 'latest', line: 5, column: 3, endLine: 6, endColumn: 9 }] },
    // max(<sequence column>) as "latest".
    { sql: 'SELECT max(transaction_id) FROM transactions WHERE account_id = $1', errors: [{ messageId: 'max', line: 1, column: 8, endColumn: 27 }] },
    {
      sql: 'SELECT * FROM transactions t WHERE t.account_id = $1 AND t.transaction_id = (SELECT max(t2.transaction_id) FROM transactions t2 WHERE t2.account_id = $1)',
      errors: [{ messageId: 'max', line: 1, column: 85, endColumn: 107 }],
    },
    {
      sql: "UPDATE accounts SET status = 'busy' WHERE account_id = $1 AND (SELECT max(transaction_id) FROM transactions t WHERE t.account_id = $1) > $2",
      errors: [{ messageId: 'max', line: 1, column: 71, endColumn: 90 }],
    },
    // Keyset paging: reported once, at the comparison.
    { sql: 'SELECT * FROM transactions WHERE account_id = $1 AND transaction_id > $2 ORDER BY transaction_id LIMIT 100', errors: [{ messageId: 'keyset', line: 1, column: 54, endColumn: 73 }] },
    // A watermark on the sequence column skips rows even when it is not the first sort key.
    { sql: 'SELECT * FROM transactions WHERE account_id = $1 AND transaction_id > $2 ORDER BY amount, transaction_id LIMIT 100', errors: [{ messageId: 'keyset', line: 1, column: 54, endColumn: 73 }] },
    { sql: 'SELECT * FROM transactions WHERE account_id = $1 AND transaction_id > $2 ORDER BY created_at, transaction_id', errors: [{ messageId: 'keyset', line: 1, column: 54, endColumn: 73 }] },
    { sql: 'SELECT * FROM transactions t WHERE t.account_id = $1 AND $2 < t.transaction_id ORDER BY t.transaction_id', errors: [{ messageId: 'keyset', line: 1, column: 58, endColumn: 79 }] },
    {
      sql: 'SELECT * FROM transactions WHERE account_id = $1 AND transaction_id < $2::bigint ORDER BY transaction_id DESC LIMIT 50',
      errors: [{ messageId: 'keyset', line: 1, column: 54, endColumn: 81 }],
    },
    { sql: 'SELECT *\n  FROM transactions\n WHERE account_id = $1\n   AND transaction_id > $2\n ORDER BY transaction_id\n LIMIT 100', errors: [{ messageId: 'keyset', line: 4, column: 8, endColumn: 27 }] },
    // DISTINCT ON … ORDER BY <sequence column> DESC: "latest per group".
    {
      sql: 'SELECT DISTINCT ON (account_id) account_id, transaction_id, amount FROM transactions WHERE account_id IN (1, 2) ORDER BY account_id, transaction_id DESC',
      errors: [{ messageId: 'distinctOn', line: 1, column: 134, endColumn: 153 }],
    },
    // Window ORDER BY: the partition keys are not a sort key before it.
    {
      sql: 'SELECT transaction_id, row_number() OVER (PARTITION BY account_id ORDER BY transaction_id DESC) AS n FROM transactions WHERE account_id = $1',
      errors: [{ messageId: 'windowOrder', line: 1, column: 76, endColumn: 95 }],
    },
    // Through subqueries, CTEs and set operations.
    {
      sql: 'SELECT * FROM (SELECT * FROM transactions WHERE account_id = $1 ORDER BY transaction_id DESC LIMIT 10) recent ORDER BY created_at',
      errors: [{ messageId: 'latest', line: 1, column: 74, endColumn: 93 }],
    },
    { sql: 'SELECT * FROM (SELECT * FROM transactions WHERE account_id = $1) s ORDER BY s.transaction_id', errors: [{ messageId: 'orderBy', line: 1, column: 77, endColumn: 93 }] },
    {
      sql: 'WITH recent AS (SELECT transaction_id AS tid, created_at FROM transactions WHERE account_id = $1) SELECT * FROM recent ORDER BY tid',
      errors: [{ messageId: 'orderBy', line: 1, column: 129, endColumn: 132 }],
    },
    {
      sql: 'SELECT transaction_id FROM transactions WHERE account_id = $1 UNION ALL SELECT entry_id FROM ledger_entries WHERE account_id = $1 ORDER BY 1',
      errors: [{ messageId: 'orderBy', line: 1, column: 140, endColumn: 141 }],
    },
    {
      sql: "INSERT INTO audit_log (account_id, action) SELECT account_id, 'x' FROM transactions WHERE account_id = $1 ORDER BY transaction_id",
      errors: [{ messageId: 'orderBy', line: 1, column: 116, endColumn: 130 }],
    },
    { sql: 'SELECT * FROM transactions WHERE account_id = 1 ORDER BY transaction_id USING >', errors: [{ messageId: 'orderBy', line: 1, column: 58, endColumn: 80 }] },
    {
      sql: 'SELECT count(*) OVER w FROM transactions WHERE account_id = 1 WINDOW w AS (ORDER BY transaction_id)',
      errors: [{ messageId: 'windowOrder', line: 1, column: 85, endColumn: 99 }],
    },
    {
      sql: 'CREATE VIEW latest_transactions AS SELECT * FROM transactions ORDER BY transaction_id DESC LIMIT 10',
      errors: [{ messageId: 'latest', line: 1, column: 72, endColumn: 91 }],
    },
    { sql: 'COPY (SELECT * FROM transactions WHERE account_id = 1 ORDER BY transaction_id) TO STDOUT', errors: [{ messageId: 'orderBy', line: 1, column: 64, endColumn: 78 }] },
    // Sequence columns learned from DDL earlier in the same text (BIGSERIAL, DEFAULT nextval, IDENTITY, schema-qualified).
    {
      sql: 'CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint, created_at timestamptz);\nSELECT id, customer_id\nFROM orders\nORDER BY id DESC\nLIMIT 10;',
      errors: [{ messageId: 'latest', line: 4, column: 10, endColumn: 17 }],
    },
    {
      sql: "CREATE SEQUENCE invoice_no_seq;\nCREATE TABLE invoices (invoice_no bigint DEFAULT nextval('invoice_no_seq'), total numeric);\nSELECT max(invoice_no) FROM invoices;",
      errors: [{ messageId: 'max', line: 3, column: 8, endColumn: 23 }],
    },
    {
      sql: 'CREATE TABLE events (event_id bigint GENERATED ALWAYS AS IDENTITY, at timestamptz);\nSELECT * FROM events WHERE event_id > $1 ORDER BY event_id;',
      errors: [{ messageId: 'keyset', line: 2, column: 28, endColumn: 41 }],
    },
    { sql: 'CREATE TABLE app.orders (id serial, total numeric);\nSELECT * FROM app.orders o ORDER BY o.id;', errors: [{ messageId: 'orderBy', line: 2, column: 37, endColumn: 41 }] },
    // Read from the statement model (route/lineage.ts); each of these was missed by the rule's own binding.
    // JOIN … USING merges the column: an unqualified reference is the left-hand one, not ambiguous.
    {
      sql: 'SELECT * FROM (SELECT transaction_id, amount FROM transactions WHERE account_id = $1) a JOIN (SELECT transaction_id, memo FROM transactions WHERE account_id = $1) b USING (transaction_id) ORDER BY transaction_id DESC LIMIT 10',
      errors: [{ messageId: 'latest', line: 1, column: 198, endColumn: 217 }],
    },
    { sql: 'SELECT * FROM audit_log a JOIN audit_log b USING (id) ORDER BY id', errors: [{ messageId: 'orderBy', line: 1, column: 64, endColumn: 66 }] },
    // WITH RECURSIVE: a CTE sees the CTEs after it too.
    {
      sql: 'WITH RECURSIVE a AS (SELECT * FROM b), b AS (SELECT transaction_id FROM transactions WHERE account_id = $1) SELECT * FROM a ORDER BY transaction_id',
      errors: [{ messageId: 'orderBy', line: 1, column: 134, endColumn: 148 }],
    },
    // … and its own output: the lineage follows the non-recursive branch and stops at the cycle (a guard, not a fix).
    {
      sql: 'WITH RECURSIVE chain (id) AS (SELECT transaction_id FROM transactions WHERE account_id = $1 UNION ALL SELECT id + 1 FROM chain WHERE id < 100) SELECT id FROM chain ORDER BY id DESC LIMIT 3',
      errors: [{ messageId: 'latest', line: 1, column: 174, endColumn: 181 }],
    },
  ];
  it.each(invalid)('reports $sql', ({ sql, errors }) => {
    expect(positions(sql)).toEqual(expected(errors));
  });

  const valid: string[] = [
    // The sequence column only breaks ties after a non-sequence column.
    'SELECT * FROM transactions WHERE account_id = $1 ORDER BY created_at DESC, transaction_id DESC LIMIT 20',
    'SELECT * FROM transactions WHERE account_id = $1 ORDER BY amount, transaction_id',
    'SELECT * FROM transactions WHERE account_id = $1 AND (created_at, transaction_id) > ($2, $3) ORDER BY created_at, transaction_id LIMIT 100',
    'SELECT DISTINCT ON (account_id) * FROM transactions WHERE account_id IN (1, 2) ORDER BY account_id, created_at DESC, transaction_id DESC',
    'SELECT transaction_id, row_number() OVER (PARTITION BY account_id ORDER BY created_at, transaction_id) FROM transactions WHERE account_id = $1',
    // Not a sequence column.
    'SELECT * FROM transactions WHERE account_id = $1 ORDER BY created_at',
    'SELECT * FROM payment_methods WHERE account_id = $1 ORDER BY payment_method_id',
    'SELECT * FROM accounts ORDER BY account_id LIMIT 10',
    'SELECT max(amount), max(created_at) FROM transactions WHERE account_id = $1',
    'SELECT min(transaction_id) FROM transactions WHERE account_id = $1',
    'SELECT * FROM transactions WHERE account_id = $1 AND transaction_id = $2',
    // An output alias hides the input column of the same name (ORDER BY resolves output names first).
    'SELECT created_at AS transaction_id, amount FROM transactions WHERE account_id = $1 ORDER BY transaction_id',
    'SELECT count(*) AS entry_id FROM ledger_entries WHERE account_id = $1 ORDER BY entry_id',
    // Positions that are not known (after `*`) or not there.
    'SELECT *, transaction_id FROM transactions WHERE account_id = $1 ORDER BY 2',
    'SELECT transaction_id FROM transactions WHERE account_id = $1 ORDER BY 2',
    // Unknown tables, dropped tables, ambiguous unqualified names.
    'SELECT * FROM refunds WHERE account_id = $1 ORDER BY refund_id DESC LIMIT 10',
    'CREATE TABLE orders (id bigserial PRIMARY KEY, account_id bigint);\nDROP TABLE orders;\nSELECT * FROM orders ORDER BY id DESC LIMIT 10;',
    'CREATE TABLE orders (order_no bigint, total numeric);\nSELECT * FROM orders ORDER BY order_no DESC LIMIT 10;',
    'CREATE TABLE orders (id bigserial PRIMARY KEY, account_id bigint);\nSELECT * FROM orders o JOIN audit_log a ON a.account_id = o.account_id ORDER BY id;',
    'SELECT transaction_id FROM transactions t WHERE t.account_id = $1 AND EXISTS (SELECT 1 FROM ledger_entries l WHERE l.account_id = t.account_id ORDER BY l.created_at)',
    // Resynchronising a sequence is not a "latest" query.
    "SELECT setval('transactions_transaction_id_seq', (SELECT max(transaction_id) FROM transactions))",
  ];
  it.each(valid)('accepts %s', (sql) => {
    expect(positions(sql)).toEqual([]);
  });

  const strict: { sql: string; errors: Expected[] }[] = [
    {
      sql: 'SELECT * FROM transactions WHERE account_id = $1 ORDER BY created_at DESC, transaction_id DESC LIMIT 20',
      errors: [{ messageId: 'tieBreaker', line: 1, column: 76, endColumn: 95 }],
    },
    {
      sql: 'SELECT transaction_id, row_number() OVER (PARTITION BY account_id ORDER BY created_at, transaction_id) FROM transactions WHERE account_id = $1',
      errors: [{ messageId: 'tieBreaker', line: 1, column: 88, endColumn: 102 }],
    },
    { sql: 'SELECT * FROM transactions WHERE account_id = $1 ORDER BY created_at', errors: [] },
  ];
  it.each(strict)('allowTieBreaker: false also reports tie-breakers: $sql', ({ sql, errors }) => {
    expect(positions(sql, { allowTieBreaker: false })).toEqual(expected(errors));
  });

  it('says what, names the real column behind an alias, and points the keyset report at the ORDER BY', () => {
    const [alias] = lint('SELECT transaction_id AS id FROM transactions WHERE account_id = $1 ORDER BY id DESC LIMIT $2', { ruleId });
    expect(alias?.message).toBe(
      '`ORDER BY id DESC … LIMIT $2` reads as "the latest rows", but `transactions.transaction_id` comes from a distributed sequence whose values are not in insertion order across routers.',
    );
    expect(alias?.suggestions).toEqual([]);
    const sql = 'SELECT * FROM transactions WHERE account_id = $1 AND transaction_id > $2 ORDER BY transaction_id';
    const result = lint(sql, { ruleId });
    expect(result.map((d) => d.message)).toEqual([
      'Keyset paging on `transactions.transaction_id` (`transaction_id > $2` with `ORDER BY transaction_id`) can skip rows: its values come from a distributed sequence and are not in insertion order across routers.',
    ]);
  });

  it('reports the demo statements labelled with this rule, and nothing in good.sql or the migrations', () => {
    const bad = lint(readFileSync(`${fixtures}queries/bad.sql`, 'utf8'), { ruleId });
    expect(bad.map((d) => [d.line, d.messageId])).toEqual([
      [93, 'latest'],
      [100, 'keyset'],
    ]);
    expect(lint(readFileSync(`${fixtures}queries/good.sql`, 'utf8'), { ruleId })).toEqual([]);
    for (const file of ['0001_reference_tables.sql', '0002_accounts.sql', '0003_transactions.sql', '0004_merchants.sql', '0005_standard_tables.sql']) {
      expect(lint(readFileSync(`${fixtures}migrations/${file}`, 'utf8'), { ruleId })).toEqual([]);
    }
  });
});
