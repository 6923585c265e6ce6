import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Utf8Offsets } from '../line-index.js';
import { dottedNameEnd, identifierEnd } from './name-lexer.js';
import type { Token } from './parser.js';
import { loadParser, scanTokens } from './parser.js';
import { splitStatements } from './split.js';

beforeAll(() => loadParser());

/** What PostgreSQL's scanner says, the way `Statement` read it before the lexer: [token end, dotted-name end]. */
function byScanner(text: string, index: number): { token: number; name: number } | undefined {
  const tokens = scanTokens(text);
  const bytes = new Utf8Offsets(text);
  const byte = bytes.toByteOffset(index);
  let k = tokens.findIndex((t) => t.start === byte);
  if (k < 0) return undefined;
  const token = bytes.toStringIndex((tokens[k] as Token).end);
  let end = (tokens[k] as Token).end;
  while (tokens[k + 1]?.text === '.' && tokens[k + 2] && (tokens[k + 1] as Token).start === end) {
    end = (tokens[k + 2] as Token).end;
    k += 2;
  }
  return { token, name: bytes.toStringIndex(end) };
}

const FIXTURES = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));
function sqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sqlFiles(`${dir}/${e.name}`) : e.name.endsWith('.sql') ? [`${dir}/${e.name}`] : []));
}

const TRICKY = [
  'SELECT t.id, "T"."Mixed ""q""".x, s . y FROM public.t, "sch".tab AS a',
  "SELECT E'x', B'101', X'ff', N'n', U&'d\\0061t', U&\"d\\0061t\" FROM t",
  'SELECT a.*, b. * , c.1, d./*c*/e, f.-- x\n g FROM x',
  'SELECT tëst.çol, "ünï"."cödé", 😀x FROM tëst',
  'SELECT $1abc, col$x, _a1.$b FROM t',
  'SELECT "unterminated FROM t',
];

describe('the name lexer', () => {
  it('agrees with PostgreSQL\'s scanner wherever it answers, on every token of the fixtures and tricky names', () => {
    const texts = [...TRICKY, ...sqlFiles(FIXTURES).flatMap((f) => splitStatements(readFileSync(f, 'utf8')).statements.map((s) => s.text))];
    let answered = 0;
    for (const text of texts) {
      // Offsets given to the lexer are parse-tree locations: where tokens start.
      const bytes = new Utf8Offsets(text);
      for (const i of scanTokens(text).map((t) => bytes.toStringIndex(t.start))) {
        const fastToken = identifierEnd(text, i);
        const fastName = dottedNameEnd(text, i);
        if (fastToken === undefined && fastName === undefined) continue;
        const slow = byScanner(text, i);
        if (fastToken !== undefined) expect(fastToken, `${text} @${i}`).toBe(slow?.token);
        if (fastName !== undefined) expect(fastName, `${text} @${i}`).toBe(slow?.name);
        answered++;
      }
    }
    expect(answered).toBeGreaterThan(1000);
  });

  it.each([
    ['s . y', 0, 1],
    ['a.b.c + 1', 0, 5],
    ['"A""B".c', 0, 8],
    ['a.*', 0, 3],
  ])('reads %j from %i to %i', (text, from, to) => {
    expect(dottedNameEnd(text, from)).toBe(to);
  });

  it.each([
    ["E'x'", 0],
    ['U&"x"', 0],
    ['U&"x"', 2],
    ['ab', 1],
    ['c.1', 0],
    ['d./*c*/e', 0],
    ['"open', 0],
    ['$1', 0],
  ])('leaves %j at %i to the scanner', (text, at) => {
    expect(dottedNameEnd(text, at)).toBeUndefined();
  });
});
