import type { Dirent, Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { findManifest, MANIFEST_FILE_NAMES } from '@limitless-lint/core';
import { CliError } from '../util/errors.js';
import { describeFsError } from '../util/describe-fs-error.js';
import { GitignoreRules } from './gitignore.js';
import type { FileGlobs } from './globs.js';
import { globVerdict, PathGlobs } from './globs.js';
import picomatch from 'picomatch';
import { kindOf } from './read-file.js';
import { displayPath } from './display-path.js';
import { ManifestLoader } from './resolve-manifests.js';

/** How a file's text is read: as SQL, or as TypeScript/JavaScript whose embedded SQL is linted. */
export type Language = 'sql' | 'ts';

/** Extensions of TypeScript and JavaScript files (their SQL sites are linted), lower case. */
export const SCRIPT_EXTENSIONS: readonly string[] = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** The language of a file, by its name: a TypeScript or JavaScript extension, else SQL (whatever the name). */
export function languageOf(path: string): Language {
  return SCRIPT_EXTENSIONS.includes(extname(path).toLowerCase()) ? 'ts' : 'sql';
}

/** The stand-in path of standard input read without `--stdin-filename` (displayed as `<stdin>`). */
export const STDIN_NAME = '<stdin>';

/** A path found while expanding that cannot be linted, with why (an unreadable directory …). */
export interface PathProblem {
  /** Absolute path. */
  readonly path: string;
  readonly reason: string;
}

export interface ExpandOptions {
  /** `--include` patterns, relative to the working directory. */
  readonly include?: readonly string[];
  /** `--exclude` patterns, relative to the working directory. */
  readonly exclude?: readonly string[];
  /** Whether .gitignore files decide what a directory walk finds (default true). */
  readonly gitignore?: boolean;
  /** The `--config` manifest: its include/exclude apply to every file, instead of each file's nearest manifest's. */
  readonly config?: string;
  /** What a directory walk looks for (default both): `init` reads SQL only. */
  readonly languages?: readonly Language[];
  /** Whether the manifests' `include`/`exclude` apply (default true; `init` writes the manifest, it does not obey it). */
  readonly manifestGlobs?: boolean;
  /** Reads the manifests whose include/exclude apply (default: one of its own); share it with resolveManifests. */
  readonly manifests?: ManifestLoader;
  /** With `-` as the path: the name standard input stands for (its language, manifest and globs). */
  readonly stdinFilename?: string;
  /** Told about each named file left out by include/exclude (a note, not a failure). */
  readonly onNote?: (message: string) => void;
}

export interface ExpandedPaths {
  /** Absolute paths of the files to lint, in command-line order, each file once. */
  readonly files: readonly string[];
  readonly problems: readonly PathProblem[];
  /** When `-` was given: the entry of {@link files} that stands for standard input. */
  readonly stdin?: string;
}

/**
 * Turns the command line's paths into files to lint.
 *
 * - A file named on the command line is linted whatever its name (as SQL unless it has a TypeScript or
 *   JavaScript extension) and whatever .gitignore says.
 * - A directory is walked recursively for `*.sql` files (any case) and TypeScript/JavaScript files
 *   (`.ts .tsx .mts .cts .js .jsx .mjs .cjs`, not `.d.ts`), skipping `node_modules`, dot-directories
 *   and what .gitignore files ignore below it; symbolic links are followed, each real directory
 *   visited once (so link loops end); its files are sorted by path.
 * - Include/exclude globs (`--include`/`--exclude`, relative to the working directory, and the
 *   manifest's `include`/`exclude`, relative to the manifest's directory) apply to every file, named
 *   or found; a named file they leave out is reported through `onNote`.
 * - `-` stands for standard input, alone.
 *
 * A file reached twice is linted once.
 *
 * @throws {CliError} when a path does not exist, a directory holds no file to lint, or a manifest
 * whose globs are needed is invalid.
 */
export async function expandPaths(paths: readonly string[], cwd: string, options: ExpandOptions = {}): Promise<ExpandedPaths> {
  const globs = new GlobResolver(cwd, options);
  if (options.stdinFilename !== undefined && !paths.includes('-')) {
    throw new CliError('--stdin-filename names what standard input stands for: give - as the path to read it');
  }
  if (paths.includes('-')) {
    if (paths.length > 1) throw new CliError('- (standard input) cannot be combined with other paths');
    const file = resolve(cwd, options.stdinFilename ?? STDIN_NAME);
    if (options.stdinFilename !== undefined) {
      const verdict = globs.verdict(file, findManifest(dirname(file)));
      if (verdict) {
        options.onNote?.(`${displayPath(file, cwd)}: ${verdictText(verdict)}, not linted`);
        return { files: [], problems: [] };
      }
    }
    return { files: [file], problems: [], stdin: file };
  }

  const files: string[] = [];
  const problems: PathProblem[] = [];
  const seen = new Set<string>();
  const walker = new Walker(globs, options.gitignore !== false, options.languages ?? ['sql', 'ts'], problems);
  const add = async (batch: readonly string[]): Promise<void> => {
    const reals = await Promise.all(batch.map((file) => realpath(file).catch(() => file)));
    batch.forEach((file, i) => {
      const real = reals[i] as string;
      if (seen.has(real)) return;
      seen.add(real);
      files.push(file);
    });
  };
  for (const given of paths) {
    const absolute = resolve(cwd, given);
    const stats = await stat(absolute).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code;
      // A pattern is expanded only when no file has its very name (`[draft].sql` can be a file).
      if ((code === 'ENOENT' || code === 'ENOTDIR') && picomatch.scan(given).isGlob) return undefined;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new CliError(`no such file or directory: ${given}`);
      throw new CliError(`cannot read ${given}: ${describeFsError(error)}`);
    });
    if (!stats) {
      await add(await expandGlob(given, cwd, walker));
      continue;
    }
    if (!stats.isDirectory()) {
      const verdict = globs.verdict(absolute, findManifest(dirname(absolute)));
      if (verdict) options.onNote?.(`${displayPath(absolute, cwd)}: ${verdictText(verdict)}, not linted`);
      else await add([absolute]);
      continue;
    }
    const found: string[] = [];
    const before = problems.length;
    const counts = await walker.walkRoot(absolute, found);
    if (found.length === 0 && problems.length === before) {
      const left: string[] = [];
      if (counts.ignored > 0) left.push(`${counts.ignored} ignored by .gitignore`);
      if (counts.excluded > 0) left.push(`${counts.excluded} left out by include/exclude patterns`);
      const looked = walker.languages.includes('ts') ? '*.sql and TypeScript/JavaScript files' : '*.sql';
      throw new CliError(
        `no SQL files found in ${given} (looked for ${looked} below it, skipping node_modules and dot-directories${left.length > 0 ? `; ${left.join(', ')}` : ''})`,
      );
    }
    await add(found.sort());
  }
  return { files, problems };
}

