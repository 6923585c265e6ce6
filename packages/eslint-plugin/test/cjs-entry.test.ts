import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP, ESLINT_9_BIN, ESLINT_BIN, RECOMMENDED, findings } from './ts-app.js';

// The entries a user's config loads, as Node.js loads them (the built package, a child process):
// require() from eslint.config.cjs must not meet top-level await (ERR_REQUIRE_ASYNC_MODULE).
const PKG = fileURLToPath(new URL('..', import.meta.url));

function node(code: string, type: 'commonjs' | 'module') {
  const result = spawnSync(process.execPath, [`--input-type=${type}`, '-e', code], { cwd: PKG, encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}

describe('the package entries', () => {
  it('require() returns the plugin, whose ready promise resolves to itself once the parser is loaded', () => {
    const run = node(
      `const plugin = require('@limitless-lint/eslint-plugin');
       plugin.ready.then((p) => console.log(JSON.stringify({ same: p === plugin, name: plugin.meta.name, recommended: plugin.configs.recommended.plugins['limitless-lint'] === plugin })));`,
      'commonjs',
    );
    expect(run.stderr).not.toContain('ERR_REQUIRE_ASYNC_MODULE');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ same: true, name: '@limitless-lint/eslint-plugin', recommended: true });
  });

  it('import and require give the same plugin object', () => {
    const run = node(
      `import { createRequire } from 'node:module';
       const { default: imported } = await import('@limitless-lint/eslint-plugin');
       const required = createRequire(import.meta.url)('@limitless-lint/eslint-plugin');
       console.log(imported === required);`,
      'module',
    );
    expect(run.stdout).toBe('true');
  });

  it('the parser is loaded once the promise reactions that follow require() have run, before any I/O callback', () => {
    const run = node(
      `const plugin = require('@limitless-lint/eslint-plugin');
       const { isParserLoaded } = require('@limitless-lint/core');
       const sameTick = isParserLoaded();
       setImmediate(() => console.log(JSON.stringify({ sameTick, nextIo: isParserLoaded() })));`,
      'commonjs',
    );
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ sameTick: false, nextIo: true });
  });

  it('a rule that runs before the parser is loaded says so instead of reporting nothing', () => {
    const run = node(
      `const { Linter } = require('eslint');
       const plugin = require('@limitless-lint/eslint-plugin');
       try {
         new Linter().verify('pool.query("SELECT 1");', [plugin.configs.recommended], 'a.js');
         console.log('no error');
       } catch (e) { console.log(e.message); }`,
      'commonjs',
    );
    expect(run.stdout).toContain('has not finished loading');
    expect(run.stdout).toContain('plugin.ready');
  });
});

// A user's project with a plain CommonJS config, outside the workspace: the plugin and typescript-eslint
// in its node_modules (links to this package and the workspace's copy), fixtures/ts-app's sources and
// manifest. Before the parser was loaded synchronously, such a config reported nothing in 2 of 3 runs:
// the rules ran before libpg-query's asynchronous WebAssembly instantiation had finished.
describe('a plain eslint.config.cjs (no .ready), through the eslint CLI', () => {
  let project = '';
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'limitless-cjs-config-'));
    cpSync(join(APP, 'src'), join(project, 'src'), { recursive: true });
    cpSync(join(APP, 'limitless.yaml'), join(project, 'limitless.yaml'));
    writeFileSync(join(project, 'package.json'), '{ "private": true }\n');
    mkdirSync(join(project, 'node_modules', '@limitless-lint'), { recursive: true });
    symlinkSync(PKG, join(project, 'node_modules', '@limitless-lint', 'eslint-plugin'), 'dir');
    const tseslint = dirname(createRequire(import.meta.url).resolve('typescript-eslint/package.json'));
    symlinkSync(tseslint, join(project, 'node_modules', 'typescript-eslint'), 'dir');
    writeFileSync(
      join(project, 'eslint.config.cjs'),
      [
        "const tseslint = require('typescript-eslint');",
        "const limitless = require('@limitless-lint/eslint-plugin');",
        '',
        'module.exports = [',
        "  { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },",
        '  limitless.configs.recommended,',
        '];',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  const runs = [
    ...Array.from({ length: 5 }, (_, i) => ({ eslint: 'ESLint 10', bin: ESLINT_BIN, run: i + 1 })),
    ...Array.from({ length: 2 }, (_, i) => ({ eslint: 'ESLint 9', bin: ESLINT_9_BIN, run: i + 1 })),
  ];
  it.each(runs)('$eslint, run $run: reports every finding', ({ bin }) => {
    const run = spawnSync(process.execPath, [bin, '--format', 'json', 'src'], { cwd: project, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(findings(JSON.parse(run.stdout) as ESLint.LintResult[], project)).toEqual(RECOMMENDED);
  }, 70_000);
});
