import { isIdentPart, isIdentStart } from './chars.js';
import { dollarTagEnd, skipQuoted } from './split.js';

/**
 * Placeholders that tools put in SQL text before PostgreSQL sees it — sqlc's `@name` and
 * `sqlc.arg(name)`, psql's `:name` and `:'name'`, templates' `${name}` — rewritten to what
 * PostgreSQL's grammar reads: a bind parameter `$n`, a quoted identifier or `t.*`. Every
 * rewrite is padded with spaces to the length of what it replaces, so every offset into the
 * rewritten text is the same offset into the original: findings, routes and suppressions need no
 * source map.
 */

/** One bind parameter of a rewritten statement. */
export interface PlaceholderParameter {
  /** `n` of `$n`. */
  readonly number: number;
  /** The name the tool gave it (`tenant_id`). */
  readonly name: string;
  /** How its first occurrence is written (`@tenant_id`, `sqlc.arg(tenant_id)`, `:'name'`), for messages. */
  readonly written: string;
  /** Where it occurs in the text. */
  readonly spans: readonly { readonly start: number; readonly end: number }[];
  /** sqlc.slice: a list of values (`IN (sqlc.slice(ids))`), not one value. */
  readonly list?: boolean;
  /** sqlc.narg: may be NULL. */
  readonly nullable?: boolean;
}

export interface Rewritten {
  /** The text with every placeholder rewritten, as long as the original. */
  readonly text: string;
  readonly parameters: readonly PlaceholderParameter[];
  /** Placeholders that stand for an identifier (psql's `:"name"`), rewritten to a quoted identifier. */
  readonly identifiers: readonly { readonly written: string; readonly start: number; readonly end: number }[];
  /** Placeholders that could not be rewritten in place (more short names than one-digit numbers). */
  readonly unfitted: number;
}

/** A placeholder found by a dialect's matcher at some offset. */
interface Found {
  readonly end: number;
  readonly kind: 'parameter' | 'identifier' | 'embed';
  readonly name: string;
  readonly list?: boolean;
  readonly nullable?: boolean;
}

type Matcher = (text: string, at: number) => Found | undefined;

const SQLC_CALL = /^sqlc\s*\.\s*(arg|narg|slice|embed)\s*\(\s*(?:'([^']*)'|"([^"]*)"|([A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*))\s*\)/i;
const OPERATOR_CHARS = new Set([...'+-*/<>=~!@#%^&|`?'].map((c) => c.charCodeAt(0)));

/** sqlc's placeholders: `@name`, `sqlc.arg(name)`, `sqlc.narg(name)`, `sqlc.slice(name)`, `sqlc.embed(t)`. */
const sqlcMatcher: Matcher = (text, at) => {
  const c = text.charCodeAt(at);
  if (c === 64 /* @ */) {
    if (at > 0 && OPERATOR_CHARS.has(text.charCodeAt(at - 1))) return undefined;
    if (!isIdentStart(text.charCodeAt(at + 1))) return undefined;
    let e = at + 2;
    while (e < text.length && isIdentPart(text.charCodeAt(e)) && text.charCodeAt(e) !== 36) e++;
    return { end: e, kind: 'parameter', name: text.slice(at + 1, e) };
  }
  if ((c === 115 || c === 83) && (at === 0 || !isIdentPart(text.charCodeAt(at - 1)))) {
    const m = SQLC_CALL.exec(text.slice(at, at + 200));
    if (!m) return undefined;
    const fn = (m[1] as string).toLowerCase();
    const name = m[2] ?? m[3] ?? m[4] ?? '';
    if (fn === 'embed') return { end: at + m[0].length, kind: 'embed', name };
    return { end: at + m[0].length, kind: 'parameter', name, ...(fn === 'slice' && { list: true }), ...(fn === 'narg' && { nullable: true }) };
  }
  return undefined;
};

const TEMPLATE = /^(?:\$\{\s*([A-Za-z_][\w.]*)\s*\}|\{\{\s*([A-Za-z_][\w.]*)\s*\}\})/;

/**
 * psql's variables (`:name`, `:'name'`, `:"name"`) and template placeholders (`${name}`,
 * `{{name}}`) of migration tools.
 */
