import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql } from '../analyze.js';
import { lint, testManifest } from '../../test/rule-tester.js';
import { loadParser } from '../sql/parser.js';

beforeAll(() => loadParser());

const ruleId = 'no-hot-shard-key';
const sharded = (key: string) => `SET rds_aurora.limitless_create_table_mode = 'sharded'; SET rds_aurora.limitless_create_table_shard_key = '{${key}}';`;

describe(ruleId, () => {
  const invalid: { sql: string; errors: { messageId: string; line: number; column: number; endColumn: number }[] }[] = [
    {
      sql: "BEGIN;\nSET LOCAL rds_aurora.limitless_create_table_mode = 'sharded';\nSET LOCAL rds_aurora.limitless_create_table_shard_key = '{\"booked_on\"}';\nCREATE TABLE bookings (\n    booked_on  date   NOT NULL,\n    booking_id bigint NOT NULL\n);\nCOMMIT;",
      errors: [{ messageId: 'timeOrderedShardKey', line: 5, column: 5, endColumn: 14 }],
    },
    {
      sql: `${sharded('"created_at"')} CREATE TABLE events (id bigint, created_at timestamptz NOT NULL DEFAULT now());`,
      errors: [{ messageId: 'timeOrderedShardKey', line: 1, column: 157, endColumn: 167 }],
    },
    {
      sql: `${sharded('"at"')} CREATE TABLE readings (at timestamp without time zone, value float8);`,
      errors: [{ messageId: 'timeOrderedShardKey', line: 1, column: 140, endColumn: 142 }],
    },
    {
      sql: `${sharded('"slot"')} CREATE TABLE slots (slot time with time zone);`,
      errors: [{ messageId: 'timeOrderedShardKey', line: 1, column: 139, endColumn: 143 }],
    },
    {
      sql: `${sharded('"active"')} CREATE TABLE flags (active boolean, name text);`,
      errors: [{ messageId: 'lowCardinalityShardKey', line: 1, column: 141, endColumn: 147 }],
    },
    {
      sql: "CREATE TYPE plan AS ENUM ('free', 'pro', 'enterprise');\nSET rds_aurora.limitless_create_table_mode = 'sharded';\nSET rds_aurora.limitless_create_table_shard_key = '{\"plan\"}';\nCREATE TABLE subscriptions (account_id bigint, plan plan NOT NULL);",
      errors: [{ messageId: 'lowCardinalityShardKey', line: 4, column: 48, endColumn: 52 }],
    },
    {
      // Every column of the key is hot: reported once, at the first key column.
      sql: "CREATE TYPE billing.kind AS ENUM ('a');\nSET rds_aurora.limitless_create_table_mode = 'sharded';\nSET rds_aurora.limitless_create_table_shard_key = '{\"kind\", \"on_day\"}';\nCREATE TABLE things (on_day date, kind billing.kind);",
      errors: [{ messageId: 'lowCardinalityShardKey', line: 4, column: 35, endColumn: 39 }],
    },
    {
      sql: "CREATE TABLE readings (sensor_id bigint, taken_at timestamptz);\nCALL rds_aurora.limitless_alter_table_type_sharded('readings', ARRAY['taken_at']);",
      errors: [{ messageId: 'timeOrderedShardKey', line: 2, column: 70, endColumn: 80 }],
    },
    {
      sql: `${sharded('"Created_At"')} CREATE TABLE events (created_at timestamptz);`,
      errors: [{ messageId: 'timeOrderedShardKey', line: 1, column: 146, endColumn: 156 }],
    },
  ];
  it.each(invalid)('reports $sql', ({ sql, errors }) => {
    const found = lint(sql, { ruleId });
    expect(found.map(({ messageId, line, column, endColumn, severity }) => ({ messageId, line, column, endColumn, severity }))).toEqual(errors.map((e) => ({ severity: 'warning', ...e })));
  });

  const valid: string[] = [
    `${sharded('"account_id"')} CREATE TABLE t (account_id bigint, created_on date);`,
    // One well-spread column is enough for the hash.
    `${sharded('"account_id", "created_on"')} CREATE TABLE t (account_id bigint, created_on date);`,
    `${sharded('"id"')} CREATE TABLE t (id bigserial, created_at timestamptz);`,
    // A sequence-generated key hashes evenly.
    `${sharded('"tx"')} CREATE TABLE t (tx bigint DEFAULT nextval('s'));`,
    `${sharded('"code"')} CREATE TABLE t (code smallint);`,
    `${sharded('"days"')} CREATE TABLE t (days date[]);`,
    "SET rds_aurora.limitless_create_table_mode = 'reference'; SET rds_aurora.limitless_create_table_shard_key = '{\"day\"}'; CREATE TABLE t (day date PRIMARY KEY);",
    'CREATE TABLE t (day date PRIMARY KEY);',
    // An enum created elsewhere is not known to be one.
    `${sharded('"plan"')} CREATE TABLE s (plan plan);`,
    "CREATE TABLE readings (sensor_id bigint, taken_at timestamptz);\nCALL rds_aurora.limitless_alter_table_type_sharded('readings', ARRAY['sensor_id']);",
    "CALL rds_aurora.limitless_alter_table_type_sharded('unknown', ARRAY['taken_at']);",
  ];
  it.each(valid)('accepts %s', (sql) => {
    expect(lint(sql, { ruleId })).toEqual([]);
  });

  it('reports smallint keys when asked to, but not sequence-generated ones', () => {
    const overrides = { [ruleId]: { level: 'warn' as const, options: { smallint: true } } };
    expect(lint(`${sharded('"code"')} CREATE TABLE t (code smallint);`, { ruleId, overrides }).map((d) => [d.messageId, d.column, d.endColumn])).toEqual([['smallIntShardKey', 135, 139]]);
    expect(lint(`${sharded('"code"')} CREATE TABLE t (code smallserial);`, { ruleId, overrides })).toEqual([]);
  });

  it('says why and labels the other hot key columns', () => {
    const sql = "SET rds_aurora.limitless_create_table_mode = 'sharded'; SET rds_aurora.limitless_create_table_shard_key = '{\"active\", \"day\"}'; CREATE TABLE t (active boolean, day date);";
    const [d] = analyzeSql(sql, { manifest: testManifest() }).diagnostics.filter((x) => x.ruleId === ruleId);
    expect(d?.message).toBe('Shard key `active` of `t` has type `boolean`, which has only 2 values: rows with the same value share a shard, so a few shards hold all of them.');
    expect(d?.labels.map((l) => [sql.slice(l.span.start, l.span.end), l.message])).toEqual([['day', '`day` (date) is in the shard key too']]);
    expect(d?.help).toContain('keep `active` as an ordinary column');
  });
});
