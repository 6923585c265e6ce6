import { parse } from '@typescript-eslint/typescript-estree';
import { describe, expect, it } from 'vitest';
import { findSqlSites } from './find-sql-sites.js';
import type { AnalysableSqlSite } from './types.js';

const OPTIONS = { tags: ['sql'], calls: ['*.query'] };

function siteOf(code: string): AnalysableSqlSite {
  const sites = findSqlSites(parse(code, { range: true, loc: true }), { ...OPTIONS, sourceText: code });
  const site = sites[0];
  if (sites.length !== 1 || site?.kind !== 'sql') throw new Error(`expected one SQL site in ${code}`);
  return site;
}

interface Probe {
  /** A SQL span … */
  readonly sql: readonly [number, number];
  /** … maps to this source range, which holds this text. */
  readonly source: readonly [number, number];
  readonly text: string;
}

interface PositionCase {
  readonly name: string;
  readonly code: string;
  readonly sql: string;
  readonly probes: readonly Probe[];
}

const cases: readonly PositionCase[] = [
  {
    name: 'one-line template',
    code: 'const q = sql`SELECT * FROM accounts WHERE account_id = ${id}`;',
    sql: 'SELECT * FROM accounts WHERE account_id = $1',
    probes: [
      { sql: [14, 22], source: [28, 36], text: 'accounts' },
      { sql: [42, 44], source: [56, 61], text: '${id}' },
      { sql: [43, 44], source: [56, 61], text: '${id}' },
    ],
  },
  {
    name: 'multi-line template, after two interpolations',
    code: 'const q = sql`\n  SELECT *\n    FROM transactions\n   WHERE merchant_id = ${merchantId}\n     AND amount > ${min}\n   ORDER BY created_at`;',
    sql: '\n  SELECT *\n    FROM transactions\n   WHERE merchant_id = $1\n     AND amount > $2\n   ORDER BY created_at',
    probes: [
      { sql: [78, 80], source: [103, 109], text: '${min}' },
      { sql: [69, 75], source: [94, 100], text: 'amount' },
      { sql: [93, 103], source: [122, 132], text: 'created_at' },
      // A span across a parameter covers the whole `${…}`.
      { sql: [69, 80], source: [94, 109], text: 'amount > ${min}' },
    ],
  },
  {
    name: 'the same template with CRLF line ends',
    code: 'const q = sql`\r\n  SELECT *\r\n    FROM transactions\r\n   WHERE merchant_id = ${merchantId}\r\n     AND amount > ${min}\r\n   ORDER BY created_at`;',
    sql: '\n  SELECT *\n    FROM transactions\n   WHERE merchant_id = $1\n     AND amount > $2\n   ORDER BY created_at',
    probes: [
      { sql: [78, 80], source: [107, 113], text: '${min}' },
      { sql: [69, 75], source: [98, 104], text: 'amount' },
      { sql: [93, 103], source: [127, 137], text: 'created_at' },
      // A line break of the SQL is the whole CRLF of the source.
      { sql: [0, 1], source: [14, 16], text: '\r\n' },
    ],
  },
  {
    name: 'tabs',
    code: 'const q = sql`SELECT *\n\tFROM\ttransactions\n\tWHERE\taccount_id = ${id}\n\tORDER BY transaction_id`;',
    sql: 'SELECT *\n\tFROM\ttransactions\n\tWHERE\taccount_id = $1\n\tORDER BY transaction_id',
    probes: [
      { sql: [15, 27], source: [29, 41], text: 'transactions' },
      { sql: [61, 75], source: [78, 92], text: 'transaction_id' },
    ],
  },
  {
    name: 'escapes: \\n, \\`, \\\\ before the finding',
    code: "const q = sql`SELECT '\\n' AS nl, \\`x\\` FROM t WHERE a = ${a} AND b = 'it\\\\s' AND c = 1`;",
    sql: "SELECT '\n' AS nl, `x` FROM t WHERE a = $1 AND b = 'it\\s' AND c = 1",
    probes: [
      { sql: [7, 10], source: [21, 25], text: "'\\n'" },
      { sql: [18, 21], source: [33, 38], text: '\\`x\\`' },
      { sql: [50, 56], source: [69, 76], text: "'it\\\\s'" },
      { sql: [61, 66], source: [81, 86], text: 'c = 1' },
    ],
  },
  {
    name: 'a \\u{…} escape outside the BMP',
    code: "const q = sql`SELECT '\\u{1F600}' AS smile, x FROM transactions`;",
    sql: "SELECT '\u{1F600}' AS smile, x FROM transactions",
    probes: [
      { sql: [8, 10], source: [22, 31], text: '\\u{1F600}' },
      { sql: [22, 23], source: [43, 44], text: 'x' },
      { sql: [29, 41], source: [50, 62], text: 'transactions' },
    ],
  },
  {
    name: 'pool.query({ text })',
    code: "await pool.query({ text: 'SELECT * FROM transactions WHERE merchant_id = $1', values: [m] });",
    sql: 'SELECT * FROM transactions WHERE merchant_id = $1',
    probes: [
      { sql: [14, 26], source: [40, 52], text: 'transactions' },
      { sql: [47, 49], source: [73, 75], text: '$1' },
    ],
  },
  {
    name: 'client.query("…", [..]) with escaped quotes',
    code: 'await client.query("SELECT \\"amount\\" FROM transactions WHERE account_id = $1", [id]);',
    sql: 'SELECT "amount" FROM transactions WHERE account_id = $1',
    probes: [
      { sql: [7, 15], source: [27, 37], text: '\\"amount\\"' },
      { sql: [21, 33], source: [43, 55], text: 'transactions' },
    ],
  },
  {
    name: 'string concatenation over three lines',
    code: "await pool.query('SELECT * ' +\n  'FROM transactions ' +\n  'WHERE merchant_id = $1', [m]);",
    sql: 'SELECT * FROM transactions WHERE merchant_id = $1',
    probes: [
      { sql: [9, 13], source: [34, 38], text: 'FROM' },
      { sql: [33, 44], source: [65, 76], text: 'merchant_id' },
    ],
  },
  {
    name: 'line continuation in a string literal',
    code: "await pool.query('SELECT * \\\n FROM transactions', []);",
    sql: 'SELECT *  FROM transactions',
    probes: [{ sql: [10, 27], source: [30, 47], text: 'FROM transactions' }],
  },
  {
    name: 'an untagged template in a call that already uses $1: the interpolation becomes $2',
    code: 'await pool.query(`SELECT * FROM transactions WHERE account_id = $1 AND merchant_id = ${m}`, [id]);',
    sql: 'SELECT * FROM transactions WHERE account_id = $1 AND merchant_id = $2',
    probes: [
      { sql: [67, 69], source: [85, 89], text: '${m}' },
      { sql: [53, 64], source: [71, 82], text: 'merchant_id' },
    ],
  },
];

