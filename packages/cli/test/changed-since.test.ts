import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { linesChanged, parseUnifiedDiff, unquote } from '../src/ci/changed-since.js';
import { DEMO_MANIFEST, GIT_TEST_ENV, GitRepo } from './changed-git-repo.js';
import { runCli, runJson } from './run-cli.js';

const MAIN_SQL = `-- Queries of the payment service.

-- Point lookup.
SELECT account_id, owner_name FROM accounts WHERE account_id = $1;

-- Scatter: no shard key.
SELECT transaction_id, amount FROM transactions WHERE merchant_id = $1;

-- Reference write.
UPDATE currencies SET name = 'Euro' WHERE code = 'EUR';

-- Range on the shard key.
SELECT account_id
  FROM accounts
 WHERE account_id > 10
   AND status = 'open';
`;

/** Every statement moved down a line; the lookup edited; a constant edited; a line of the range removed; one added. */
const BRANCH_SQL = `-- Queries of the payment service.
-- (moved down by this comment)

-- Point lookup, now by name.
SELECT account_id, owner_name FROM accounts WHERE owner_name = $1;

-- Scatter: no shard key.
SELECT transaction_id, amount FROM transactions WHERE merchant_id = $1;

-- Reference write.
UPDATE currencies SET name = 'Euro (EUR)' WHERE code = 'EUR';

-- Range on the shard key.
SELECT account_id
  FROM accounts
 WHERE account_id > 10;

DELETE FROM ledger_entries WHERE entry_id = $1;
`;

type Found = [path: string, line: number, rule: string];

async function findings(args: string[], cwd: string): Promise<{ code: number; found: Found[] }> {
  const { code, report } = await runJson(args, { cwd });
  return { code, found: report.files.flatMap((f) => f.diagnostics.map((d): Found => [f.path, d.line, d.ruleId])) };
}

let repo: GitRepo;
beforeAll(() => {
  for (const [name, value] of Object.entries(GIT_TEST_ENV)) vi.stubEnv(name, value);
  repo = new GitRepo('changed');
  repo.write({ 'limitless.yaml': DEMO_MANIFEST, 'queries.sql': MAIN_SQL, 'old/untouched.sql': 'SELECT * FROM transactions WHERE merchant_id = $1;\n' }).commit('main');
  repo.git('checkout', '--quiet', '-b', 'feature');
  repo.write({ 'queries.sql': BRANCH_SQL });
});
afterAll(() => {
  repo.remove();
  vi.unstubAllEnvs();
});

