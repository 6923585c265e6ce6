import { LineIndex } from '@limitless-lint/core';
import { describe, expect, it } from 'vitest';
import { codeFrame } from '../src/reporters/code-frame.js';

const plain = { gutter: (s: string) => s, marker: (s: string) => s };

function frame(text: string, start: number, end: number): string {
  return codeFrame(new LineIndex(text), { start, end }, plain).join('\n');
}

describe('codeFrame', () => {
  it('underlines the span on its line', () => {
    expect(frame('SELECT 1;\nSELEC 2;\n', 10, 15)).toBe('2 | SELEC 2;\n  | ^^^^^');
  });

  it('puts one caret after the end of the line for a span at the end of the text', () => {
    expect(frame('SELECT (1', 9, 9)).toBe('1 | SELECT (1\n  |          ^');
  });

  it('underlines every line of a multi-line span, from each line first non-blank character', () => {
    expect(frame('SELECT a,\n       b\n  FROM t;', 7, 27)).toBe(
      ['1 | SELECT a,', '  |        ^^', '2 |        b', '  |        ^', '3 |   FROM t;', '  |   ^^^^^^'].join('\n'),
    );
  });

  it('shows the first 3 and last 2 lines of a long span', () => {
    const text = Array.from({ length: 10 }, (_, i) => `line${i + 1}`).join('\n');
    const lines = frame(text, 0, text.length).split('\n');
    expect(lines.filter((l) => /^\s*\d+ \|/.test(l)).map((l) => l.trim().split(' ')[0])).toEqual(['1', '2', '3', '9', '10']);
    expect(lines).toContain('   ⋮');
  });

  it('cuts a long line to a window around the span, with … on each cut side', () => {
    const text = `${'x'.repeat(1000)} BAD ${'y'.repeat(1000)}`;
    const [source, underline] = frame(text, 1001, 1004).split('\n');
    expect(source).toMatch(/^1 \| …x{39} BAD y+…$/);
    expect(source?.length).toBeLessThan(130);
    expect(underline).toBe(`  |  ${' '.repeat(40)}^^^`);
  });

  it('gives wide characters two columns and combining marks none', () => {
    const text = "SELECT '日本', 'e\u0301' FORM";
    expect(frame(text, 18, 22)).toBe(`1 | ${text}\n  | ${' '.repeat(19)}^^^^`);
  });
});