describe('SqlSourceMap positions', () => {
  it.each(cases)('$name', ({ code, sql, probes }) => {
    const site = siteOf(code);
    expect(site.sql).toBe(sql);
    for (const probe of probes) {
      const range = site.toSourceRange({ start: probe.sql[0], end: probe.sql[1] });
      expect({ range, text: code.slice(...range) }).toEqual({ range: probe.source, text: probe.text });
      expect(site.toSourceOffset(probe.sql[0])).toBe(probe.source[0]);
    }
  });

  it('maps the end of the SQL past its last character, and empty spans to empty ranges', () => {
    const code = 'sql`SELECT ${a}`;';
    const site = siteOf(code);
    expect(site.sql).toBe('SELECT $1');
    expect(site.toSourceOffset(9)).toBe(15);
    expect(code[15]).toBe('`');
    expect(site.toSourceRange({ start: 3, end: 3 })).toEqual([7, 7]);
  });
});

describe('SqlSourceMap edits', () => {
  it.each([
    {
      name: 'insertion after a trailing ${…} lands in the empty last quasi',
      code: 'sql`SELECT * FROM t WHERE a = ${a}`;',
      edit: { span: { start: 28, end: 28 }, text: ' AND b = 1' },
      source: { range: [34, 34], text: ' AND b = 1' },
    },
    {
      name: 'insertion before a ${…} lands at the end of the quasi before it',
      code: 'sql`SELECT * FROM t WHERE a = ${a}`;',
      edit: { span: { start: 26, end: 26 }, text: '`x`' },
      source: { range: [30, 30], text: '\\`x\\`' },
    },
    {
      name: 'replacement inside a string literal is escaped for its quotes',
      code: "pool.query('SELECT 1 AS a');",
      edit: { span: { start: 7, end: 8 }, text: "'it''s'" },
      source: { range: [19, 20], text: "\\'it\\'\\'s\\'" },
    },
    {
      name: 'a replacement over an escape covers the whole escape',
      code: "sql`SELECT '\\n'`;",
      edit: { span: { start: 8, end: 9 }, text: 'x' },
      source: { range: [12, 14], text: 'x' },
    },
  ])('$name', ({ code, edit, source }) => {
    expect(siteOf(code).map.toSourceEdit(edit)).toEqual(source);
  });

  it('refuses an edit that replaces a ${…}', () => {
    const site = siteOf('sql`SELECT * FROM t WHERE a = ${a}`;');
    expect(site.map.toSourceEdit({ span: { start: 26, end: 28 }, text: '1' })).toBeUndefined();
  });
});
