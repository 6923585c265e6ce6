import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineIndex } from '@limitless-lint/core';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './run-cli.js';

const bin = join(repoRoot, 'packages/cli/bin/limitless-lint.js');

describe('the built binary', () => {
  it('lints the demo project and reports its deliberate syntax error at its exact position', () => {
    expect(existsSync(join(repoRoot, 'packages/cli/dist/main.js')), 'build first: npx tsc -b').toBe(true);
    const bad = 'fixtures/demo/queries/bad.sql';
    const text = readFileSync(join(repoRoot, bad), 'utf8');
    const typo = text.indexOf('SELEC * FROM accounts');
    expect(typo).toBeGreaterThan(0);
    const { line, column } = new LineIndex(text).positionAt(typo);

    const child = spawnSync(process.execPath, [bin, 'fixtures/demo'], { cwd: repoRoot, encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(1);
    expect(child.stdout).toContain(`${bad}:${line}:${column}  error  PostgreSQL cannot parse this statement: syntax error at or near "SELEC".  parse-error`);
    expect(child.stdout).toContain(`${line} | SELEC * FROM accounts;`);
    // eslint-disable-next-line no-control-regex
    expect(child.stdout).not.toMatch(/\x1b\[/);
    expect(child.stdout).toMatch(/\n\d+ statements in 7 files \(1 parse error\)\n$/);
  });

  it('answers --version and -v (before loading the linter) with what the full program says', () => {
    const version = (JSON.parse(readFileSync(join(repoRoot, 'packages/cli/package.json'), 'utf8')) as { version: string }).version;
    for (const flag of ['--version', '-v']) {
      const child = spawnSync(process.execPath, [bin, flag], { cwd: repoRoot, encoding: 'utf8' });
      expect(child.stdout).toBe(`${version}\n`);
      expect(child.status).toBe(0);
    }
    // The same flag among others goes through commander, which must agree.
    const full = spawnSync(process.execPath, [bin, '--version', '--no-color'], { cwd: repoRoot, encoding: 'utf8' });
    expect(full.stdout).toBe(`${version}\n`);
  });

  it('runs the bundle (scripts/bundle.mjs), which lints exactly as the modules it was built from', () => {
    const bundle = join(repoRoot, 'packages/cli/dist/limitless-lint.bundle.mjs');
    expect(existsSync(bundle), 'bundle first: node packages/cli/scripts/bundle.mjs (the test script does)').toBe(true);
    const run = (entry: string) =>
      spawnSync(
        process.execPath,
        ['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(entry)}); process.exitCode = await main(process.argv.slice(1), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), env: {} });`, 'fixtures/demo', '--format', 'json'],
        { cwd: repoRoot, encoding: 'utf8' },
      );
    const bundled = run(bundle);
    const modules = run(join(repoRoot, 'packages/cli/dist/main.js'));
    expect(bundled.stderr).toBe('');
    expect(bundled.status).toBe(1);
    expect(bundled.stdout).toContain('"ruleId":"parse-error"');
    expect(bundled.stdout).toBe(modules.stdout);
    expect(bundled.status).toBe(modules.status);
  });
});