describe('--changed-since', () => {
  it('without it, every finding of the file is reported', async () => {
    const { code, found } = await findings(['queries.sql'], repo.dir);
    expect(code).toBe(1);
    expect(found).toEqual([
      ['queries.sql', 5, 'require-shard-key'],
      ['queries.sql', 8, 'require-shard-key'],
      ['queries.sql', 11, 'no-reference-table-write'],
      ['queries.sql', 15, 'require-shard-key'],
      ['queries.sql', 18, 'require-shard-key'],
      ['queries.sql', 18, 'no-multi-shard-write'],
    ]);
  });

  it('reports only the statements the branch changed: edited, re-valued, shortened and added — not moved ones', async () => {
    const { code, found } = await findings(['--changed-since', 'main', '.'], repo.dir);
    expect(code).toBe(1);
    expect(found).toEqual([
      ['queries.sql', 5, 'require-shard-key'], // edited: now by owner_name
      ['queries.sql', 11, 'no-reference-table-write'], // a constant edited: the statement changed
      ['queries.sql', 15, 'require-shard-key'], // a line removed inside it
      ['queries.sql', 18, 'require-shard-key'], // added
      ['queries.sql', 18, 'no-multi-shard-write'],
    ]);
  });

  it('says on stderr how many findings it left out, and counts only the reported ones for the exit code', async () => {
    const { code, stdout, stderr } = await runCli(['--changed-since', 'main', 'queries.sql', 'old'], { cwd: repo.dir });
    expect(code).toBe(1);
    const base = repo.git('merge-base', 'main', 'HEAD').trim().slice(0, 12);
    expect(stderr).toBe(`limitless-lint: --changed-since main: 2 problems in statements not changed since ${base} not reported\n`);
    expect(stdout).toContain('✖ 5 problems (3 errors, 2 warnings)');
  });

  it('exits 0 when only unchanged statements have findings', async () => {
    const { code, found } = await findings(['--changed-since', 'main', 'old'], repo.dir);
    expect({ code, found }).toEqual({ code: 0, found: [] });
  });

  it('compares with the merge base: commits on the other branch do not count as the branch changes', async () => {
    const other = new GitRepo('merge-base');
    try {
      other.write({ 'limitless.yaml': DEMO_MANIFEST, 'a.sql': MAIN_SQL }).commit('base');
      other.git('checkout', '--quiet', '-b', 'topic');
      other.write({ 'b.sql': 'SELECT * FROM accounts WHERE status = $1;\n' }).commit('topic');
      other.git('checkout', '--quiet', 'main');
      // main moves on: a.sql changes there, not on the topic branch.
      other.write({ 'a.sql': MAIN_SQL.replace("'Euro'", "'Euro!'") }).commit('main moves');
      other.git('checkout', '--quiet', 'topic');
      const { found } = await findings(['--changed-since', 'main', '.'], other.dir);
      expect(found).toEqual([['b.sql', 1, 'require-shard-key']]);
    } finally {
      other.remove();
    }
  });

  it('counts committed, staged, unstaged and untracked changes, and follows renames', async () => {
    const other = new GitRepo('kinds');
    try {
      other.write({
        'limitless.yaml': DEMO_MANIFEST,
        'committed.sql': 'SELECT * FROM accounts WHERE status = $1;\n',
        'staged.sql': 'SELECT * FROM accounts WHERE status = $1;\n',
        'unstaged.sql': 'SELECT * FROM accounts WHERE status = $1;\n',
        'renamed-from.sql': `${MAIN_SQL}`,
      }).commit('base');
      other.git('checkout', '--quiet', '-b', 'topic');
      other.write({ 'committed.sql': 'SELECT * FROM accounts WHERE status = $2;\n' }).commit('edit');
      other.write({ 'staged.sql': 'SELECT * FROM accounts WHERE status = $2;\n' });
      other.git('add', 'staged.sql');
      other.write({ 'unstaged.sql': 'SELECT * FROM accounts WHERE status = $2;\n', 'untracked.sql': 'SELECT * FROM accounts WHERE status = $1;\n' });
      other.git('mv', 'renamed-from.sql', 'renamed-to.sql');
      other.write({ 'renamed-to.sql': MAIN_SQL.replace("'Euro'", "'Euro!'") });
      const { found } = await findings(['--changed-since', 'main', '.'], other.dir);
      expect(found).toEqual([
        ['committed.sql', 1, 'require-shard-key'],
        ['renamed-to.sql', 10, 'no-reference-table-write'],
        ['staged.sql', 1, 'require-shard-key'],
        ['unstaged.sql', 1, 'require-shard-key'],
        ['untracked.sql', 1, 'require-shard-key'],
      ]);
    } finally {
      other.remove();
    }
  });

  it('runs from a subdirectory of the repository', async () => {
    const { found } = await findings(['--changed-since', 'main', '../queries.sql', '.'], join(repo.dir, 'old'));
    expect(found.map(([path, line]) => [path, line])).toEqual([
      [join(repo.dir, 'queries.sql'), 5],
      [join(repo.dir, 'queries.sql'), 11],
      [join(repo.dir, 'queries.sql'), 15],
      [join(repo.dir, 'queries.sql'), 18],
      [join(repo.dir, 'queries.sql'), 18],
    ]);
  });
});

