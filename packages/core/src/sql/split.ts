import type { Span } from '../diagnostic.js';
import { isIdentPart, isIdentStart, isSpace } from './chars.js';

/** One statement found in a SQL text. */
export interface SplitStatement {
  /** Offset of the statement's first character (after leading whitespace and comments). */
  readonly start: number;
  /** Offset just past the statement's last significant character (before its `;`). */
  readonly end: number;
  /**
   * The statement's source, `text.slice(start, end)`, with psql meta-commands inside it blanked
   * to spaces so that offsets stay exact.
   */
  readonly text: string;
  /** Offset of the terminating `;`, or undefined at end of input. */
  readonly semicolon?: number;
}

/** What a split found: statements, plus what it skipped and why (nothing is lost silently). */
export interface SplitResult {
  readonly statements: readonly SplitStatement[];
  /** psql meta-command lines (`\set`, `\c` …): skipped, not parsed. */
  readonly metaCommands: readonly Span[];
  /** Data blocks of `COPY … FROM stdin`, up to and including the `\.` line. */
  readonly copyData: readonly CopyData[];
  /** Comments, in order (suppression directives live in them). */
  readonly comments: readonly Span[];
  /** `;` with nothing but whitespace or comments before it. */
  readonly emptyStatements: number;
}

/** The data lines of one `COPY … FROM stdin`. */
export interface CopyData extends Span {
  /** False when no `\.` line ends the data: it ran to the end of the text, swallowing whatever SQL followed. */
  readonly terminated: boolean;
}

const enum Ch {
  Tab = 9,
  Newline = 10,
  Return = 13,
  Space = 32,
  DoubleQuote = 34,
  Dollar = 36,
  Quote = 39,
  OpenParen = 40,
  CloseParen = 41,
  Star = 42,
  Minus = 45,
  Slash = 47,
  Semicolon = 59,
  Backslash = 92,
}

/** psql meta-commands that send the query buffer, i.e. end the current statement. */
const SENDING_META = /^\\(g|gx|gset|gexec|gdesc|crosstabview|watch|bind|bind_named|sendpipeline)\b/;

/**
 * Splits SQL text into statements the way psql does: `;` ends a statement only outside quotes,
 * dollar quotes, comments, parentheses and `BEGIN … END` bodies of SQL-standard functions. Handles
 * `E''` escapes, nested block comments, a leading BOM and any line endings; psql meta-commands and
 * `COPY … FROM stdin` data are recorded, not returned as statements. Never throws: an unterminated
 * quote or block comment runs to the end of the text as part of a statement, whose parse reports it.
 */
