import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseManifest, type ManifestResult } from './parse.js';
import type { ManifestProblem } from './types.js';

/** What loading a manifest file gives: the same as {@link parseManifest}. */
export type LoadResult = ManifestResult;

/** File names looked for by {@link findManifest}, in order of preference. */
export const MANIFEST_FILE_NAMES: readonly string[] = ['limitless.yaml', 'limitless.yml'];

/**
 * Reads and parses a manifest file. Never throws (and never rejects): a missing or unreadable file is
 * a problem at line 0, column 0. The manifest's `file` is the absolute path.
 */
export async function loadManifest(path: string): Promise<LoadResult> {
  const file = resolve(path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return unreadable(file, error);
  }
  return parseManifest(text, file);
}

/** {@link loadManifest}, synchronously: for callers that cannot await, such as ESLint rules. */
export function loadManifestSync(path: string): LoadResult {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return unreadable(file, error);
  }
  return parseManifest(text, file);
}

/**
 * Finds the manifest that applies to a file or directory: `limitless.yaml`, then `limitless.yml`, in
 * the directory itself (or the file's directory), then in each parent up to the filesystem root.
 * A path that does not exist is taken as a file.
 *
 * @returns the absolute path of the manifest, or `undefined` when there is none.
 */
export function findManifest(startPath: string): string | undefined {
  const start = resolve(startPath);
  let dir = statSync(start, { throwIfNoEntry: false })?.isDirectory() ? start : dirname(start);
  for (;;) {
    for (const name of MANIFEST_FILE_NAMES) {
      const candidate = join(dir, name);
      if (statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * One line for people: `file:line:column: message (at key path) — did you mean `x`?`. The position
 * is left out when unknown (line 0, an unreadable file), the file when the problem has none.
 */
export function formatManifestProblem(problem: ManifestProblem): string {
  const position = problem.line > 0 ? `${problem.line}:${problem.column}` : undefined;
  const where = [problem.file, position].filter((part) => part !== undefined).join(':');
  const path = problem.path ? ` (at ${problem.path})` : '';
  const suggestion = problem.suggestion !== undefined ? ` — did you mean \`${problem.suggestion}\`?` : '';
  return `${where ? `${where}: ` : ''}${problem.message}${path}${suggestion}`;
}

/** An invalid or unreadable manifest, for callers that prefer to throw; the message lists every problem. */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';

  constructor(readonly problems: readonly ManifestProblem[]) {
    super(problems.map(formatManifestProblem).join('\n'));
  }
}

const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'file not found',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
};

function unreadable(file: string, error: unknown): LoadResult {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = (code !== undefined ? READ_ERRORS[code] : undefined) ?? (error instanceof Error ? error.message : String(error));
  return { ok: false, problems: [{ file, line: 0, column: 0, path: '', message: `cannot read the manifest: ${reason}` }] };
}
