import type { Manifest } from '../manifest/types.js';
import type { EmbeddedSqlOptions } from './types.js';

/** Where SQL is looked for without a manifest: the manifest schema's own defaults for `embedded_sql`. */
export const DEFAULT_TAGS: readonly string[] = ['sql', 'SQL'];
export const DEFAULT_CALLS: readonly string[] = ['*.query'];

/**
 * Where SQL is looked for in a script: `override` (the ESLint plugin's settings) first, then the
 * manifest's `embedded_sql`, then the defaults.
 */
export function embeddedOptions(
  manifest: Manifest | undefined,
  sourceText: string,
  override: { readonly tags?: readonly string[]; readonly calls?: readonly string[] } = {},
): EmbeddedSqlOptions {
  return {
    tags: override.tags ?? manifest?.embeddedSql.tags ?? DEFAULT_TAGS,
    calls: override.calls ?? manifest?.embeddedSql.calls ?? DEFAULT_CALLS,
    sourceText,
  };
}
