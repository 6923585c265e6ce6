import { describe, expect, it } from 'vitest';
import type { LiteralKind } from './cook-literal.js';
import { cookLiteral, escapeForLiteral } from './cook-literal.js';

interface CookCase {
  readonly name: string;
  readonly raw: string;
  readonly kind: LiteralKind;
  /** undefined: an invalid escape. */
  readonly text: string | undefined;
  /** Raw [start, end) of each cooked code unit; omitted for the identity. */
  readonly pieces?: readonly (readonly [number, number])[];
}

const cases: readonly CookCase[] = [
  { name: 'plain text is the identity', raw: 'SELECT 1', kind: 'template', text: 'SELECT 1' },
  { name: '\\n', raw: 'a\\nb', kind: 'template', text: 'a\nb', pieces: [[0, 1], [1, 3], [3, 4]] },
  { name: '\\t', raw: '\\tx', kind: 'single', text: '\tx', pieces: [[0, 2], [2, 3]] },
  { name: '\\\\', raw: 'a\\\\b', kind: 'template', text: 'a\\b', pieces: [[0, 1], [1, 3], [3, 4]] },
  { name: 'escaped backtick', raw: '\\`x\\`', kind: 'template', text: '`x`', pieces: [[0, 2], [2, 3], [3, 5]] },
  { name: 'escaped dollar', raw: '\\${x}', kind: 'template', text: '${x}', pieces: [[0, 2], [2, 3], [3, 4], [4, 5]] },
  { name: 'escaped quote in a string', raw: "it\\'s", kind: 'single', text: "it's", pieces: [[0, 1], [1, 2], [2, 4], [4, 5]] },
  { name: '\\xHH', raw: '\\x41B', kind: 'double', text: 'AB', pieces: [[0, 4], [4, 5]] },
  { name: '\\uHHHH', raw: '\\u00e9!', kind: 'template', text: 'é!', pieces: [[0, 6], [6, 7]] },
  { name: '\\u{…} outside the BMP: two code units, one raw range', raw: '\\u{1F600}x', kind: 'template', text: '\u{1F600}x', pieces: [[0, 9], [0, 9], [9, 10]] },
  { name: 'a literal astral character is the identity', raw: '😀x', kind: 'template', text: '😀x' },
  { name: 'line continuation LF', raw: 'a\\\nb', kind: 'template', text: 'ab', pieces: [[0, 1], [3, 4]] },
  { name: 'line continuation CRLF', raw: 'a\\\r\nb', kind: 'single', text: 'ab', pieces: [[0, 1], [4, 5]] },
  { name: 'CRLF in a template reads as LF', raw: 'a\r\nb', kind: 'template', text: 'a\nb', pieces: [[0, 1], [1, 3], [3, 4]] },
  { name: 'a bare CR in a template reads as LF', raw: 'a\rb', kind: 'template', text: 'a\nb', pieces: [[0, 1], [1, 2], [2, 3]] },
  { name: 'tab characters are kept', raw: '\tWHERE', kind: 'template', text: '\tWHERE' },
  { name: '\\0', raw: '\\0', kind: 'template', text: '\0', pieces: [[0, 2]] },
  { name: 'legacy octal in a string', raw: '\\101', kind: 'single', text: 'A', pieces: [[0, 4]] },
  { name: 'legacy octal in a template is invalid', raw: '\\101', kind: 'template', text: undefined },
  { name: 'bad \\x is invalid', raw: '\\xZ1', kind: 'template', text: undefined },
  { name: 'bad \\u is invalid', raw: '\\u{110000}', kind: 'template', text: undefined },
];

describe('cookLiteral', () => {
  it.each(cases)('$name', ({ raw, kind, text, pieces }) => {
    const cooked = cookLiteral(raw, kind);
    if (text === undefined) {
      expect(cooked).toBeUndefined();
      return;
    }
    expect(cooked?.text).toBe(text);
    if (pieces === undefined) {
      expect(cooked?.identity).toBe(true);
      return;
    }
    expect(cooked?.identity).toBe(false);
    expect(cooked?.starts.map((s, i) => [s, cooked.ends[i]])).toEqual(pieces);
  });
});

describe('escapeForLiteral', () => {
  it.each([
    { text: ' AND t.account_id = a.account_id', kind: 'template' as const, escaped: ' AND t.account_id = a.account_id' },
    { text: 'a`b${c}\\d', kind: 'template' as const, escaped: 'a\\`b\\${c}\\\\d' },
    { text: "it's \"x\"\n", kind: 'single' as const, escaped: "it\\'s \"x\"\\n" },
    { text: "it's \"x\"", kind: 'double' as const, escaped: "it's \\\"x\\\"" },
  ])('$kind: $text', ({ text, kind, escaped }) => {
    expect(escapeForLiteral(text, kind)).toBe(escaped);
    expect(cookLiteral(escaped, kind)?.text).toBe(text);
  });
});
