import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql } from '../analyze.js';
import { parseManifest } from '../manifest/parse.js';
import { LineIndex } from '../line-index.js';
import type { RuleOverrides } from './engine.js';
import { lint, testManifest } from '../../test/rule-tester.js';
import { loadParser } from '../sql/parser.js';
import { ruleGroupOf } from './groups.js';
import type { FeatureId } from './unsupported-features.js';
import { UNSUPPORTED_FEATURE_IDS, ruleOfFeature } from './unsupported-features.js';

beforeAll(() => loadParser());

// The group alias of the five no-unsupported-* rules: these tests cover every feature through it
// (lint() with a group id returns its members' diagnostics), and check which member reports each.
const ruleId = 'no-unsupported-feature';

/** The group's diagnostics with the feature id each reports (and check that the right member reports it). */
function findings(sql: string, overrides?: RuleOverrides) {
  const index = new LineIndex(sql);
  return analyzeSql(sql, { manifest: testManifest(), ...(overrides ? { ruleOverrides: overrides } : {}) })
    .diagnostics.filter((d) => ruleGroupOf(d.ruleId) === ruleId)
    .map((d) => {
      expect(d.ruleId).toBe(ruleOfFeature(d.data.id as FeatureId));
      const start = index.positionAt(d.span.start);
      const end = index.positionAt(d.span.end);
      return { id: d.data.id, messageId: d.messageId, line: start.line, column: start.column, endColumn: end.column };
    });
}