export function splitStatements(text: string): SplitResult {
  const statements: SplitStatement[] = [];
  const metaCommands: Span[] = [];
  const copyData: CopyData[] = [];
  const comments: Span[] = [];
  let emptyStatements = 0;

  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let stmtStart = -1; // first significant character of the pending statement
  let lastSignificantEnd = -1;
  let parenDepth = 0;
  let beginDepth = 0;
  // First identifiers of the pending statement, to recognise CREATE [OR REPLACE] FUNCTION|PROCEDURE.
  const leadingWords: string[] = [];
  // Meta-commands inside the pending statement, blanked in its text.
  let pendingMeta: Span[] = [];

  const startSignificant = (at: number) => {
    if (stmtStart < 0) stmtStart = at;
  };

  const finish = (semicolon: number | undefined) => {
    if (stmtStart < 0) {
      if (semicolon !== undefined) emptyStatements++;
      pendingMeta = [];
      return;
    }
    const start = stmtStart;
    const end = lastSignificantEnd;
    let body = text.slice(start, end);
    for (const m of pendingMeta) {
      if (m.start >= end) continue;
      const a = m.start - start;
      const b = Math.min(m.end, end) - start;
      body = body.slice(0, a) + ' '.repeat(b - a) + body.slice(b);
    }
    statements.push(semicolon === undefined ? { start, end, text: body } : { start, end, text: body, semicolon });
    stmtStart = -1;
    lastSignificantEnd = -1;
    parenDepth = 0;
    beginDepth = 0;
    leadingWords.length = 0;
    pendingMeta = [];
    if (semicolon !== undefined && isCopyFromStdin(body)) {
      // One data block for this COPY, then one for each further COPY … FROM stdin on its line.
      const more = restOfCopyLine(semicolon + 1);
      i = skipCopyData(semicolon + 1);
      for (let k = 0; k < more; k++) i = skipCopyData(i);
    }
  };

  // psql reads `COPY … FROM stdin` data from the next line on; what follows the `;` on the COPY's own
  // line stays in its query buffer and runs after the data. It is split on its own, so that it is
  // linted (or reported as a parse-error), not lost with the data.
  // Returns how many more COPY … FROM stdin that rest holds: psql reads their data after this one's,
  // from the lines below, where the split of the rest alone cannot see it.
  const restOfCopyLine = (from: number): number => {
    const eol = text.indexOf('\n', from);
    const to = eol < 0 ? n : eol;
    if (!/\S/.test(text.slice(from, to))) return 0;
    const rest = splitStatements(text.slice(from, to));
    const shift = <T extends Span>(span: T): T => ({ ...span, start: span.start + from, end: span.end + from });
    for (const st of rest.statements) statements.push(st.semicolon === undefined ? shift(st) : { ...shift(st), semicolon: st.semicolon + from });
    metaCommands.push(...rest.metaCommands.map(shift));
    comments.push(...rest.comments.map(shift));
    emptyStatements += rest.emptyStatements;
    return rest.copyData.length;
  };

  // After `COPY … FROM stdin;` psql reads data lines up to a line `\.`.
  const skipCopyData = (from: number): number => {
    let lineStart = text.indexOf('\n', from);
    if (lineStart < 0) {
      // Nothing after the statement's line: psql would wait for data (and `\.`) that never comes.
      copyData.push({ start: n, end: n, terminated: false });
      return n;
    }
    lineStart++;
    const dataStart = lineStart;
    while (lineStart < n) {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd < 0) lineEnd = n;
      const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
      if (line === '\\.') {
        copyData.push({ start: dataStart, end: lineEnd, terminated: true });
        return lineEnd;
      }
      lineStart = lineEnd + 1;
    }
    copyData.push({ start: dataStart, end: n, terminated: false });
    return n;
  };

  while (i < n) {
    const c = text.charCodeAt(i);

    if (isSpace(c)) {
      i++;
      continue;
    }

    // Line comment.
    if (c === Ch.Minus && text.charCodeAt(i + 1) === Ch.Minus) {
      let e = i + 2;
      while (e < n && text.charCodeAt(e) !== Ch.Newline && text.charCodeAt(e) !== Ch.Return) e++;
      comments.push({ start: i, end: e });
      i = e;
      continue;
    }

    // Block comment, nested as in PostgreSQL.
    if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Star) {
      let depth = 1;
      let e = i + 2;
      while (e < n && depth > 0) {
        const d = text.charCodeAt(e);
        if (d === Ch.Slash && text.charCodeAt(e + 1) === Ch.Star) {
          depth++;
          e += 2;
        } else if (d === Ch.Star && text.charCodeAt(e + 1) === Ch.Slash) {
          depth--;
          e += 2;
        } else e++;
      }
      comments.push({ start: i, end: e });
      if (depth > 0) {
        // Unterminated: PostgreSQL rejects the statement ("unterminated /* comment"), so the comment
        // is part of one, which the parser reports, rather than a silent end of the text.
        startSignificant(i);
        lastSignificantEnd = e;
      }
      i = e;
      continue;
    }

    // psql meta-command: a backslash outside quotes runs to the end of the line.
    if (c === Ch.Backslash) {
      let e = i + 1;
      while (e < n && text.charCodeAt(e) !== Ch.Newline && text.charCodeAt(e) !== Ch.Return) e++;
      const meta = { start: i, end: e };
      metaCommands.push(meta);
      i = e;
      if (stmtStart >= 0) {
        if (SENDING_META.test(text.slice(meta.start, meta.end))) finish(undefined);
        else pendingMeta.push(meta);
      }
      continue;
    }

    if (c === Ch.Semicolon && parenDepth === 0 && beginDepth === 0) {
      i++;
      finish(i - 1);
      continue;
    }

    startSignificant(i);

    if (c === Ch.Quote) {
      // E'…' (backslash escapes) when the quote follows a lone E/e; otherwise '' is the only escape.
      const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
      const prev2 = i > 1 ? text.charCodeAt(i - 2) : 0;
      const escapes = (prev === 69 || prev === 101) && !isIdentPart(prev2);
      i = skipQuoted(text, i + 1, Ch.Quote, escapes);
      lastSignificantEnd = i;
      continue;
    }

    if (c === Ch.DoubleQuote) {
      i = skipQuoted(text, i + 1, Ch.DoubleQuote, false);
      lastSignificantEnd = i;
      continue;
    }

    if (c === Ch.Dollar) {
      const tagEnd = dollarTagEnd(text, i);
      if (tagEnd > 0) {
        const tag = text.slice(i, tagEnd);
        const close = text.indexOf(tag, tagEnd);
        i = close < 0 ? n : close + tag.length;
        lastSignificantEnd = i;
        continue;
      }
      i++;
      while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
      lastSignificantEnd = i;
      continue;
    }

    if (isIdentStart(c)) {
      let e = i + 1;
      while (e < n && isIdentPart(text.charCodeAt(e))) e++;
      const word = text.slice(i, e).toLowerCase();
      trackWord(word);
      i = e;
      lastSignificantEnd = i;
      continue;
    }

    if (c === Ch.OpenParen) parenDepth++;
    else if (c === Ch.CloseParen && parenDepth > 0) parenDepth--;
    i++;
    lastSignificantEnd = i;
  }
  finish(undefined);

  return { statements, metaCommands, copyData, comments, emptyStatements };

  // psql's rule (psqlscan.l): inside CREATE [OR REPLACE] FUNCTION|PROCEDURE, BEGIN and CASE open
  // a block that END closes, so `;` inside a BEGIN ATOMIC body does not end the statement.
  function trackWord(word: string) {
    if (leadingWords.length < 4) leadingWords.push(word);
    if (word === 'begin' || word === 'case') {
      if (isRoutineDefinition(leadingWords)) beginDepth++;
    } else if (word === 'end' && beginDepth > 0) beginDepth--;
  }
}

