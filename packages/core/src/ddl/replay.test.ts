import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { learnTables } from '../analyze.js';
import { loadParser } from '../sql/parser.js';
import { parseStatements } from '../sql/statements.js';
import type { CreateTableSettings, LearnedTable, SchemaState } from './replay.js';
import { DdlReplay, enumLabels, isReplayNeutral, mayReplayChange, parseArrayLiteral } from './replay.js';

beforeAll(() => loadParser());

/** Replays `sql`; returns the replay and the state before each statement. */
function replay(sql: string, searchPath?: readonly string[]): { replay: DdlReplay; states: SchemaState[] } {
  const r = new DdlReplay(searchPath);
  const states = parseStatements(sql).statements.map((s) => r.step(s));
  return { replay: r, states };
}

/** What the tests compare of a learned table. */
function summary(t: LearnedTable) {
  return {
    mode: t.mode,
    shardKey: t.shardKey,
    collocateWith: t.collocateWith,
    primaryKey: t.primaryKey,
    uniques: t.uniques,
    sequenceColumns: t.columns.filter((c) => c.sequence).map((c) => c.name),
    identityColumns: t.columns.filter((c) => c.identity).map((c) => c.name),
    types: Object.fromEntries(t.columns.map((c) => [c.name, c.type])),
  };
}

const MODE = 'rds_aurora.limitless_create_table_mode';
const KEY = 'rds_aurora.limitless_create_table_shard_key';
const COLLOCATE = 'rds_aurora.limitless_create_table_collocate_with';

