import { describe, expect, it } from 'vitest';
import { LineIndex, Utf8Offsets } from './line-index.js';

describe('LineIndex', () => {
  const cases: { name: string; text: string; offset: number; line: number; column: number }[] = [
    { name: 'start', text: 'ab\ncd', offset: 0, line: 1, column: 1 },
    { name: 'end of first line', text: 'ab\ncd', offset: 2, line: 1, column: 3 },
    { name: 'second line', text: 'ab\ncd', offset: 3, line: 2, column: 1 },
    { name: 'CRLF counts as one break', text: 'ab\r\ncd', offset: 4, line: 2, column: 1 },
    { name: 'lone CR is a break', text: 'ab\rcd', offset: 3, line: 2, column: 1 },
    { name: 'columns are UTF-16 units', text: 'é😀x', offset: 3, line: 1, column: 4 },
    { name: 'past the end clamps', text: 'ab', offset: 99, line: 1, column: 3 },
    { name: 'empty text', text: '', offset: 0, line: 1, column: 1 },
    { name: 'a BOM takes no column', text: '\uFEFFab', offset: 1, line: 1, column: 1 },
    { name: 'after a BOM', text: '\uFEFFab', offset: 2, line: 1, column: 2 },
  ];
  it.each(cases)('$name', ({ text, offset, line, column }) => {
    const index = new LineIndex(text);
    expect(index.positionAt(offset)).toEqual({ line, column });
  });

  it('round-trips every offset', () => {
    const text = 'SELECT 1;\r\n\n-- x\r  SELECT 2';
    const index = new LineIndex(text);
    for (let o = 0; o <= text.length; o++) {
      const p = index.positionAt(o);
      const back = index.offsetAt(p);
      // Offsets inside a CRLF pair map to the end of the line's text.
      expect(back === o || (text[o - 1] === '\r' && text[o] === '\n' && back === o - 1)).toBe(true);
    }
  });

  it('gives line texts without terminators', () => {
    const index = new LineIndex('a\r\nbb\rccc\n');
    expect([1, 2, 3, 4].map((l) => index.lineText(l))).toEqual(['a', 'bb', 'ccc', '']);
    expect(index.lineCount).toBe(4);
  });
});

describe('Utf8Offsets', () => {
  const cases: { text: string; byte: number; index: number }[] = [
    { text: 'abc', byte: 2, index: 2 },
    { text: 'éa', byte: 2, index: 1 },
    { text: '€a', byte: 3, index: 1 },
    { text: '😀a', byte: 4, index: 2 },
    { text: 'a😀é€b', byte: 10, index: 5 },
  ];
  it.each(cases)('byte $byte of $text is index $index', ({ text, byte, index }) => {
    const o = new Utf8Offsets(text);
    expect(o.toStringIndex(byte)).toBe(index);
    expect(o.toByteOffset(index)).toBe(byte);
  });
});