function isRoutineDefinition(words: readonly string[]): boolean {
  if (words[0] !== 'create') return false;
  const kind = words[1] === 'or' && words[2] === 'replace' ? words[3] : words[1];
  return kind === 'function' || kind === 'procedure';
}

/** Offset just past the closing quote of a quoted text whose body starts at `from` (the end of the text when unterminated). */
export function skipQuoted(text: string, from: number, quote: number, backslashEscapes: boolean): number {
  const n = text.length;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (backslashEscapes && c === Ch.Backslash) {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (text.charCodeAt(i + 1) === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return n;
}

/** End offset of a dollar-quote opening tag (`$$`, `$body$`) at `at`, or -1 if there is none. */
export function dollarTagEnd(text: string, at: number): number {
  const n = text.length;
  let i = at + 1;
  if (i < n && text.charCodeAt(i) === Ch.Dollar) return i + 1;
  if (i >= n || !isIdentStart(text.charCodeAt(i))) return -1;
  // A dollar quote cannot follow an identifier character (`a$b$` is an identifier).
  if (at > 0 && isIdentPart(text.charCodeAt(at - 1))) return -1;
  i++;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === Ch.Dollar) return i + 1;
    if (!isIdentStart(c) && !(c >= 48 && c <= 57)) return -1;
    i++;
  }
  return -1;
}

function isCopyFromStdin(statement: string): boolean {
  return /^copy\b[\s\S]*\bfrom\s+stdin\b/i.test(statement);
}
