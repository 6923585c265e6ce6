import { parse, simpleTraverse } from '@typescript-eslint/typescript-estree';
import type { TSESTree } from '@typescript-eslint/types';
import { describe, expect, it } from 'vitest';
import { findSqlSites, sqlSiteAt } from './find-sql-sites.js';
import type { SqlSite } from './types.js';

const DEFAULTS = { tags: ['sql', 'SQL', 'Prisma.sql'], calls: ['*.query'] };

type Expected =
  | { readonly origin: 'tag' | 'call'; readonly name: string; readonly sql: string }
  | { readonly origin: 'tag' | 'call'; readonly name: string; readonly reason: string; readonly at: string };

interface SiteCase {
  readonly name: string;
  readonly code: string;
  readonly calls?: readonly string[];
  readonly tags?: readonly string[];
  readonly sites: readonly Expected[];
}

const cases: readonly SiteCase[] = [
  { name: 'a sql tag', code: 'sql`SELECT 1`;', sites: [{ origin: 'tag', name: 'sql', sql: 'SELECT 1' }] },
  { name: 'an SQL tag', code: 'SQL`SELECT 1`;', sites: [{ origin: 'tag', name: 'SQL', sql: 'SELECT 1' }] },
  { name: 'a member tag', code: 'Prisma.sql`SELECT * FROM accounts WHERE account_id = ${id}`;', sites: [{ origin: 'tag', name: 'Prisma.sql', sql: 'SELECT * FROM accounts WHERE account_id = $1' }] },
  { name: 'a typed tag', code: 'sql<Row>`SELECT 1`;', sites: [{ origin: 'tag', name: 'sql', sql: 'SELECT 1' }] },
  { name: "slonik's sql.type(Row)`…`", code: 'sql.type(Row)`SELECT 1`;', sites: [{ origin: 'tag', name: 'sql.type', sql: 'SELECT 1' }] },
  { name: 'other templates are not SQL', code: 'html`<p>${x}</p>`; `SELECT ${x}`; String.raw`SELECT 1`; db.sql`SELECT 1`;', sites: [] },
  { name: 'a sql.raw template and sql.identifier are not sites', code: "sql.raw`SELECT 1`; sql.identifier(['t']); sql.join(ids, sql`, `);", sites: [] },
  { name: "client.query('…', [..])", code: "client.query('SELECT * FROM accounts WHERE account_id = $1', [id]);", sites: [{ origin: 'call', name: 'client.query', sql: 'SELECT * FROM accounts WHERE account_id = $1' }] },
  { name: 'pool.query({ text, values })', code: "pool.query({ text: 'SELECT 1', values: [] });", sites: [{ origin: 'call', name: 'pool.query', sql: 'SELECT 1' }] },
  { name: "pool.query({ 'text': `…` })", code: "pool.query({ name: 'q', 'text': `SELECT 2` });", sites: [{ origin: 'call', name: 'pool.query', sql: 'SELECT 2' }] },
  { name: 'optional call and `as const`', code: "pool?.query('SELECT 1' as const);", sites: [{ origin: 'call', name: 'pool.query', sql: 'SELECT 1' }] },
  { name: 'a call on an expression', code: "getPool().query('SELECT 1');", sites: [{ origin: 'call', name: '<expression>.query', sql: 'SELECT 1' }] },
  {
    name: '*.query is one segment: this.db.query(text) is not counted, its literal SQL is still found',
    code: "this.db.query(text); this.db.query('SELECT 1'); this.query(text);",
    sites: [
      { origin: 'call', name: 'this.db.query', sql: 'SELECT 1' },
      { origin: 'call', name: 'this.query', reason: 'non-literal-sql', at: 'text' },
    ],
  },
  { name: '**.query reaches this.db.query', code: 'this.db.query(text);', calls: ['**.query'], sites: [{ origin: 'call', name: 'this.db.query', reason: 'non-literal-sql', at: 'text' }] },
  { name: 'configured call patterns', code: "db.run(text); db.run('SELECT 1'); other.run('SELECT 2');", calls: ['db.run'], sites: [{ origin: 'call', name: 'db.run', reason: 'non-literal-sql', at: 'text' }, { origin: 'call', name: 'db.run', sql: 'SELECT 1' }] },
  { name: '!pattern leaves a name out, built-in or not', code: "this.db.query('SELECT 1'); pool.query('SELECT 2'); sql`SELECT 3`;", calls: ['*.query', '!**.query'], tags: ['!sql'], sites: [] },
  { name: 'a query call without arguments is not a site', code: 'pool.query();', sites: [] },
  { name: 'pool.query(sql`…`): the template is the site', code: 'pool.query(sql`SELECT ${a}`);', sites: [{ origin: 'tag', name: 'sql', sql: 'SELECT $1' }] },
  { name: 'values stay bind parameters', code: 'sql`SELECT * FROM t WHERE a = ${user.id} AND b = ${f(x)} AND c = ${on ? 1 : 2}`;', sites: [{ origin: 'tag', name: 'sql', sql: 'SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $3' }] },
  { name: 'a non-literal argument', code: 'pool.query(text, [id]);', sites: [{ origin: 'call', name: 'pool.query', reason: 'non-literal-sql', at: 'text' }] },
  { name: 'a shorthand { text }', code: 'pool.query({ text, values });', sites: [{ origin: 'call', name: 'pool.query', reason: 'non-literal-sql', at: 'text' }] },
  { name: 'a spread after text', code: "pool.query({ text: 'SELECT 1', ...config });", sites: [{ origin: 'call', name: 'pool.query', reason: 'non-literal-sql', at: "{ text: 'SELECT 1', ...config }" }] },
  { name: 'a spread argument', code: 'pool.query(...args);', sites: [{ origin: 'call', name: 'pool.query', reason: 'non-literal-sql', at: '...args' }] },
  { name: 'concatenation with a variable', code: "pool.query('SELECT * FROM ' + table);", sites: [{ origin: 'call', name: 'pool.query', reason: 'non-literal-sql', at: 'table' }] },
  {
    name: 'a nested sql fragment',
    code: 'sql`SELECT * FROM t WHERE a = 1 ${sql`AND b = ${b}`}`;',
    sites: [{ origin: 'tag', name: 'sql', reason: 'dynamic-fragment', at: '${sql`AND b = ${b}`}' }],
  },
  {
    name: 'a conditional fragment',
    code: 'sql`SELECT * FROM t WHERE a = ${a} ${cond ? sql`AND b = ${b}` : sql``}`;',
    sites: [{ origin: 'tag', name: 'sql', reason: 'dynamic-fragment', at: '${cond ? sql`AND b = ${b}` : sql``}' }],
  },
  {
    name: 'a && fragment',
    code: 'sql`SELECT * FROM t WHERE a = ${a} ${cond && sql`AND b = 1`}`;',
    sites: [{ origin: 'tag', name: 'sql', reason: 'dynamic-fragment', at: '${cond && sql`AND b = 1`}' }],
  },
  {
    name: 'sql.join, with its fragments',
    code: 'sql`SELECT * FROM t WHERE id IN (${sql.join(ids, sql`, `)})`;',
    sites: [{ origin: 'tag', name: 'sql', reason: 'dynamic-fragment', at: '${sql.join(ids, sql`, `)}' }],
  },
  {
    name: 'an interpolation glued to a word is SQL text, not a value',
    code: 'client.query(`SELECT 1 FROM t WHERE x IS NOT NULL${extra}`);',
    sites: [{ origin: 'call', name: 'client.query', reason: 'dynamic-fragment', at: '${extra}' }],
  },
  {
    name: 'a table name built from an interpolation',
    code: 'sql`SELECT * FROM ${prefix}_archive WHERE id = ${id}`;',
    sites: [{ origin: 'tag', name: 'sql', reason: 'dynamic-fragment', at: '${prefix}' }],
  },
  {
    name: "postgres.js's sql(identifier)",
    code: 'sql`SELECT * FROM ${sql(table)}`;',
    sites: [{ origin: 'tag', name: 'sql', reason: 'dynamic-fragment', at: '${sql(table)}' }],
  },
  {
    name: 'Prisma.join and Prisma.empty',
    code: 'Prisma.sql`SELECT * FROM t WHERE id IN (${Prisma.join(ids)})`; Prisma.sql`SELECT * FROM t ${Prisma.empty}`;',
    sites: [
      { origin: 'tag', name: 'Prisma.sql', reason: 'dynamic-fragment', at: '${Prisma.join(ids)}' },
      { origin: 'tag', name: 'Prisma.sql', reason: 'dynamic-fragment', at: '${Prisma.empty}' },
    ],
  },
  {
    name: 'a fragment held in a variable',
    code: 'const where = cond ? sql`AND b = ${b}` : sql``;\nconst q = sql`SELECT * FROM t WHERE a = 1 ${where}`;',
    sites: [
      { origin: 'tag', name: 'sql', reason: 'fragment', at: '`AND b = ${b}`' },
      { origin: 'tag', name: 'sql', reason: 'fragment', at: '``' },
      { origin: 'tag', name: 'sql', reason: 'dynamic-fragment', at: '${where}' },
    ],
  },
  {
    name: 'a fragment on its own',
    code: 'const byAccount = sql`account_id = ${id}`;',
    sites: [{ origin: 'tag', name: 'sql', reason: 'fragment', at: '`account_id = ${id}`' }],
  },
  {
    name: 'a sql fragment spliced into an untagged template of a call',
    code: 'pool.query(`SELECT * FROM t ${sql`WHERE a = 1`}`);',
    sites: [{ origin: 'call', name: 'pool.query', reason: 'dynamic-fragment', at: '${sql`WHERE a = 1`}' }],
  },
  {
    name: 'an invalid escape in a tagged template',
    code: "sql`SELECT '\\unicode'`;",
    sites: [{ origin: 'tag', name: 'sql', reason: 'invalid-escape', at: "`SELECT '\\unicode'`" }],
  },
  {
    name: 'a parenthesised expression is a fragment, a parenthesised query is not',
    code: 'sql<number>`(\n  "s"."documentCount" + "s"."emailCount"\n)`; sql`( ( select 1 ) )`;',
    sites: [
      { origin: 'tag', name: 'sql', reason: 'fragment', at: '`(\n  "s"."documentCount" + "s"."emailCount"\n)`' },
      { origin: 'tag', name: 'sql', sql: '( ( select 1 ) )' },
    ],
  },
  {
    name: 'leading comments before the statement keyword',
    code: 'sql`-- latest first\n/* paged */ SELECT 1`;',
    sites: [{ origin: 'tag', name: 'sql', sql: '-- latest first\n/* paged */ SELECT 1' }],
  },
  {
    name: 'a parenthesised query and WITH',
    code: 'sql`(SELECT 1) UNION (SELECT 2)`; sql`WITH x AS (SELECT 1) SELECT * FROM x`;',
    sites: [
      { origin: 'tag', name: 'sql', sql: '(SELECT 1) UNION (SELECT 2)' },
      { origin: 'tag', name: 'sql', sql: 'WITH x AS (SELECT 1) SELECT * FROM x' },
    ],
  },
  // ----- every library's raw-SQL API, found by default (docs/eslint.md has the same table) -----
  { name: 'node-postgres: text and values', code: "client.query('SELECT * FROM t WHERE a = $1', [a]); pool.query({ text: 'SELECT 2', values: [] });", sites: [{ origin: 'call', name: 'client.query', sql: 'SELECT * FROM t WHERE a = $1' }, { origin: 'call', name: 'pool.query', sql: 'SELECT 2' }] },
  { name: 'node-postgres: a one-word statement', code: "client.query('BEGIN'); client.query('COMMIT;');", sites: [{ origin: 'call', name: 'client.query', sql: 'BEGIN' }, { origin: 'call', name: 'client.query', sql: 'COMMIT;' }] },
  { name: 'postgres.js: sql`…` and sql.unsafe(…)', code: "sql`SELECT * FROM t WHERE a = ${a}`; sql.unsafe('SELECT * FROM t WHERE a = $1', [a]);", sites: [{ origin: 'tag', name: 'sql', sql: 'SELECT * FROM t WHERE a = $1' }, { origin: 'call', name: 'sql.unsafe', sql: 'SELECT * FROM t WHERE a = $1' }] },
  { name: 'postgres.js: sql.unsafe(text) is unknown', code: 'sql.unsafe(text);', sites: [{ origin: 'call', name: 'sql.unsafe', reason: 'non-literal-sql', at: 'text' }] },
  {
    name: 'slonik: sql.type, sql.typeAlias, sql.unsafe and sql.fragment',
    code: "sql.type(Row)`SELECT ${a}`; sql.typeAlias('id')`SELECT id FROM t WHERE a = ${a}`; sql.unsafe`SELECT 1`; sql.fragment`WHERE a = ${a}`;",
    sites: [
      { origin: 'tag', name: 'sql.type', sql: 'SELECT $1' },
      { origin: 'tag', name: 'sql.typeAlias', sql: 'SELECT id FROM t WHERE a = $1' },
      { origin: 'tag', name: 'sql.unsafe', sql: 'SELECT 1' },
      { origin: 'tag', name: 'sql.fragment', reason: 'fragment', at: '`WHERE a = ${a}`' },
    ],
  },
  { name: 'slonik: value tokens are values, sql.identifier is not', code: "sql.typeAlias('id')`SELECT id FROM t WHERE a = ANY(${sql.array(ids, 'int4')}) AND j = ${sql.json(j)}`; sql.unsafe`SELECT * FROM ${sql.identifier(['t'])}`;", sites: [{ origin: 'tag', name: 'sql.typeAlias', sql: 'SELECT id FROM t WHERE a = ANY($1) AND j = $2' }, { origin: 'tag', name: 'sql.unsafe', reason: 'dynamic-fragment', at: "${sql.identifier(['t'])}" }] },
  {
    name: 'Prisma: $queryRaw, $executeRaw, the *Unsafe calls',
    code: "prisma.$queryRaw<Row[]>`SELECT * FROM t WHERE a = ${a}`; this.prisma.$executeRaw`DELETE FROM t WHERE a = ${a}`; tx.$queryRawUnsafe('SELECT * FROM t WHERE a = $1', a); prisma.$executeRawUnsafe(text);",
    sites: [
      { origin: 'tag', name: 'prisma.$queryRaw', sql: 'SELECT * FROM t WHERE a = $1' },
      { origin: 'tag', name: 'this.prisma.$executeRaw', sql: 'DELETE FROM t WHERE a = $1' },
      { origin: 'call', name: 'tx.$queryRawUnsafe', sql: 'SELECT * FROM t WHERE a = $1' },
      { origin: 'call', name: 'prisma.$executeRawUnsafe', reason: 'non-literal-sql', at: 'text' },
    ],
  },
  { name: 'Prisma: $queryRaw(Prisma.sql`…`) is the template', code: 'prisma.$queryRaw(Prisma.sql`SELECT * FROM t WHERE a = ${a}`);', sites: [{ origin: 'tag', name: 'Prisma.sql', sql: 'SELECT * FROM t WHERE a = $1' }] },
  { name: 'Prisma: Prisma.raw in a template is a fragment', code: 'prisma.$queryRaw`SELECT ${Prisma.raw(column)} FROM t`;', sites: [{ origin: 'tag', name: 'prisma.$queryRaw', reason: 'dynamic-fragment', at: '${Prisma.raw(column)}' }] },
  {
    name: 'Drizzle: db.execute(sql`…`), sql.raw(…), sql.placeholder',
    code: "db.execute(sql`SELECT * FROM t WHERE a = ${sql.placeholder('a')}`); db.execute(sql.raw('SELECT * FROM t WHERE a = 1')); sql`SELECT * FROM t ${sql.raw('WHERE a = 1')}`;",
    sites: [
      { origin: 'tag', name: 'sql', sql: 'SELECT * FROM t WHERE a = $1' },
      { origin: 'call', name: 'sql.raw', sql: 'SELECT * FROM t WHERE a = 1' },
      { origin: 'tag', name: 'sql', reason: 'dynamic-fragment', at: "${sql.raw('WHERE a = 1')}" },
    ],
  },
  { name: 'Kysely: sql`…`.execute(db), sql.val, sql.ref', code: 'sql<Row>`SELECT * FROM t WHERE a = ${sql.val(a)}`.execute(db); sql`SELECT ${sql.ref(column)} FROM t`.execute(db);', sites: [{ origin: 'tag', name: 'sql', sql: 'SELECT * FROM t WHERE a = $1' }, { origin: 'tag', name: 'sql', reason: 'dynamic-fragment', at: '${sql.ref(column)}' }] },
  {
    name: 'knex: raw with ? and ??, named bindings, escapes',
    code: "knex.raw('SELECT * FROM t WHERE a = ? AND b = ?', [a, b]); db.raw('SELECT * FROM ?? WHERE a = ?', [t, a]); trx.raw('SELECT :a::int, x::text WHERE c = :a', { a }); knex.raw('SELECT data \\\\? ?', [k]); knex.raw('SELECT ?'); this.knex.raw(text);",
    sites: [
      { origin: 'call', name: 'knex.raw', sql: 'SELECT * FROM t WHERE a = $1 AND b = $2' },
      { origin: 'call', name: 'db.raw', reason: 'interpolation-not-a-value', at: '??' },
      { origin: 'call', name: 'trx.raw', sql: 'SELECT $1::int, x::text WHERE c = $1' },
      { origin: 'call', name: 'knex.raw', sql: 'SELECT data ? $1' },
      { origin: 'call', name: 'knex.raw', sql: 'SELECT ?' },
    ],
  },
  {
    name: 'knex: raw fragments in the query builder are not sites',
    code: "knex('t').where(knex.raw('a <> ?', [1])).select(knex.raw('count(*) AS n')).andWhere(this.knex.raw('EXISTS (SELECT 1 FROM c WHERE c.id = t.id)')).crossJoin(knex.raw('(SELECT 1) AS x')).select(db.raw('CASE WHEN a IS NULL THEN 0 END AS s FROM'));",
    sites: [],
  },
  {
    name: 'pg-promise: $1, ${name}, $<name>, $/name/, $[name], $(name), filters',
    code: "db.one('SELECT * FROM t WHERE a = ${a} AND b = $<b> AND c = $/c/ AND d = $[d] AND e = $(e) AND f = ${a}', o); db.any('SELECT * FROM t WHERE a = $1:json', [a]); t.none('SELECT * FROM $1:name', [x]); db.manyOrNone('SELECT * FROM t WHERE a IN ($1:csv)', [xs]);",
    sites: [
      { origin: 'call', name: 'db.one', sql: 'SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $3 AND d = $4 AND e = $5 AND f = $1' },
      { origin: 'call', name: 'db.any', sql: 'SELECT * FROM t WHERE a = $1' },
      { origin: 'call', name: 't.none', reason: 'interpolation-not-a-value', at: '$1:name' },
      { origin: 'call', name: 'db.manyOrNone', reason: 'interpolation-not-a-value', at: '$1:csv' },
    ],
  },
  { name: 'pg-promise: `${name}` in a template is JavaScript\'s', code: 'db.one(`SELECT * FROM t WHERE a = $<a> AND b = ${b}`, o);', sites: [{ origin: 'call', name: 'db.one', sql: 'SELECT * FROM t WHERE a = $1 AND b = $2' }] },
  { name: 'TypeORM and MikroORM: query() and execute()', code: "this.dataSource.query('SELECT * FROM t WHERE a = $1', [a]); manager.query('SELECT 1'); em.execute('SELECT * FROM t WHERE a = ?', [a]); em.getConnection().execute('SELECT 2');", sites: [{ origin: 'call', name: 'this.dataSource.query', sql: 'SELECT * FROM t WHERE a = $1' }, { origin: 'call', name: 'manager.query', sql: 'SELECT 1' }, { origin: 'call', name: 'em.execute', sql: 'SELECT * FROM t WHERE a = $1' }, { origin: 'call', name: '<expression>.execute', sql: 'SELECT 2' }] },
  {
    name: "Sequelize: query() with replacements, ? or :name",
    code: "sequelize.query('SELECT * FROM t WHERE a = ? AND b = ?', { replacements: [a, b], type: QueryTypes.SELECT }); sequelize.query('SELECT * FROM t WHERE a = :a AND c = x::int', { replacements: { a } }); sequelize.query('SELECT * FROM t WHERE a = $1', { bind: [a] });",
    sites: [
      { origin: 'call', name: 'sequelize.query', sql: 'SELECT * FROM t WHERE a = $1 AND b = $2' },
      { origin: 'call', name: 'sequelize.query', sql: 'SELECT * FROM t WHERE a = $1 AND c = x::int' },
      { origin: 'call', name: 'sequelize.query', sql: 'SELECT * FROM t WHERE a = $1' },
    ],
  },
  // ----- what is not SQL is not a site -----
  {
    name: "tRPC's .query(async () => …) and other non-SQL arguments",
    code: "t.procedure.input(z.string()).query(async ({ input }) => input); router.query(function () {}); request.get('/').query({ page: 2 }); agent.query('page=2'); client.query({ query: gql`query { a }` }); client.query(gql`query { a }`); x.query(1); x.query([1]); x.query(new Q());",
    sites: [],
  },
  { name: 'a keyword alone is not SQL (an event name)', code: "$('#a').one('select', f); emitter.map('update'); items.any('delete');", sites: [] },
  { name: 'a misspelled first keyword still reads as SQL', code: "pool.query('SELEC * FROM accounts');", sites: [{ origin: 'call', name: 'pool.query', sql: 'SELEC * FROM accounts' }] },
  { name: 'a subquery for a builder, held in a variable, is no statement', code: "const base = this.knexRO.raw('(SELECT tag.* FROM tag WHERE a = ?) AS base', [a]);", sites: [] },
  { name: 'a generic name with a variable is not counted', code: "knex.raw(text); db.one(text); em.execute(q); db.any(build());", sites: [] },
  { name: "a concatenation that starts like SQL is unknown, whoever calls it", code: "db.one('SELECT * FROM ' + table);", sites: [{ origin: 'call', name: 'db.one', reason: 'non-literal-sql', at: 'table' }] },
];

