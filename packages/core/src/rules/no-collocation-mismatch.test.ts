import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql } from '../analyze.js';
import { lint, testManifest } from '../../test/rule-tester.js';
import { loadParser } from '../sql/parser.js';

beforeAll(() => loadParser());

const ruleId = 'no-collocation-mismatch';
const MODE = 'SET LOCAL rds_aurora.limitless_create_table_mode';
const KEY = 'SET LOCAL rds_aurora.limitless_create_table_shard_key';
const COLLOCATE = 'SET LOCAL rds_aurora.limitless_create_table_collocate_with';

describe(ruleId, () => {
  const invalid: { sql: string; errors: { messageId: string; line: number; column: number; endColumn: number; severity?: string }[] }[] = [
    {
      sql: `BEGIN;\n${MODE} = 'sharded';\n${KEY} = '{"account_id"}';\nCREATE TABLE wallets (account_id bigint NOT NULL, PRIMARY KEY (account_id));\n${COLLOCATE} = 'wallets';\nCREATE TABLE wallet_events (account_id integer NOT NULL, event_id bigint NOT NULL, PRIMARY KEY (account_id, event_id));\nCOMMIT;`,
      errors: [{ messageId: 'shardKeyTypesDiffer', line: 6, column: 14, endColumn: 27 }],
    },
    {
      sql: `BEGIN; ${MODE} = 'sharded'; ${KEY} = '{"id"}'; CREATE TABLE wallets (id bigint); ${KEY} = '{"wallet_id"}'; ${COLLOCATE} = 'wallets'; CREATE TABLE wallet_events (wallet_id bigint); COMMIT;`,
      errors: [{ messageId: 'shardKeyNamesDiffer', line: 1, column: 328, endColumn: 341 }],
    },
    {
      // The collocation target is known from the manifest only: names are compared, types are not known.
      sql: `BEGIN; ${MODE} = 'sharded'; ${KEY} = '{"customer_id"}'; ${COLLOCATE} = 'accounts'; CREATE TABLE invoices (customer_id bigint); COMMIT;`,
      errors: [{ messageId: 'shardKeyNamesDiffer', line: 1, column: 231, endColumn: 239 }],
    },
    {
      sql: `BEGIN; ${MODE} = 'sharded'; ${KEY} = '{"code"}'; ${COLLOCATE} = 'currencies'; CREATE TABLE rates (code char(3)); COMMIT;`,
      errors: [{ messageId: 'collocatedWithNonSharded', line: 1, column: 226, endColumn: 231 }],
    },
    {
      sql: `BEGIN; ${MODE} = 'sharded'; ${KEY} = '{"acount_id"}'; CREATE TABLE wallets (account_id bigint); COMMIT;`,
      errors: [{ messageId: 'unknownShardKeyColumn', line: 1, column: 156, endColumn: 163 }],
    },
    {
      // The SET LOCAL ended at COMMIT, so accounts is created standard; the manifest says sharded.
      sql: `BEGIN;\n${MODE} = 'reference';\nCREATE TABLE countries (code char(2) PRIMARY KEY, name text NOT NULL);\nCOMMIT;\nCREATE TABLE accounts (account_id bigint PRIMARY KEY, owner_name text NOT NULL);`,
      errors: [{ messageId: 'modeDisagrees', line: 5, column: 14, endColumn: 22, severity: 'warning' }],
    },
    {
      sql: `BEGIN; ${MODE} = 'reference'; CREATE TABLE merchants (merchant_id bigint PRIMARY KEY); COMMIT;`,
      errors: [{ messageId: 'modeDisagrees', line: 1, column: 85, endColumn: 94, severity: 'warning' }],
    },
    {
      sql: `BEGIN; ${MODE} = 'sharded'; ${KEY} = '{"code"}'; CREATE TABLE currencies (code char(3)); COMMIT;`,
      errors: [{ messageId: 'modeDisagrees', line: 1, column: 151, endColumn: 161, severity: 'warning' }],
    },
    {
      sql: `BEGIN; ${MODE} = 'sharded'; ${KEY} = '{"owner_id"}'; CREATE TABLE accounts (account_id bigint, owner_id bigint); COMMIT;`,
      errors: [{ messageId: 'shardKeyDisagrees', line: 1, column: 155, endColumn: 163, severity: 'warning' }],
    },
    {
      sql: `BEGIN; ${MODE} = 'sharded'; ${KEY} = '{"account_id"}'; CREATE TABLE transactions (account_id bigint); COMMIT;`,
      errors: [{ messageId: 'collocationDisagrees', line: 1, column: 157, endColumn: 169, severity: 'warning' }],
    },
    {
      sql: `BEGIN; ${MODE} = 'sharded'; ${KEY} = '{"merchant_id"}'; ${COLLOCATE} = 'transactions'; CREATE TABLE merchants (merchant_id bigint); COMMIT;`,
      errors: [
        { messageId: 'collocationDisagrees', line: 1, column: 235, endColumn: 244, severity: 'warning' },
        { messageId: 'shardKeyNamesDiffer', line: 1, column: 235, endColumn: 244 },
      ],
    },
    {
      sql: `BEGIN; ${MODE} = 'sharded'; ${KEY} = '{"id"}'; CREATE TABLE a (id bigint); ${MODE} = 'reference'; CREATE TABLE b (id bigint PRIMARY KEY); COMMIT;`,
      errors: [{ messageId: 'shardKeyIgnored', line: 1, column: 241, endColumn: 242, severity: 'warning' }],
    },
    {
      sql: "CREATE TABLE wallets (id bigint);\nCREATE TABLE wallet_events (id integer);\nCALL rds_aurora.limitless_alter_table_type_sharded('wallets', ARRAY['id']);\nCALL rds_aurora.limitless_alter_table_type_sharded('wallet_events', ARRAY['id'], 'wallets');",
      errors: [{ messageId: 'shardKeyTypesDiffer', line: 4, column: 52, endColumn: 67 }],
    },
    {
      sql: "CALL rds_aurora.limitless_alter_table_type_reference('ledger_entries');",
      errors: [{ messageId: 'modeDisagrees', line: 1, column: 54, endColumn: 70, severity: 'warning' }],
    },
    {
      sql: "CALL rds_aurora.limitless_alter_table_type_sharded('orders', ARRAY['order_id'], 'accounts');",
      errors: [{ messageId: 'shardKeyNamesDiffer', line: 1, column: 52, endColumn: 60 }],
    },
  ];
  it.each(invalid)('reports $sql', ({ sql, errors }) => {
    const found = lint(sql, { ruleId });
    expect(found.map(({ messageId, line, column, endColumn, severity }) => ({ messageId, line, column, endColumn, severity }))).toEqual(errors.map((e) => ({ severity: 'error', ...e })));
  });

  const valid: string[] = [
    // bigserial is a bigint.
    `BEGIN;\n${MODE} = 'sharded';\n${KEY} = '{"account_id"}';\nCREATE TABLE wallets (account_id bigint NOT NULL, PRIMARY KEY (account_id));\n${COLLOCATE} = 'wallets';\nCREATE TABLE wallet_events (account_id bigserial NOT NULL, event_id bigint NOT NULL, PRIMARY KEY (account_id, event_id));\nCOMMIT;`,
    // No shard key of its own: it takes the collocated table's.
    `BEGIN; ${MODE} = 'sharded'; ${COLLOCATE} = 'accounts'; CREATE TABLE transactions (account_id bigint); COMMIT;`,
    // Created standard and converted afterwards (the AWS sample's way): no variables in this text, no mode warning.
    "CREATE TABLE accounts (account_id bigint PRIMARY KEY);\nCALL rds_aurora.limitless_alter_table_type_sharded('accounts', ARRAY['account_id']);",
    'CREATE TABLE audit_log (id bigserial PRIMARY KEY);',
    'CREATE TABLE accounts (account_id bigint PRIMARY KEY);',
    'CREATE TABLE not_in_manifest (id bigint);',
    // A collocation target nobody knows is not judged.
    `BEGIN; ${MODE} = 'sharded'; ${KEY} = '{"id"}'; ${COLLOCATE} = 'elsewhere'; CREATE TABLE x (id bigint); COMMIT;`,
    // Columns from LIKE are unknown.
    `BEGIN; ${MODE} = 'sharded'; ${KEY} = '{"id"}'; CREATE TABLE x (LIKE y); COMMIT;`,
    `BEGIN; ${MODE} = 'sharded'; ${KEY} = '{"Account_ID"}'; CREATE TABLE accounts (account_id bigint); COMMIT;`,
    `BEGIN; ${MODE} = 'sharded'; ${KEY} = '{"id"}'; CREATE TEMP TABLE scratch (x int); COMMIT;`,
    // IF NOT EXISTS on a table that exists does nothing.
    `BEGIN; ${MODE} = 'sharded'; ${KEY} = '{"account_id"}'; CREATE TABLE accounts (account_id bigint); COMMIT; RESET rds_aurora.limitless_create_table_mode; CREATE TABLE IF NOT EXISTS accounts (account_id bigint);`,
  ];
  it.each(valid)('accepts %s', (sql) => {
    expect(lint(sql, { ruleId })).toEqual([]);
  });

  it('accepts the demo migrations', () => {
    const sql = `BEGIN; ${MODE} = 'sharded'; ${KEY} = '{"account_id"}'; CREATE TABLE accounts (account_id bigint PRIMARY KEY); ${COLLOCATE} = 'accounts'; CREATE TABLE payment_methods (account_id bigint, payment_method_id uuid, PRIMARY KEY (account_id, payment_method_id)); COMMIT; BEGIN; RESET rds_aurora.limitless_create_table_mode; CREATE TABLE audit_log (id bigserial PRIMARY KEY); COMMIT;`;
    expect(lint(sql, { ruleId })).toEqual([]);
  });

  it('names both tables and both types, and says what to do', () => {
    const sql = `BEGIN; ${MODE} = 'sharded'; ${KEY} = '{"id"}'; CREATE TABLE wallets (id bigint); ${COLLOCATE} = 'wallets'; CREATE TABLE wallet_events (id int); COMMIT;`;
    const [d] = analyzeSql(sql, { manifest: testManifest() }).diagnostics.filter((x) => x.ruleId === ruleId);
    expect(d?.message).toBe('`wallet_events` is collocated with `wallets`, but shard-key column `id` has type `integer` here and `bigint` in `wallets`.');
    expect(d?.help).toBe('Declare `id` as `bigint`, the type it has in `wallets`.');
  });

  it('tells how to create the table the way the manifest declares it', () => {
    const sql = `BEGIN; ${MODE} = 'reference'; CREATE TABLE merchants (merchant_id bigint PRIMARY KEY); COMMIT;`;
    const [d] = analyzeSql(sql, { manifest: testManifest() }).diagnostics.filter((x) => x.ruleId === ruleId);
    expect(d?.message).toBe('`merchants` is created as a reference table here, but the manifest declares it sharded.');
    expect(d?.help).toBe(
      "Set `rds_aurora.limitless_create_table_mode = 'sharded'` and `rds_aurora.limitless_create_table_shard_key = '{\"merchant_id\"}'` before this CREATE TABLE, or change its mode in the manifest.",
    );
  });
});
