import { isAbsolute, relative, sep } from 'node:path';
import picomatch from 'picomatch';

type Matcher = (path: string) => boolean;

interface CompiledPattern {
  /** No `/` in the pattern: it matches a name at any depth (`*.gen.sql`, `fixtures`), as in .gitignore. */
  readonly anyDepth: boolean;
  /** Written with a trailing `/`: it matches directories only. */
  readonly directoryOnly: boolean;
  readonly match: Matcher;
}

/**
 * Include or exclude glob patterns, relative to a base directory (the manifest's directory, or the
 * working directory for `--include`/`--exclude`). Syntax is picomatch's (`*`, `**`, `?`, `[…]`,
 * `{a,b}`), dot files included. As in .gitignore, a pattern without a `/` matches a file or directory
 * name at any depth (`*.test.ts`, `generated`), a pattern with one is anchored at the base
 * (`db/legacy/**`, leading `./` or `/` allowed), a trailing `/` matches directories only, and a
 * pattern that matches a directory matches everything below it.
 */
export class PathGlobs {
  private readonly compiled: readonly CompiledPattern[];

  constructor(
    readonly patterns: readonly string[],
    /** Absolute directory the patterns are relative to. */
    readonly base: string,
  ) {
    this.compiled = patterns.map(compile);
  }

  get isEmpty(): boolean {
    return this.compiled.length === 0;
  }

  /**
   * Whether `path` (absolute), or a directory it lies in below the base, matches a pattern. A path
   * outside the base matches nothing.
   */
  matches(path: string, isDirectory = false): boolean {
    if (this.compiled.length === 0) return false;
    const rel = relative(this.base, path);
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return false;
    const segments = rel.split(sep);
    for (let i = 0; i < segments.length; i++) {
      const last = i === segments.length - 1;
      const isDir = !last || isDirectory;
      const name = segments[i] as string;
      const prefix = segments.slice(0, i + 1).join('/');
      for (const p of this.compiled) {
        if (p.directoryOnly && !isDir) continue;
        if (p.match(p.anyDepth ? name : prefix)) return true;
      }
    }
    return false;
  }
}

function compile(pattern: string): CompiledPattern {
  let body = pattern.replace(/\\/g, '/');
  const directoryOnly = body.endsWith('/');
  body = body.replace(/\/+$/, '');
  const anchored = body.startsWith('/') || body.startsWith('./');
  body = body.replace(/^(\.\/|\/)+/, '');
  const anyDepth = !anchored && !body.includes('/');
  return { anyDepth, directoryOnly, match: picomatch(body === '' ? '**' : body, { dot: true }) };
}

/** The include and exclude patterns that apply to one file. */
export interface FileGlobs {
  readonly include: readonly PathGlobs[];
  readonly exclude: readonly PathGlobs[];
}

/** Why a file is left out by the globs, or `undefined` when it is linted. */
export function globVerdict(globs: FileGlobs, path: string): 'excluded' | 'not-included' | undefined {
  if (globs.exclude.some((g) => g.matches(path))) return 'excluded';
  const includes = globs.include.filter((g) => !g.isEmpty);
  if (includes.length > 0 && !includes.every((g) => g.matches(path))) return 'not-included';
  return undefined;
}