describe('DdlReplay settings', () => {
  const cases: { name: string; sql: string; settings: CreateTableSettings }[] = [
    { name: 'default is standard', sql: 'SELECT 1', settings: { mode: 'standard' } },
    { name: 'SET lasts for the session', sql: `SET ${MODE} = 'sharded'`, settings: { mode: 'sharded' } },
    { name: 'SET SESSION lasts for the session', sql: `SET SESSION ${MODE} TO 'reference'`, settings: { mode: 'reference' } },
    { name: 'the mode value is folded to lower case', sql: `SET ${MODE} = 'SHARDED'`, settings: { mode: 'sharded' } },
    { name: 'SET in a committed transaction outlives it', sql: `BEGIN; SET ${MODE} = 'sharded'; COMMIT;`, settings: { mode: 'sharded' } },
    { name: 'SET LOCAL is in force inside the transaction', sql: `BEGIN; SET LOCAL ${MODE} = 'sharded';`, settings: { mode: 'sharded' } },
    { name: 'SET LOCAL ends at COMMIT', sql: `BEGIN; SET LOCAL ${MODE} = 'sharded'; COMMIT;`, settings: { mode: 'standard' } },
    { name: 'SET LOCAL ends at END', sql: `START TRANSACTION; SET LOCAL ${MODE} = 'sharded'; END;`, settings: { mode: 'standard' } },
    { name: 'SET LOCAL ends at ROLLBACK', sql: `BEGIN; SET LOCAL ${MODE} = 'sharded'; ROLLBACK;`, settings: { mode: 'standard' } },
    { name: 'SET LOCAL outside a transaction block is ignored', sql: `SET LOCAL ${MODE} = 'sharded'`, settings: { mode: 'standard' } },
    { name: 'SET LOCAL outside a transaction keeps the session value', sql: `SET ${MODE} = 'reference'; SET LOCAL ${MODE} = 'sharded';`, settings: { mode: 'reference' } },
    { name: 'SET LOCAL masks a session SET until COMMIT', sql: `SET ${MODE} = 'reference'; BEGIN; SET LOCAL ${MODE} = 'sharded'; COMMIT;`, settings: { mode: 'reference' } },
    { name: 'a session SET after SET LOCAL survives COMMIT', sql: `BEGIN; SET LOCAL ${MODE} = 'reference'; SET ${MODE} = 'sharded'; COMMIT;`, settings: { mode: 'sharded' } },
    { name: 'SET LOCAL after SET ends at COMMIT, the SET stays', sql: `BEGIN; SET ${MODE} = 'sharded'; SET LOCAL ${MODE} = 'reference'; COMMIT;`, settings: { mode: 'sharded' } },
    { name: 'RESET returns to standard', sql: `SET ${MODE} = 'sharded'; RESET ${MODE};`, settings: { mode: 'standard' } },
    { name: 'SET TO DEFAULT returns to standard', sql: `SET ${MODE} = 'sharded'; SET ${MODE} TO DEFAULT;`, settings: { mode: 'standard' } },
    { name: 'SET LOCAL TO DEFAULT masks the session value', sql: `SET ${MODE} = 'sharded'; BEGIN; SET LOCAL ${MODE} TO DEFAULT;`, settings: { mode: 'standard' } },
    { name: 'RESET ALL clears every variable', sql: `SET ${MODE} = 'sharded'; SET ${KEY} = '{"id"}'; RESET ALL;`, settings: { mode: 'standard' } },
    { name: 'DISCARD ALL clears every variable', sql: `SET ${MODE} = 'sharded'; DISCARD ALL;`, settings: { mode: 'standard' } },
    { name: 'ROLLBACK undoes a session SET', sql: `BEGIN; SET ${MODE} = 'sharded'; ROLLBACK;`, settings: { mode: 'standard' } },
    { name: 'ABORT undoes a session SET', sql: `BEGIN; SET ${MODE} = 'sharded'; ABORT;`, settings: { mode: 'standard' } },
    { name: 'ROLLBACK keeps what was SET before the transaction', sql: `SET ${MODE} = 'reference'; BEGIN; SET ${MODE} = 'sharded'; ROLLBACK;`, settings: { mode: 'reference' } },
    { name: 'ROLLBACK undoes a session RESET', sql: `SET ${MODE} = 'sharded'; BEGIN; RESET ${MODE}; ROLLBACK;`, settings: { mode: 'sharded' } },
    {
      name: 'ROLLBACK TO SAVEPOINT undoes the SETs after the savepoint',
      sql: `BEGIN; SET LOCAL ${MODE} = 'sharded'; SAVEPOINT a; SET LOCAL ${MODE} = 'reference'; ROLLBACK TO SAVEPOINT a;`,
      settings: { mode: 'sharded' },
    },
    { name: 'RELEASE keeps the SETs after the savepoint', sql: `BEGIN; SAVEPOINT a; SET LOCAL ${MODE} = 'reference'; RELEASE a;`, settings: { mode: 'reference' } },
    { name: 'COMMIT AND CHAIN opens a new transaction for SET LOCAL', sql: `BEGIN; COMMIT AND CHAIN; SET LOCAL ${MODE} = 'sharded';`, settings: { mode: 'sharded' } },
    { name: 'other variables are ignored', sql: "SET search_path = app; SET statement_timeout = '5s';", settings: { mode: 'standard' } },
    { name: 'a one-column shard key', sql: `SET ${KEY} = '{"account_id"}'`, settings: { mode: 'standard', shardKey: ['account_id'] } },
    { name: 'a multi-column shard key', sql: `SET ${KEY} = '{"item_id", "item_cat"}'`, settings: { mode: 'standard', shardKey: ['item_id', 'item_cat'] } },
    { name: 'unquoted array elements', sql: `SET ${KEY} = '{item_id,item_cat}'`, settings: { mode: 'standard', shardKey: ['item_id', 'item_cat'] } },
    { name: 'array elements keep their case', sql: `SET ${KEY} = '{"Account_ID"}'`, settings: { mode: 'standard', shardKey: ['Account_ID'] } },
    { name: 'collocate_with', sql: `SET ${COLLOCATE} = 'accounts'`, settings: { mode: 'standard', collocateWith: 'accounts' } },
    {
      name: 'all three in one transaction',
      sql: `BEGIN; SET LOCAL ${MODE} = 'sharded'; SET LOCAL ${KEY} = '{"account_id"}'; SET LOCAL ${COLLOCATE} = 'billing.accounts';`,
      settings: { mode: 'sharded', shardKey: ['account_id'], collocateWith: 'billing.accounts' },
    },
  ];
  it.each(cases)('$name', ({ sql, settings }) => {
    expect(replay(sql).replay.settings()).toEqual(settings);
  });

  it('gives each statement the state before it runs', () => {
    const { states } = replay(`BEGIN; SET LOCAL ${MODE} = 'sharded'; CREATE TABLE t (id bigint); COMMIT; SELECT 1;`);
    expect(states.map((s) => [s.settings.mode, s.inTransaction, s.tables.has('public.t')])).toEqual([
      ['standard', false, false],
      ['standard', true, false],
      ['sharded', true, false],
      ['sharded', true, true],
      ['standard', false, true],
    ]);
  });

  it('tells whether the text uses the create-table variables', () => {
    expect(replay('CREATE TABLE a (id int); SELECT 1;').states.map((s) => s.createTableVariablesUsed)).toEqual([false, false]);
    expect(replay(`RESET ${MODE}; SELECT 1;`).states.map((s) => s.createTableVariablesUsed)).toEqual([false, true]);
  });
});