/**
 * The files a glob argument (`'queries/**\/*.sql'`, quoted so that the shell leaves it alone) matches:
 * its directory part is walked as a named directory is (the same file kinds, .gitignore, include and
 * exclude, node_modules and dot-directories skipped), and each file found is kept when its path
 * below that directory matches the rest of the pattern (picomatch's syntax, as in include/exclude).
 *
 * @throws {CliError} when the pattern matches no file to lint.
 */
async function expandGlob(pattern: string, cwd: string, walker: Walker): Promise<string[]> {
  const { base, glob } = picomatch.scan(pattern);
  const root = resolve(cwd, base === '' ? '.' : base);
  const isDirectory = await stat(root).then((s) => s.isDirectory(), () => false);
  const found: string[] = [];
  if (isDirectory) await walker.walkRoot(root, found);
  const matches = picomatch(glob);
  const kept = found.filter((file) => matches(relative(root, file).split(sep).join('/'))).sort();
  if (kept.length === 0) {
    const looked = walker.languages.includes('ts') ? '*.sql and TypeScript/JavaScript files' : '*.sql files';
    throw new CliError(`no files match ${pattern} (it is matched against the ${looked} below ${base === '' ? '.' : base}, skipping node_modules, dot-directories and what .gitignore ignores)`);
  }
  return kept;
}

function verdictText(verdict: 'excluded' | 'not-included'): string {
  return verdict === 'excluded' ? 'matches an exclude pattern' : 'matches no include pattern';
}

/** The include/exclude patterns of the command line and of each manifest, compiled once. */
class GlobResolver {
  private readonly flags: { readonly include: PathGlobs; readonly exclude: PathGlobs };
  private readonly byManifest = new Map<string, { readonly include: PathGlobs; readonly exclude: PathGlobs }>();
  private readonly config: string | undefined;
  private readonly configGiven: string | undefined;
  private readonly useManifests: boolean;
  private readonly manifests: ManifestLoader;

  constructor(
    private readonly cwd: string,
    options: ExpandOptions,
  ) {
    this.flags = { include: new PathGlobs(options.include ?? [], cwd), exclude: new PathGlobs(options.exclude ?? [], cwd) };
    this.configGiven = options.config;
    this.config = options.config === undefined ? undefined : resolve(cwd, options.config);
    this.useManifests = options.manifestGlobs !== false;
    this.manifests = options.manifests ?? new ManifestLoader(cwd);
  }

