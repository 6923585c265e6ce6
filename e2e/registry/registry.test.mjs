// The packages as a user gets them: published to a real npm registry (verdaccio, from the lockfile,
// on 127.0.0.1), then installed into new projects outside the workspace with npm and with pnpm, and
// run there on a project written for the test (project/: limitless.yaml, SQL and TypeScript with
// planted problems).
//
//   pnpm test:e2e          (builds first; .ci/run runs it after `pnpm test`)
//
// Our three packages are published to the registry; everything they depend on comes through it
// from the registry npm is configured with here (verdaccio's uplink), as a user's install would.
// Every command has a time limit; the registry and the temporary directories are removed on every
// way out (pass, failure, time-out, Ctrl-C).
/* global fetch, AbortSignal */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROJECT = fileURLToPath(new URL('project/', import.meta.url));
const PACKAGES = ['core', 'cli', 'eslint-plugin']; // dependencies first
const PNPM = ['-y', 'pnpm@12.4.2'];
const VERSION = JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8')).version;

/** What the project plants, as the CLI and ESLint must both report it (rule, line, column). */
const PLANTED_SQL = [
  { file: 'sql/orders.sql', ruleId: 'require-shard-key', line: 5, column: 15, severity: 'error' },
  { file: 'sql/orders.sql', ruleId: 'no-session-pinning', line: 8, column: 1, severity: 'warning' },
  { file: 'sql/orders.sql', ruleId: 'no-sequence-ordering', line: 11, column: 60, severity: 'warning' },
];
const PLANTED_TS = [
  { file: 'src/orders.ts', ruleId: 'require-shard-key', line: 4, column: 36, severity: 'error' },
  { file: 'src/orders.ts', ruleId: 'no-session-pinning', line: 12, column: 21, severity: 'warning' },
];

const work = mkdtempSync(join(tmpdir(), 'limitless-lint-registry-'));
let registry; // the verdaccio child process
let registryUrl;

function cleanUp() {
  if (registry && registry.exitCode === null && registry.signalCode === null) registry.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true, maxRetries: 3 });
}
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

/** Runs a command to completion within `seconds`; fails the test with its output when `expect` differs. */
function run(command, args, { cwd, env = {}, seconds = 120, expect = 0 } = {}) {
  const result = spawnSync(command, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: seconds * 1000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  const shown = `${command} ${args.join(' ')} (in ${cwd})`;
  if (result.error) throw new Error(`${shown}: ${result.error.message}`);
  if (result.signal) throw new Error(`${shown}: killed by ${result.signal} after ${seconds} s\n${result.stdout}\n${result.stderr}`);
  if (expect !== undefined && result.status !== expect) {
    throw new Error(`${shown}: exit ${result.status}, expected ${expect}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startRegistry() {
  const uplink = run('npm', ['config', 'get', 'registry'], { cwd: work, seconds: 30 }).stdout.trim();
  const port = await freePort();
  const dir = join(work, 'registry');
  mkdirSync(dir);
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    [
      `storage: ${JSON.stringify(join(dir, 'storage'))}`,
      'auth:',
      '  htpasswd:',
      `    file: ${JSON.stringify(join(dir, 'htpasswd'))}`,
      'uplinks:',
      '  upstream:',
      `    url: ${JSON.stringify(uplink)}`,
      '    timeout: 60s',
      'packages:',
      // Ours come only from this registry, never from the uplink.
      "  'limitless-lint':",
      '    access: $all',
      '    publish: $authenticated',
      "  '@limitless-lint/*':",
      '    access: $all',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      '    proxy: upstream',
      'web:',
      '  enable: false',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  const bin = join(ROOT, 'node_modules/verdaccio/bin/verdaccio');
  registry = spawn(process.execPath, [bin, '--config', config, '--listen', `127.0.0.1:${port}`], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  registry.stdout.on('data', (d) => (output += d));
  registry.stderr.on('data', (d) => (output += d));
  registryUrl = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (registry.exitCode !== null) throw new Error(`verdaccio exited with ${registry.exitCode}:\n${output}`);
    try {
      const ping = await fetch(`${registryUrl}-/ping`, { signal: AbortSignal.timeout(2000) });
      if (ping.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`verdaccio did not answer on ${registryUrl} within 30 s:\n${output}`);
}

/** A user on the registry (npm adduser's request) and an npmrc with its token. */
async function npmrcWithToken() {
  const name = 'e2e';
  const response = await fetch(`${registryUrl}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: 'e2e-password', email: 'e2e@example.invalid', type: 'user', roles: [] }),
    signal: AbortSignal.timeout(10_000),
  });
  assert.equal(response.status, 201, `adding a registry user: HTTP ${response.status}`);
  const { token } = await response.json();
  const file = join(work, 'publish.npmrc');
  writeFileSync(file, `registry=${registryUrl}\n//${registryUrl.slice('http://'.length)}:_authToken=${token}\n`);
  return file;
}

