import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './run-cli.js';

// The CLI's side of issue 17 ("hostile input"): each reproducer, as it was reported.

const bin = join(repoRoot, 'packages/cli/bin/limitless-lint.js');
const demo = join(repoRoot, 'fixtures/demo/limitless.yaml');
const posix = process.platform !== 'win32';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'limitless-lint-hostile-'));
  expect(existsSync(join(repoRoot, 'packages/cli/dist/main.js')), 'build first: npx tsc -b').toBe(true);
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function mkfifo(path: string): void {
  const made = spawnSync('mkfifo', [path]);
  expect(made.status, 'mkfifo').toBe(0);
}

describe.runIf(posix)('inputs that can be read only once', () => {
  it('reads a process substitution once: the DDL pre-pass and the lint share the read', () => {
    // Before: "0 statements … no problems", exit 0 (the pre-pass had drained the pipe).
    const child = spawnSync('bash', ['-c', `"${process.execPath}" "${bin}" --format json --config "${demo}" <(echo 'DELETE FROM accounts;')`], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(1);
    const report = JSON.parse(child.stdout) as { summary: { statements: number; errors: number } };
    expect(report.summary.statements).toBe(1);
    expect(report.summary.errors).toBeGreaterThan(0);
  });

  it('reads a named FIFO given on the command line once, without hanging', async () => {
    const dir = join(tmp, 'fifo-named');
    mkdirSync(dir);
    const fifo = join(dir, 'queries.sql');
    mkfifo(fifo);
    // The writer opens the FIFO once and writes once: a second open by the linter would hang.
    const writer = spawn('sh', ['-c', `printf 'DELETE FROM accounts;\\nSELECT 1;\\n' > "${fifo}"`]);
    const child = spawnSync(process.execPath, [bin, '--format', 'json', '--config', demo, fifo], { encoding: 'utf8', timeout: 30_000 });
    writer.kill();
    expect(child.signal).toBeNull();
    expect(child.status).toBe(1);
    expect((JSON.parse(child.stdout) as { summary: { statements: number } }).summary.statements).toBe(2);
  });

  it('reports and counts a FIFO found in a directory walk, without reading it', async () => {
    const dir = join(tmp, 'fifo-walk');
    mkdirSync(dir);
    writeFileSync(join(dir, 'limitless.yaml'), 'shards: 16\n');
    writeFileSync(join(dir, 'a.sql'), 'SELECT 1;\n');
    mkfifo(join(dir, 'b.sql'));
    const { code, stdout, stderr } = await runCli(['.'], { cwd: dir });
    expect(stderr).toBe('limitless-lint: b.sql: a FIFO, not linted (name it on the command line to read it once)\n');
    expect(code).toBe(2);
    expect(stdout).toContain('1 statement in 1 file (0 parse errors); 1 path not linted');
  });
});

describe('size limits', () => {
  it('refuses a file above --max-file-size, lints the others, exits 2', async () => {
    const dir = join(tmp, 'too-large');
    mkdirSync(dir);
    writeFileSync(join(dir, 'limitless.yaml'), 'shards: 16\n');
    writeFileSync(join(dir, 'big.sql'), `SELECT 1;\n${'-- padding\n'.repeat(200_000)}`);
    writeFileSync(join(dir, 'small.sql'), 'SELECT 1;\n');
    const { code, stderr, stdout } = await runCli(['--max-file-size', '1', '.'], { cwd: dir });
    expect(stderr).toBe('limitless-lint: big.sql: too large (2.1 MiB; the limit is 1 MiB, raise it with --max-file-size), not linted\n');
    expect(code).toBe(2);
    expect(stdout).toContain('1 statement in 1 file');
    expect((await runCli(['--max-file-size', '3', '.'], { cwd: dir })).code).toBe(0);
  });

  it.runIf(posix)('stops reading an endless device at the limit', async () => {
    const { code, stderr } = await runCli(['--config', demo, '--max-file-size', '1', '/dev/zero']);
    expect(code).toBe(2);
    expect(stderr).toBe('limitless-lint: /dev/zero: too large (more than 1 MiB read from a character device; the limit is 1 MiB, raise it with --max-file-size), not linted\n');
  });

  it('refuses standard input above the limit', async () => {
    const { code, stderr } = await runCli(['--max-file-size', '1', '-', '--stdin-filename', 'fixtures/demo/q.sql'], { stdin: 'SELECT 1;\n'.repeat(120_000) });
    expect(code).toBe(2);
    expect(stderr).toBe('limitless-lint: standard input is too large (more than 1 MiB; raise the limit with --max-file-size)\n');
  });
});

describe('the manifest path', () => {
  it.runIf(posix)('--config /dev/zero: a clear error, exit 2, nothing read (before: 16 GB and an abort)', async () => {
    const { code, stderr } = await runCli(['--config', '/dev/zero', 'fixtures/cli/clean/ok.sql']);
    expect({ code, stderr }).toEqual({
      code: 2,
      stderr: 'limitless-lint: the manifest /dev/zero is a character device, not a regular file; name a limitless.yaml file\n',
    });
  });

  it('--config naming a directory, or a file larger than a manifest can be', async () => {
    const dir = join(tmp, 'manifest-size');
    mkdirSync(dir);
    writeFileSync(join(dir, 'huge.yaml'), Buffer.alloc(33 * 1024 * 1024, 0x20));
    expect(await runCli(['--config', dir, 'fixtures/cli/clean/ok.sql'])).toMatchObject({ code: 2, stderr: `limitless-lint: the manifest ${dir} is a directory; name its limitless.yaml\n` });
    expect(await runCli(['--config', join(dir, 'huge.yaml'), 'fixtures/cli/clean/ok.sql'])).toMatchObject({
      code: 2,
      stderr: `limitless-lint: the manifest ${join(dir, 'huge.yaml')} is too large (33 MiB; the limit is 32 MiB)\n`,
    });
  });
});

describe('--jobs', () => {
  it('is capped at the available parallelism, and says so', async () => {
    const many = availableParallelism() + 5;
    const { code, stderr } = await runCli(['--jobs', String(many), 'fixtures/cli/clean/ok.sql', 'fixtures/cli/parse-errors/two-errors.sql']);
    expect(code).toBe(1);
    expect(stderr).toBe(`limitless-lint: --jobs ${many} is more than this machine runs at once; using ${availableParallelism()}\n`);
  });
});
