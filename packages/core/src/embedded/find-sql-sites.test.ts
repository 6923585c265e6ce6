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
  readonly sites: readonly Expected[];
}

const cases: readonly SiteCase[] = [
  { name: 'a sql tag', code: 'sql`SELECT 1`;', sites: [{ origin: 'tag', name: 'sql', sql: 'SELECT 1' }] },
  { name: 'an SQL tag', code: 'SQL`SELECT 1`;', sites: [{ origin: 'tag', name: 'SQL', sql: 'SELECT 1' }] },
  { name: 'a member tag', code: 'Prisma.sql`SELECT * FROM accounts WHERE account_id = ${id}`;', sites: [{ origin: 'tag', name: 'Prisma.sql', sql: 'SELECT * FROM accounts WHERE account_id = $1' }] },
  { name: 'a typed tag', code: 'sql<Row>`SELECT 1`;', sites: [{ origin: 'tag', name: 'sql', sql: 'SELECT 1' }] },
  { name: "slonik's sql.type(Row)`…`", code: 'sql.type(Row)`SELECT 1`;', sites: [{ origin: 'tag', name: 'sql.type', sql: 'SELECT 1' }] },
  { name: 'other templates are not SQL', code: 'html`<p>${x}</p>`; `SELECT ${x}`; String.raw`SELECT 1`; db.sql`SELECT 1`;', sites: [] },
  { name: 'sql.raw, sql.unsafe and sql.identifier are not sites', code: "sql.raw`SELECT 1`; sql.unsafe`SELECT 1`; sql.identifier(['t']); sql.unsafe('SELECT 1');", sites: [] },
  { name: "client.query('…', [..])", code: "client.query('SELECT * FROM accounts WHERE account_id = $1', [id]);", sites: [{ origin: 'call', name: 'client.query', sql: 'SELECT * FROM accounts WHERE account_id = $1' }] },
  { name: 'pool.query({ text, values })', code: "pool.query({ text: 'SELECT 1', values: [] });", sites: [{ origin: 'call', name: 'pool.query', sql: 'SELECT 1' }] },
  { name: "pool.query({ 'text': `…` })", code: "pool.query({ name: 'q', 'text': `SELECT 2` });", sites: [{ origin: 'call', name: 'pool.query', sql: 'SELECT 2' }] },
  { name: 'optional call and `as const`', code: "pool?.query('SELECT 1' as const);", sites: [{ origin: 'call', name: 'pool.query', sql: 'SELECT 1' }] },
  { name: 'a call on an expression', code: "getPool().query('SELECT 1');", sites: [{ origin: 'call', name: '<expression>.query', sql: 'SELECT 1' }] },
  { name: '*.query is one segment: this.db.query is not a site', code: "this.db.query('SELECT 1'); this.query('SELECT 2');", sites: [{ origin: 'call', name: 'this.query', sql: 'SELECT 2' }] },
  { name: '**.query reaches this.db.query', code: "this.db.query('SELECT 1');", calls: ['**.query'], sites: [{ origin: 'call', name: 'this.db.query', sql: 'SELECT 1' }] },
  { name: 'configured call patterns', code: "db.execute('SELECT 1'); pool.query('SELECT 2');", calls: ['db.execute'], sites: [{ origin: 'call', name: 'db.execute', sql: 'SELECT 1' }] },
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
];

function describeSite(site: SqlSite, code: string): Expected {
  if (site.kind === 'sql') return { origin: site.origin, name: site.name, sql: site.sql };
  return { origin: site.origin, name: site.name, reason: site.reason, at: code.slice(...site.at) };
}

describe('findSqlSites', () => {
  it.each(cases)('$name', ({ code, calls, sites }) => {
    const program = parse(code, { range: true, loc: true });
    const found = findSqlSites(program, { ...DEFAULTS, ...(calls ? { calls } : {}), sourceText: code });
    expect(found.map((s) => describeSite(s, code))).toEqual(sites);
  });
});

describe('sqlSiteAt', () => {
  it.each(cases)('finds the same sites node by node, with parent pointers as ESLint sets them: $name', ({ code, calls, sites }) => {
    const program = parse(code, { range: true, loc: true });
    const options = { ...DEFAULTS, ...(calls ? { calls } : {}), sourceText: code };
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
