import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

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
