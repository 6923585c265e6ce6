import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../../test/rule-tester.js';
import { loadParser } from '../sql/parser.js';

beforeAll(() => loadParser());

const ruleId = 'no-session-pinning';
const fixtures = fileURLToPath(new URL('../../../../fixtures/demo/', import.meta.url));

type Expected = { messageId: string; line: number; column: number; endLine?: number; endColumn: number; severity?: string };

function positions(sql: string, options: Record<string, unknown> | undefined = undefined) {
  const found = lint(sql, { ruleId, ...(options ? { overrides: { [ruleId]: { level: 'error', options } } } : {}) });
  return found.map(({ messageId, line, column, endLine, endColumn, severity }) => ({ messageId, line, column, endLine, endColumn, severity }));
}

function expected(errors: readonly Expected[]) {
  // The demo manifest sets `no-session-pinning: error`.
  return errors.map((e) => ({ severity: 'error', endLine: e.line, ...e }));
}

describe(ruleId, () => {
  const invalid: { sql: string; errors: Expected[] }[] = [
    // SET / RESET: session settings (docs/limitless/rds-proxy.md#what-pins-a-connection).
    { sql: "SET statement_timeout = '5s'", errors: [{ messageId: 'setVariable', line: 1, column: 1, endColumn: 22 }] },
    { sql: 'SET SESSION search_path TO app, public', errors: [{ messageId: 'setVariable', line: 1, column: 1, endColumn: 24 }] },
    { sql: 'SET search_path TO DEFAULT', errors: [{ messageId: 'setVariable', line: 1, column: 1, endColumn: 16 }] },
    { sql: 'RESET statement_timeout', errors: [{ messageId: 'setVariable', line: 1, column: 1, endColumn: 24 }] },
    { sql: 'RESET ALL', errors: [{ messageId: 'setVariable', line: 1, column: 1, endColumn: 10 }] },
    { sql: "SET TIME ZONE 'UTC'", errors: [{ messageId: 'setVariable', line: 1, column: 1, endColumn: 14 }] },
    { sql: 'SET ROLE app_user', errors: [{ messageId: 'setVariable', line: 1, column: 1, endColumn: 9 }] },
    { sql: 'SET SESSION AUTHORIZATION app_user', errors: [{ messageId: 'setVariable', line: 1, column: 1, endColumn: 26 }] },
    { sql: 'SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ', errors: [{ messageId: 'setVariable', line: 1, column: 1, endColumn: 28 }] },
    { sql: 'SET "MyApp".tenant = \'42\'', errors: [{ messageId: 'setVariable', line: 1, column: 1, endColumn: 19 }] },
    { sql: 'SET\n  statement_timeout\n  = 5000', errors: [{ messageId: 'setVariable', line: 1, column: 1, endLine: 2, endColumn: 20 }] },
    { sql: "BEGIN;\nSET LOCAL statement_timeout = '1s';\nSET search_path TO app;\nCOMMIT;", errors: [{ messageId: 'setVariable', line: 3, column: 1, endColumn: 16 }] },
    // set_config(…, is_local): false or not a constant.
    { sql: "SELECT set_config('app.user_id', $1, false)", errors: [{ messageId: 'setConfig', line: 1, column: 8, endColumn: 18 }] },
    { sql: "SELECT set_config('app.user_id', $1, $2)", errors: [{ messageId: 'setConfig', line: 1, column: 8, endColumn: 18 }] },
    { sql: "SELECT set_config('app.user_id', $1, 'off')", errors: [{ messageId: 'setConfig', line: 1, column: 8, endColumn: 18 }] },
    { sql: "SELECT set_config(name, value, false) FROM (VALUES ('a', 'b')) v (name, value)", errors: [{ messageId: 'setConfig', line: 1, column: 8, endColumn: 18 }] },
    // Prepared statements and DISCARD.
    { sql: 'PREPARE get_account (bigint) AS SELECT * FROM accounts WHERE account_id = $1', errors: [{ messageId: 'preparedStatement', line: 1, column: 1, endColumn: 20 }] },
    { sql: 'EXECUTE get_account(1)', errors: [{ messageId: 'preparedStatement', line: 1, column: 1, endColumn: 20 }] },
    { sql: 'DEALLOCATE PREPARE get_account', errors: [{ messageId: 'preparedStatement', line: 1, column: 1, endColumn: 31 }] },
    { sql: 'DEALLOCATE ALL', errors: [{ messageId: 'preparedStatement', line: 1, column: 1, endColumn: 15 }] },
    { sql: 'DISCARD ALL', errors: [{ messageId: 'discardAll', line: 1, column: 1, endColumn: 12 }] },
    { sql: 'DISCARD TEMP', errors: [{ messageId: 'discard', line: 1, column: 1, endColumn: 13 }] },
    // Temporary tables, views and sequences.
    { sql: 'CREATE TEMP TABLE ids (id bigint)', errors: [{ messageId: 'temporaryObject', line: 1, column: 1, endColumn: 22 }] },
    { sql: 'CREATE GLOBAL TEMPORARY TABLE IF NOT EXISTS ids (id bigint) ON COMMIT DROP', errors: [{ messageId: 'temporaryObject', line: 1, column: 1, endColumn: 48 }] },
    { sql: 'CREATE TABLE pg_temp.ids (id bigint)', errors: [{ messageId: 'temporaryObject', line: 1, column: 1, endColumn: 25 }] },
    { sql: 'CREATE TEMPORARY TABLE ids AS SELECT account_id FROM accounts WHERE account_id = 1', errors: [{ messageId: 'temporaryObject', line: 1, column: 1, endColumn: 27 }] },
    { sql: 'SELECT account_id INTO TEMP ids FROM accounts WHERE account_id = 1', errors: [{ messageId: 'temporaryObject', line: 1, column: 19, endColumn: 32 }] },
    { sql: 'CREATE TEMP VIEW my_accounts AS SELECT 1', errors: [{ messageId: 'temporaryObject', line: 1, column: 1, endColumn: 29 }] },
    { sql: 'CREATE TEMP SEQUENCE tmp_seq', errors: [{ messageId: 'temporaryObject', line: 1, column: 1, endColumn: 29 }] },
    // Cursors, LISTEN, LOAD.
    { sql: 'DECLARE recent CURSOR FOR SELECT * FROM accounts WHERE account_id = 1', errors: [{ messageId: 'cursor', line: 1, column: 1, endColumn: 22 }] },
    { sql: 'DECLARE recent NO SCROLL CURSOR WITH HOLD FOR SELECT 1', errors: [{ messageId: 'cursor', line: 1, column: 1, endColumn: 42 }] },
    { sql: 'LISTEN payments', errors: [{ messageId: 'listen', line: 1, column: 1, endColumn: 16 }] },
    { sql: "LOAD 'auto_explain'", errors: [{ messageId: 'load', line: 1, column: 1, endColumn: 20 }] },
    // Session advisory locks (not the _xact_ ones); unlocks are info.
    { sql: 'SELECT pg_advisory_lock(42)', errors: [{ messageId: 'advisoryLock', line: 1, column: 8, endColumn: 24 }] },
    { sql: 'SELECT pg_try_advisory_lock_shared(1, 2)', errors: [{ messageId: 'advisoryLock', line: 1, column: 8, endColumn: 35 }] },
    { sql: 'SELECT pg_catalog.pg_advisory_lock_shared($1)', errors: [{ messageId: 'advisoryLock', line: 1, column: 8, endColumn: 42 }] },
    { sql: 'SELECT pg_try_advisory_lock(hashtext($1))', errors: [{ messageId: 'advisoryLock', line: 1, column: 8, endColumn: 28 }] },
    {
      sql: "UPDATE accounts\n   SET status = 'x'\n WHERE account_id = $1\n   AND pg_try_advisory_lock(account_id)",
      errors: [{ messageId: 'advisoryLock', line: 4, column: 8, endColumn: 28 }],
    },
    { sql: 'SELECT pg_advisory_unlock(42)', errors: [{ messageId: 'advisoryUnlock', line: 1, column: 8, endColumn: 26, severity: 'info' }] },
    { sql: 'SELECT pg_advisory_unlock_all()', errors: [{ messageId: 'advisoryUnlock', line: 1, column: 8, endColumn: 30, severity: 'info' }] },
    // Sequence functions; currval/lastval are info.
    { sql: "INSERT INTO audit_log (id, action) VALUES (nextval('audit_log_id_seq'), 'login')", errors: [{ messageId: 'sequenceFunction', line: 1, column: 44, endColumn: 51 }] },
    { sql: "SELECT setval('audit_log_id_seq', 1000)", errors: [{ messageId: 'sequenceFunction', line: 1, column: 8, endColumn: 14 }] },
    { sql: "SELECT 1 FROM accounts WHERE account_id = (SELECT nextval('s'))", errors: [{ messageId: 'sequenceFunction', line: 1, column: 51, endColumn: 58 }] },
    { sql: "EXPLAIN ANALYZE SELECT nextval('s')", errors: [{ messageId: 'sequenceFunction', line: 1, column: 24, endColumn: 31 }] },
    { sql: "CALL refill(nextval('s'))", errors: [{ messageId: 'sequenceFunction', line: 1, column: 13, endColumn: 20 }] },
    { sql: "SELECT currval('audit_log_id_seq')", errors: [{ messageId: 'sequenceRead', line: 1, column: 8, endColumn: 15, severity: 'info' }] },
    { sql: 'SELECT lastval()', errors: [{ messageId: 'sequenceRead', line: 1, column: 8, endColumn: 15, severity: 'info' }] },
    {
      sql: "SELECT pg_advisory_lock(1), nextval('s')",
      errors: [
        { messageId: 'advisoryLock', line: 1, column: 8, endColumn: 24 },
        { messageId: 'sequenceFunction', line: 1, column: 29, endColumn: 36 },
      ],
    },
  ];
  it.each(invalid)('reports $sql', ({ sql, errors }) => {
    expect(positions(sql)).toEqual(expected(errors));
  });

  const valid: string[] = [
    // Transaction-scoped settings: off by default (option setLocal).
    "SET LOCAL statement_timeout = '5s'",
    "BEGIN;\nSET LOCAL statement_timeout = '5s';\nCOMMIT;",
    'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ',
    'SET CONSTRAINTS ALL DEFERRED',
    "SELECT set_config('app.user_id', $1, true)",
    // The Limitless create-table variables of migrations (option ignoreVariables).
    "SET rds_aurora.limitless_create_table_mode = 'sharded'",
    'SET LOCAL rds_aurora.limitless_create_table_shard_key = \'{"account_id"}\'',
    'RESET rds_aurora.limitless_create_table_collocate_with',
    "SELECT set_config('rds_aurora.limitless_create_table_mode', 'sharded', false)",
    // Transaction-level advisory locks do not pin (docs/limitless/rds-proxy.md#what-pins-a-connection).
    'SELECT pg_advisory_xact_lock(42)',
    'SELECT pg_try_advisory_xact_lock_shared(1)',
    // Not temporary; DDL defaults and function bodies do not run the call; EXPLAIN without ANALYZE does not execute.
    'CREATE SEQUENCE invoice_no_seq',
    "CREATE TABLE invoices (invoice_no bigint DEFAULT nextval('invoice_no_seq'))",
    "ALTER TABLE invoices ALTER COLUMN invoice_no SET DEFAULT nextval('invoice_no_seq')",
    'CREATE UNLOGGED TABLE ids (id bigint)',
    'SELECT account_id INTO ids FROM accounts WHERE account_id = 1',
    "CREATE FUNCTION f() RETURNS bigint LANGUAGE sql AS $$ SELECT nextval('s') $$",
    "EXPLAIN SELECT nextval('s')",
    // Not in the documented list.
    "PREPARE TRANSACTION 'tx1'",
    "NOTIFY payments, 'paid'",
    'UNLISTEN payments',
    'SHOW statement_timeout',
    "SELECT billing.nextval('x')",
    'SELECT * FROM accounts WHERE account_id = $1',
  ];
  it.each(valid)('accepts %s', (sql) => {
    expect(positions(sql)).toEqual([]);
  });

  const withSetLocal: { sql: string; errors: Expected[] }[] = [
    { sql: "SET LOCAL statement_timeout = '5s'", errors: [{ messageId: 'setLocal', line: 1, column: 1, endColumn: 28 }] },
    { sql: "BEGIN;\nSET LOCAL statement_timeout = '5s';\nCOMMIT;", errors: [{ messageId: 'setLocal', line: 2, column: 1, endColumn: 28 }] },
    { sql: 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ', errors: [{ messageId: 'setLocal', line: 1, column: 1, endColumn: 16 }] },
    { sql: 'SET CONSTRAINTS ALL DEFERRED', errors: [{ messageId: 'setLocal', line: 1, column: 1, endColumn: 16 }] },
    { sql: "SELECT set_config('app.user_id', $1, true)", errors: [{ messageId: 'setLocal', line: 1, column: 8, endColumn: 18 }] },
    { sql: 'SET LOCAL rds_aurora.limitless_create_table_shard_key = \'{"account_id"}\'', errors: [] },
  ];
  it.each(withSetLocal)('setLocal: true reports transaction-scoped settings: $sql', ({ sql, errors }) => {
    expect(positions(sql, { setLocal: true })).toEqual(expected(errors));
  });

  const withOptions: { sql: string; errors: Expected[] }[] = [
    { sql: "SET app.tenant = '42'", errors: [] },
    { sql: "SET APP.Tenant = '42'", errors: [] },
    { sql: "SELECT set_config('app.tenant', $1, false)", errors: [] },
    { sql: "SET rds_aurora.limitless_create_table_mode = 'sharded'", errors: [{ messageId: 'setVariable', line: 1, column: 1, endColumn: 43 }] },
    { sql: "SELECT currval('s')", errors: [] },
    { sql: 'SELECT pg_advisory_unlock(1)', errors: [] },
  ];
  it.each(withOptions)('ignoreVariables: [app.*] and unconfirmed: false: $sql', ({ sql, errors }) => {
    expect(positions(sql, { ignoreVariables: ['app.*'], unconfirmed: false })).toEqual(expected(errors));
  });

  it('says what, with the command as written', () => {
    const [set] = lint("SET /* why */ SESSION\n  statement_timeout = '5s'", { ruleId });
    expect(set?.message).toBe('`SET SESSION statement_timeout` changes a session setting, which pins the client to its RDS Proxy database connection.');
    const [config] = lint("SELECT set_config('app.user_id', $1, $2)", { ruleId });
    expect(config?.message).toBe("`set_config('app.user_id', …, $2)` changes a session setting, which pins the client to its RDS Proxy database connection.");
    const [cursor] = lint('DECLARE recent NO SCROLL CURSOR WITH HOLD FOR SELECT 1', { ruleId });
    expect(cursor?.message).toBe('`DECLARE recent NO SCROLL CURSOR WITH HOLD` declares a cursor that outlives its transaction, which pins the client to its RDS Proxy database connection.');
    const [temp] = lint('SELECT account_id INTO TEMP ids FROM accounts WHERE account_id = 1', { ruleId });
    expect(temp?.message).toBe('Creating the temporary table `ids` pins the client to its RDS Proxy database connection.');
    expect(temp?.suggestions).toEqual([]);
  });

  it('reports a statement over 16 KB (16384 UTF-8 bytes) at its first token', () => {
    const head = "SELECT 'x";
    const fits = `${head}${'x'.repeat(16384 - head.length - 1)}'`;
    expect(fits.length).toBe(16384);
    expect(positions(fits)).toEqual([]);
    expect(positions(fits.replace("x'", "xx'"))).toEqual(expected([{ messageId: 'largeStatement', line: 1, column: 1, endColumn: 7 }]));
    // 8200 two-byte characters: fewer than 16384 string units, more than 16384 bytes.
    const wide = `SELECT '${'é'.repeat(8200)}'`;
    expect(wide.length).toBeLessThan(16384);
    const [d] = lint(`SELECT 1;\n${wide}`, { ruleId });
    expect(d).toMatchObject({ messageId: 'largeStatement', line: 2, column: 1, endColumn: 7, message: 'This statement is 16409 bytes long; RDS Proxy pins the connection for any statement over 16 KB (16384 bytes).' });
  });

  it('leaves the Limitless SET LOCALs of the demo migrations alone', () => {
    const sql = readFileSync(`${fixtures}migrations/0003_transactions.sql`, 'utf8');
    expect(sql).toContain('SET LOCAL rds_aurora.limitless_create_table_mode');
    expect(positions(sql)).toEqual([]);
  });

  it('reports the demo statements labelled with this rule, and nothing in good.sql', () => {
    const bad = lint(readFileSync(`${fixtures}queries/bad.sql`, 'utf8'), { ruleId });
    expect(bad.map((d) => [d.line, d.messageId])).toEqual([
      [73, 'setVariable'],
      [77, 'setConfig'],
      [81, 'advisoryLock'],
      [86, 'temporaryObject'],
      [107, 'listen'],
    ]);
    expect(lint(readFileSync(`${fixtures}queries/good.sql`, 'utf8'), { ruleId })).toEqual([]);
  });
});
