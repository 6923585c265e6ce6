import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandPaths } from '../src/input/files.js';
import { PathGlobs } from '../src/input/globs.js';
import type { JsonReport } from '../src/reporters/json.js';
import { runCli } from './run-cli.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'limitless-lint-files-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** A fresh directory under the test's temporary directory, with the given files. */
function project(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  // Every project has a manifest (the lint refuses files without one) unless it brings its own.
  mkdirSync(dir, { recursive: true });
  if (!('limitless.yaml' in files)) writeFileSync(join(dir, 'limitless.yaml'), 'shards: 16\n');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const Q = 'SELECT 1;\n';

async function paths(args: readonly string[], cwd: string): Promise<string[]> {
  const { code, stdout, stderr } = await runCli(['--format', 'json', ...args], { cwd });
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return (JSON.parse(stdout) as JsonReport).files.map((f) => f.path.split('\\').join('/'));
}

describe('.gitignore', () => {
  it('respects nested .gitignore files and negations, from the repository root down', async () => {
    const dir = project('gitignore', {
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': 'build/\n*.gen.sql\n!keep.gen.sql\n/top-only.sql\n',
      'a.sql': Q,
      'top-only.sql': Q,
      'x.gen.sql': Q,
      'keep.gen.sql': Q,
      'build/b.sql': Q,
      'src/top-only.sql': Q,
      'src/.gitignore': 'local.sql\n!y.gen.sql\n',
      'src/local.sql': Q,
      'src/y.gen.sql': Q,
      'src/z.gen.sql': Q,
      'src/deep/local.sql': Q,
      'src/q.ts': 'pool.query("SELECT 1");\n',
      'node_modules/pkg/n.sql': Q,
    });
    expect(await paths(['.'], dir)).toEqual(['a.sql', 'keep.gen.sql', 'src/q.ts', 'src/top-only.sql', 'src/y.gen.sql']);
    // Walking a subdirectory still applies the .gitignore files above it, up to the repository root.
    expect(await paths(['src'], dir)).toEqual(['src/q.ts', 'src/top-only.sql', 'src/y.gen.sql']);
    expect(await paths(['.'], join(dir, 'src'))).toEqual(['q.ts', 'top-only.sql', 'y.gen.sql']);
  });

  it('lints a named file even if ignored, and --no-gitignore walks everything but node_modules', async () => {
    const dir = project('named', { '.git/HEAD': '', '.gitignore': '*.sql\n', 'a.sql': Q, 'b.sql': Q, 'node_modules/m.sql': Q });
    expect(await paths(['a.sql'], dir)).toEqual(['a.sql']);
    expect(await paths(['--no-gitignore', '.'], dir)).toEqual(['a.sql', 'b.sql']);
    const { code, stderr } = await runCli(['.'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toBe(
      'limitless-lint: no SQL files found in . (looked for *.sql and TypeScript/JavaScript files below it, skipping node_modules and dot-directories; 2 ignored by .gitignore)\n',
    );
  });

  it('outside a git repository, uses the .gitignore files of the walked directory and below only', async () => {
    const outer = project('no-repo', { '.gitignore': '*.sql\n', 'inner/a.sql': Q, 'inner/sub/.gitignore': 'b.sql\n', 'inner/sub/b.sql': Q, 'inner/sub/c.sql': Q });
    expect(await paths(['.'], join(outer, 'inner'))).toEqual(['a.sql', 'sub/c.sql']);
  });
});

describe('include and exclude', () => {
  it('--exclude and --include (repeatable) filter what is found, relative to the working directory', async () => {
    const dir = project('flags', {
      'db/a.sql': Q,
      'db/legacy/old.sql': Q,
      'src/app.ts': 'pool.query("SELECT 1");\n',
      'src/app.test.ts': 'pool.query("SELECT 1");\n',
      'src/fixtures/f.sql': Q,
    });
    expect(await paths(['.', '--exclude', '*.test.ts', '--exclude', 'db/legacy'], dir)).toEqual(['db/a.sql', 'src/app.ts', 'src/fixtures/f.sql']);
    expect(await paths(['.', '--exclude', 'fixtures/'], dir)).toEqual(['db/a.sql', 'db/legacy/old.sql', 'src/app.test.ts', 'src/app.ts']);
    expect(await paths(['.', '--include', 'src/**', '--include', '**/legacy/*.sql'], dir)).toEqual(['db/legacy/old.sql', 'src/app.test.ts', 'src/app.ts', 'src/fixtures/f.sql']);
    expect(await paths(['.', '--include', '**/*.sql', '--exclude', 'f.sql'], dir)).toEqual(['db/a.sql', 'db/legacy/old.sql']);
  });

  it("applies the manifest's include/exclude, relative to the manifest's directory, to the files under it", async () => {
    const dir = project('manifest-globs', {
      'limitless.yaml': 'shards: 16\ninclude: ["sql/**", "app/**"]\nexclude: ["sql/legacy/**", "**/*.spec.ts"]\n',
      'sql/a.sql': Q,
      'sql/legacy/old.sql': Q,
      'app/x.ts': 'pool.query("SELECT 1");\n',
      'app/x.spec.ts': 'pool.query("SELECT 1");\n',
      'scripts/s.sql': Q,
      'other/limitless.yaml': 'shards: 8\n',
      'other/o.sql': Q,
    });
    expect(await paths(['.'], dir)).toEqual(['app/x.ts', 'other/o.sql', 'sql/a.sql']);
    // A named file is held to the patterns too: a note on stderr, not a failure.
    const { code, stderr, stdout } = await runCli(['sql/legacy/old.sql', 'sql/a.sql'], { cwd: dir });
    expect(code).toBe(0);
    expect(stderr).toBe('limitless-lint: sql/legacy/old.sql: matches an exclude pattern, not linted\n');
    expect(stdout).toContain('1 statement in 1 file');
    const scripts = await runCli(['scripts/s.sql'], { cwd: dir });
    expect(scripts.stderr).toBe('limitless-lint: scripts/s.sql: matches no include pattern, not linted\n');
  });

  it('uses the --config manifest’s patterns for every file, relative to its directory', async () => {
    const dir = project('config-globs', { 'db/limitless.yaml': 'shards: 16\nexclude: ["../gen/**"]\n', 'gen/g.sql': Q, 'q.sql': Q });
    // Patterns reach only below the manifest's directory.
    expect(await paths(['--config', 'db/limitless.yaml', '.'], dir)).toEqual(['gen/g.sql', 'q.sql']);
    const dir2 = project('config-globs-2', { 'limitless.yaml': 'shards: 16\nexclude: ["gen"]\n', 'gen/g.sql': Q, 'sub/q.sql': Q });
    expect(await paths(['--config', join(dir2, 'limitless.yaml'), '.'], dir2)).toEqual(['sub/q.sql']);
  });

  it('says why a directory has nothing left to lint', async () => {
    const dir = project('all-excluded', { 'a.sql': Q, 'b.ts': 'pool.query("SELECT 1");\n' });
    const { code, stderr } = await runCli(['.', '--exclude', '*.sql', '--exclude', '*.ts'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain('no SQL files found in . (looked for *.sql and TypeScript/JavaScript files below it, skipping node_modules and dot-directories; 2 left out by include/exclude patterns)');
  });

  it('refuses an invalid manifest found while walking, with its problems', async () => {
    const dir = project('bad-manifest-walk', { 'limitless.yaml': 'shards: many\n', 'a.sql': Q });
    const { code, stderr } = await runCli(['.'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^limitless-lint: invalid manifest limitless\.yaml \(1 problem\):\n {2}limitless\.yaml:1:9: /);
  });

  it('matches patterns as documented', () => {
    const globs = (patterns: string[]) => new PathGlobs(patterns, '/r');
    expect(globs(['*.sql']).matches('/r/a/b/c.sql')).toBe(true);
    expect(globs(['/*.sql']).matches('/r/a/c.sql')).toBe(false);
    expect(globs(['./*.sql']).matches('/r/c.sql')).toBe(true);
    expect(globs(['a/b']).matches('/r/a/b/c.sql')).toBe(true);
    expect(globs(['b']).matches('/r/a/b/c.sql')).toBe(true);
    expect(globs(['c.sql/']).matches('/r/a/c.sql')).toBe(false);
    expect(globs(['**/.hidden/**']).matches('/r/x/.hidden/y.sql')).toBe(true);
    expect(globs(['**']).matches('/elsewhere/y.sql')).toBe(false);
    expect(globs(['{a,b}/*.sql']).matches('/r/b/y.sql')).toBe(true);
  });
});

describe('glob arguments', () => {
  it("expands 'queries/**/*.sql' as a walk of queries/ filtered by the pattern, and keeps a file whose name looks like a pattern", async () => {
    const dir = project('glob-args', {
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': 'queries/gen/\n',
      'queries/a.sql': Q,
      'queries/deep/b.sql': Q,
      'queries/deep/notes.txt': 'not SQL',
      'queries/gen/c.sql': Q,
      'queries/node_modules/d.sql': Q,
      'queries/app.ts': 'export {};\n',
      'top.sql': Q,
      '[draft].sql': Q,
    });
    expect(await paths(['queries/**/*.sql'], dir)).toEqual(['queries/a.sql', 'queries/deep/b.sql']);
    expect(await paths(['*.sql'], dir)).toEqual(['[draft].sql', 'top.sql']);
    expect(await paths(['queries/{deep,none}/*', 'queries/*.sql', 'queries/a.sql'], dir)).toEqual(['queries/deep/b.sql', 'queries/a.sql']);
    expect(await paths(['[draft].sql'], dir)).toEqual(['[draft].sql']);
    expect(await paths(['--exclude', 'deep', 'queries/**/*.sql'], dir)).toEqual(['queries/a.sql']);
  });

  it('stops when a pattern matches nothing, as a missing path does', async () => {
    const dir = project('glob-none', { 'q.sql': Q, 'notes.txt': 'x' });
    const none = await runCli(['*.txt'], { cwd: dir });
    expect(none).toMatchObject({ code: 2, stdout: '' });
    expect(none.stderr).toBe(
      'limitless-lint: no files match *.txt (it is matched against the *.sql and TypeScript/JavaScript files below ., skipping node_modules, dot-directories and what .gitignore ignores)\n',
    );
    expect((await runCli(['missing/**/*.sql'], { cwd: dir })).code).toBe(2);
  });
});

describe('walking', () => {
  it('survives symbolic link loops and finds each file once', async () => {
    const dir = project('loops', { 'a/x.sql': Q, 'a/y.ts': 'pool.query("SELECT 1");\n' });
    symlinkSync(dir, join(dir, 'a', 'back'));
    symlinkSync(join(dir, 'a'), join(dir, 'a', 'self'));
    symlinkSync(join(dir, 'a', 'x.sql'), join(dir, 'x-link.sql'));
    expect(await paths(['.', 'a'], dir)).toEqual(['a/x.sql', 'a/y.ts']);
  });

  it('finds SQL only for init, and both languages by default', async () => {
    const dir = project('languages', { 'm.sql': Q, 'm.ts': '', 'types.d.ts': '', 'x.d.mts': '', 'n.txt': '' });
    expect((await expandPaths(['.'], dir)).files.map((f) => f.slice(dir.length + 1))).toEqual(['m.sql', 'm.ts']);
    expect((await expandPaths(['.'], dir, { languages: ['sql'] })).files.map((f) => f.slice(dir.length + 1))).toEqual(['m.sql']);
  });
});