describe('parseArrayLiteral', () => {
  const cases: { text: string | undefined; parsed: string[] | undefined }[] = [
    { text: '{"id"}', parsed: ['id'] },
    { text: '{"item_id", "item_cat"}', parsed: ['item_id', 'item_cat'] },
    { text: ' { a , b } ', parsed: ['a', 'b'] },
    { text: '{"with \\"quote\\"", "comma,inside"}', parsed: ['with "quote"', 'comma,inside'] },
    { text: '{}', parsed: [] },
    { text: 'id', parsed: undefined },
    { text: undefined, parsed: undefined },
  ];
  it.each(cases)('parses $text', ({ text, parsed }) => {
    expect(parseArrayLiteral(text)).toEqual(parsed);
  });
});

const SHARDED = `SET LOCAL ${MODE} = 'sharded'; SET LOCAL ${KEY} = '{"account_id"}';`;

describe('DdlReplay tables', () => {
  const cases: { name: string; sql: string; tables: Record<string, Partial<ReturnType<typeof summary>> | null> }[] = [
    { name: 'a standard table by default', sql: 'CREATE TABLE audit (id bigint)', tables: { 'public.audit': { mode: 'standard', shardKey: [], collocateWith: undefined } } },
    {
      name: 'a sharded table takes the shard key in force',
      sql: `BEGIN; ${SHARDED} CREATE TABLE accounts (account_id bigint PRIMARY KEY); COMMIT;`,
      tables: { 'public.accounts': { mode: 'sharded', shardKey: ['account_id'], primaryKey: ['account_id'] } },
    },
    {
      name: 'a multi-column shard key',
      sql: `BEGIN; SET LOCAL ${MODE} = 'sharded'; SET LOCAL ${KEY} = '{"item_id", "item_cat"}'; CREATE TABLE items (item_id bigint, item_cat text); COMMIT;`,
      tables: { 'public.items': { mode: 'sharded', shardKey: ['item_id', 'item_cat'] } },
    },
    {
      name: 'collocate_with names the collocated table; its shard key is inherited when none is set',
      sql: `BEGIN; ${SHARDED} CREATE TABLE accounts (account_id bigint); RESET ${KEY}; SET LOCAL ${COLLOCATE} = 'accounts'; CREATE TABLE orders (account_id bigint); COMMIT;`,
      tables: { 'public.accounts': { collocateWith: undefined }, 'public.orders': { mode: 'sharded', shardKey: ['account_id'], collocateWith: 'public.accounts' } },
    },
    {
      name: 'a schema-qualified collocate_with',
      sql: `BEGIN; ${SHARDED} SET LOCAL ${COLLOCATE} = 'billing.accounts'; CREATE TABLE billing.orders (account_id bigint); COMMIT;`,
      tables: { 'billing.orders': { mode: 'sharded', collocateWith: 'billing.accounts' } },
    },
    {
      name: 'shard key and collocation are ignored outside mode sharded',
      sql: `BEGIN; SET LOCAL ${MODE} = 'reference'; SET LOCAL ${KEY} = '{"code"}'; SET LOCAL ${COLLOCATE} = 'accounts'; CREATE TABLE currencies (code text PRIMARY KEY); COMMIT;`,
      tables: { 'public.currencies': { mode: 'reference', shardKey: [], collocateWith: undefined } },
    },
    {
      name: 'SET LOCAL settings do not reach the next transaction',
      sql: `BEGIN; ${SHARDED} CREATE TABLE a (account_id bigint); COMMIT; CREATE TABLE b (account_id bigint);`,
      tables: { 'public.a': { mode: 'sharded' }, 'public.b': { mode: 'standard', shardKey: [] } },
    },
    { name: 'a temporary table is not a Limitless table', sql: 'CREATE TEMP TABLE scratch (id int)', tables: { 'public.scratch': null } },
    {
      name: 'CREATE TABLE IF NOT EXISTS leaves an existing table alone',
      sql: `BEGIN; ${SHARDED} CREATE TABLE t (account_id bigint); COMMIT; CREATE TABLE IF NOT EXISTS t (other int);`,
      tables: { 'public.t': { mode: 'sharded', types: { account_id: 'bigint' } } },
    },
    { name: 'ROLLBACK undoes CREATE TABLE', sql: 'BEGIN; CREATE TABLE t (id int); ROLLBACK;', tables: { 'public.t': null } },
    { name: 'ROLLBACK TO SAVEPOINT undoes CREATE TABLE after it', sql: 'BEGIN; CREATE TABLE a (id int); SAVEPOINT s; CREATE TABLE b (id int); ROLLBACK TO s; COMMIT;', tables: { 'public.a': {}, 'public.b': null } },
    {
      name: 'CREATE TABLE AS takes the settings in force',
      sql: `BEGIN; ${SHARDED} CREATE TABLE copy AS SELECT 1 AS account_id; COMMIT;`,
      tables: { 'public.copy': { mode: 'sharded', shardKey: ['account_id'] } },
    },
    { name: 'SELECT INTO creates a table too', sql: `BEGIN; ${SHARDED} SELECT 1 AS account_id INTO copy; COMMIT;`, tables: { 'public.copy': { mode: 'sharded' } } },
    { name: 'a materialized view is not a table', sql: 'CREATE MATERIALIZED VIEW mv AS SELECT 1', tables: { 'public.mv': null } },
    {
      name: 'CALL limitless_alter_table_type_sharded with ARRAY[…]',
      sql: "CREATE TABLE customers (customer_id bigint PRIMARY KEY); CALL rds_aurora.limitless_alter_table_type_sharded('public.customers', ARRAY['customer_id']);",
      tables: { 'public.customers': { mode: 'sharded', shardKey: ['customer_id'], primaryKey: ['customer_id'], collocateWith: undefined } },
    },
    {
      name: 'CALL limitless_alter_table_type_sharded with a collocation argument',
      sql: "CALL rds_aurora.limitless_alter_table_type_sharded('customers', ARRAY['customer_id']); CALL rds_aurora.limitless_alter_table_type_sharded('public.orders', ARRAY['customer_id'], 'public.customers');",
      tables: { 'public.orders': { mode: 'sharded', shardKey: ['customer_id'], collocateWith: 'public.customers' } },
    },
    {
      name: 'shard-key names in the procedure are case-sensitive literals, also with a cast',
      sql: "CALL rds_aurora.limitless_alter_table_type_sharded('t', ARRAY['Item_ID', 'cat']::text[]);",
      tables: { 'public.t': { mode: 'sharded', shardKey: ['Item_ID', 'cat'] } },
    },
    { name: 'CALL limitless_alter_table_type_reference', sql: "CREATE TABLE products (id int PRIMARY KEY); CALL rds_aurora.limitless_alter_table_type_reference('public.products');", tables: { 'public.products': { mode: 'reference', shardKey: [] } } },
    { name: 'the deprecated limitless_table_alter_type_reference', sql: "CALL rds_aurora.limitless_table_alter_type_reference('products');", tables: { 'public.products': { mode: 'reference' } } },
    {
      name: 'a renamed table keeps its settings and its collocated tables follow it',
      sql: `BEGIN; ${SHARDED} CREATE TABLE accounts (account_id bigint); SET LOCAL ${COLLOCATE} = 'accounts'; CREATE TABLE orders (account_id bigint); COMMIT; ALTER TABLE accounts RENAME TO customers;`,
      tables: { 'public.accounts': null, 'public.customers': { mode: 'sharded', shardKey: ['account_id'] }, 'public.orders': { collocateWith: 'public.customers' } },
    },
    {
      name: 'a renamed column is renamed in the shard key and the keys',
      sql: `BEGIN; ${SHARDED} CREATE TABLE accounts (account_id bigint PRIMARY KEY, email text UNIQUE); COMMIT; ALTER TABLE accounts RENAME COLUMN account_id TO id;`,
      tables: { 'public.accounts': { shardKey: ['id'], primaryKey: ['id'], uniques: [['email']], types: { id: 'bigint', email: 'text' } } },
    },
    { name: 'ALTER TABLE … SET SCHEMA moves the table', sql: 'CREATE TABLE t (id int); ALTER TABLE t SET SCHEMA archive;', tables: { 'public.t': null, 'archive.t': { mode: 'standard' } } },
    { name: 'DROP TABLE forgets the table', sql: 'CREATE TABLE a (id int); CREATE TABLE b (id int); DROP TABLE IF EXISTS a, public.b;', tables: { 'public.a': null, 'public.b': null } },
    {
      name: 'serial, bigserial, smallserial, nextval and identity columns are sequence columns',
      sql: "CREATE TABLE t (a serial, b bigserial, c smallserial, d bigint DEFAULT nextval('s'), e bigint GENERATED ALWAYS AS IDENTITY, f bigint DEFAULT 0, g uuid DEFAULT gen_random_uuid())",
      tables: {
        'public.t': {
          sequenceColumns: ['a', 'b', 'c', 'd', 'e'],
          identityColumns: ['e'],
          types: { a: 'serial', b: 'bigserial', c: 'smallserial', d: 'bigint', e: 'bigint', f: 'bigint', g: 'uuid' },
        },
      },
    },
    {
      name: 'type names as people write them',
      sql: 'CREATE TABLE t (a int, b int8, c timestamp with time zone, d timestamp, e boolean, f character varying(20), g char(3), h numeric(18,2), i text[], j public.mood, k double precision)',
      tables: {
        'public.t': {
          types: { a: 'integer', b: 'bigint', c: 'timestamptz', d: 'timestamp', e: 'boolean', f: 'varchar', g: 'char', h: 'numeric', i: 'text[]', j: 'public.mood', k: 'double precision' },
        },
      },
    },
    {
      name: 'PRIMARY KEY and UNIQUE inline and as table constraints',
      sql: 'CREATE TABLE t (a int, b int UNIQUE, c int, PRIMARY KEY (a, c), CONSTRAINT t_c_key UNIQUE (c, b))',
      tables: { 'public.t': { primaryKey: ['a', 'c'], uniques: [['b'], ['c', 'b']] } },
    },
    {
      name: 'keys added by ALTER TABLE ADD CONSTRAINT and CREATE UNIQUE INDEX',
      sql: 'CREATE TABLE t (a int, b int, c int); ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY (a), ADD UNIQUE (b); CREATE UNIQUE INDEX t_c ON t (c, a); CREATE UNIQUE INDEX t_lower ON t (lower(c::text));',
      tables: { 'public.t': { primaryKey: ['a'], uniques: [['b'], ['c', 'a']] } },
    },
    {
      name: 'ALTER TABLE adds, drops and retypes columns and sequence defaults',
      sql: "CREATE TABLE t (a int, b int, c int); ALTER TABLE t ADD COLUMN d bigserial, DROP COLUMN b, ALTER COLUMN a TYPE bigint, ALTER COLUMN c SET DEFAULT nextval('s');",
      tables: { 'public.t': { types: { a: 'bigint', c: 'integer', d: 'bigserial' }, sequenceColumns: ['c', 'd'] } },
    },
  ];
  it.each(cases)('$name', ({ sql, tables }) => {
    const learned = replay(sql).replay.tables;
    for (const [key, expected] of Object.entries(tables)) {
      const table = learned.get(key);
      if (expected === null) expect(table, key).toBeUndefined();
      else {
        expect(table, key).toBeDefined();
        expect(summary(table as LearnedTable), key).toMatchObject(expected);
        if ('collocateWith' in expected && expected.collocateWith === undefined) expect(table?.collocateWith, key).toBeUndefined();
      }
    }
  });

  it('looks unqualified names up along the search path', () => {
    const { replay: r } = replay(
      `CREATE TABLE app.accounts (account_id bigint); BEGIN; ${SHARDED} SET LOCAL ${COLLOCATE} = 'accounts'; CREATE TABLE orders (account_id bigint); COMMIT;`,
      ['public', 'app'],
    );
    expect(r.tables.get('public.orders')?.collocateWith).toBe('app.accounts');
  });

  it('starts from tables learned elsewhere', () => {
    const first = replay(`BEGIN; ${SHARDED} CREATE TABLE accounts (account_id bigint); COMMIT;`).replay.tables;
    const r = new DdlReplay(['public'], first);
    for (const s of parseStatements(`BEGIN; ${SHARDED} SET LOCAL ${COLLOCATE} = 'accounts'; CREATE TABLE orders (account_id bigint); COMMIT;`).statements) r.step(s);
    expect([...r.tables.keys()]).toEqual(['public.accounts', 'public.orders']);
  });

  it('learns enum types and their labels', () => {
    const { states } = replay("CREATE TYPE mood AS ENUM ('sad', 'ok'); ALTER TYPE mood ADD VALUE 'happy'; ALTER TYPE mood RENAME VALUE 'ok' TO 'fine'; SELECT 1; DROP TYPE mood; SELECT 1;");
    expect(enumLabels(states[3]?.enums ?? new Map(), 'mood', ['public'])).toEqual(['sad', 'fine', 'happy']);
    expect(enumLabels(states[3]?.enums ?? new Map(), 'public.mood', ['public'])).toEqual(['sad', 'fine', 'happy']);
    expect(enumLabels(states[3]?.enums ?? new Map(), 'mood[]', ['public'])).toBeUndefined();
    expect(enumLabels(states[5]?.enums ?? new Map(), 'mood', ['public'])).toBeUndefined();
  });
});

