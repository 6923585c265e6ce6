/** A key path into the manifest: mapping keys and list indices. */
export type KeyPath = readonly (string | number)[];

/** A manifest problem located by key path; `parseManifest` turns the path into a line and column. */
export interface Issue {
  /** Where the problem is. A path to a missing key points at the key of its deepest existing parent. */
  readonly path: KeyPath;
  /** Point at the last key of the path, or at its value. */
  readonly at: 'key' | 'value';
  readonly message: string;
  readonly suggestion?: string | undefined;
}

/** Renders a key path for people: `tables.transactions.shard_key`, `functions.distributed[0].name`. */
export function formatKeyPath(path: KeyPath): string {
  return path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`)).join('');
}