const psqlMatcher: Matcher = (text, at) => {
  const c = text.charCodeAt(at);
  if (c === 58 /* : */) {
    const prev = at > 0 ? text.charCodeAt(at - 1) : 0;
    const next = text.charCodeAt(at + 1);
    if (prev === 58 || next === 58 || next === 61 /* := */) return undefined;
    if (next === 39 || next === 34) {
      const close = text.indexOf(String.fromCharCode(next), at + 2);
      if (close < 0) return undefined;
      const name = text.slice(at + 2, close);
      if (!/^[A-Za-z_][\w]*$/.test(name)) return undefined;
      return { end: close + 1, kind: next === 34 ? 'identifier' : 'parameter', name };
    }
    if (!isIdentStart(next)) return undefined;
    let e = at + 2;
    while (e < text.length && isIdentPart(text.charCodeAt(e)) && text.charCodeAt(e) !== 36) e++;
    return { end: e, kind: 'parameter', name: text.slice(at + 1, e) };
  }
  if (c === 36 /* $ */ || c === 123 /* { */) {
    const m = TEMPLATE.exec(text.slice(at, at + 200));
    if (!m) return undefined;
    return { end: at + m[0].length, kind: 'parameter', name: (m[1] ?? m[2]) as string };
  }
  return undefined;
};

export type PlaceholderDialect = 'sqlc' | 'psql';

/**
 * A matcher that also knows these template placeholders: each pattern, tried where a placeholder may
 * start, matches one whole placeholder, and its first capture group (or the whole match) names it.
 */
function withTemplates(base: Matcher, templates: readonly RegExp[]): Matcher {
  const sticky = templates.map((t) => new RegExp(t.source, `${t.flags.replace(/[gy]/g, '')}y`));
  return (text, at) => {
    for (const re of sticky) {
      re.lastIndex = at;
      const m = re.exec(text);
      if (m && m[0].length > 0) return { end: at + m[0].length, kind: 'parameter', name: m[1] ?? m[0] };
    }
    return base(text, at);
  };
}

const MATCHERS: Record<PlaceholderDialect, Matcher> = { sqlc: sqlcMatcher, psql: psqlMatcher };

/** Quick test: can the text hold a placeholder of the dialect at all? */
export function mayHavePlaceholders(text: string, dialect: PlaceholderDialect): boolean {
  return dialect === 'sqlc' ? text.includes('@') || /sqlc\s*\./i.test(text) : text.includes(':') || text.includes('${') || text.includes('{{');
}

/**
 * Rewrites the placeholders of `text` (one statement) outside quotes, dollar quotes and comments.
 * Parameters are numbered by first occurrence, the same name the same number (as sqlc and psql
 * do); when a name's occurrence is too short for its number (`@a` as `$10`), the shortest names
 * take the smallest numbers, and one that still does not fit is left as written and counted in
 * `unfitted`.
 */
export function rewritePlaceholders(text: string, dialect: PlaceholderDialect, templates: readonly RegExp[] = []): Rewritten {
  const match = templates.length === 0 ? MATCHERS[dialect] : withTemplates(MATCHERS[dialect], templates);
  const found: (Found & { start: number })[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 39 /* ' */ || c === 34 /* " */) {
      i = skipQuotedAt(text, i, c);
      continue;
    }
    if (c === 45 && text.charCodeAt(i + 1) === 45) {
      const e = text.indexOf('\n', i);
      i = e < 0 ? n : e;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
      continue;
    }
    const hit = match(text, i);
    if (hit) {
      found.push({ ...hit, start: i });
      i = hit.end;
      continue;
    }
    if (c === 36 /* $ */) {
      const tagEnd = dollarTagEnd(text, i);
      if (tagEnd > 0) {
        const close = text.indexOf(text.slice(i, tagEnd), tagEnd);
        i = close < 0 ? n : close + tagEnd - i;
        continue;
      }
    }
    if (isIdentPart(c)) {
      // A whole word at once: `x@y` is not `@y`'s business, and words are most of the text.
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      continue;
    }
    i++;
  }
  if (found.length === 0) return { text, parameters: [], identifiers: [], unfitted: 0 };
  return assemble(text, found);
}

