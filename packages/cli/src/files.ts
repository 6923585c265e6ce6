import type { Dirent, Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CliError } from './errors.js';
import { describeFsError } from './describe-fs-error.js';

/** A path found while expanding that cannot be linted, with why (an unreadable directory …). */
export interface PathProblem {
  /** Absolute path. */
  readonly path: string;
  readonly reason: string;
}

export interface ExpandedPaths {
  /** Absolute paths of the files to lint, in command-line order, each file once. */
  readonly files: readonly string[];
  readonly problems: readonly PathProblem[];
}

/**
 * Turns the command line's paths into files to lint. A file is taken as given, whatever its name; a
 * directory is walked recursively for `*.sql` files (any case), skipping `node_modules` and
 * dot-directories below it, following symbolic links but visiting each real directory once (so link
 * loops end), and sorted by path. A file reached twice is linted once.
 *
 * @throws {CliError} when a path does not exist, or a directory holds no SQL file.
 */
export async function expandPaths(paths: readonly string[], cwd: string): Promise<ExpandedPaths> {
  const files: string[] = [];
  const problems: PathProblem[] = [];
  const seen = new Set<string>();
  const visitedDirs = new Set<string>();
  const add = async (file: string): Promise<void> => {
    const real = await realpath(file).catch(() => file);
    if (seen.has(real)) return;
    seen.add(real);
    files.push(file);
  };
  for (const given of paths) {
    const absolute = resolve(cwd, given);
    const stats = await stat(absolute).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new CliError(`no such file or directory: ${given}`);
      throw new CliError(`cannot read ${given}: ${describeFsError(error)}`);
    });
    if (!stats.isDirectory()) {
      await add(absolute);
      continue;
    }
    const found: string[] = [];
    const before = problems.length;
    await walk(absolute, found, problems, visitedDirs);
    if (found.length === 0 && problems.length === before) {
      throw new CliError(
        `no SQL files found in ${given} (looked for *.sql below it, skipping node_modules and dot-directories)`,
      );
    }
    for (const file of found.sort()) await add(file);
  }
  return { files, problems };
}

async function walk(dir: string, found: string[], problems: PathProblem[], visited: Set<string>): Promise<void> {
  let entries: Dirent[];
  try {
    const real = await realpath(dir);
    if (visited.has(real)) return;
    visited.add(real);
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    problems.push({ path: dir, reason: `directory not read: ${describeFsError(error)}` });
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const kind = entry.isSymbolicLink() ? await linkTarget(path) : entryKind(entry);
    if (kind === 'directory') {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) await walk(path, found, problems, visited);
    } else if ((kind === 'file' || kind === 'dangling') && isSqlFileName(entry.name)) {
      // A dangling link to a .sql file is kept: reading it reports the problem.
      found.push(path);
    }
  }
}

type EntryKind = 'directory' | 'file' | 'dangling' | 'other';

function entryKind(entry: Dirent | Stats): EntryKind {
  if (entry.isDirectory()) return 'directory';
  return entry.isFile() ? 'file' : 'other';
}

async function linkTarget(path: string): Promise<EntryKind> {
  const stats = await stat(path).catch(() => undefined);
  return stats ? entryKind(stats) : 'dangling';
}

function isSqlFileName(name: string): boolean {
  return name.toLowerCase().endsWith('.sql');
}

/**
 * How a file is named in messages and reports: relative to the working directory when it lies
 * below it, absolute otherwise.
 */
export function displayPath(absolute: string, cwd: string): string {
  const rel = relative(cwd, absolute);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return absolute;
  return rel;
}
