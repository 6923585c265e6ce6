import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findManifest, formatManifestProblem, loadManifest, loadManifestSync, ManifestError, MAX_MANIFEST_BYTES } from './load.js';

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'limitless-manifest-'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Creates `path` under a fresh directory of the temp root, with `text` as content. */
function write(path: string, text: string): string {
  const file = join(root, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

describe('findManifest', () => {
  it('walks up from a nested directory', () => {
    const manifest = write('walk/limitless.yaml', 'shards: 4\n');
    mkdirSync(join(root, 'walk/src/db/queries'), { recursive: true });
    expect(findManifest(join(root, 'walk/src/db/queries'))).toBe(manifest);
  });

  it('walks up from a file, existing or not', () => {
    const manifest = write('file/limitless.yaml', 'shards: 4\n');
    const sql = write('file/src/queries/accounts.sql', 'SELECT 1;\n');
    expect(findManifest(sql)).toBe(manifest);
    expect(findManifest(join(root, 'file/src/queries/not-yet.sql'))).toBe(manifest);
  });

  it('finds the manifest in the start directory itself', () => {
    const manifest = write('here/limitless.yaml', 'shards: 4\n');
    expect(findManifest(join(root, 'here'))).toBe(manifest);
  });

  it('prefers limitless.yaml to limitless.yml in the same directory', () => {
    const yaml = write('both/limitless.yaml', 'shards: 4\n');
    write('both/limitless.yml', 'shards: 8\n');
    expect(findManifest(join(root, 'both'))).toBe(yaml);
  });

  it('takes the nearest manifest, whichever its extension', () => {
    write('nearest/limitless.yaml', 'shards: 4\n');
    const yml = write('nearest/pkg/limitless.yml', 'shards: 8\n');
    expect(findManifest(join(root, 'nearest/pkg/src/a.ts'))).toBe(yml);
  });

  it('ignores a directory named like a manifest', () => {
    const manifest = write('dir/limitless.yaml', 'shards: 4\n');
    mkdirSync(join(root, 'dir/sub/limitless.yaml'), { recursive: true });
    expect(findManifest(join(root, 'dir/sub/x.sql'))).toBe(manifest);
  });

  it('returns undefined when no directory up to the root has one', () => {
    mkdirSync(join(root, 'none/deep'), { recursive: true });
    expect(findManifest(join(root, 'none/deep'))).toBeUndefined();
  });
});

describe('loadManifest and loadManifestSync', () => {
  const loaders = [
    { name: 'loadManifest', load: loadManifest },
    { name: 'loadManifestSync', load: loadManifestSync },
  ];

  it.each(loaders)('$name reads a manifest and records its absolute path', async ({ load }) => {
    const file = write('load/limitless.yaml', 'shards: 4\ntables:\n  t: { mode: standard }\n');
    const result = await load(file);
    expect(result).toMatchObject({ ok: true, manifest: { file, shards: 4 } });
    expect(result.ok && result.manifest.tables.get('public.t')?.declaredAt).toEqual({ file, line: 3, column: 3 });
  });

  it.each(loaders)('$name reports problems with the file name', async ({ load }) => {
    const file = write('bad/limitless.yaml', 'shards: 0\n');
    expect(await load(file)).toEqual({
      ok: false,
      problems: [{ file, line: 1, column: 9, path: 'shards', message: 'must be at least 1, got `0`' }],
    });
  });

  it.each(loaders)('$name reports a missing file at line 0', async ({ load }) => {
    const file = join(root, 'missing/limitless.yaml');
    expect(await load(file)).toEqual({
      ok: false,
      problems: [{ file, line: 0, column: 0, path: '', message: 'cannot read the manifest: file not found' }],
    });
  });

  it.each(loaders)('$name reports a directory at line 0', async ({ load }) => {
    mkdirSync(join(root, 'isdir/limitless.yaml'), { recursive: true });
    const result = await load(join(root, 'isdir/limitless.yaml'));
    expect(result).toMatchObject({ ok: false, problems: [{ line: 0, column: 0, message: 'cannot read the manifest: it is a directory' }] });
  });
});

describe('loadManifest and loadManifestSync: hostile files', () => {
  const loaders = [
    { name: 'loadManifest', load: loadManifest },
    { name: 'loadManifestSync', load: loadManifestSync },
  ];

  it.runIf(existsSync('/dev/zero')).each(loaders)('$name refuses a device such as /dev/zero instead of reading it forever', async ({ load }) => {
    expect(await load('/dev/zero')).toEqual({
      ok: false,
      problems: [{ file: '/dev/zero', line: 0, column: 0, path: '', message: 'cannot read the manifest: it is not a regular file (a device or a socket)' }],
    });
  });

  it.each(loaders)('$name refuses a file larger than the limit without reading it', async ({ load }) => {
    const file = write('huge/limitless.yaml', 'shards: 4\n');
    truncateSync(file, MAX_MANIFEST_BYTES + 1); // sparse: no disk, no memory
    const result = await load(file);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]?.message).toMatch(/^cannot read the manifest: the manifest is larger than 32 MiB \(32 MiB\)/);
  });

  it.runIf(spawnSync('mkfifo', ['--version']).status === 0).each(loaders)(
    '$name reads a pipe once, and stops at the limit',
    async ({ load }) => {
      const fifo = join(root, `fifo-${Math.random().toString(36).slice(2)}`);
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      const writer = spawn('sh', ['-c', `head -c ${MAX_MANIFEST_BYTES + 2 * 1024 * 1024} /dev/zero | tr '\\0' a > ${fifo}`], { stdio: 'ignore' });
      try {
        const result = await load(fifo);
        expect(!result.ok && result.problems[0]?.message).toMatch(/^cannot read the manifest: the manifest is larger than 32 MiB;/);
      } finally {
        writer.kill();
      }
      const small = spawn('sh', ['-c', `printf 'shards: 8\\n' > ${fifo}`], { stdio: 'ignore' });
      expect(await load(fifo)).toMatchObject({ ok: true, manifest: { shards: 8 } });
      small.kill();
    },
    20_000,
  );

  it.each(loaders)('$name reports invalid UTF-8 at its line and column', async ({ load }) => {
    const file = join(root, 'utf8-limitless.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from('shards: 4\ntables:\n  caf'), Buffer.from([0xe9]), Buffer.from(': { mode: standard }\n')]));
    expect(await load(file)).toEqual({
      ok: false,
      problems: [{ file, line: 3, column: 6, path: '', message: 'the manifest is not valid UTF-8 (byte 0xE9 at offset 23)' }],
    });
  });

  it.each(loaders)('$name accepts UTF-8 names and a byte-order mark', async ({ load }) => {
    const file = write('utf8ok/limitless.yaml', '\ufeffshards: 4\ntables:\n  café: { mode: standard }\n');
    expect(await load(file)).toMatchObject({ ok: true, manifest: { shards: 4 } });
  });
});

describe('formatManifestProblem', () => {
  it.each([
    {
      problem: {
        file: 'limitless.yaml',
        line: 4,
        column: 5,
        path: 'tables.transactions.shard_keys',
        message: 'unknown key `shard_keys`',
        suggestion: 'shard_key',
      },
      expected: 'limitless.yaml:4:5: unknown key `shard_keys` (at tables.transactions.shard_keys) — did you mean `shard_key`?',
    },
    {
      problem: { file: 'limitless.yaml', line: 1, column: 9, path: 'shards', message: 'must be at least 1, got `0`' },
      expected: 'limitless.yaml:1:9: must be at least 1, got `0` (at shards)',
    },
    {
      problem: { file: 'limitless.yaml', line: 2, column: 1, path: '', message: 'Map keys must be unique' },
      expected: 'limitless.yaml:2:1: Map keys must be unique',
    },
    {
      problem: { file: '/x/limitless.yaml', line: 0, column: 0, path: '', message: 'cannot read the manifest: file not found' },
      expected: '/x/limitless.yaml: cannot read the manifest: file not found',
    },
    {
      problem: { line: 1, column: 1, path: '', message: 'manifest is empty' },
      expected: '1:1: manifest is empty',
    },
  ])('$expected', ({ problem, expected }) => {
    expect(formatManifestProblem(problem)).toBe(expected);
  });
});

describe('ManifestError', () => {
  it('carries the problems and lists them in its message', () => {
    const problems = [
      { file: 'm.yaml', line: 1, column: 1, path: 'shard', message: 'unknown key `shard`', suggestion: 'shards' },
      { file: 'm.yaml', line: 2, column: 9, path: 'shards', message: 'must be at least 1, got `0`' },
    ];
    const error = new ManifestError(problems);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ManifestError');
    expect(error.problems).toBe(problems);
    expect(error.message).toBe(
      'm.yaml:1:1: unknown key `shard` (at shard) — did you mean `shards`?\nm.yaml:2:9: must be at least 1, got `0` (at shards)',
    );
  });
});