/** A new project outside the workspace: the planted files, and an npmrc naming only our registry. */
function newProject(name, packageJson) {
  const dir = join(work, name);
  cpSync(PROJECT, dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name, version: '1.0.0', private: true, ...packageJson }, null, 2)}\n`);
  writeFileSync(join(dir, '.npmrc'), `registry=${registryUrl}\n`);
  return dir;
}

/** The npmrc of the project, not the user's: the project's registry setting is the only one. */
const userConfig = () => ({ npm_config_userconfig: join(work, 'empty.npmrc') });

const sortFindings = (list) => [...list].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));

/** The CLI's findings from its JSON report, ESLint's from its own, in one shape. */
function cliFindings(stdout) {
  return sortFindings(
    JSON.parse(stdout).files.flatMap((f) => f.diagnostics.map((d) => ({ file: f.path, ruleId: d.ruleId, line: d.line, column: d.column, severity: d.severity }))),
  );
}
function eslintFindings(stdout, cwd) {
  return sortFindings(
    JSON.parse(stdout).flatMap((r) =>
      r.messages.map((m) => ({
        file: r.filePath.slice(cwd.length + 1),
        ruleId: m.ruleId?.replace(/^limitless-lint\//, '') ?? `(fatal) ${m.message}`,
        line: m.line,
        column: m.column,
        severity: m.severity === 2 ? 'error' : 'warning',
      })),
    ),
  );
}

describe('published packages, installed from a registry', { timeout: 240_000 }, () => {
  before(async () => {
    writeFileSync(join(work, 'empty.npmrc'), '');
    await startRegistry();
    const npmrc = await npmrcWithToken();
    for (const pkg of PACKAGES) {
      run('npx', [...PNPM, 'publish', '--no-git-checks', '--registry', registryUrl], {
        cwd: join(ROOT, 'packages', pkg),
        env: { npm_config_userconfig: npmrc },
        seconds: 120,
      });
    }
  });

  after(cleanUp);

  it('the registry serves the three packages with real dependency versions, README and LICENSE', () => {
    for (const name of ['@limitless-lint/core', 'limitless-lint', '@limitless-lint/eslint-plugin']) {
      const view = run('npm', ['view', `${name}@${VERSION}`, 'dependencies', 'license', 'readme', '--json', '--registry', registryUrl], { cwd: work, env: userConfig(), seconds: 30 });
      const manifest = JSON.parse(view.stdout);
      for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) assert.doesNotMatch(range, /^workspace:/, `${name} → ${dep}`);
      if (name !== '@limitless-lint/core') assert.equal(manifest.dependencies['@limitless-lint/core'], VERSION);
      assert.equal(manifest.license, 'MIT');
      assert.match(manifest.readme ?? '', /## Install/);
    }
  });

  it('npm install -D limitless-lint; npx limitless-lint sql/ finds the planted problems (exit 1)', () => {
    const dir = newProject('npm-user', {});
    run('npm', ['install', '-D', 'limitless-lint', '--no-audit', '--no-fund'], { cwd: dir, env: userConfig(), seconds: 150 });
    const installed = JSON.parse(readFileSync(join(dir, 'node_modules/limitless-lint/package.json'), 'utf8'));
    assert.equal(installed.version, VERSION);
    for (const file of ['LICENSE', 'README.md', 'dist/limitless-lint.bundle.mjs']) readFileSync(join(dir, 'node_modules/limitless-lint', file));
    readFileSync(join(dir, 'node_modules/@limitless-lint/core/schema/limitless.schema.json'));
    for (const name of ['limitless-lint', '@limitless-lint/core']) {
      const files = readdirSync(join(dir, 'node_modules', name), { recursive: true }).map(String);
      assert.deepEqual(files.filter((f) => /(^|\/)(test|src)\/|\.test\.|\.map$|tsbuildinfo/.test(f)), [], `${name} ships no tests, sources or maps`);
    }

    const text = run('npx', ['limitless-lint', 'sql/'], { cwd: dir, env: userConfig(), seconds: 60, expect: 1 });
    for (const f of PLANTED_SQL) assert.ok(text.stdout.includes(`${f.file}:${f.line}:${f.column}`) && text.stdout.includes(f.ruleId), `${f.ruleId} at ${f.line}:${f.column}\n${text.stdout}`);
    const json = run('npx', ['limitless-lint', '--format', 'json', 'sql/', 'src/'], { cwd: dir, env: userConfig(), seconds: 60, expect: 1 });
    const found = cliFindings(json.stdout);
    for (const f of [...PLANTED_SQL, ...PLANTED_TS]) assert.ok(found.some((g) => JSON.stringify(g) === JSON.stringify(f)), `missing ${JSON.stringify(f)} in ${JSON.stringify(found)}`);
  });

  it('pnpm add -D limitless-lint @limitless-lint/eslint-plugin eslint; ESLint (.js and .cjs configs) reports what the CLI reports', () => {
    const dir = newProject('pnpm-user', { type: 'module' });
    run('npx', [...PNPM, 'add', '-D', 'limitless-lint', '@limitless-lint/eslint-plugin', 'eslint', 'typescript-eslint'], { cwd: dir, env: userConfig(), seconds: 150 });
    writeFileSync(
      join(dir, 'eslint.config.js'),
      [
        "import tseslint from 'typescript-eslint';",
        "import limitless from '@limitless-lint/eslint-plugin';",
        '',
        'export default [',
        "  { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },",
        '  limitless.configs.recommended,',
        '];',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'eslint.config.cjs'),
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

    const cli = cliFindings(run('npx', ['limitless-lint', '--format', 'json', 'src/'], { cwd: dir, env: userConfig(), seconds: 60, expect: 1 }).stdout);
    assert.deepEqual(cli, PLANTED_TS);
    const esm = eslintFindings(run('npx', ['eslint', '--format', 'json', '.'], { cwd: dir, env: userConfig(), seconds: 60, expect: 1 }).stdout, dir);
    assert.deepEqual(esm, cli, 'eslint.config.js');
    const cjs = eslintFindings(run('npx', ['eslint', '--config', 'eslint.config.cjs', '--format', 'json', '.'], { cwd: dir, env: userConfig(), seconds: 60, expect: 1 }).stdout, dir);
    assert.deepEqual(cjs, cli, 'eslint.config.cjs');
  });
});