  /** The patterns for a file whose nearest manifest is `nearest` (`--config` wins). */
  globsFor(nearest: string | undefined): FileGlobs {
    const manifest = this.useManifests ? (this.config ?? nearest) : undefined;
    const own = manifest === undefined ? undefined : this.manifestGlobs(manifest);
    return {
      include: own ? [this.flags.include, own.include] : [this.flags.include],
      exclude: own ? [this.flags.exclude, own.exclude] : [this.flags.exclude],
    };
  }

  verdict(file: string, nearest: string | undefined): 'excluded' | 'not-included' | undefined {
    return globVerdict(this.globsFor(nearest), file);
  }

  private manifestGlobs(path: string): { readonly include: PathGlobs; readonly exclude: PathGlobs } {
    let globs = this.byManifest.get(path);
    if (!globs) {
      const manifest = this.configGiven !== undefined && path === this.config ? this.manifests.config(this.configGiven) : this.manifests.load(path);
      const base = dirname(path);
      globs = { include: new PathGlobs(manifest.include, base), exclude: new PathGlobs(manifest.exclude, base) };
      this.byManifest.set(path, globs);
    }
    return globs;
  }
}

interface WalkCounts {
  /** Files and directories left out by .gitignore. */
  ignored: number;
  /** Files and directories left out by include/exclude patterns. */
  excluded: number;
}

class Walker {
  /** Real paths of the directories walked from the current root (a root named twice is walked twice; its files are linted once). */
  private visited = new Set<string>();

  constructor(
    private readonly globs: GlobResolver,
    private readonly useGitignore: boolean,
    readonly languages: readonly Language[],
    private readonly problems: PathProblem[],
  ) {}

  async walkRoot(root: string, found: string[]): Promise<WalkCounts> {
    const counts: WalkCounts = { ignored: 0, excluded: 0 };
    this.visited = new Set();
    const rules = this.useGitignore ? GitignoreRules.above(root) : GitignoreRules.none;
    await this.walk(root, true, rules, findManifest(dirname(root)), found, counts);
    return counts;
  }

  /**
   * Walks `dir` with the .gitignore rules of the directories above it and the manifest nearest
   * above it (both replaced by `dir`'s own, when it has them).
   */
  private async walk(dir: string, isRoot: boolean, above: GitignoreRules, manifestAbove: string | undefined, found: string[], counts: WalkCounts): Promise<void> {
    let entries: Dirent[];
    try {
      const real = await realpath(dir);
      if (this.visited.has(real)) return;
      this.visited.add(real);
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      this.problems.push({ path: dir, reason: `directory not read: ${describeFsError(error)}` });
      return;
    }
    const names = new Set(entries.map((e) => e.name));
    const own = MANIFEST_FILE_NAMES.find((name) => names.has(name));
    const manifest = own === undefined ? manifestAbove : join(dir, own);
    const globs = this.globs.globsFor(manifest);
    if (globs.exclude.some((g) => g.matches(dir, true))) {
      counts.excluded++;
      return;
    }
    // The root's rules already include its own .gitignore.
    const rules = isRoot || !this.useGitignore ? above : above.enter(dir, names.has('.gitignore'));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const kind = entry.isSymbolicLink() ? await linkTarget(path) : entryKind(entry);
      if (kind === 'directory') {
        if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
        if (rules.ignores(path, true)) {
          counts.ignored++;
          continue;
        }
        await this.walk(path, false, rules, manifest, found, counts);
      } else if (this.isLintable(entry.name)) {
        if (rules.ignores(path, false)) counts.ignored++;
        else if (globVerdict(globs, path)) counts.excluded++;
        // A FIFO, socket or device is not read (it could block the run, or never end): it is reported.
        else if (typeof kind !== 'string') this.problems.push({ path, reason: `${kindOf(kind)}, not linted (name it on the command line to read it once)` });
        // A dangling link to a lintable file is kept: reading it reports the problem.
        else found.push(path);
      }
    }
  }

  private isLintable(name: string): boolean {
    const lower = name.toLowerCase();
    if (lower.endsWith('.sql')) return this.languages.includes('sql');
    if (!this.languages.includes('ts') || languageOf(lower) !== 'ts') return false;
    // Declaration files hold types, never SQL.
    return !/\.d\.[cm]?ts$/.test(lower);
  }
}

/** A directory, a regular file, a dangling link, or anything else (a FIFO, a socket, a device: its entry). */
type EntryKind = 'directory' | 'file' | 'dangling' | Dirent | Stats;

function entryKind(entry: Dirent | Stats): EntryKind {
  if (entry.isDirectory()) return 'directory';
  return entry.isFile() ? 'file' : entry;
}

async function linkTarget(path: string): Promise<EntryKind> {
  const stats = await stat(path).catch(() => undefined);
  return stats ? entryKind(stats) : 'dangling';
}