function describeSite(site: SqlSite, code: string): Expected {
  if (site.kind === 'sql') return { origin: site.origin, name: site.name, sql: site.sql };
  return { origin: site.origin, name: site.name, reason: site.reason, at: code.slice(...site.at) };
}

describe('findSqlSites', () => {
  it.each(cases)('$name', ({ code, calls, tags, sites }) => {
    const program = parse(code, { range: true, loc: true });
    const found = findSqlSites(program, { ...DEFAULTS, ...(calls ? { calls } : {}), ...(tags ? { tags } : {}), sourceText: code });
    expect(found.map((s) => describeSite(s, code))).toEqual(sites);
  });
});

describe('sqlSiteAt', () => {
  it.each(cases)('finds the same sites node by node, with parent pointers as ESLint sets them: $name', ({ code, calls, tags, sites }) => {
    const program = parse(code, { range: true, loc: true });
    const options = { ...DEFAULTS, ...(calls ? { calls } : {}), ...(tags ? { tags } : {}), sourceText: code };
    const found: SqlSite[] = [];
    simpleTraverse(
      program,
      {
        enter(node: TSESTree.Node) {
          const site = sqlSiteAt(node, options);
          if (site) found.push(site);
        },
      },
      true,
    );
    expect(found.map((s) => describeSite(s, code))).toEqual(sites);
  });

  it('returns undefined for other nodes', () => {
    const code = 'const x = 1;';
    const program = parse(code, { range: true });
    expect(sqlSiteAt(program, { ...DEFAULTS, sourceText: code })).toBeUndefined();
  });
});
