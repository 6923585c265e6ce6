import type { Edit, Span } from '../diagnostic.js';
import type { CookedText, LiteralKind } from './cook-literal.js';
import { escapeForLiteral } from './cook-literal.js';

/** Half-open `[start, end)` offsets into a source file (JavaScript string indices). */
export type SourceRange = readonly [start: number, end: number];

/** A piece of the SQL text that came from the text of one literal (a template quasi or a string). */
export interface TextSegment {
  readonly kind: 'text';
  /** `[sqlStart, sqlEnd)` in the SQL text. */
  readonly sqlStart: number;
  readonly sqlEnd: number;
  /** The raw text between the literal's delimiters, in the source file. */
  readonly sourceStart: number;
  readonly sourceEnd: number;
  readonly literal: LiteralKind;
  /** How the SQL (cooked) text relates to the raw text; see {@link CookedText}. */
  readonly cooked: CookedText;
}

/** A `${expr}` of the source, written as the bind parameter `$n` in the SQL text. */
export interface ParameterSegment {
  readonly kind: 'parameter';
  readonly sqlStart: number;
  readonly sqlEnd: number;
  /** The whole `${expr}`, from the `$` to the closing brace. */
  readonly sourceStart: number;
  readonly sourceEnd: number;
  /** `n` of `$n`. */
  readonly number: number;
  /**
   * True when the expression's value is spliced into the SQL text at run time (an untagged template
   * passed to a query call), false when the tag sends it as a bind parameter.
   */
  readonly spliced: boolean;
}

export type Segment = TextSegment | ParameterSegment;

/** An {@link Edit} carried over to the source file. */
export interface SourceEdit {
  readonly range: SourceRange;
  /** Escaped for the literal it lands in. */
  readonly text: string;
}

/**
 * Maps offsets of an embedded SQL text back to offsets of the file it was extracted from. Every SQL
 * offset maps: text to the raw character that produced it (through escapes, CRLF and line
 * continuations), a bind parameter `$n` to its whole `${expr}`.
 */
export class SqlSourceMap {
  readonly segments: readonly Segment[];
  /** Length of the SQL text. */
  readonly length: number;

  constructor(segments: readonly Segment[]) {
    this.segments = segments;
    this.length = segments.length > 0 ? (segments[segments.length - 1] as Segment).sqlEnd : 0;
  }

  /** The source offset of the character at `sqlOffset` (its start); the end of the SQL maps past its last character. */
  toSourceOffset(sqlOffset: number): number {
    const segment = this.segmentAt(sqlOffset);
    if (!segment) return this.endOffset();
    if (segment.kind === 'parameter') return segment.sourceStart;
    const i = sqlOffset - segment.sqlStart;
    return segment.cooked.identity ? segment.sourceStart + i : segment.sourceStart + (segment.cooked.starts[i] as number);
  }

  /**
   * The source range of a SQL span: from the start of its first character to the end of its last,
   * so that an escape (`\n`) or a `${expr}` at either edge is covered whole. An empty span maps to an
   * empty range.
   */
  toSourceRange(span: Span): SourceRange {
    const start = this.toSourceOffset(span.start);
    if (span.end <= span.start) return [start, start];
    const last = this.segmentAt(span.end - 1);
    if (!last) return [start, this.endOffset()];
    if (last.kind === 'parameter') return [start, last.sourceEnd];
    const i = span.end - 1 - last.sqlStart;
    const end = last.cooked.identity ? last.sourceStart + i + 1 : last.sourceStart + (last.cooked.ends[i] as number);
    return [start, Math.max(start, end)];
  }

  /**
   * The source edit for a SQL edit, when the edit lies within the text of one literal (inserting
   * next to a `${expr}` is fine, replacing one is not). The inserted text is escaped for that literal.
   */
  toSourceEdit(edit: Edit): SourceEdit | undefined {
    const { start, end } = edit.span;
    const segment = this.segments.find((s): s is TextSegment => s.kind === 'text' && s.sqlStart <= start && end <= s.sqlEnd);
    if (!segment) return undefined;
    const point = (offset: number) => {
      const i = offset - segment.sqlStart;
      if (offset === segment.sqlEnd) return segment.sourceEnd;
      return segment.cooked.identity ? segment.sourceStart + i : segment.sourceStart + (segment.cooked.starts[i] as number);
    };
    const from = point(start);
    let to = from;
    if (end > start) {
      const i = end - 1 - segment.sqlStart;
      to = segment.cooked.identity ? segment.sourceStart + i + 1 : segment.sourceStart + (segment.cooked.ends[i] as number);
    }
    return { range: [from, to], text: escapeForLiteral(edit.text, segment.literal) };
  }

  /** The bind parameters, in SQL order. */
  parameters(): readonly ParameterSegment[] {
    return this.segments.filter((s): s is ParameterSegment => s.kind === 'parameter');
  }

  /** The non-empty segment holding `sqlOffset`, by binary search. */
  private segmentAt(sqlOffset: number): Segment | undefined {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.segments[mid] as Segment;
      if (sqlOffset < s.sqlStart) hi = mid - 1;
      else if (sqlOffset >= s.sqlEnd) lo = mid + 1;
      else return s;
    }
    return undefined;
  }

  private endOffset(): number {
    const last = this.segments[this.segments.length - 1];
    return last ? last.sourceEnd : 0;
  }
}
