import { execFile } from 'node:child_process';
import { CliError } from '../util/errors.js';

/** What one `git` run gave. */
interface GitOutput {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Enough for the diff of a large repository; more fails with a clear message instead of memory exhaustion. */
const MAX_OUTPUT = 512 * 1024 * 1024;

/**
 * Runs `git` with `args` in `cwd`, without a shell. The environment is the process's with `env` on
 * top, plus what makes git's output stable and non-interactive: English messages, no pager, no
 * credential prompts.
 *
 * @param flag the option that needs git, for messages (`--changed-since`).
 * @throws {CliError} when git is not installed, or its output exceeds {@link MAX_OUTPUT}.
 */
export function runGit(args: readonly string[], cwd: string, flag: string): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...args],
      {
        cwd,
        encoding: 'buffer',
        maxBuffer: MAX_OUTPUT,
        windowsHide: true,
        env: { ...process.env, LC_ALL: 'C', LANGUAGE: 'C', GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
      },
      (error, stdout, stderr) => {
        const text = stderr.toString('utf8');
        if (!error) {
          resolve({ code: 0, stdout, stderr: text });
          return;
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') reject(new CliError(`${flag} needs git, and no \`git\` command was found on the PATH`));
        else if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') reject(new CliError(`${flag}: git's output is larger than ${MAX_OUTPUT / 1024 / 1024} MB`));
        else if (typeof error.code === 'number') resolve({ code: error.code, stdout, stderr: text });
        else if (code === 'ENOTDIR' || code === 'EACCES') reject(new CliError(`${flag}: cannot run git in ${cwd}: ${error.message}`));
        else reject(error);
      },
    );
  });
}

/** The first line of git's complaint, without its `fatal: ` prefix, for a one-line message. */
export function gitMessage(output: GitOutput): string {
  const line = output.stderr.split('\n').find((l) => l.trim() !== '') ?? `git exited with code ${output.code}`;
  return line.replace(/^(fatal|error): /, '').trim();
}

/** A repository seen from a working directory, and a revision resolved in it. */
export interface GitRevision {
  /** The repository's top-level directory (as git prints it: symbolic links resolved). */
  readonly root: string;
  /** The revision as the user wrote it. */
  readonly ref: string;
  /** The merge base of `ref` and `HEAD`: the commit the branch started from. */
  readonly base: string;
}

/**
 * Finds the repository around `cwd` and the merge base of `ref` with `HEAD` — the point where the
 * branch left `ref`, as `git diff ref...` uses — so that commits made on `ref` since then do not
 * count as the branch's changes.
 *
 * @throws {CliError} when git is missing, `cwd` is not in a repository, `ref` is not a commit, or
 * `ref` and `HEAD` share no history (a shallow clone).
 */
export async function mergeBase(ref: string, cwd: string, flag: string): Promise<GitRevision> {
  if (ref === '' || ref.startsWith('-')) throw new CliError(`${flag}: '${ref}' is not a git revision`);
  const top = await runGit(['rev-parse', '--show-toplevel'], cwd, flag);
  if (top.code !== 0) {
    const message = gitMessage(top);
    if (/not a git repository/i.test(message)) throw new CliError(`${flag} needs a git repository, and ${cwd} is not in one`);
    throw new CliError(`${flag}: ${message}`);
  }
  const root = top.stdout.toString('utf8').replace(/\n$/, '');
  const head = await runGit(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], cwd, flag);
  if (head.code !== 0) throw new CliError(`${flag}: the repository has no commit yet (HEAD does not exist)`);
  const resolved = await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd, flag);
  if (resolved.code !== 0) {
    throw new CliError(`${flag}: unknown git revision '${ref}' (no branch, tag or commit of that name; in CI, fetch it first)`);
  }
  const commit = resolved.stdout.toString('utf8').trim();
  const merged = await runGit(['merge-base', commit, 'HEAD'], cwd, flag);
  if (merged.code !== 0) {
    if (merged.code === 1 && merged.stderr.trim() === '') {
      throw new CliError(`${flag}: '${ref}' and HEAD have no common history (a shallow clone? fetch the history, e.g. actions/checkout with fetch-depth: 0)`);
    }
    throw new CliError(`${flag}: ${gitMessage(merged)}`);
  }
  return { root, ref, base: merged.stdout.toString('utf8').trim() };
}

/**
 * A file's content at `commit` (`git show commit:path`), or `undefined` when it did not exist there.
 *
 * @param path relative to the repository's top level, with `/` separators.
 */
export async function showFile(root: string, commit: string, path: string, flag: string): Promise<Buffer | undefined> {
  const shown = await runGit(['show', '--no-textconv', `${commit}:${path}`], root, flag);
  if (shown.code !== 0) {
    if (/does not exist|exists on disk, but not in/i.test(shown.stderr)) return undefined;
    throw new CliError(`${flag}: cannot read ${path} at ${commit.slice(0, 12)}: ${gitMessage(shown)}`);
  }
  return shown.stdout;
}