describe(ruleId, () => {
  const invalid: { sql: string; errors: { id: string; messageId: string; line: number; column: number; endColumn: number }[] }[] = [
    { sql: 'CREATE TRIGGER accounts_audit AFTER UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION audit();', errors: [{ id: 'trigger', messageId: 'unsupportedStatement', line: 1, column: 8, endColumn: 15 }] },
    { sql: 'CREATE EVENT TRIGGER ddl_log ON ddl_command_end EXECUTE FUNCTION log_ddl();', errors: [{ id: 'event-trigger', messageId: 'unsupportedStatement', line: 1, column: 8, endColumn: 21 }] },
    { sql: 'DROP TRIGGER IF EXISTS accounts_audit ON accounts;', errors: [{ id: 'trigger', messageId: 'unsupportedStatement', line: 1, column: 6, endColumn: 13 }] },
    { sql: 'ALTER TRIGGER accounts_audit ON accounts RENAME TO accounts_log;', errors: [{ id: 'trigger', messageId: 'unsupportedStatement', line: 1, column: 7, endColumn: 14 }] },
    { sql: 'CREATE TEMP TABLE recent (account_id bigint);', errors: [{ id: 'temporary-table', messageId: 'unsupportedStatement', line: 1, column: 8, endColumn: 12 }] },
    { sql: 'CREATE TEMPORARY TABLE recent AS SELECT account_id FROM accounts WHERE account_id = 1;', errors: [{ id: 'temporary-table', messageId: 'unsupportedStatement', line: 1, column: 8, endColumn: 17 }] },
    { sql: 'SELECT account_id INTO TEMP recent FROM accounts WHERE account_id = 1;', errors: [{ id: 'temporary-table', messageId: 'unsupportedStatement', line: 1, column: 24, endColumn: 28 }] },
    { sql: 'CREATE MATERIALIZED VIEW balances AS SELECT 1;', errors: [{ id: 'materialized-view', messageId: 'unsupportedStatement', line: 1, column: 8, endColumn: 25 }] },
    { sql: 'REFRESH MATERIALIZED VIEW balances;', errors: [{ id: 'materialized-view', messageId: 'unsupportedStatement', line: 1, column: 9, endColumn: 26 }] },
    { sql: 'DROP MATERIALIZED VIEW balances;', errors: [{ id: 'materialized-view', messageId: 'unsupportedStatement', line: 1, column: 6, endColumn: 23 }] },
    { sql: 'CREATE RULE no_delete AS ON DELETE TO accounts DO INSTEAD NOTHING;', errors: [{ id: 'rule', messageId: 'unsupportedStatement', line: 1, column: 8, endColumn: 12 }] },
    { sql: 'CREATE DOMAIN positive AS numeric CHECK (VALUE > 0);', errors: [{ id: 'domain', messageId: 'unsupportedStatement', line: 1, column: 8, endColumn: 14 }] },
    { sql: 'CREATE AGGREGATE product (numeric) (sfunc = numeric_mul, stype = numeric);', errors: [{ id: 'aggregate', messageId: 'unsupportedStatement', line: 1, column: 8, endColumn: 17 }] },
    { sql: 'CREATE FOREIGN TABLE remote_accounts (id bigint) SERVER legacy;', errors: [{ id: 'foreign-table', messageId: 'unsupportedStatement', line: 1, column: 8, endColumn: 21 }] },
    { sql: 'CREATE SERVER legacy FOREIGN DATA WRAPPER postgres_fdw;', errors: [{ id: 'foreign-server', messageId: 'unsupportedStatement', line: 1, column: 8, endColumn: 14 }] },
    { sql: 'IMPORT FOREIGN SCHEMA public FROM SERVER legacy INTO staging;', errors: [{ id: 'import-foreign-schema', messageId: 'unsupportedStatement', line: 1, column: 1, endColumn: 22 }] },
    { sql: 'CREATE PUBLICATION all_tables FOR ALL TABLES;', errors: [{ id: 'publication', messageId: 'unsupportedStatement', line: 1, column: 8, endColumn: 19 }] },
    { sql: "CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION all_tables;", errors: [{ id: 'subscription', messageId: 'unsupportedStatement', line: 1, column: 8, endColumn: 20 }] },
    { sql: 'CREATE STATISTICS accounts_stats ON owner_name, status FROM accounts;', errors: [{ id: 'statistics', messageId: 'unsupportedStatement', line: 1, column: 8, endColumn: 18 }] },
    { sql: "CREATE TABLESPACE fast LOCATION '/ssd';", errors: [{ id: 'tablespace', messageId: 'unsupportedStatement', line: 1, column: 8, endColumn: 18 }] },
    { sql: 'CREATE LANGUAGE plperl;', errors: [{ id: 'language', messageId: 'unsupportedStatement', line: 1, column: 8, endColumn: 16 }] },
    { sql: 'CREATE TRANSFORM FOR hstore LANGUAGE plperl (FROM SQL WITH FUNCTION f(internal), TO SQL WITH FUNCTION g(internal));', errors: [{ id: 'transform', messageId: 'unsupportedStatement', line: 1, column: 8, endColumn: 17 }] },
    { sql: 'CREATE ACCESS METHOD heap2 TYPE TABLE HANDLER heap_tableam_handler;', errors: [{ id: 'access-method', messageId: 'unsupportedStatement', line: 1, column: 8, endColumn: 21 }] },
    { sql: 'CREATE TEXT SEARCH CONFIGURATION fr (COPY = french);', errors: [{ id: 'text-search', messageId: 'unsupportedStatement', line: 1, column: 8, endColumn: 19 }] },
    { sql: "COMMENT ON TABLE accounts IS 'Customer accounts';", errors: [{ id: 'comment', messageId: 'unsupportedStatement', line: 1, column: 1, endColumn: 11 }] },
    { sql: "SECURITY LABEL FOR selinux ON TABLE accounts IS 'system_u:object_r:sepgsql_table_t:s0';", errors: [{ id: 'security-label', messageId: 'unsupportedStatement', line: 1, column: 1, endColumn: 15 }] },
    { sql: 'DROP OWNED BY app_user;', errors: [{ id: 'drop-owned', messageId: 'unsupportedStatement', line: 1, column: 1, endColumn: 11 }] },
    { sql: 'REASSIGN OWNED BY old_owner TO new_owner;', errors: [{ id: 'reassign-owned', messageId: 'unsupportedStatement', line: 1, column: 1, endColumn: 15 }] },
    { sql: 'SET CONSTRAINTS ALL DEFERRED;', errors: [{ id: 'set-constraints', messageId: 'unsupportedStatement', line: 1, column: 1, endColumn: 16 }] },
    { sql: "ALTER SYSTEM SET work_mem = '64MB';", errors: [{ id: 'alter-system', messageId: 'unsupportedStatement', line: 1, column: 1, endColumn: 13 }] },
    { sql: 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO reader;', errors: [{ id: 'alter-default-privileges', messageId: 'unsupportedStatement', line: 1, column: 1, endColumn: 25 }] },
    { sql: "ALTER DATABASE app SET timezone = 'UTC';", errors: [{ id: 'alter-database', messageId: 'unsupportedStatement', line: 1, column: 1, endColumn: 15 }] },
    { sql: 'CREATE DATABASE app2 TEMPLATE template0;', errors: [{ id: 'create-database-option', messageId: 'unsupportedStatement', line: 1, column: 22, endColumn: 30 }] },
    { sql: 'ALTER ROUTINE credit(bigint) RENAME TO credit_account;', errors: [{ id: 'alter-routine', messageId: 'unsupportedStatement', line: 1, column: 1, endColumn: 14 }] },
    { sql: 'ALTER POLICY tenant_isolation ON accounts USING (true);', errors: [{ id: 'policy-change', messageId: 'unsupportedStatement', line: 1, column: 1, endColumn: 13 }] },
    { sql: 'DROP POLICY tenant_isolation ON accounts;', errors: [{ id: 'policy-change', messageId: 'unsupportedStatement', line: 1, column: 6, endColumn: 12 }] },
    { sql: 'ALTER FUNCTION credit(bigint) IMMUTABLE;', errors: [{ id: 'alter-function-volatility', messageId: 'unsupportedStatement', line: 1, column: 31, endColumn: 40 }] },
    { sql: 'LISTEN payments;', errors: [{ id: 'listen-notify', messageId: 'unsupportedStatement', line: 1, column: 1, endColumn: 7 }] },
    { sql: "NOTIFY payments, 'paid';", errors: [{ id: 'listen-notify', messageId: 'unsupportedStatement', line: 1, column: 1, endColumn: 7 }] },
    { sql: 'UNLISTEN *;', errors: [{ id: 'listen-notify', messageId: 'unsupportedStatement', line: 1, column: 1, endColumn: 9 }] },
    { sql: "SELECT pg_notify('payments', 'paid');", errors: [{ id: 'listen-notify', messageId: 'unsupportedStatement', line: 1, column: 8, endColumn: 17 }] },
    { sql: 'MERGE INTO accounts a USING incoming i ON a.account_id = i.account_id WHEN MATCHED THEN UPDATE SET status = i.status;', errors: [{ id: 'merge', messageId: 'unsupportedStatement', line: 1, column: 1, endColumn: 6 }] },
    { sql: "PREPARE TRANSACTION 'tx1';", errors: [{ id: 'two-phase-commit', messageId: 'unsupportedStatement', line: 1, column: 1, endColumn: 20 }] },
    { sql: "COMMIT PREPARED 'tx1';", errors: [{ id: 'two-phase-commit', messageId: 'unsupportedStatement', line: 1, column: 1, endColumn: 16 }] },
    { sql: "ROLLBACK PREPARED 'tx1';", errors: [{ id: 'two-phase-commit', messageId: 'unsupportedStatement', line: 1, column: 1, endColumn: 18 }] },
    { sql: 'REINDEX TABLE accounts;', errors: [{ id: 'reindex', messageId: 'unsupportedStatement', line: 1, column: 1, endColumn: 8 }] },
    { sql: "UPDATE accounts SET status = 'closed' WHERE CURRENT OF account_cursor;", errors: [{ id: 'where-current-of', messageId: 'unsupportedStatement', line: 1, column: 45, endColumn: 55 }] },
    { sql: 'DELETE FROM accounts WHERE CURRENT OF account_cursor;', errors: [{ id: 'where-current-of', messageId: 'unsupportedStatement', line: 1, column: 28, endColumn: 38 }] },
    { sql: 'CREATE TABLE audit_events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload jsonb);', errors: [{ id: 'identity', messageId: 'unsupportedTableFeature', line: 1, column: 38, endColumn: 66 }] },
    { sql: 'CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);', errors: [{ id: 'partitioning', messageId: 'unsupportedTableFeature', line: 1, column: 42, endColumn: 54 }] },
    { sql: "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');", errors: [{ id: 'partitioning', messageId: 'unsupportedTableFeature', line: 1, column: 26, endColumn: 38 }] },
    { sql: 'CREATE TABLE events (id bigint) WITH (autovacuum_enabled = false);', errors: [{ id: 'storage-parameters', messageId: 'unsupportedTableFeature', line: 1, column: 33, endColumn: 66 }] },
    { sql: 'CREATE TABLE bookings (room int, during tstzrange, EXCLUDE USING gist (room WITH =, during WITH &&));', errors: [{ id: 'exclusion-constraint', messageId: 'unsupportedTableFeature', line: 1, column: 52, endColumn: 59 }] },
    { sql: 'CREATE TABLE tags (tag text CHECK (length(tag) > 0));', errors: [{ id: 'check-expression', messageId: 'unsupportedTableFeature', line: 1, column: 36, endColumn: 42 }] },
    { sql: 'CREATE TABLE ops (op_date date, CONSTRAINT not_future CHECK (op_date <= now()));', errors: [{ id: 'check-expression', messageId: 'unsupportedTableFeature', line: 1, column: 73, endColumn: 76 }] },
    { sql: 'CREATE TABLE ops (op_date date CHECK (op_date <= CURRENT_DATE));', errors: [{ id: 'check-expression', messageId: 'unsupportedTableFeature', line: 1, column: 50, endColumn: 62 }] },
    { sql: 'CREATE TABLE links (id bigint, parent_id bigint REFERENCES links (id) ON DELETE SET DEFAULT);', errors: [{ id: 'foreign-key-set-default', messageId: 'unsupportedTableFeature', line: 1, column: 71, endColumn: 92 }] },
    { sql: 'ALTER TABLE ONLY accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY (account_id);', errors: [{ id: 'alter-table-only', messageId: 'unsupportedTableFeature', line: 1, column: 13, endColumn: 17 }] },
    { sql: 'ALTER TABLE accounts RENAME CONSTRAINT accounts_pkey TO accounts_pk;', errors: [{ id: 'rename-constraint', messageId: 'unsupportedTableFeature', line: 1, column: 22, endColumn: 39 }] },
    { sql: 'ALTER TABLE accounts ALTER COLUMN status SET STATISTICS 500;', errors: [{ id: 'alter-column-option', messageId: 'unsupportedTableFeature', line: 1, column: 42, endColumn: 56 }] },
    { sql: 'ALTER TABLE accounts ALTER COLUMN status TYPE varchar(20) USING status::varchar(20);', errors: [{ id: 'alter-column-type-using', messageId: 'unsupportedTableFeature', line: 1, column: 59, endColumn: 64 }] },
    { sql: 'ALTER TABLE accounts ALTER COLUMN account_id ADD GENERATED ALWAYS AS IDENTITY;', errors: [{ id: 'identity', messageId: 'unsupportedTableFeature', line: 1, column: 46, endColumn: 78 }] },
    { sql: "ALTER TABLE events ATTACH PARTITION events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');", errors: [{ id: 'partitioning', messageId: 'unsupportedTableFeature', line: 1, column: 20, endColumn: 36 }] },
    { sql: 'ALTER TABLE ALL IN TABLESPACE fast SET TABLESPACE pg_default;', errors: [{ id: 'tablespace', messageId: 'unsupportedStatement', line: 1, column: 13, endColumn: 30 }] },
    { sql: 'CREATE UNIQUE INDEX CONCURRENTLY accounts_owner_key ON accounts (account_id, owner_name);', errors: [{ id: 'unique-index-concurrently', messageId: 'unsupportedTableFeature', line: 1, column: 8, endColumn: 33 }] },
    { sql: 'CREATE SCHEMA billing CREATE TABLE invoices (id bigint);', errors: [{ id: 'schema-elements', messageId: 'unsupportedStatement', line: 1, column: 23, endColumn: 35 }] },
    { sql: "SELECT setval('transactions_transaction_id_seq', 1000);", errors: [{ id: 'setval', messageId: 'unsupportedSequenceFeature', line: 1, column: 8, endColumn: 14 }] },
    { sql: 'CREATE SEQUENCE invoice_numbers CYCLE;', errors: [{ id: 'sequence-cycle', messageId: 'unsupportedSequenceFeature', line: 1, column: 33, endColumn: 38 }] },
    { sql: 'ALTER SEQUENCE invoice_numbers NO CYCLE;', errors: [{ id: 'sequence-cycle', messageId: 'unsupportedSequenceFeature', line: 1, column: 32, endColumn: 40 }] },
    { sql: 'CREATE TEMP SEQUENCE scratch_ids;', errors: [{ id: 'temporary-sequence', messageId: 'unsupportedSequenceFeature', line: 1, column: 8, endColumn: 12 }] },
    { sql: 'CREATE UNLOGGED SEQUENCE scratch_ids;', errors: [{ id: 'unlogged-sequence', messageId: 'unsupportedSequenceFeature', line: 1, column: 8, endColumn: 16 }] },
    { sql: 'INSERT INTO accounts (account_id, status) VALUES ($1, $2) ON CONFLICT (account_id) DO UPDATE SET status = (SELECT status FROM defaults LIMIT 1);', errors: [{ id: 'on-conflict-unsafe-update', messageId: 'unsupportedConflictAction', line: 1, column: 107, endColumn: 144 }] },
    { sql: 'INSERT INTO accounts (account_id, created_at) VALUES ($1, $2) ON CONFLICT (account_id) DO UPDATE SET created_at = now();', errors: [{ id: 'on-conflict-unsafe-update', messageId: 'unsupportedConflictAction', line: 1, column: 115, endColumn: 118 }] },
    { sql: 'INSERT INTO accounts (account_id, status) VALUES ($1, $2) ON CONFLICT (account_id) DO UPDATE SET status = EXCLUDED.status WHERE accounts.created_at < CURRENT_TIMESTAMP;', errors: [{ id: 'on-conflict-unsafe-update', messageId: 'unsupportedConflictAction', line: 1, column: 151, endColumn: 168 }] },
    { sql: 'BEGIN ISOLATION LEVEL SERIALIZABLE;', errors: [{ id: 'serializable', messageId: 'unsupportedIsolation', line: 1, column: 23, endColumn: 35 }] },
    { sql: 'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;', errors: [{ id: 'serializable', messageId: 'unsupportedIsolation', line: 1, column: 33, endColumn: 45 }] },
    { sql: "SET default_transaction_isolation = 'serializable';", errors: [{ id: 'serializable', messageId: 'unsupportedIsolation', line: 1, column: 37, endColumn: 51 }] },
    { sql: 'SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE;', errors: [{ id: 'serializable', messageId: 'unsupportedIsolation', line: 1, column: 60, endColumn: 72 }] },
    { sql: "SELECT set_config('transaction_isolation', 'serializable', true);", errors: [{ id: 'serializable', messageId: 'unsupportedIsolation', line: 1, column: 44, endColumn: 58 }] },
    { sql: `BEGIN;\nSET LOCAL rds_aurora.limitless_create_table_mode = 'sharded';\nSET LOCAL rds_aurora.limitless_create_table_shard_key = '{"account_id"}';\nCREATE TABLE account_notification_delivery_attempts_by_channel_history (account_id bigint);\nCOMMIT;`, errors: [{ id: 'long-sharded-table-name', messageId: 'longShardedTableName', line: 4, column: 14, endColumn: 71 }] },
    { sql: `BEGIN;\nSET LOCAL rds_aurora.limitless_create_table_mode = 'sharded';\nSET LOCAL rds_aurora.limitless_create_table_shard_key = '{"account_id"}';\nCREATE TABLE invoices (account_id bigint, currency_code char(3) REFERENCES currencies (code));\nCOMMIT;`, errors: [{ id: 'inline-foreign-key', messageId: 'unsupportedTableFeature', line: 4, column: 65, endColumn: 75 }] },
    { sql: "BEGIN;\nSET LOCAL rds_aurora.limitless_create_table_mode = 'reference';\nCREATE TABLE regions (code text PRIMARY KEY, country_code char(2), FOREIGN KEY (country_code) REFERENCES countries (code));\nCOMMIT;", errors: [{ id: 'inline-foreign-key', messageId: 'unsupportedTableFeature', line: 3, column: 68, endColumn: 79 }] },
    { sql: 'ALTER TABLE accounts RENAME TO account_notification_delivery_attempts_by_channel_history;', errors: [{ id: 'long-sharded-table-name', messageId: 'longShardedTableName', line: 1, column: 32, endColumn: 89 }] },
    { sql: "CALL rds_aurora.limitless_alter_table_type_sharded('account_notification_delivery_attempts_by_channel_history', ARRAY['account_id']);", errors: [{ id: 'long-sharded-table-name', messageId: 'longShardedTableName', line: 1, column: 52, endColumn: 111 }] },
  ];
  it.each(invalid)('reports $sql', ({ sql, errors }) => {
    expect(findings(sql)).toEqual(errors);
  });

  const valid: string[] = [
    'CREATE TABLE audit_events (id bigserial PRIMARY KEY, payload jsonb);',
    'BEGIN ISOLATION LEVEL REPEATABLE READ;',
    'SET TRANSACTION ISOLATION LEVEL READ COMMITTED;',
    'INSERT INTO accounts (account_id, status) VALUES ($1, $2) ON CONFLICT (account_id) DO UPDATE SET status = EXCLUDED.status;',
    "INSERT INTO accounts (account_id, owner_name) VALUES ($1, $2) ON CONFLICT (account_id) DO UPDATE SET owner_name = lower(EXCLUDED.owner_name) || '';",
    'INSERT INTO accounts (account_id, created_at) VALUES ($1, now()) ON CONFLICT (account_id) DO NOTHING;',
    'INSERT INTO accounts (account_id, status) VALUES ($1, $2) ON CONFLICT (account_id) DO UPDATE SET status = my_normalise(EXCLUDED.status);',
    "CREATE TABLE t (qty int CHECK (qty > 0), status text CHECK (status IN ('open', 'closed')), d date CHECK (d > '2020-01-01'::date));",
    'CREATE TABLE events (id bigint);',
    'CREATE TABLE t (a int) WITHOUT OIDS;',
    'CREATE INDEX CONCURRENTLY accounts_owner_idx ON accounts (owner_name);',
    'CREATE UNIQUE INDEX accounts_owner_key ON accounts (account_id, owner_name);',
    'CREATE SCHEMA billing;',
    'CREATE SEQUENCE invoice_numbers START 1000 CACHE 100;',
    'ALTER SEQUENCE invoice_numbers RESTART WITH 5000;',
    "SELECT nextval('invoice_numbers');",
    'CREATE EXTENSION pg_trgm;',
    "CREATE POLICY tenant_isolation ON accounts USING (account_id = current_setting('app.account')::bigint);",
    'ALTER FUNCTION credit(bigint) SECURITY DEFINER;',
    "ALTER TABLE accounts ADD COLUMN note text, ALTER COLUMN status SET DEFAULT 'active', ALTER COLUMN status SET NOT NULL;",
    'ALTER TABLE accounts ALTER COLUMN status TYPE varchar(20);',
    'ALTER TABLE transactions ADD CONSTRAINT transactions_currency_code_fkey FOREIGN KEY (currency_code) REFERENCES currencies (code);',
    'CREATE TABLE notes (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts_std (id));',
    `BEGIN;\nSET LOCAL rds_aurora.limitless_create_table_mode = 'sharded';\nSET LOCAL rds_aurora.limitless_create_table_shard_key = '{"account_id"}';\nCREATE TABLE account_notification_delivery_attempts_by_channel (account_id bigint);\nCOMMIT;`,
    'CREATE TABLE account_notification_delivery_attempts_by_channel_history (id bigint);',
    'ALTER TABLE audit_log RENAME TO account_notification_delivery_attempts_by_channel_history;',
    'DROP TABLE IF EXISTS scratch; DROP VIEW v; DROP INDEX i; DROP FUNCTION f(); DROP SEQUENCE s;',
    'TRUNCATE accounts; VACUUM accounts; ANALYZE accounts; CLUSTER accounts;',
    'COPY accounts FROM STDIN;',
    'DECLARE c CURSOR FOR SELECT * FROM accounts WHERE account_id = 1;',
    "UPDATE accounts SET status = 'closed' WHERE account_id = 1;",
    "SELECT 'MERGE INTO x' AS text, comment FROM accounts WHERE account_id = 1;",
    'GRANT SELECT ON accounts TO reader;',
    'CREATE VIEW v AS SELECT 1;',
    "CREATE TYPE mood AS ENUM ('sad', 'ok');",
  ];
  it.each(valid)('accepts %s', (sql) => {
    expect(lint(sql, { ruleId })).toEqual([]);
  });

  it('reports every feature of a statement, in text order', () => {
    const sql = "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY, tag text CHECK (length(tag) > 0)) PARTITION BY HASH (id);";
    expect(findings(sql).map((f) => f.id)).toEqual(['identity', 'check-expression', 'partitioning']);
  });

  it('reports a temporary table once, not what it contains', () => {
    expect(findings('CREATE TEMP TABLE t (id bigint GENERATED ALWAYS AS IDENTITY) ON COMMIT DROP;').map((f) => f.id)).toEqual(['temporary-table']);
  });

  it('leaves CREATE TABLE AS in reference mode to require-shard-key-in-unique', () => {
    const sql = "BEGIN; SET LOCAL rds_aurora.limitless_create_table_mode = 'reference'; CREATE TABLE regions AS SELECT * FROM countries; COMMIT;";
    expect(findings(sql)).toEqual([]);
    expect(lint(sql, { ruleId: 'require-shard-key-in-unique' }).map((d) => d.messageId)).toEqual(['referenceCreateTableAs']);
  });

  it('accepts the features listed in `allow`', () => {
    const overrides: RuleOverrides = { [ruleId]: { level: 'error', options: { allow: ['merge', 'comment'] } } };
    expect(findings("MERGE INTO accounts a USING incoming i ON a.account_id = i.account_id WHEN MATCHED THEN DELETE;", overrides)).toEqual([]);
    expect(findings("COMMENT ON TABLE accounts IS 'x';", overrides)).toEqual([]);
    expect(findings('LISTEN payments;', overrides).map((f) => f.id)).toEqual(['listen-notify']);
  });

  it('says what, quotes the AWS page, and says how to opt out', () => {
    const [d] = analyzeSql('CREATE TRIGGER t AFTER INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION f();', { manifest: testManifest() }).diagnostics.filter((x) => ruleGroupOf(x.ruleId) === ruleId);
    expect(d?.message).toBe('`CREATE TRIGGER` is not supported by Aurora PostgreSQL Limitless (DDL support reference, L-DDLSUP).');
    expect(d?.note).toContain('https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/limitless-reference.DDL-support.html');
    expect(d?.help).toBe(
      "Run the trigger's logic in the application, or in a function the application calls explicitly. If AWS supports it by now, accept it with the rule option `allow: [trigger]`.",
    );
  });

  it('names the function that makes ON CONFLICT DO UPDATE unsafe', () => {
    const [d] = analyzeSql('INSERT INTO accounts (account_id) VALUES (1) ON CONFLICT (account_id) DO UPDATE SET status = random()::text;', { manifest: testManifest() }).diagnostics.filter(
      (x) => ruleGroupOf(x.ruleId) === ruleId,
    );
    expect(d?.message).toBe('`INSERT … ON CONFLICT … DO UPDATE` with the volatile function `random()` is not supported by Aurora PostgreSQL Limitless (DML limitations, L-DMLLIM).');
  });

  it('documents every feature id on the page of the rule that reports it', () => {
    for (const id of UNSUPPORTED_FEATURE_IDS) {
      const doc = readFileSync(fileURLToPath(new URL(`../../../../docs/rules/${ruleOfFeature(id as FeatureId)}.md`, import.meta.url)), 'utf8');
      expect(doc, id).toContain(`| \`${id}\` |`);
    }
  });
});

describe('no-unsupported-feature as a group alias of the five rules', () => {
  const sql = "MERGE INTO accounts a USING incoming i ON a.account_id = i.account_id WHEN MATCHED THEN DELETE;\nCREATE TEMP TABLE t (id bigint);\nBEGIN ISOLATION LEVEL SERIALIZABLE;";
  const rulesOf = (overrides?: RuleOverrides, manifest?: string) =>
    analyzeSql(sql, { manifest: manifest === undefined ? testManifest() : withRules(manifest), ...(overrides ? { ruleOverrides: overrides } : {}) })
      .diagnostics.filter((d) => ruleGroupOf(d.ruleId) === ruleId)
      .map((d) => d.ruleId);

  it('reports each feature under its own rule by default', () => {
    expect(rulesOf()).toEqual(['no-unsupported-dml', 'no-unsupported-ddl', 'no-unsupported-isolation']);
  });

  it('switches every member with the group in limitless.yaml, a member\'s own entry winning', () => {
    expect(rulesOf(undefined, 'no-unsupported-feature: off')).toEqual([]);
    expect(rulesOf(undefined, 'no-unsupported-feature: off\n  no-unsupported-ddl: warn')).toEqual(['no-unsupported-ddl']);
    const severities = analyzeSql(sql, { manifest: withRules('no-unsupported-feature: warn') }).diagnostics.filter((d) => ruleGroupOf(d.ruleId) === ruleId);
    expect(severities.map((d) => d.severity)).toEqual(['warning', 'warning', 'warning']);
  });

  it('passes the group\'s options to every member', () => {
    expect(rulesOf(undefined, 'no-unsupported-feature: { level: error, allow: [merge, serializable] }')).toEqual(['no-unsupported-ddl']);
    expect(rulesOf({ [ruleId]: { level: 'error', options: { allow: ['temporary-table'] } } })).toEqual(['no-unsupported-dml', 'no-unsupported-isolation']);
  });

  it('suppresses every member with a suppression comment naming the group, and finds such a comment unused when nothing is reported', () => {
    const all = analyzeSql(sql, { manifest: testManifest() }).diagnostics;
    const suppressed = analyzeSql(`-- limitless-lint-ignore-file no-unsupported-feature: legacy migration\n${sql}`, { manifest: testManifest() }).diagnostics;
    expect(suppressed.map((d) => d.ruleId)).toEqual(all.map((d) => d.ruleId).filter((id) => ruleGroupOf(id) !== ruleId));
    const unused = analyzeSql('-- limitless-lint-ignore no-unsupported-feature: legacy migration\nSELECT 1;', { manifest: testManifest() }).diagnostics;
    expect(unused.map((d) => [d.ruleId, d.message])).toEqual([['unused-suppression', expect.stringContaining('no-unsupported-feature')]]);
  });

  it('is accepted in limitless.yaml with its members\' `allow` option, and a misspelt option is still caught', () => {
    expect(parseManifest(`shards: 4\ntables: {}\nrules:\n  no-unsupported-feature: { level: warn, allow: [merge] }\n`).ok).toBe(true);
    const bad = parseManifest(`shards: 4\ntables: {}\nrules:\n  no-unsupported-feature: { level: warn, alow: [merge] }\n`);
    expect(bad.ok).toBe(false);
  });
});

/** The demo manifest with this `rules:` block (indented by two). */
function withRules(rules: string) {
  return { ...testManifest(), rules: (parseManifest(`shards: 4\ntables: {}\nrules:\n  ${rules}\n`) as { ok: true; manifest: ReturnType<typeof testManifest> }).manifest.rules };
}