describe('--changed-since failures: exit 2 with one line, nothing linted', () => {
  it('a revision that does not exist', async () => {
    const { code, stdout, stderr } = await runCli(['--changed-since', 'no-such-branch', '.'], { cwd: repo.dir });
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe("limitless-lint: --changed-since: unknown git revision 'no-such-branch' (no branch, tag or commit of that name; in CI, fetch it first)\n");
  });

  it('a revision that looks like an option', async () => {
    const { code, stderr } = await runCli(['--changed-since=--output=x', '.'], { cwd: repo.dir });
    expect(code).toBe(2);
    expect(stderr).toBe("limitless-lint: --changed-since: '--output=x' is not a git revision\n");
  });

  it('a directory outside any git repository', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'limitless-lint-no-repo-'));
    // Even if the temporary directory lies inside a repository, git must not look above `dir`.
    vi.stubEnv('GIT_CEILING_DIRECTORIES', tmpdir());
    try {
      const { code, stdout, stderr } = await runCli(['--changed-since', 'main', join(repo.dir, 'queries.sql')], { cwd: dir });
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
      expect(stderr).toBe(`limitless-lint: --changed-since needs a git repository, and ${dir} is not in one\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('git not installed', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'limitless-lint-no-git-'));
    const path = process.env['PATH'] ?? '';
    vi.stubEnv('PATH', empty);
    try {
      const { code, stderr } = await runCli(['--changed-since', 'main', '.'], { cwd: repo.dir });
      expect(code).toBe(2);
      expect(stderr).toBe('limitless-lint: --changed-since needs git, and no `git` command was found on the PATH\n');
    } finally {
      vi.stubEnv('PATH', path);
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('a repository without history in common (a shallow clone)', async () => {
    const other = new GitRepo('unrelated');
    try {
      other.write({ 'limitless.yaml': DEMO_MANIFEST, 'a.sql': 'SELECT 1;\n' }).commit('one');
      other.git('checkout', '--quiet', '--orphan', 'island');
      other.commit('unrelated');
      const { code, stderr } = await runCli(['--changed-since', 'main', '.'], { cwd: other.dir });
      expect(code).toBe(2);
      expect(stderr).toBe(
        "limitless-lint: --changed-since: 'main' and HEAD have no common history (a shallow clone? fetch the history, e.g. actions/checkout with fetch-depth: 0)\n",
      );
    } finally {
      other.remove();
    }
  });
});

describe('parseUnifiedDiff', () => {
  it('counts hunk lines, so a removed SQL comment (`--- …`) is not a file header', () => {
    const diff = [
      'diff --git a/q.sql b/q.sql',
      'index 1..2 100644',
      '--- a/q.sql',
      '+++ b/q.sql',
      '@@ -3,2 +3 @@',
      '--- Point lookup.',
      '-SELECT 1;',
      '+SELECT 2;',
      '@@ -9 +8,0 @@',
      '-SELECT 3;',
      '\\ No newline at end of file',
      '',
    ].join('\n');
    expect([...parseUnifiedDiff(diff)]).toEqual([['q.sql', { oldPath: 'q.sql', whole: false, ranges: [[3, 3]], deletions: [8] }]]);
  });

  it('reads new files, renames (with and without edits), quoted names; leaves out binary and mode-only changes', () => {
    const diff = [
      'diff --git a/new.sql b/new.sql',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/new.sql',
      '@@ -0,0 +1,2 @@',
      '+SELECT 1;',
      '+SELECT 2;',
      'diff --git a/a.sql b/b.sql',
      'similarity index 100%',
      'rename from a.sql',
      'rename to b.sql',
      'diff --git a/c.sql b/d.sql',
      'similarity index 90%',
      'rename from c.sql',
      'rename to d.sql',
      '--- a/c.sql',
      '+++ b/d.sql',
      '@@ -1 +1 @@',
      '-SELECT 1;',
      '+SELECT 2;',
      'diff --git "a/tab\\there.sql" "b/tab\\there.sql"',
      '--- "a/tab\\there.sql"',
      '+++ "b/tab\\there.sql"',
      '@@ -1 +1 @@',
      '-x',
      '+y',
      'diff --git a/with space.sql b/with space.sql',
      '--- a/with space.sql\t',
      '+++ b/with space.sql\t',
      '@@ -4,0 +5,2 @@',
      '+a',
      '+b',
      'diff --git a/img.png b/img.png',
      'Binary files a/img.png and b/img.png differ',
      'diff --git a/run.sh b/run.sh',
      'old mode 100644',
      'new mode 100755',
    ].join('\n');
    expect(Object.fromEntries(parseUnifiedDiff(diff))).toEqual({
      'new.sql': { oldPath: undefined, whole: true, ranges: [[1, 2]], deletions: [] },
      'b.sql': { oldPath: 'a.sql', whole: false, ranges: [], deletions: [] },
      'd.sql': { oldPath: 'c.sql', whole: false, ranges: [[1, 1]], deletions: [] },
      'tab\there.sql': { oldPath: 'tab\there.sql', whole: false, ranges: [[1, 1]], deletions: [] },
      'with space.sql': { oldPath: 'with space.sql', whole: false, ranges: [[5, 6]], deletions: [] },
    });
  });

  it('unquotes octal UTF-8 bytes and escapes', () => {
    expect(unquote('"caf\\303\\251 \\"q\\".sql"')).toBe('café "q".sql');
    expect(unquote('plain.sql')).toBe('plain.sql');
  });
});

describe('linesChanged', () => {
  const change = { oldPath: 'q.sql', whole: false, ranges: [[5, 6]] as [number, number][], deletions: [10] };
  it.each([
    [1, 4, false],
    [4, 5, true],
    [6, 9, true],
    [7, 10, false], // removed after line 10: the statement ends there
    [10, 11, true], // removed between lines 10 and 11
    [11, 12, false],
  ])('lines %i–%i: %s', (first, last, expected) => {
    expect(linesChanged(change, first, last)).toBe(expected);
  });

  it('a new file: every line; no change: none', () => {
    expect(linesChanged({ oldPath: undefined, whole: true, ranges: [], deletions: [] }, 1, 1)).toBe(true);
    expect(linesChanged(undefined, 1, 100)).toBe(false);
  });
});
