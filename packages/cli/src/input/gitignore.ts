import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import ignore from 'ignore';
import type { Ignore } from 'ignore';

/** The rules of one ignore file, relative to the directory it applies to. */
interface IgnoreLevel {
  readonly base: string;
  readonly rules: Ignore;
}

/**
 * The .gitignore rules in force in one directory: those of every .gitignore from the repository's
 * root down to it (and the repository's `.git/info/exclude`), deeper files taking precedence, as in
 * git (a negation `!x` in a deeper file re-includes what a shallower one ignored). Immutable: entering
 * a directory with its own .gitignore gives a new set.
 */
export class GitignoreRules {
  private constructor(private readonly levels: readonly IgnoreLevel[]) {}

  static readonly none = new GitignoreRules([]);

  /**
   * The rules in force in `dir` (absolute) from the files above it: up to the root of the git
   * repository that contains it (the nearest directory with a `.git` entry), including `dir`'s own
   * .gitignore. Outside a repository, only `dir`'s own .gitignore (and those found below it) count.
   */
  static above(dir: string): GitignoreRules {
    const chain: string[] = [];
    let root: string | undefined;
    for (let d = dir; ; d = dirname(d)) {
      chain.push(d);
      if (existsSync(join(d, '.git'))) {
        root = d;
        break;
      }
      if (dirname(d) === d) break;
    }
    const dirs = root === undefined ? [dir] : chain.reverse();
    let rules = GitignoreRules.none;
    if (root !== undefined) rules = rules.withFile(root, join(root, '.git', 'info', 'exclude'));
    for (const d of dirs) rules = rules.withFile(d, join(d, '.gitignore'));
    return rules;
  }

  /** These rules and those of `dir`'s .gitignore, when it has one (a directory being walked). */
  enter(dir: string, hasGitignore: boolean): GitignoreRules {
    return hasGitignore ? this.withFile(dir, join(dir, '.gitignore')) : this;
  }

  private withFile(base: string, file: string): GitignoreRules {
    let text: string;
    try {
      if (!statSync(file, { throwIfNoEntry: false })?.isFile()) return this;
      text = readFileSync(file, 'utf8');
    } catch {
      // An unreadable ignore file ignores nothing, as in git.
      return this;
    }
    return new GitignoreRules([...this.levels, { base, rules: ignore().add(text) }]);
  }

  /** Whether `path` (absolute; a directory when `isDirectory`) is ignored. */
  ignores(path: string, isDirectory: boolean): boolean {
    let ignored = false;
    for (const level of this.levels) {
      const rel = relative(level.base, path);
      if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) continue;
      const result = level.rules.test(`${rel.split(sep).join('/')}${isDirectory ? '/' : ''}`);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }
}
