/** Which JavaScript literal a piece of raw source text comes from: its escapes differ. */
export type LiteralKind = 'template' | 'single' | 'double';

/**
 * The value of a literal's raw source text, with where each of its UTF-16 code units came from:
 * code unit `i` of `text` was produced by the raw text `[starts[i], ends[i])`. A line continuation
 * produces no code unit; an escape such as `\u{1F600}` produces two with the same raw range.
 */
export interface CookedText {
  readonly text: string;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  /** True when `text` equals the raw text (no escapes, no CR): offsets are then the identity. */
  readonly identity: boolean;
}

/**
 * Cooks the raw text between a literal's delimiters the way JavaScript does (ECMA-262 §12.9.4 and
 * §12.9.6): escape sequences, line continuations, and in templates CR and CRLF read as LF.
 *
 * @returns undefined when the text holds an escape that is invalid in this kind of literal (a
 *   tagged template may contain one; its cooked value is then `undefined`).
 */
export function cookLiteral(raw: string, kind: LiteralKind): CookedText | undefined {
  if (!raw.includes('\\') && !raw.includes('\r')) {
    return { text: raw, starts: [], ends: [], identity: true };
  }
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  const emit = (value: string, start: number, end: number) => {
    for (let k = 0; k < value.length; k++) {
      starts.push(start);
      ends.push(end);
    }
    text += value;
  };
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i] as string;
    if (ch === '\r') {
      // TV and TRV of templates read CR and CRLF as LF; a string literal cannot contain a bare CR.
      const end = raw[i + 1] === '\n' ? i + 2 : i + 1;
      emit('\n', i, end);
      i = end;
      continue;
    }
    if (ch !== '\\') {
      emit(ch, i, i + 1);
      i++;
      continue;
    }
    const escape = readEscape(raw, i, kind);
    if (!escape) return undefined;
    if (escape.value !== '') emit(escape.value, i, escape.end);
    i = escape.end;
  }
  return { text, starts, ends, identity: false };
}

interface Escape {
  readonly value: string;
  readonly end: number;
}

const SINGLE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v' };

/** The escape sequence starting with the backslash at `at`. */
function readEscape(raw: string, at: number, kind: LiteralKind): Escape | undefined {
  const next = raw[at + 1];
  if (next === undefined) return undefined;
  const single = SINGLE_ESCAPES[next];
  if (single !== undefined) return { value: single, end: at + 2 };
  // Line continuations: the backslash and the line terminator produce nothing.
  if (next === '\r') return { value: '', end: raw[at + 2] === '\n' ? at + 3 : at + 2 };
  if (next === '\n' || next === '\u2028' || next === '\u2029') return { value: '', end: at + 2 };
  if (next === 'x') {
    const hex = raw.slice(at + 2, at + 4);
    return /^[0-9a-fA-F]{2}$/.test(hex) ? { value: String.fromCharCode(parseInt(hex, 16)), end: at + 4 } : undefined;
  }
  if (next === 'u') return readUnicodeEscape(raw, at);
  if (next >= '0' && next <= '9') return readDigitEscape(raw, at, kind);
  // Any other character stands for itself (`\``, `\$`, `\\`, `\'`, `\"`, `\{` …), a whole code point.
  const codePoint = raw.codePointAt(at + 1) as number;
  const value = String.fromCodePoint(codePoint);
  return { value, end: at + 1 + value.length };
}

function readUnicodeEscape(raw: string, at: number): Escape | undefined {
  if (raw[at + 2] === '{') {
    const close = raw.indexOf('}', at + 3);
    const hex = close < 0 ? '' : raw.slice(at + 3, close);
    if (!/^[0-9a-fA-F]+$/.test(hex)) return undefined;
    const codePoint = parseInt(hex, 16);
    if (codePoint > 0x10ffff) return undefined;
    return { value: String.fromCodePoint(codePoint), end: close + 1 };
  }
  const hex = raw.slice(at + 2, at + 6);
  return /^[0-9a-fA-F]{4}$/.test(hex) ? { value: String.fromCharCode(parseInt(hex, 16)), end: at + 6 } : undefined;
}

/** `\0`, and in string literals the legacy octal escapes and `\8`, `\9` (sloppy-mode scripts only). */
function readDigitEscape(raw: string, at: number, kind: LiteralKind): Escape | undefined {
  const next = raw[at + 1] as string;
  const following = raw[at + 2];
  const followedByDigit = following !== undefined && following >= '0' && following <= '9';
  if (next === '0' && !followedByDigit) return { value: '\0', end: at + 2 };
  if (kind === 'template') return undefined;
  if (next === '8' || next === '9') return { value: next, end: at + 2 };
  // LegacyOctalEscapeSequence: up to three octal digits with a value of at most 0o377.
  let end = at + 1;
  const maxDigits = next <= '3' ? 3 : 2;
  while (end < at + 1 + maxDigits && /[0-7]/.test(raw[end] ?? '')) end++;
  return { value: String.fromCharCode(parseInt(raw.slice(at + 1, end), 8)), end };
}

/**
 * Escapes text for insertion into a literal of this kind, so that the literal's value gains
 * exactly `text` (the inverse of {@link cookLiteral}, for suggestions).
 */
export function escapeForLiteral(text: string, kind: LiteralKind): string {
  if (kind === 'template') return text.replace(/\\|`|\$\{|\r/g, (m) => (m === '\r' ? '\\r' : m === '${' ? '\\${' : `\\${m}`));
  const quote = kind === 'single' ? "'" : '"';
  return text.replace(/[\\'"\n\r\u2028\u2029]/g, (m) => {
    switch (m) {
      case '\\':
        return '\\\\';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\u2028':
        return '\\u2028';
      case '\u2029':
        return '\\u2029';
      default:
        return m === quote ? `\\${m}` : m;
    }
  });
}
