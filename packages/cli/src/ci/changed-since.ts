import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { CliError } from '../util/errors.js';
import type { GitRevision } from './git.js';
import { gitMessage, mergeBase, runGit } from './git.js';
import type { LintResult } from '../run/lint-result.js';

/** How a file of the working tree differs from the merge base. */
export interface FileChange {
  /**
   * Where the file was at the merge base (repository-relative, `/` separators): its own path, or the
   * path it was renamed from; `undefined` for a file new on the branch (added, or untracked).
   */
  readonly oldPath: string | undefined;
  /** Every line is new: the file did not exist at the merge base. */
  readonly whole: boolean;
  /** Lines of the working-tree file (1-based, inclusive ranges) that the branch added or changed. */
  readonly ranges: readonly (readonly [number, number])[];
  /** Places where the branch only removed lines: after this line of the working-tree file (0: before the first). */
  readonly deletions: readonly number[];
}

/** The branch's changes: every file that differs from the merge base, by repository-relative path. */
export interface ChangeSet extends GitRevision {
  readonly files: ReadonlyMap<string, FileChange>;
}

/**
 * What the working tree changed since the merge base of `ref` and `HEAD`: committed, staged and
 * unstaged changes of tracked files (renames followed), and untracked files that are not ignored
 * (wholly new). Runs `git diff --unified=0` and `git ls-files --others`.
 *
 * @throws {CliError} see {@link mergeBase}; also when git fails to diff.
 */
export async function changesSince(ref: string, cwd: string, flag: string): Promise<ChangeSet> {
  const revision = await mergeBase(ref, cwd, flag);
  const diff = await runGit(
    [
      '-c', 'core.quotePath=off',
      'diff', '--no-color', '--no-ext-diff', '--no-textconv', '--no-relative', '--find-renames', '--unified=0',
      '--src-prefix=a/', '--dst-prefix=b/', '--diff-filter=d', '--ignore-submodules',
      revision.base, '--',
    ],
    revision.root,
    flag,
  );
  if (diff.code !== 0) throw new CliError(`${flag}: git diff failed: ${gitMessage(diff)}`);
  const files = parseUnifiedDiff(diff.stdout.toString('utf8'));
  const untracked = await runGit(['ls-files', '--others', '--exclude-standard', '-z'], revision.root, flag);
  if (untracked.code !== 0) throw new CliError(`${flag}: git ls-files failed: ${gitMessage(untracked)}`);
  for (const path of untracked.stdout.toString('utf8').split('\0')) {
    if (path !== '') files.set(path, { oldPath: undefined, whole: true, ranges: [], deletions: [] });
  }
  return { ...revision, files };
}

/**
 * Reads the output of `git diff --unified=0 --src-prefix=a/ --dst-prefix=b/`: for each file that
 * exists in the working tree, where it was before and which of its lines changed. Deleted files,
 * binary files and mode-only changes are left out (they have no lines to lint). Hunk lengths are
 * counted, so a removed SQL comment (`--- …` in the diff) is never taken for a file header.
 */
export function parseUnifiedDiff(text: string): Map<string, FileChange> {
  const files = new Map<string, FileChange>();
  let file: { from?: string | null; to?: string | null; renameFrom?: string; renameTo?: string; ranges: [number, number][]; deletions: number[] } | undefined;
  const flush = (): void => {
    if (!file) return;
    const to = file.to !== undefined ? file.to : file.renameTo;
    const from = file.from !== undefined ? file.from : file.renameFrom;
    // A deleted file (`+++ /dev/null`), or a binary or mode-only change without a path we can read.
    if (to !== null && to !== undefined) {
      files.set(to, { oldPath: from ?? undefined, whole: from === null, ranges: file.ranges, deletions: file.deletions });
    }
    file = undefined;
  };
  let oldLeft = 0;
  let newLeft = 0;
  for (const line of text.split('\n')) {
    if (oldLeft > 0 || newLeft > 0) {
      const c = line[0];
      if (c === '-') oldLeft--;
      else if (c === '+') newLeft--;
      else if (c === ' ') {
        oldLeft--;
        newLeft--;
      }
      continue;
    }
    if (line.startsWith('diff --git ')) {
      flush();
      file = { ranges: [], deletions: [] };
    } else if (!file) {
      continue;
    } else if (line.startsWith('rename from ')) {
      file.renameFrom = unquote(line.slice('rename from '.length));
    } else if (line.startsWith('rename to ')) {
      file.renameTo = unquote(line.slice('rename to '.length));
    } else if (line.startsWith('--- ')) {
      file.from = headerPath(line.slice(4), 'a/');
    } else if (line.startsWith('+++ ')) {
      file.to = headerPath(line.slice(4), 'b/');
    } else if (line.startsWith('@@ ')) {
      const hunk = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!hunk) continue;
      oldLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      const start = Number(hunk[3]);
      newLeft = hunk[4] === undefined ? 1 : Number(hunk[4]);
      if (newLeft > 0) file.ranges.push([start, start + newLeft - 1]);
      else file.deletions.push(start);
    }
  }
  flush();
  return files;
}

