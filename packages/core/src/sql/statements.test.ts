import { beforeAll, describe, expect, it } from 'vitest';
import { LineIndex } from '../line-index.js';
import { loadParser } from './parser.js';
import { parseStatements } from './statements.js';

beforeAll(() => loadParser());

describe('parseStatements', () => {
  const errors: { name: string; sql: string; message: string; line: number; column: number; token: string }[] = [
    { name: 'misspelt keyword', sql: 'SELEC * FROM t', message: 'syntax error at or near "SELEC"', line: 1, column: 1, token: 'SELEC' },
    { name: 'error on a later line', sql: 'SELECT 1;\nSELECT *\nFROM t WHERE\n  a = = 1', message: 'syntax error at or near "="', line: 4, column: 7, token: '=' },
    { name: 'end of input (just past the text)', sql: 'SELECT (1', message: 'syntax error at end of input', line: 1, column: 10, token: '' },
    { name: 'after non-ASCII text (byte offsets converted)', sql: "SELECT 'é€😀' AS x FORM t", message: 'syntax error at or near "FORM"', line: 1, column: 20, token: 'FORM' },
    { name: 'after a CRLF', sql: 'SELECT 1;\r\nSELECT 2 2;', message: 'syntax error at or near "2"', line: 2, column: 10, token: '2' },
    { name: 'psql variable', sql: 'SELECT :foo;', message: 'syntax error at or near ":"', line: 1, column: 8, token: ':' },
  ];
  it.each(errors)('reports $name at the position PostgreSQL gives', ({ sql, message, line, column, token }) => {
    const { statements } = parseStatements(sql);
    const bad = statements.find((s) => s.error);
    expect(bad?.error?.message).toBe(message);
    const offset = bad?.error?.offset ?? -1;
    expect(new LineIndex(sql).positionAt(offset)).toEqual({ line, column });
    if (token) {
      const span = bad!.tokenSpan(offset);
      expect(sql.slice(span.start, span.end)).toBe(token);
    }
  });

  it('keeps parsing after a bad statement', () => {
    const { statements } = parseStatements('SELECT 1; SELEC 2; SELECT 3; INSERT INTO; SELECT 5');
    expect(statements.map((s) => (s.ast ? 'ok' : 'error'))).toEqual(['ok', 'error', 'ok', 'error', 'ok']);
  });

  it('reports absurd nesting instead of crashing', () => {
    const deep = `SELECT ${'('.repeat(20000)}1${')'.repeat(20000)}`;
    const [s] = parseStatements(deep).statements;
    expect(s?.ast).toBeUndefined();
    // Not given to the parser: too deep by its text, not a syntax error.
    expect(s?.tooDeep).toBe(true);
    expect(s?.error).toBeUndefined();
  });

  it('maps node locations to offsets in the whole text', () => {
    const sql = "SELECT 'ü'; SELECT é FROM t";
    const second = parseStatements(sql).statements[1]!;
    const select = second.ast && 'SelectStmt' in second.ast ? second.ast.SelectStmt : undefined;
    const target = select?.targetList?.[0];
    const loc = target && 'ResTarget' in target ? target.ResTarget.location : undefined;
    expect(sql.slice(second.offsetOf(loc))).toBe('é FROM t');
  });

  it('spans dotted names', () => {
    const sql = 'SELECT 1 FROM "Billing".accounts a';
    const s = parseStatements(sql).statements[0]!;
    const span = s.nameSpan(sql.indexOf('"Billing"'));
    expect(sql.slice(span.start, span.end)).toBe('"Billing".accounts');
  });
});