describe('isReplayNeutral', () => {
  // Statements the replay acts on must not count as neutral: the statement cache skips them.
  const acting = [
    'BEGIN',
    'COMMIT',
    "SET rds_aurora.limitless_create_table_mode = 'sharded'",
    'RESET ALL',
    'DISCARD ALL',
    'CREATE TABLE t (id int)',
    'CREATE TABLE t2 AS SELECT 1',
    'SELECT 1 INTO t3',
    "CALL rds_aurora.limitless_alter_table_type_sharded('t', ARRAY['id'])",
    'ALTER TABLE t RENAME TO u',
    'ALTER TABLE t SET SCHEMA s',
    'DROP TABLE t',
    'ALTER TABLE t ADD COLUMN x int',
    'CREATE UNIQUE INDEX ON t (id)',
    "CREATE TYPE mood AS ENUM ('sad')",
    "ALTER TYPE mood ADD VALUE 'happy'",
  ];
  const neutral = ['SELECT 1', 'INSERT INTO t VALUES (1)', 'UPDATE t SET id = 2', 'DELETE FROM t', 'SHOW search_path', 'EXPLAIN SELECT 1', 'LOCK TABLE t', 'COPY t TO STDOUT'];

  it.each(acting)('%s may change the replay', (sql) => {
    const [statement] = parseStatements(sql).statements;
    expect(statement?.ast && isReplayNeutral(statement.ast)).toBe(false);
  });

  it.each(neutral)('%s cannot', (sql) => {
    const [statement] = parseStatements(sql).statements;
    expect(statement?.ast && isReplayNeutral(statement.ast)).toBe(true);
  });

  it('agrees with the replay: a neutral statement leaves every part of the state as it was', () => {
    const r = new DdlReplay();
    for (const s of parseStatements("BEGIN; SET LOCAL rds_aurora.limitless_create_table_mode = 'sharded'; CREATE TABLE a (id int);").statements) r.step(s);
    const before = r.current();
    for (const s of parseStatements(neutral.join(';\n')).statements) r.step(s);
    expect(r.current()).toEqual(before);
  });
});

