import { beforeAll, describe, expect, it } from 'vitest';
import { lint, testRule } from '../../test/rule-tester.js';
import { loadParser } from '../sql/parser.js';

const ruleId = 'no-reference-table-write';

testRule(ruleId, {
  invalid: [
    { sql: "UPDATE currencies SET minor_units = 2 WHERE code = 'JPY'", errors: [{ messageId: 'referenceWrite', severity: 'warning', line: 1, column: 8, endColumn: 18 }] },
    { sql: 'UPDATE currencies c SET name = $2 WHERE c.code = $1', errors: [{ messageId: 'referenceWrite', severity: 'warning', line: 1, column: 8, endColumn: 18 }] },
    { sql: "INSERT INTO\n  countries (code, name)\nVALUES ('XK', 'Kosovo')", errors: [{ messageId: 'referenceWrite', severity: 'warning', line: 2, column: 3, endColumn: 12 }] },
    {
      sql: 'INSERT INTO currencies (code, name) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name',
      errors: [{ messageId: 'referenceWrite', severity: 'warning', line: 1, column: 13, endColumn: 23 }],
    },
    { sql: 'DELETE FROM public.countries WHERE code = $1', errors: [{ messageId: 'referenceWrite', severity: 'warning', line: 1, column: 13, endColumn: 29 }] },
    {
      sql: 'TRUNCATE currencies, countries',
      errors: [
        { messageId: 'referenceWrite', severity: 'warning', line: 1, column: 10, endColumn: 20 },
        { messageId: 'referenceWrite', severity: 'warning', line: 1, column: 22, endColumn: 31 },
      ],
    },
    { sql: 'COPY currencies FROM STDIN', errors: [{ messageId: 'referenceWrite', severity: 'warning', line: 1, column: 6, endColumn: 16 }] },
    {
      sql: 'WITH gone AS (\n  DELETE FROM countries WHERE code = $1 RETURNING code\n)\nSELECT * FROM gone',
      errors: [{ messageId: 'referenceWrite', severity: 'warning', line: 2, column: 15, endColumn: 24 }],
    },
    {
      sql: 'MERGE INTO currencies c USING countries k ON c.code = k.currency WHEN MATCHED THEN DELETE',
      errors: [{ messageId: 'referenceWrite', severity: 'warning', line: 1, column: 12, endColumn: 22 }],
    },
    { manifest: 'aws', sql: 'DELETE FROM products WHERE id = 1', errors: [{ messageId: 'referenceWrite', severity: 'warning', line: 1, column: 13, endColumn: 21 }] }
  ],
  valid: [
    { sql: 'SELECT code, name, minor_units FROM currencies WHERE code = $1' },
    { sql: 'SELECT * FROM currencies FOR UPDATE' },
    { sql: 'COPY currencies TO STDOUT' },
    { sql: "UPDATE accounts SET currency_code = 'EUR' WHERE account_id = $1" },
    { sql: 'INSERT INTO transactions (account_id, currency_code) SELECT $1, code FROM currencies WHERE code = $2' },
    { sql: 'DELETE FROM payment_methods p USING countries k WHERE p.account_id = $1 AND k.code = p.country' },
    { sql: 'INSERT INTO feature_flags (name, enabled) VALUES ($1, true)' },
    { manifest: 'aws', sql: 'SELECT * FROM products' },
  ],
});

beforeAll(() => loadParser());

describe(ruleId, () => {
  it('names the statement and the shard count of the manifest', () => {
    expect(lint('DELETE FROM countries', { ruleId }).map((d) => d.message)).toEqual(['`countries` is a reference table: this DELETE changes its copy on every one of the 16 shards.']);
    expect(lint('TRUNCATE products', { ruleId, manifest: 'aws' }).map((d) => d.message)).toEqual(['`products` is a reference table: this TRUNCATE changes its copy on every one of the 4 shards.']);
  });
});
