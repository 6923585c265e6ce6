import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// What docs/release.md promises about the published packages, checked on the sources: the
// registry end-to-end test (pnpm test:e2e) checks the tarballs themselves.
const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const PACKAGES = ['cli', 'core', 'eslint-plugin'].map((dir) => ({ dir, json: JSON.parse(read(`packages/${dir}/package.json`)) as Record<string, unknown> }));
const HOME = 'https://github.com/limitless-lint/limitless-lint';

describe('release', () => {
  it('releases the three packages together, in one changesets group', () => {
    const config = JSON.parse(read('.changeset/config.json')) as { fixed: string[][] };
    expect(config.fixed).toHaveLength(1);
    expect([...(config.fixed[0] ?? [])].sort()).toEqual(PACKAGES.map((p) => String(p.json.name)).sort());
    expect(new Set(PACKAGES.map((p) => p.json.version)).size).toBe(1);
  });

  it("the action's default version is the released version", () => {
    const version = PACKAGES[0]?.json.version as string;
    expect(read('action.yml')).toMatch(new RegExp(`\\n  version:\\n(?: {4}.*\\n)*? {4}default: '${version.replace(/\./g, '\\.')}'\\n`));
  });

  it.each(PACKAGES)('packages/$dir: the metadata a registry page shows', ({ dir, json }) => {
    expect(json).toMatchObject({
      license: 'MIT',
      homepage: `${HOME}#readme`,
      repository: { type: 'git', url: `git+${HOME}.git`, directory: `packages/${dir}` },
      bugs: { url: `${HOME}/issues` },
      engines: { node: '>=20.19' },
      publishConfig: { access: 'public' },
    });
    expect(json.keywords).toEqual(expect.arrayContaining(['eslintplugin', 'eslint-plugin', 'postgresql', 'aurora', 'limitless', 'sharding']));
    expect(read(`packages/${dir}/LICENSE`)).toBe(read('LICENSE'));
    expect(read(`packages/${dir}/README.md`)).toContain(HOME);
  });

  it('npm pack refuses: it would publish workspace:* as the dependency on @limitless-lint/core', () => {
    const npm = spawnSync('npm', ['pack', '--dry-run'], {
      cwd: fileURLToPath(new URL('../packages/eslint-plugin/', import.meta.url)),
      encoding: 'utf8',
      timeout: 60_000,
      // Not pnpm's user agent (inherited under `pnpm test`), which npm passes on to the prepack script.
      env: { ...process.env, npm_config_user_agent: undefined },
    });
    expect(npm.status).not.toBe(0);
    expect(`${npm.stdout}${npm.stderr}`).toContain('pack and publish with pnpm');
  });
});