describe('mayReplayChange', () => {
  // The DDL before each statement: tables, an index, a trigger's table, a sequence, session settings.
  const setup =
    "SET rds_aurora.limitless_create_table_mode = 'sharded'; SET rds_aurora.limitless_create_table_shard_key = '{id}'; CREATE TABLE t (id int PRIMARY KEY, v text); CREATE TABLE u (id int, w int); CREATE SEQUENCE s; ";
  const skipped = [
    'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$',
    'CREATE OR REPLACE VIEW v AS SELECT * FROM t',
    'CREATE VIEW v2 AS SELECT 1',
    'CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()',
    'CREATE CONSTRAINT TRIGGER ct AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()',
    'CREATE ROLE r',
    'CREATE DOMAIN d AS int',
    'CREATE SEQUENCE s2',
    'CREATE TRUSTED PROCEDURAL LANGUAGE plx',
    'ALTER FUNCTION f() RENAME TO g',
    'ALTER SEQUENCE s RENAME TO t_seq',
    'ALTER SEQUENCE s SET SCHEMA other',
    'ALTER TRIGGER tr ON t RENAME TO tr2',
    'ALTER RULE r ON t RENAME TO r2',
    'ALTER ROLE r SET rds_aurora.limitless_create_table_mode = standard',
    'ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO r',
    'DROP FUNCTION f()',
    'DROP VIEW v',
    'DROP MATERIALIZED VIEW mv',
    'DROP INDEX t_pkey',
    'DROP SEQUENCE s',
    'DROP TRIGGER tr ON t',
    'DROP OWNED BY r',
    'SET search_path = other',
    'SET LOCAL work_mem = 1',
    'RESET search_path',
    'SET ROLE r',
  ];
  const parsed = [
    'CREATE TABLE n (id int)',
    'CREATE TEMP TABLE n (id int)',
    'CREATE UNLOGGED TABLE n (id int)',
    'CREATE TABLE n AS SELECT 1',
    'CREATE MATERIALIZED VIEW mv AS SELECT 1',
    'CREATE UNIQUE INDEX ON u (w)',
    'CREATE INDEX ON u (w)',
    "CREATE TYPE mood AS ENUM ('sad')",
    'CREATE SCHEMA other CREATE TABLE x (id int)',
    'ALTER TABLE u RENAME TO u2',
    'ALTER TABLE u RENAME COLUMN w TO z',
    'ALTER TABLE u ADD PRIMARY KEY (id)',
    "ALTER TYPE mood ADD VALUE 'happy'",
    'ALTER VIEW v RENAME TO v3',
    'DROP TABLE u',
    'DROP TYPE mood',
    'DROP SCHEMA other CASCADE',
    "SET rds_aurora.limitless_create_table_mode = 'reference'",
    'SET LOCAL rds_aurora.limitless_create_table_mode = reference',
    'RESET rds_aurora.limitless_create_table_shard_key',
    'RESET ALL',
    'SET U&"rds_aurora.limitless_create_table_mod\\0065" = reference',
    "CALL rds_aurora.limitless_alter_table_type_reference('u')",
    'BEGIN',
    'ROLLBACK',
    '/* a comment first */ DROP FUNCTION f()',
  ];

  it.each(skipped)('%s: need not be parsed', (sql) => expect(mayReplayChange(sql)).toBe(false));
  it.each(parsed)('%s: is parsed and replayed', (sql) => expect(mayReplayChange(sql)).toBe(true));

  it.each(skipped)('%s: replaying it changes nothing (tables, settings) after the setup DDL', (sql) => {
    const before = new DdlReplay();
    for (const s of parseStatements(setup).statements) before.step(s);
    const after = new DdlReplay();
    for (const s of parseStatements(`${setup}${sql};`).statements) after.step(s);
    expect([...after.tables]).toEqual([...before.tables]);
    expect(after.current().settings).toEqual(before.current().settings);
    expect(after.current().createTableVariablesUsed).toBe(before.current().createTableVariablesUsed);
  });
});

describe('learnTables', () => {
  const fixtures = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));
  const sqlFiles = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sqlFiles(`${dir}/${e.name}`) : e.name.endsWith('.sql') ? [`${dir}/${e.name}`] : []));

  it('learns, parsing only what may change tables, what a full replay learns (every fixture SQL file)', () => {
    const files = sqlFiles(fixtures);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const full = new DdlReplay();
      for (const s of parseStatements(text).statements) full.advance(s);
      expect([...learnTables(text)], file).toEqual([...full.tables]);
    }
  });
});
