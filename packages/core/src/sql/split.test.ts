import { describe, expect, it } from 'vitest';
import { splitStatements } from './split.js';

/** The statements' texts, for compact expectations. */
function texts(sql: string): string[] {
  return splitStatements(sql).statements.map((s) => s.text);
}

describe('splitStatements', () => {
  const cases: { name: string; sql: string; expected: string[] }[] = [
    { name: 'two simple statements', sql: 'SELECT 1; SELECT 2;', expected: ['SELECT 1', 'SELECT 2'] },
    { name: 'no trailing semicolon', sql: 'SELECT 1;\nSELECT 2', expected: ['SELECT 1', 'SELECT 2'] },
    { name: 'semicolon inside a string', sql: "SELECT 'a;b'; SELECT 2", expected: ["SELECT 'a;b'", 'SELECT 2'] },
    { name: 'doubled quote inside a string', sql: "SELECT 'it''s;'; SELECT 2", expected: ["SELECT 'it''s;'", 'SELECT 2'] },
    { name: 'E string with backslash-escaped quote', sql: "SELECT E'a\\';b'; SELECT 2", expected: ["SELECT E'a\\';b'", 'SELECT 2'] },
    { name: 'plain string ending in a backslash', sql: "SELECT 'a\\'; SELECT 2", expected: ["SELECT 'a\\'", 'SELECT 2'] },
    { name: 'identifier ending in e before a string is not an E string', sql: "SELECT some'x\\';y'", expected: ["SELECT some'x\\'", "y'"] },
    { name: 'quoted identifier with semicolon', sql: 'SELECT "a;""b" FROM t; SELECT 2', expected: ['SELECT "a;""b" FROM t', 'SELECT 2'] },
    { name: 'dollar quote', sql: 'SELECT $$a;b$$; SELECT 2', expected: ['SELECT $$a;b$$', 'SELECT 2'] },
    {
      name: 'tagged dollar quote containing $$',
      sql: 'CREATE FUNCTION f() RETURNS int AS $body$ SELECT $$x;$$; $body$ LANGUAGE sql; SELECT 2',
      expected: ['CREATE FUNCTION f() RETURNS int AS $body$ SELECT $$x;$$; $body$ LANGUAGE sql', 'SELECT 2'],
    },
    { name: 'bind parameters are not dollar quotes', sql: 'SELECT $1, $2; SELECT 3', expected: ['SELECT $1, $2', 'SELECT 3'] },
    { name: 'identifier with dollar is not a dollar quote', sql: 'SELECT a$b$ FROM t; SELECT 2', expected: ['SELECT a$b$ FROM t', 'SELECT 2'] },
    { name: 'line comment with semicolon', sql: 'SELECT 1 -- a; b\n, 2; SELECT 3', expected: ['SELECT 1 -- a; b\n, 2', 'SELECT 3'] },
    { name: 'nested block comment', sql: 'SELECT /* a /* b; */ c; */ 1; SELECT 2', expected: ['SELECT /* a /* b; */ c; */ 1', 'SELECT 2'] },
    { name: 'leading comments are not part of the statement', sql: '-- head\n/* x */ SELECT 1;', expected: ['SELECT 1'] },
    { name: 'empty statements', sql: ';;SELECT 1;;  ; -- c\n;', expected: ['SELECT 1'] },
    { name: 'BOM', sql: '\uFEFFSELECT 1; SELECT 2', expected: ['SELECT 1', 'SELECT 2'] },
    { name: 'CRLF', sql: 'SELECT 1;\r\nSELECT\r\n 2;\r\n', expected: ['SELECT 1', 'SELECT\r\n 2'] },
    { name: 'semicolon inside parentheses (CREATE RULE)', sql: 'CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2); SELECT 3', expected: ['CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2)', 'SELECT 3'] },
    {
      name: 'BEGIN ATOMIC body',
      sql: 'CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END; SELECT 3',
      expected: ['CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END', 'SELECT 3'],
    },
    { name: 'BEGIN as a transaction is a statement', sql: 'BEGIN; SELECT 1; END;', expected: ['BEGIN', 'SELECT 1', 'END'] },
    { name: 'unterminated string runs to the end', sql: "SELECT 1; SELECT 'abc", expected: ['SELECT 1', "SELECT 'abc"] },
    // PostgreSQL rejects it ("unterminated /* comment"): a statement, for the parser to report, not a silent end.
    { name: 'unterminated block comment is a statement to the end', sql: 'SELECT 1; /* abc; SELECT 2;', expected: ['SELECT 1', '/* abc; SELECT 2;'] },
    { name: 'unterminated block comment inside a statement runs to the end', sql: 'SELECT 1 /* abc; SELECT 2;', expected: ['SELECT 1 /* abc; SELECT 2;'] },
    { name: 'unterminated nested block comment', sql: 'SELECT 1 /* a /* b */; SELECT 2', expected: ['SELECT 1 /* a /* b */; SELECT 2'] },
    { name: 'meta-command lines are skipped', sql: '\\set x 1\nSELECT 1;\n\\c db\nSELECT 2;', expected: ['SELECT 1', 'SELECT 2'] },
    { name: '\\gset ends a statement', sql: 'SELECT 1 AS x \\gset\nSELECT 2;', expected: ['SELECT 1 AS x', 'SELECT 2'] },
    { name: 'meta-command inside a statement is blanked', sql: 'SELECT 1,\n\\echo hi\n2;', expected: ['SELECT 1,\n        \n2'] },
    { name: 'COPY FROM stdin data is skipped', sql: 'COPY t FROM stdin;\n1\ta;b\n\\.\nSELECT 2;', expected: ['COPY t FROM stdin', 'SELECT 2'] },
    // psql runs what follows the `;` on the COPY's line after the data: it is SQL, not data.
    { name: 'text after COPY FROM stdin; on its line', sql: 'COPY t FROM stdin; SELECT 1; -- x\n1\n\\.\nSELECT 2;', expected: ['COPY t FROM stdin', 'SELECT 1', 'SELECT 2'] },
    { name: 'two COPY FROM stdin on one line, their data blocks in turn', sql: 'COPY a FROM stdin; COPY b FROM stdin;\n1\n\\.\n2\n\\.\nSELECT 1;', expected: ['COPY a FROM stdin', 'COPY b FROM stdin', 'SELECT 1'] },
    { name: 'an unfinished statement after COPY FROM stdin; on its line', sql: "COPY t FROM stdin;INTO x VALUES ('a\n1\n\\.\n", expected: ['COPY t FROM stdin', "INTO x VALUES ('a"] },
    { name: 'empty text', sql: '', expected: [] },
    { name: 'only comments', sql: '-- just a comment\n/* and another */', expected: [] },
  ];

  it.each(cases)('$name', ({ sql, expected }) => {
    expect(texts(sql)).toEqual(expected);
  });

  it('gives exact offsets and semicolon positions', () => {
    const sql = '  SELECT 1 ;\n-- c\nSELECT 2';
    const { statements } = splitStatements(sql);
    expect(statements.map((s) => [s.start, s.end, s.semicolon])).toEqual([
      [2, 10, 11],
      [18, 26, undefined],
    ]);
    for (const s of statements) expect(sql.slice(s.start, s.end)).toBe(s.text);
  });

  it('offsets after a BOM and non-ASCII text are string indices', () => {
    const sql = "\uFEFFSELECT 'ü'; SELECT 2";
    const [a, b] = splitStatements(sql).statements;
    expect(a?.start).toBe(1);
    expect(sql.slice(b!.start, b!.end)).toBe('SELECT 2');
  });

  it('counts what it skips', () => {
    const r = splitStatements(';\n\\set a 1\nCOPY t FROM stdin;\nx\n\\.\n-- note\nSELECT 1;;');
    expect(r.emptyStatements).toBe(2);
    expect(r.metaCommands).toHaveLength(1); // the `\.` line belongs to the COPY data
    expect(r.copyData).toHaveLength(1);
    expect(r.copyData[0]?.terminated).toBe(true);
    expect(r.comments).toHaveLength(1);
  });

  it('marks COPY data without a `\\.` line as unterminated', () => {
    const sql = 'COPY t FROM stdin;\n1\t2\nSELECT 2;\n';
    const r = splitStatements(sql);
    expect(r.statements.map((s) => s.text)).toEqual(['COPY t FROM stdin']);
    expect(r.copyData).toEqual([{ start: 19, end: sql.length, terminated: false }]);
    expect(splitStatements('COPY t FROM stdin;').copyData).toEqual([{ start: 18, end: 18, terminated: false }]);
  });
});
