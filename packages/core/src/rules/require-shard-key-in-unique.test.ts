import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql } from '../analyze.js';
import { testManifest, lint } from '../../test/rule-tester.js';
import { loadParser } from '../sql/parser.js';

beforeAll(() => loadParser());

const ruleId = 'require-shard-key-in-unique';
const SHARDED = "SET rds_aurora.limitless_create_table_mode = 'sharded'; SET rds_aurora.limitless_create_table_shard_key = '{\"account_id\"}';";

describe(ruleId, () => {
  const invalid: { sql: string; errors: { messageId: string; line: number; column: number; endColumn: number }[] }[] = [
    // A plain CREATE TABLE (an existing PostgreSQL migration) of a table the manifest declares sharded.
    {
      sql: 'CREATE TABLE accounts (account_id bigint, email text, id bigint PRIMARY KEY);',
      errors: [{ messageId: 'missingShardKey', line: 1, column: 65, endColumn: 76 }],
    },
    {
      sql: 'CREATE TABLE accounts (account_id bigint, email text);\nCREATE UNIQUE INDEX accounts_email_key ON accounts (email);',
      errors: [{ messageId: 'missingShardKey', line: 2, column: 8, endColumn: 59 }],
    },
    {
      sql: "BEGIN;\nSET LOCAL rds_aurora.limitless_create_table_mode = 'sharded';\nSET LOCAL rds_aurora.limitless_create_table_shard_key = '{\"account_id\"}';\nCREATE TABLE invoices (\n    account_id bigint NOT NULL,\n    invoice_id bigint NOT NULL,\n    PRIMARY KEY (invoice_id)\n);\nCOMMIT;",
      errors: [{ messageId: 'missingShardKey', line: 7, column: 5, endColumn: 29 }],
    },
    {
      sql: `${SHARDED} CREATE TABLE invoices (invoice_id bigint PRIMARY KEY, account_id bigint);`,
      errors: [{ messageId: 'missingShardKey', line: 1, column: 166, endColumn: 177 }],
    },
    {
      sql: `${SHARDED} CREATE TABLE invoices (invoice_id bigint CONSTRAINT invoices_pkey PRIMARY KEY, account_id bigint, email text UNIQUE);`,
      errors: [
        { messageId: 'missingShardKey', line: 1, column: 166, endColumn: 202 },
        { messageId: 'missingShardKey', line: 1, column: 234, endColumn: 240 },
      ],
    },
    {
      sql: `${SHARDED} CREATE TABLE invoices (account_id bigint, number text, CONSTRAINT invoices_number_key UNIQUE (number), PRIMARY KEY (account_id, number));`,
      errors: [{ messageId: 'missingShardKey', line: 1, column: 180, endColumn: 226 }],
    },
    {
      sql: "SET rds_aurora.limitless_create_table_mode = 'sharded'; SET rds_aurora.limitless_create_table_shard_key = '{\"item_id\", \"item_cat\"}'; CREATE TABLE items (item_id bigint, item_cat text, PRIMARY KEY (item_id));",
      errors: [{ messageId: 'missingShardKey', line: 1, column: 185, endColumn: 206 }],
    },
    {
      // No shard key set: the table takes the one of the table it is collocated with (accounts, from the manifest).
      sql: "SET rds_aurora.limitless_create_table_mode = 'sharded'; SET rds_aurora.limitless_create_table_collocate_with = 'accounts'; CREATE TABLE statements (statement_id bigint PRIMARY KEY, account_id bigint);",
      errors: [{ messageId: 'missingShardKey', line: 1, column: 169, endColumn: 180 }],
    },
    {
      sql: 'ALTER TABLE transactions ADD CONSTRAINT transactions_id_key UNIQUE (transaction_id);',
      errors: [{ messageId: 'missingShardKey', line: 1, column: 30, endColumn: 84 }],
    },
    {
      sql: `${SHARDED} CREATE TABLE invoices (account_id bigint, invoice_id bigint); ALTER TABLE invoices ADD PRIMARY KEY (invoice_id), ADD COLUMN code text UNIQUE;`,
      errors: [
        { messageId: 'missingShardKey', line: 1, column: 212, endColumn: 236 },
        { messageId: 'missingShardKey', line: 1, column: 259, endColumn: 265 },
      ],
    },
    {
      sql: 'CREATE UNIQUE INDEX ledger_entries_entry_id_key ON ledger_entries (entry_id);',
      errors: [{ messageId: 'missingShardKey', line: 1, column: 8, endColumn: 77 }],
    },
    {
      sql: 'CREATE UNIQUE INDEX ON public.payment_methods (lower(kind));',
      errors: [{ messageId: 'missingShardKey', line: 1, column: 8, endColumn: 60 }],
    },
    {
      sql: "BEGIN;\nSET LOCAL rds_aurora.limitless_create_table_mode = 'reference';\nCREATE TABLE regions (code text NOT NULL, name text NOT NULL);\nCOMMIT;",
      errors: [{ messageId: 'referenceWithoutPrimaryKey', line: 3, column: 14, endColumn: 21 }],
    },
    {
      sql: "BEGIN; SET LOCAL rds_aurora.limitless_create_table_mode = 'reference'; CREATE TABLE regions AS SELECT * FROM countries; COMMIT;",
      errors: [{ messageId: 'referenceCreateTableAs', line: 1, column: 85, endColumn: 92 }],
    },
    {
      sql: "BEGIN; SET LOCAL rds_aurora.limitless_create_table_mode = 'reference'; SELECT * INTO regions FROM countries; COMMIT;",
      errors: [{ messageId: 'referenceCreateTableAs', line: 1, column: 86, endColumn: 93 }],
    },
    {
      sql: "CREATE TABLE customers (customer_id bigint, email text, PRIMARY KEY (email));\nCALL rds_aurora.limitless_alter_table_type_sharded('public.customers', ARRAY['customer_id']);",
      errors: [{ messageId: 'conversionBlocked', line: 2, column: 72, endColumn: 92 }],
    },
    {
      sql: "CREATE TABLE products (sku text, name text);\nCALL rds_aurora.limitless_alter_table_type_reference('products');",
      errors: [{ messageId: 'referenceConversionWithoutPrimaryKey', line: 2, column: 54, endColumn: 64 }],
    },
    {
      sql: "BEGIN;\nSET LOCAL rds_aurora.limitless_create_table_mode = 'sharded';\nSET LOCAL rds_aurora.limitless_create_table_shard_key = '{\"account_id\"}';\nCREATE TABLE invoices (account_id bigint PRIMARY KEY, invoice_id bigint UNIQUE);\nCOMMIT;",
      errors: [{ messageId: 'missingShardKey', line: 4, column: 73, endColumn: 79 }],
    },
  ];
  it.each(invalid)('reports $sql', ({ sql, errors }) => {
    const found = lint(sql, { ruleId });
    expect(found.map(({ messageId, line, column, endColumn, severity }) => ({ messageId, line, column, endColumn, severity }))).toEqual(errors.map((e) => ({ severity: 'error', ...e })));
  });

  const valid: string[] = [
    'CREATE TABLE accounts (account_id bigint, email text, PRIMARY KEY (account_id), UNIQUE (account_id, email));',
    // Declared standard in the manifest: a plain CREATE TABLE's keys are its own business.
    'CREATE TABLE audit_log (id bigint PRIMARY KEY, account_id bigint);',
    "BEGIN;\nSET LOCAL rds_aurora.limitless_create_table_mode = 'sharded';\nSET LOCAL rds_aurora.limitless_create_table_shard_key = '{\"account_id\"}';\nCREATE TABLE invoices (account_id bigint, invoice_id bigint, PRIMARY KEY (invoice_id, account_id), UNIQUE (account_id, invoice_id));\nCOMMIT;",
    // The array literal's case differs from the column's: not held against the key (whether Limitless folds it is undocumented).
    "SET rds_aurora.limitless_create_table_mode = 'sharded'; SET rds_aurora.limitless_create_table_shard_key = '{\"Account_ID\"}'; CREATE TABLE invoices (account_id bigint, invoice_id bigint, PRIMARY KEY (account_id, invoice_id));",
    `${SHARDED} CREATE TABLE events (account_id bigint, payload jsonb);`,
    `${SHARDED} CREATE TEMP TABLE scratch (id bigint PRIMARY KEY);`,
    // SET LOCAL outside a transaction block does nothing: the table is standard.
    "SET LOCAL rds_aurora.limitless_create_table_mode = 'sharded'; SET rds_aurora.limitless_create_table_shard_key = '{\"account_id\"}'; CREATE TABLE t (id bigint PRIMARY KEY);",
    'CREATE TABLE audit (id bigserial PRIMARY KEY, account_id bigint UNIQUE);',
    "BEGIN; SET LOCAL rds_aurora.limitless_create_table_mode = 'reference'; CREATE TABLE regions (code text PRIMARY KEY, name text UNIQUE); CREATE TABLE regions_copy (LIKE regions INCLUDING ALL); COMMIT;",
    'CREATE UNIQUE INDEX transactions_account_id_transaction_id_key ON transactions (account_id, transaction_id);',
    'CREATE UNIQUE INDEX currencies_name_key ON currencies (name);',
    'CREATE INDEX transactions_merchant_id_idx ON transactions (merchant_id);',
    'ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_key UNIQUE (action);',
    'ALTER TABLE not_in_manifest ADD PRIMARY KEY (id);',
    'ALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY USING INDEX accounts_idx;',
    'ALTER TABLE transactions ADD CONSTRAINT transactions_currency_code_fkey FOREIGN KEY (currency_code) REFERENCES currencies (code);',
    "CREATE TABLE customers (customer_id bigint, email text, PRIMARY KEY (customer_id));\nCALL rds_aurora.limitless_alter_table_type_sharded('customers', ARRAY['customer_id']);",
    "CREATE TABLE products (sku text PRIMARY KEY);\nCALL rds_aurora.limitless_alter_table_type_reference('products');",
    // A table whose CREATE TABLE we did not see: its keys are unknown.
    "CALL rds_aurora.limitless_alter_table_type_reference('products');",
    "BEGIN; SET LOCAL rds_aurora.limitless_create_table_mode = 'sharded'; SET LOCAL rds_aurora.limitless_create_table_shard_key = '{\"account_id\"}'; CREATE TABLE copy AS SELECT * FROM accounts; COMMIT;",
    "BEGIN; SET LOCAL rds_aurora.limitless_create_table_mode = 'reference'; CREATE TEMP TABLE scratch AS SELECT 1; COMMIT;",
  ];
  it.each(valid)('accepts %s', (sql) => {
    expect(lint(sql, { ruleId })).toEqual([]);
  });

  it('names the constraint, the missing column and the fix', () => {
    const [d] = analyzeSql(`${SHARDED} CREATE TABLE invoices (account_id bigint, invoice_id bigint, CONSTRAINT invoices_pkey PRIMARY KEY (invoice_id));`, {
      manifest: testManifest(),
    }).diagnostics.filter((x) => x.ruleId === ruleId);
    expect(d?.message).toBe('PRIMARY KEY constraint `invoices_pkey` (invoice_id) on sharded table `invoices` does not include the shard key `account_id`.');
    expect(d?.help).toBe('Add `account_id` to the key, e.g. `PRIMARY KEY (account_id, invoice_id)`, or choose a shard key that this key contains.');
  });

  it('suggests a unique index with the shard key in front', () => {
    const [d] = analyzeSql('CREATE UNIQUE INDEX ON payment_methods (lower(kind));', { manifest: testManifest() }).diagnostics.filter((x) => x.ruleId === ruleId);
    expect(d?.message).toBe('Unique index (lower(kind)) on sharded table `payment_methods` does not include the shard key `account_id`.');
    expect(d?.help).toContain('`(account_id, lower(kind))`');
  });

  it('uses the shard key learned from earlier DDL before the manifest', () => {
    // merchants is sharded on merchant_id in the manifest, but this script shards it on country_code.
    const sql = "SET rds_aurora.limitless_create_table_mode = 'sharded'; SET rds_aurora.limitless_create_table_shard_key = '{\"country_code\"}'; CREATE TABLE merchants (merchant_id bigint, country_code char(2)); ALTER TABLE merchants ADD PRIMARY KEY (merchant_id);";
    expect(lint(sql, { ruleId }).map((d) => d.message)).toEqual(['PRIMARY KEY (merchant_id) on sharded table `merchants` does not include the shard key `country_code`.']);
  });
});
