import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './run-cli.js';

/**
 * The environment of every git run in these tests, the CLI's included (it runs git with
 * `process.env`): no system or global configuration, so the machine's settings cannot change
 * the outcome. Set with `vi.stubEnv` in each test file.
 */
export const GIT_TEST_ENV = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' } as const;

/** The demo project's manifest: accounts, transactions, ledger_entries (sharded on account_id), merchants, currencies … */
export const DEMO_MANIFEST = readFileSync(join(repoRoot, 'fixtures/demo/limitless.yaml'), 'utf8');

/** A throw-away git repository in a temporary directory. */
export class GitRepo {
  readonly dir: string;

  constructor(prefix: string) {
    this.dir = mkdtempSync(join(tmpdir(), `limitless-lint-${prefix}-`));
    this.git('init', '--quiet', '--initial-branch=main');
  }

  /** Runs git in the repository with a fixed identity; returns stdout. */
  git(...args: string[]): string {
    return execFileSync(
      'git',
      ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', '-c', 'core.autocrlf=false', ...args],
      { cwd: this.dir, env: { ...process.env, ...GIT_TEST_ENV }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
  }

  write(files: Record<string, string>): this {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(this.dir, path, '..'), { recursive: true });
      writeFileSync(join(this.dir, path), content);
    }
    return this;
  }

  read(path: string): string {
    return readFileSync(join(this.dir, path), 'utf8');
  }

  /** Stages everything and commits. */
  commit(message: string): this {
    this.git('add', '--all');
    this.git('commit', '--quiet', '--allow-empty', '-m', message);
    return this;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
