/**
 * Placeholders that query libraries replace before PostgreSQL sees the text, found in the text of
 * a call's SQL literal. Each is a value (then a bind parameter `$n` for the analysis) or something
 * that is not a value (an identifier, raw SQL text, a list), which makes the statement unknown.
 */
export type Placeholder =
  | {
      readonly kind: 'value';
      /** `[start, end)` in the cooked text. */
      readonly start: number;
      readonly end: number;
      /** The same key is the same parameter: `$1`, `name` (pg-promise, knex named), or unique per `?`. */
      readonly key: string;
      /** For `$n` written with a filter (`$1:json`): its own number, kept. */
      readonly number?: number;
    }
  | {
      readonly kind: 'not-a-value';
      readonly start: number;
      readonly end: number;
      /** What it stands for, completing "… stands for …". */
      readonly what: string;
    };

export interface PlaceholderScan {
  readonly style: 'pg' | 'knex';
  /** knex: `positional` with an array of bindings (`?`, `??`), `named` with an object (`:name`, `:name:`), `none` without bindings. */
  readonly knexBindings?: 'positional' | 'named' | 'none';
  /** knex `named`: the keys of the bindings object, when it is a literal; only they are replaced (as knex does). */
  readonly knexKeys?: ReadonlySet<string>;
  /** pg-promise's `${name}`, which only a string (not a template) can hold. */
  readonly curly: boolean;
  /** Numbering for positional `?`, shared by the pieces of one site. */
  readonly counter: { value: number };
}

/** pg-promise's filters (modifiers): what the value becomes. */
const PGP_FILTER = /^(?:\^|~|#|:raw|:alias|:name|:json|:csv|:list|:value)/;

function filterOutcome(filter: string): string | undefined {
  switch (filter) {
    case '^':
    case ':raw':
      return 'raw SQL text (pg-promise `:raw`)';
    case '~':
    case ':name':
    case ':alias':
      return 'an identifier (pg-promise `:name`)';
    case ':csv':
    case ':list':
      return 'a list of values (pg-promise `:csv`)';
    default:
      // `:json`, `:value`, `#` and no filter: a value.
      return undefined;
  }
}

const CLOSING: Readonly<Record<string, string>> = { '{': '}', '(': ')', '<': '>', '[': ']', '/': '/' };

/** The placeholders of one literal's cooked text, in order. */
export function scanPlaceholders(text: string, scan: PlaceholderScan): Placeholder[] {
  const found: Placeholder[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (scan.style === 'pg') {
      // Only `$` starts a placeholder here: jump from one to the next.
      i = text.indexOf('$', i);
      if (i < 0) break;
    }
    const c = text[i];
    if (c === '$') {
      const next = text[i + 1] ?? '';
      // $1, $2 … with an optional pg-promise filter.
      if (next >= '1' && next <= '9') {
        let j = i + 2;
        while (j < n && (text[j] as string) >= '0' && (text[j] as string) <= '9') j++;
        const filter = PGP_FILTER.exec(text.slice(j, j + 7))?.[0];
        if (filter !== undefined && text[j + filter.length] !== ':') {
          const end = j + filter.length;
          const what = filterOutcome(filter);
          found.push(what ? { kind: 'not-a-value', start: i, end, what } : { kind: 'value', start: i, end, key: text.slice(i, j), number: Number(text.slice(i + 1, j)) });
          i = end;
          continue;
        }
        i = j;
        continue;
      }
      // pg-promise named parameters: ${name}, $(name), $<name>, $[name], $/name/.
      const close = CLOSING[next];
      if (close !== undefined && (next !== '{' || scan.curly)) {
        const m = /^\s*([a-zA-Z0-9$_.]+)(\^|~|#|:raw|:alias|:name|:json|:csv|:list|:value)?\s*/.exec(text.slice(i + 2, i + 2 + 200));
        if (m && text[i + 2 + m[0].length] === close) {
          const end = i + 2 + m[0].length + 1;
          const what = m[2] ? filterOutcome(m[2]) : undefined;
          found.push(what ? { kind: 'not-a-value', start: i, end, what } : { kind: 'value', start: i, end, key: `name:${m[1] as string}` });
          i = end;
          continue;
        }
      }
      i++;
      continue;
    }
    if (scan.style === 'knex' && c === '\\' && (text[i + 1] === '?' || text[i + 1] === ':')) {
      // knex's escape: `\?` and `\:` are the characters themselves (see {@link knexEscapes}).
      i += 2;
      continue;
    }
    if (scan.style === 'knex' && scan.knexBindings === 'positional' && c === '?') {
      if (text[i + 1] === '?') {
        found.push({ kind: 'not-a-value', start: i, end: i + 2, what: 'an identifier (knex `??`)' });
        scan.counter.value++;
        i += 2;
      } else {
        found.push({ kind: 'value', start: i, end: i + 1, key: `?${scan.counter.value++}` });
        i++;
      }
      continue;
    }
    if (scan.style === 'knex' && scan.knexBindings === 'named' && c === ':' && text[i + 1] !== ':' && text[i - 1] !== ':') {
      const m = /^[A-Za-z0-9_]+/.exec(text.slice(i + 1, i + 1 + 200));
      if (m && (!scan.knexKeys || scan.knexKeys.has(m[0]))) {
        const after = i + 1 + m[0].length;
        // `:name:` is an identifier, unless its colon starts a `::` cast.
        if (text[after] === ':' && text[after + 1] !== ':') {
          found.push({ kind: 'not-a-value', start: i, end: after + 1, what: 'an identifier (knex `:name:`)' });
          i = after + 1;
        } else {
          found.push({ kind: 'value', start: i, end: after, key: `name:${m[0]}` });
          i = after;
        }
        continue;
      }
    }
    i++;
  }
  return found;
}

/** Offsets of the backslashes of knex's `\?` and `\:` escapes (dropped from the SQL text). */
export function knexEscapes(text: string): number[] {
  const at: number[] = [];
  for (let i = text.indexOf('\\'); i >= 0; i = text.indexOf('\\', i + 2)) {
    if (text[i + 1] === '?' || text[i + 1] === ':') at.push(i);
  }
  return at;
}
