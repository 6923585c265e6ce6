import type { LineIndex, Span } from '@limitless-lint/core';
import { printable } from './printable.js';

/** How the parts of a frame are painted; identity functions for plain text. */
export interface FramePaint {
  readonly gutter: (text: string) => string;
  readonly marker: (text: string) => string;
}

/** Tab stops every 4 columns, in the source line and its underline alike. */
const TAB_WIDTH = 4;
/** Longer lines are cut to a window of this many characters around the span's start. */
const MAX_LINE_CHARS = 120;
/** Characters kept before the span's start when a long line is cut. */
const LEFT_CONTEXT = 40;
/** A span over more lines shows the first 3 and the last 2, with `⋮` between. */
const MAX_LINES = 6;

/**
 * A code frame: each line a span covers, prefixed with its number, and under it a row of `^`
 * (or `char`) under the span's characters. Tabs are expanded to tab stops, wide (East Asian, emoji)
 * characters take two columns and combining marks none, so the underline stays aligned; long lines
 * are cut around the span with `…`. `message`, when given, follows the last underline row.
 */
export function codeFrame(
  lines: LineIndex,
  span: Span,
  paint: FramePaint,
  options: { readonly char?: string; readonly message?: string } = {},
): string[] {
  const start = lines.positionAt(span.start);
  let end = lines.positionAt(Math.max(span.start, span.end));
  if (end.line > start.line && end.column === 1) {
    // A span that ends with a line break ends on the line before.
    end = { line: end.line - 1, column: lines.lineText(end.line - 1).length + 1 };
  }
  const count = end.line - start.line + 1;
  const numbers: (number | undefined)[] = [];
  for (let n = start.line; n <= end.line; n++) {
    if (count > MAX_LINES && n === start.line + 3) {
      numbers.push(undefined);
      n = end.line - 2;
      continue;
    }
    numbers.push(n);
  }
  const width = String(end.line).length;
  const blank = paint.gutter(`${' '.repeat(width)} |`);
  const out: string[] = [];
  for (const n of numbers) {
    if (n === undefined) {
      out.push(paint.gutter(`${' '.repeat(width)} ⋮`));
      continue;
    }
    const text = lines.lineText(n);
    const from = n === start.line ? start.column - 1 : text.search(/\S|$/);
    const to = n === end.line ? end.column - 1 : text.length;
    // The first line always gets a marker, even for an empty span or one past the line's end.
    const row = renderLine(text, from, n === start.line ? Math.max(to, from + 1) : to, options.char ?? '^');
    out.push(`${paint.gutter(`${String(n).padStart(width)} |`)} ${row.source}`.trimEnd());
    if (row.underline.trim() !== '') out.push(`${blank} ${paint.marker(row.underline.trimEnd())}`);
  }
  if (options.message !== undefined) out[out.length - 1] += ` ${paint.marker(printable(options.message))}`;
  return out;
}

/** One source line (or a window of it) and the marker row under `[from, to)` (UTF-16 indices). */
function renderLine(raw: string, from: number, to: number, char: string): { source: string; underline: string } {
  // Made printable as a whole line (one UTF-16 unit for one, so indices hold), not per character,
  // so that a sequence such as `##[` is seen whole.
  const text = printable(raw);
  let lo = 0;
  let hi = text.length;
  if (text.length > MAX_LINE_CHARS) {
    lo = Math.max(0, Math.min(from - LEFT_CONTEXT, text.length - MAX_LINE_CHARS));
    hi = Math.min(text.length, lo + MAX_LINE_CHARS);
    if (lo > 0 && isLowSurrogate(text.charCodeAt(lo))) lo++;
    if (hi < text.length && isLowSurrogate(text.charCodeAt(hi))) hi--;
  }
  let source = lo > 0 ? '…' : '';
  let underline = lo > 0 ? ' ' : '';
  let column = 0;
  for (let i = lo; i < hi; ) {
    const code = text.codePointAt(i) as number;
    const units = code > 0xffff ? 2 : 1;
    let shown: string;
    let width: number;
    if (code === 9) {
      width = TAB_WIDTH - (column % TAB_WIDTH);
      shown = ' '.repeat(width);
    } else {
      shown = text.slice(i, i + units);
      width = charWidth(shown);
    }
    source += shown;
    underline += (i >= from && i < to ? char : ' ').repeat(width);
    column += width;
    i += units;
  }
  if (hi < text.length) source += '…';
  // The span goes on past the window (under the `…`), or starts at the end of the line.
  if (to > hi) underline += char;
  return { source, underline };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\u200b-\u200f\u2060\ufeff]$/u;
const WIDE =
  /^[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]$/u;

/** Terminal columns taken by one character. */
function charWidth(char: string): number {
  if (ZERO_WIDTH.test(char)) return 0;
  return WIDE.test(char) ? 2 : 1;
}
