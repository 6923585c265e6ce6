import { statSync } from 'node:fs';
import type { LoadResult } from '@limitless-lint/core';
import { loadManifestSync } from '@limitless-lint/core';

interface Entry {
  /** `mtimeMs:size` of the file when it was read; the empty string when it could not be stat-ed. */
  readonly stamp: string;
  readonly result: LoadResult;
}

/** Loaded manifests by absolute path, for the whole process (an editor's ESLint server lives long). */
const cache = new Map<string, Entry>();

/**
 * The manifest at an absolute path, read once and read again only when the file's modification time
 * or size changes (an editor keeps ESLint running while the manifest is edited). One `stat` per call.
 */
export function loadManifestCached(path: string): LoadResult {
  const stats = statSync(path, { throwIfNoEntry: false });
  const stamp = stats ? `${stats.mtimeMs}:${stats.size}` : '';
  const cached = cache.get(path);
  if (cached && cached.stamp === stamp && stamp !== '') return cached.result;
  const result = loadManifestSync(path);
  cache.set(path, { stamp, result });
  return result;
}