/** A `---`/`+++` header's path without its prefix; `null` for `/dev/null`. */
function headerPath(raw: string, prefix: string): string | null {
  // git ends the header with a tab when the name contains a space (for GNU patch).
  const name = raw.endsWith('\t') ? raw.slice(0, -1) : raw;
  if (name === '/dev/null') return null;
  const path = unquote(name);
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

const ESCAPES: Readonly<Record<string, number>> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** A path as git prints it: C-quoted (`"a\tb"`, octal bytes) when it holds special characters. */
export function unquote(text: string): string {
  if (!(text.startsWith('"') && text.endsWith('"') && text.length >= 2)) return text;
  const bytes: number[] = [];
  const body = Buffer.from(text.slice(1, -1), 'utf8');
  for (let i = 0; i < body.length; i++) {
    const b = body[i] as number;
    if (b !== 92) {
      bytes.push(b);
      continue;
    }
    const next = String.fromCharCode(body[i + 1] ?? 0);
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.subarray(i + 1, i + 4).toString('latin1'), 8));
      i += 3;
    } else {
      bytes.push(ESCAPES[next] ?? (body[i + 1] as number));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The change of a file, by its absolute path (symbolic links resolved); `undefined` when the branch
 * did not change it, or when it lies outside the repository.
 */
export function changeOf(changes: ChangeSet, absolutePath: string): FileChange | undefined {
  const key = repositoryPath(changes.root, absolutePath);
  return key === undefined ? undefined : changes.files.get(key);
}

/** A path relative to the repository's top level, with `/` separators; `undefined` outside it. */
export function repositoryPath(root: string, absolutePath: string): string | undefined {
  const rel = relative(realPath(resolve(root)), realPath(absolutePath));
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

function realPath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

/**
 * Whether the branch changed any of the lines `first`–`last` (1-based, inclusive): one of them was
 * added or edited, or lines between two of them were removed.
 */
export function linesChanged(change: FileChange | undefined, first: number, last: number): boolean {
  if (!change) return false;
  if (change.whole) return true;
  return change.ranges.some(([a, b]) => a <= last && b >= first) || change.deletions.some((after) => after >= first && after < last);
}

/**
 * Keeps only the findings in statements the branch changed (any of the statement's lines changed;
 * a finding outside any statement counts by its own lines). Files the branch did not change keep
 * none. Needs `FileResult.statements`.
 */
export function onlyChanged(result: LintResult, changes: ChangeSet, cwd: string): { readonly result: LintResult; readonly hidden: number } {
  let hidden = 0;
  const files = result.files.map((file) => {
    if (file.diagnostics.length === 0) return file;
    const change = changeOf(changes, resolve(cwd, file.path));
    const lines = file.lines;
    const spans = new Map((file.statements ?? []).map((s) => [s.index, s.span]));
    const diagnostics = file.diagnostics.filter((d) => {
      const span = (d.statement !== undefined ? spans.get(d.statement) : undefined) ?? d.span;
      const first = lines?.positionAt(span.start).line ?? 1;
      const last = lines?.positionAt(Math.max(span.start, span.end - 1)).line ?? Number.MAX_SAFE_INTEGER;
      return linesChanged(change, first, last);
    });
    hidden += file.diagnostics.length - diagnostics.length;
    return diagnostics.length === file.diagnostics.length ? file : { ...file, diagnostics };
  });
  return { result: { ...result, files }, hidden };
}