function assemble(text: string, found: readonly (Found & { start: number })[]): Rewritten {
  // Numbers by first occurrence; a name whose shortest occurrence cannot hold its number takes a
  // free one-digit number instead.
  const byName = new Map<string, { shortest: number; first: Found & { start: number }; spans: { start: number; end: number }[]; list: boolean; nullable: boolean }>();
  for (const f of found) {
    if (f.kind !== 'parameter') continue;
    const key = f.name.toLowerCase();
    const entry = byName.get(key);
    const len = f.end - f.start;
    if (entry) {
      entry.shortest = Math.min(entry.shortest, len);
      entry.spans.push({ start: f.start, end: f.end });
      entry.list ||= f.list === true;
      entry.nullable ||= f.nullable === true;
    } else byName.set(key, { shortest: len, first: f, spans: [{ start: f.start, end: f.end }], list: f.list === true, nullable: f.nullable === true });
  }
  // Numbered by first occurrence, as sqlc does, unless a short name (`@a`) cannot hold its number
  // (`$10`): then the shortest names take the smallest numbers.
  const entries = [...byName];
  const fits = (order: typeof entries) => order.every(([, e], k) => `$${k + 1}`.length <= e.shortest);
  const order = fits(entries) ? entries : entries.map((e, k) => [e, k] as const).sort((a, b) => a[0][1].shortest - b[0][1].shortest || a[1] - b[1]).map(([e]) => e);
  const numbers = new Map<string, number>();
  let unfitted = 0;
  order.forEach(([key, entry], k) => {
    if (`$${k + 1}`.length <= entry.shortest) numbers.set(key, k + 1);
    else unfitted += entry.spans.length;
  });
  let out = '';
  let from = 0;
  const identifiers: { written: string; start: number; end: number }[] = [];
  for (const f of found) {
    const len = f.end - f.start;
    let replacement: string | undefined;
    if (f.kind === 'embed') replacement = f.name.length + 2 <= len ? `${f.name}.*` : undefined;
    else if (f.kind === 'identifier') {
      // `:"name"` → `":name"`: a quoted identifier of the same length that no manifest table has.
      replacement = `":${f.name}"`;
      identifiers.push({ written: text.slice(f.start, f.end), start: f.start, end: f.end });
    } else {
      const number = numbers.get(f.name.toLowerCase());
      replacement = number === undefined ? undefined : `$${number}`;
    }
    if (replacement === undefined || replacement.length > len) continue;
    out += text.slice(from, f.start) + replacement + ' '.repeat(len - replacement.length);
    from = f.end;
  }
  out += text.slice(from);
  const parameters: PlaceholderParameter[] = [];
  for (const [key, entry] of byName) {
    const number = numbers.get(key);
    if (number === undefined) continue;
    parameters.push({
      number,
      name: entry.first.name,
      written: text.slice(entry.first.start, entry.first.end),
      spans: entry.spans,
      ...(entry.list && { list: true }),
      ...(entry.nullable && { nullable: true }),
    });
  }
  parameters.sort((a, b) => a.number - b.number);
  return { text: out, parameters, identifiers, unfitted };
}

/** Offset just past the quoted text starting at `at` (`'…'`, `E'…'`, `"…"`), as the splitter reads it. */
function skipQuotedAt(text: string, at: number, quote: number): number {
  const prev = at > 0 ? text.charCodeAt(at - 1) : 0;
  const escapes = quote === 39 && (prev === 69 || prev === 101) && !(at > 1 && isIdentPart(text.charCodeAt(at - 2)));
  return skipQuoted(text, at + 1, quote, escapes);
}

/**
 * `text` (a route reason or a finding's message about a rewritten statement) with each bind
 * parameter `$n` named as the placeholder it stands for (`@tenant_id`).
 */
export function nameParameters(text: string, parameters: readonly PlaceholderParameter[]): string {
  if (parameters.length === 0 || !text.includes('$')) return text;
  return text.replace(/\$(\d+)(?!\d)/g, (whole, digits: string) => parameters.find((p) => p.number === Number(digits))?.written ?? whole);
}
