import type { Manifest, QualifiedName, TableInfo } from './types.js';

/**
 * PostgreSQL truncates identifiers to NAMEDATALEN - 1 = 63 bytes (scansup.c, `truncate_identifier`);
 * the parser hands us truncated names, so manifest names are truncated the same way.
 */
const MAX_IDENTIFIER_BYTES = 63;

/** One identifier, double-quoted (`""` escapes a quote) or unquoted (scan.l `ident_start`/`ident_cont`). */
const IDENTIFIER = /\s*("(?:[^"]|"")+"|[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*)\s*/y;

/**
 * Normalises one identifier token as PostgreSQL does: an unquoted identifier is folded to lower case
 * (ASCII letters only, as `downcase_identifier` does for multibyte encodings); a double-quoted one keeps
 * its case and has its quotes removed and `""` unescaped. Both are truncated to 63 bytes.
 */
export function normalizeIdentifier(raw: string): string {
  const quoted = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"');
  const name = quoted ? raw.slice(1, -1).replaceAll('""', '"') : raw.replace(/[A-Z]+/g, (s) => s.toLowerCase());
  return truncateIdentifier(name);
}

/**
 * Splits a dotted name such as `billing."Accounts"` into its normalised parts. Returns `undefined`
 * when the text is not a dot-separated list of identifiers.
 */
export function parseIdentifierChain(text: string): string[] | undefined {
  const parts: string[] = [];
  let at = 0;
  for (;;) {
    IDENTIFIER.lastIndex = at;
    const match = IDENTIFIER.exec(text);
    if (!match) return undefined;
    parts.push(normalizeIdentifier(match[1] as string));
    at = IDENTIFIER.lastIndex;
    if (at === text.length) return parts;
    if (text[at] !== '.') return undefined;
    at++;
  }
}

/**
 * Parses a table name as written in the manifest (`accounts`, `billing.accounts`,
 * `"Billing"."Accounts"`). An unqualified name belongs to the first schema of `searchPath`, which
 * must already be normalised. Returns `undefined` when the text is not a one- or two-part name.
 */
export function parseQualifiedName(text: string, searchPath: readonly string[]): QualifiedName | undefined {
  const parts = parseIdentifierChain(text);
  if (parts?.length === 1) return { schema: searchPath[0] ?? 'public', name: parts[0] as string };
  if (parts?.length === 2) return { schema: parts[0] as string, name: parts[1] as string };
  return undefined;
}

/** The key of a table in {@link Manifest.tables}: `schema.name`, from normalised parts. */
export function tableKey(schema: string, name: string): string {
  return `${schema}.${name}`;
}

/**
 * Finds a table by already-normalised name parts, as the SQL parser gives them. Without a schema,
 * each schema of the manifest's search path is tried in order, as PostgreSQL does.
 */
export function lookupTable(manifest: Manifest, schema: string | undefined, name: string): TableInfo | undefined {
  if (schema !== undefined) return manifest.tables.get(tableKey(schema, name));
  for (const candidate of manifest.searchPath) {
    const table = manifest.tables.get(tableKey(candidate, name));
    if (table) return table;
  }
  return undefined;
}

/** Cuts a name to at most {@link MAX_IDENTIFIER_BYTES} UTF-8 bytes without splitting a character. */
function truncateIdentifier(name: string): string {
  let bytes = 0;
  let end = 0;
  for (const char of name) {
    const code = char.codePointAt(0) as number;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes > MAX_IDENTIFIER_BYTES) return name.slice(0, end);
    end += char.length;
  }
  return name;
}
