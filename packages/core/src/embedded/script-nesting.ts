/**
 * How deeply a script may nest before it is refused unparsed. JavaScript parsers descend recursively:
 * oxc-parser overflows its native stack (the process dies) at a few thousand nested blocks in a
 * worker thread, typescript-estree throws a RangeError. Real code nests a few dozen levels.
 */
export const MAX_SCRIPT_NESTING = 1000;
/** Operators chained at one level (`a + b + …`, `c ? x : c ? y : …`, `() => () => …`). */
export const MAX_SCRIPT_OPERATOR_CHAIN = 3000;

/** Why a script is too deeply nested to parse safely, with where it first gets too deep. */
export interface ScriptNestingProblem {
  readonly message: string;
  readonly offset: number;
}

const OPEN = new Set(['(', '[', '{']);
/** 1 for the ASCII characters of names and numbers (`A-Z a-z 0-9 _ $`). */
const WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) WORD[c] = isWordChar(String.fromCharCode(c)) ? 1 : 0;
const CLOSE = new Set([')', ']', '}']);
/** Characters of operators whose chains the parsers nest (`<` and `>` are left out: JSX text is full of them). */
const OPERATOR = new Set(['+', '-', '*', '/', '%', '&', '|', '^', '!', '~', '?', '=']);
/** After these, a `/` starts a regular expression rather than a division. */
const BEFORE_REGEX = new Set(['(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '~', '^', '<', '>', '']);

/**
 * A linear scan (no parse) that bounds how deeply a script nests: brackets and `${`, and operators
 * chained at one bracket level. Strings, comments, template text and regular expressions are
 * skipped approximately; the estimate errs high, never by a whole level per line. Undefined when
 * the script is within {@link MAX_SCRIPT_NESTING} and {@link MAX_SCRIPT_OPERATOR_CHAIN}.
 */
export function scriptNestingProblem(text: string): ScriptNestingProblem | undefined {
  /** Per open bracket: the operator chain of the level it encloses; `templates` marks `${` levels. */
  const chains: number[] = [0];
  const templates: boolean[] = [false];
  let previous = '';
  let i = 0;
  const n = text.length;
  const deep = (offset: number): ScriptNestingProblem => ({
    message: `nested more than ${MAX_SCRIPT_NESTING} levels deep, which limitless-lint does not parse`,
    offset,
  });
  while (i < n) {
    const code = text.charCodeAt(i);
    // Names, numbers and blanks are most of a script: skipped in a tight loop.
    if (code > 127 || WORD[code] === 1) {
      do i++;
      while (i < n && (text.charCodeAt(i) > 127 || WORD[text.charCodeAt(i)] === 1));
      previous = 'a';
      continue;
    }
    if (code === 32 || code === 9 || code === 13) {
      i++;
      continue;
    }
    const c = text[i] as string;
    if (c === '"' || c === "'") {
      i = skipQuoted(text, i + 1, c);
      previous = 'a';
      continue;
    }
    if (c === '`') {
      const next = skipTemplateText(text, i + 1);
      if (next.interpolation) {
        chains.push(0);
        templates.push(true);
        if (chains.length > MAX_SCRIPT_NESTING) return deep(next.end - 2);
        previous = '{';
      } else previous = 'a';
      i = next.end;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? n : eol;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === '/' && BEFORE_REGEX.has(previous)) {
      i = skipRegex(text, i + 1);
      previous = 'a';
      continue;
    }
    if (c === '\n') {
      // A line break ends a statement unless an operator continues it on either side.
      if (!OPERATOR.has(previous) && !OPERATOR.has(nextSignificant(text, i + 1))) chains[chains.length - 1] = 0;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (OPEN.has(c)) {
      chains.push(0);
      templates.push(false);
      if (chains.length > MAX_SCRIPT_NESTING) return deep(i);
    } else if (CLOSE.has(c)) {
      if (c === '}' && templates[templates.length - 1] === true) {
        // The `}` of a `${…}`: the template's text goes on.
        chains.pop();
        templates.pop();
        const next = skipTemplateText(text, i + 1);
        if (next.interpolation) {
          chains.push(0);
          templates.push(true);
          previous = '{';
        } else previous = 'a';
        i = next.end;
        continue;
      }
      if (chains.length > 1) {
        chains.pop();
        templates.pop();
      }
    } else if (c === ',' || c === ';') {
      chains[chains.length - 1] = 0;
    } else if (OPERATOR.has(c) || (c === '<' && previous === 'a')) {
      // (`<` right after a name: a type argument, `Array<Array<…>>`, which nests too; JSX's `<` follows no name.)
      const chain = (chains[chains.length - 1] as number) + 1;
      chains[chains.length - 1] = chain;
      if (chain > MAX_SCRIPT_OPERATOR_CHAIN) {
        return { message: `more than ${MAX_SCRIPT_OPERATOR_CHAIN} operators chained in one expression, which limitless-lint does not parse`, offset: i };
      }
    }
    previous = isWordChar(c) ? 'a' : c;
    i++;
  }
  return undefined;
}

/** The offset after a string's closing quote (or its line end, where an unterminated string stops). */
function skipQuoted(text: string, from: number, quote: string): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === quote) return i + 1;
    else if (c === '\n') return i;
    else i++;
  }
  return i;
}

/** Skips template text up to its closing backtick or its next `${`. */
function skipTemplateText(text: string, from: number): { end: number; interpolation: boolean } {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '`') return { end: i + 1, interpolation: false };
    else if (c === '$' && text[i + 1] === '{') return { end: i + 2, interpolation: true };
    else i++;
  }
  return { end: i, interpolation: false };
}

/** Skips a regular expression literal's body and flags (stopping at a line end). */
function skipRegex(text: string, from: number): number {
  let i = from;
  let inClass = false;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '\n') return i;
    else if (c === '[' || c === ']') {
      inClass = c === '[';
      i++;
    } else if (c === '/' && !inClass) {
      i++;
      while (i < text.length && isWordChar(text[i] as string)) i++;
      return i;
    } else i++;
  }
  return i;
}

function nextSignificant(text: string, from: number): string {
  for (let i = from; i < text.length; i++) {
    const c = text[i] as string;
    if (c !== ' ' && c !== '\t' && c !== '\r' && c !== '\n') return c;
  }
  return '';
}

function isWordChar(c: string): boolean {
  const code = c.charCodeAt(0);
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || c === '_' || c === '$' || code > 127;
}
