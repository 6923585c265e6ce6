import * as pg from 'libpg-query';
import type { Node, ParseResult } from 'libpg-query';

export type { Node, ParseResult };

let loaded = false;
let loading: Promise<void> | undefined;

/**
 * Loads PostgreSQL's parser (libpg-query, WebAssembly). Asynchronous once per process; every
 * other function of this module is synchronous and needs it loaded first.
 */
export function loadParser(): Promise<void> {
  loading ??= pg.loadModule().then(() => {
    loaded = true;
  });
  return loading;
}

export function isParserLoaded(): boolean {
  return loaded;
}

function ensureLoaded(): void {
  if (!loaded) throw new Error('The SQL parser is not loaded: await loadParser() first.');
}

/** A syntax error as PostgreSQL reports it; `cursor` counts characters (code points) into the parsed text. */
export interface SyntaxError {
  readonly message: string;
  readonly cursor: number;
}

export type RawParse = { readonly ok: true; readonly result: ParseResult } | { readonly ok: false; readonly error: SyntaxError };

/** Parses SQL with PostgreSQL's grammar. Never throws for bad input: errors are returned. */
export function parseRaw(sql: string): RawParse {
  ensureLoaded();
  try {
    return { ok: true, result: pg.parseSync(sql) };
  } catch (e) {
    if (pg.hasSqlDetails(e)) {
      return { ok: false, error: { message: e.message, cursor: e.sqlDetails?.cursorPosition ?? 0 } };
    }
    // Not a syntax error: the parser itself gave up (stack depth, memory, a statement of tens of MB).
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, error: { message: `the parser could not process this statement (${Math.round(sql.length / 1024)} KB): ${why}`, cursor: 0 } };
  }
}

export interface Token {
  /** UTF-8 byte offsets into the scanned text. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly tokenName: string;
}

/** PostgreSQL's scanner: every token with its start and end. Returns [] when the text cannot be scanned. */
export function scanTokens(sql: string): readonly Token[] {
  ensureLoaded();
  try {
    return pg.scanSync(sql).tokens;
  } catch {
    return [];
  }
}

/** pg_query's fingerprint: equal for statements that differ only in constants and formatting. */
export function fingerprint(sql: string): string | undefined {
  ensureLoaded();
  try {
    return pg.fingerprintSync(sql);
  } catch {
    return undefined;
  }
}

/** Replaces constants with `$n` placeholders, as pg_stat_statements does. */
export function normalize(sql: string): string | undefined {
  ensureLoaded();
  try {
    return pg.normalizeSync(sql);
  } catch {
    return undefined;
  }
}
