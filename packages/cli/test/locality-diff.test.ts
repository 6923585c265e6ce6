import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compareRoutes, pairStatements, ROUTE_RANK } from '../src/ci/locality-diff.js';
import { SUMMARY_LIMIT } from '../src/ci/job-summary.js';
import { DEMO_MANIFEST, GIT_TEST_ENV, GitRepo } from './changed-git-repo.js';
import { runCli } from './run-cli.js';

const MAIN_SQL = `-- Payment queries.
SELECT account_id, owner_name FROM accounts WHERE account_id = $1;

SELECT transaction_id, amount FROM transactions WHERE merchant_id = $1;

SELECT t.transaction_id, c.name
  FROM transactions t
  JOIN currencies c ON c.code = t.currency_code
 WHERE t.account_id = 42;

SELECT account_id, status FROM accounts WHERE account_id IN (1, 2, 3);

SELECT name FROM currencies WHERE code = 'EUR';
`;

/**
 * Moved down by two lines; the lookup loses its shard key (worse); the scatter gains it (better);
 * the join only changes a constant and moves; the IN list grows (same route, larger fan-out: worse);
 * a reference read becomes a write (fan-out 1 → 16: worse); two statements added.
 */
const BRANCH_SQL = `-- Payment queries.
-- (two more lines
-- of comments)
SELECT account_id, owner_name FROM accounts WHERE owner_name = $1;

SELECT transaction_id, amount FROM transactions WHERE merchant_id = $1 AND account_id = $2;

SELECT t.transaction_id, c.name
  FROM transactions t
  JOIN currencies c ON c.code = t.currency_code
 WHERE t.account_id = 7;

SELECT account_id, status FROM accounts WHERE account_id IN (1, 2, 3, 4, 5);

UPDATE currencies SET name = 'Euro' WHERE code = 'EUR';

BEGIN;
SELECT * FROM ledger_entries WHERE entry_id = $1;
COMMIT;
`;

let repo: GitRepo;
let base: string;
beforeAll(() => {
  for (const [name, value] of Object.entries(GIT_TEST_ENV)) vi.stubEnv(name, value);
  repo = new GitRepo('locality');
  repo.write({ 'limitless.yaml': DEMO_MANIFEST, 'sql/payments.sql': MAIN_SQL, 'sql/same.sql': 'SELECT 1;\n' }).commit('main');
  base = repo.git('rev-parse', 'HEAD').trim().slice(0, 12);
  repo.git('checkout', '--quiet', '-b', 'feature');
  repo.write({ 'sql/payments.sql': BRANCH_SQL, 'sql/added.sql': "SELECT * FROM accounts WHERE status = 'open';\n" });
});
afterAll(() => {
  repo.remove();
  vi.unstubAllEnvs();
});

const EXPECTED_DIFF = (ref: string): string =>
  [
    `Locality diff against ${ref} (merge base ${base}): 3 worse, 1 better, 4 new`,
    '  worse   sql/payments.sql:4  single-shard → all-shards (fan-out 1 → 16)  SELECT account_id, owner_name FROM accounts WHERE owner_name = $1',
    '  worse   sql/payments.sql:13  multi-shard → multi-shard (fan-out 3 → 5)  SELECT account_id, status FROM accounts WHERE account_id IN (1, 2, 3, 4, 5)',
    "  worse   sql/payments.sql:15  reference → reference (fan-out 1 → 16)  UPDATE currencies SET name = 'Euro' WHERE code = 'EUR'",
    '  better  sql/payments.sql:6  all-shards → single-shard (fan-out 16 → 1)  SELECT transaction_id, amount FROM transactions WHERE merchant_id = $1 AND account_id = $2',
    "  new     sql/added.sql:1  all-shards (fan-out 16)  SELECT * FROM accounts WHERE status = 'open'",
    '  new     sql/payments.sql:18  all-shards (fan-out 16)  SELECT * FROM ledger_entries WHERE entry_id = $1',
    '  2 changed files compared: 1 unchanged, 0 removed, 2 new without tables',
    '',
  ].join('\n');

describe('--compare-to', () => {
  it('prints the statements whose route got worse or better, and the new ones, after a stylish report', async () => {
    const { code, stdout, stderr } = await runCli(['--compare-to', 'main', 'sql'], { cwd: repo.dir });
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(stdout.slice(stdout.indexOf('Locality diff'))).toBe(EXPECTED_DIFF('main'));
  });

  it('with --format json, keeps stdout one JSON document and prints the diff on stderr', async () => {
    const { stdout, stderr } = await runCli(['--format', 'json', '--compare-to', 'main', 'sql'], { cwd: repo.dir });
    expect(() => JSON.parse(stdout) as unknown).not.toThrow();
    expect(stderr).toBe(EXPECTED_DIFF('main'));
  });

  it('does not change what is reported, nor the exit code', async () => {
    const plain = await runCli(['--format', 'json', 'sql'], { cwd: repo.dir });
    const compared = await runCli(['--format', 'json', '--compare-to', 'main', 'sql'], { cwd: repo.dir });
    expect(compared.stdout).toBe(plain.stdout);
    expect(compared.code).toBe(plain.code);
  });

  it('follows a rename: the old version is read from the old path', async () => {
    const other = new GitRepo('locality-rename');
    try {
      other.write({ 'limitless.yaml': DEMO_MANIFEST, 'a.sql': MAIN_SQL }).commit('main');
      other.git('checkout', '--quiet', '-b', 'topic');
      other.git('mv', 'a.sql', 'b.sql');
      other.write({ 'b.sql': MAIN_SQL.replace('WHERE account_id = $1', 'WHERE account_id > $1') }).commit('rename and edit');
      const { stdout } = await runCli(['--compare-to', 'main', '.'], { cwd: other.dir });
      const diff = stdout.slice(stdout.indexOf('Locality diff'));
      expect(diff).toContain('): 1 worse, 0 better, 0 new\n');
      expect(diff).toContain('  worse   b.sql:2  single-shard → all-shards (fan-out 1 → 16)  SELECT account_id, owner_name FROM accounts WHERE account_id > $1\n');
      expect(diff).toContain('  1 changed file compared: 4 unchanged, 0 removed\n');
    } finally {
      other.remove();
    }
  });

  it('compares the SQL embedded in TypeScript, site by site, and filters it by changed lines', async () => {
    const other = new GitRepo('locality-ts');
    try {
      const before = [
        "import { sql } from './db';",
        '',
        'export const byId = (id: number) => sql`SELECT account_id, owner_name FROM accounts WHERE account_id = ${id}`;',
        'export const scan = (m: number) => sql`SELECT amount FROM transactions WHERE merchant_id = ${m}`;',
        '',
      ].join('\n');
      other.write({ 'limitless.yaml': DEMO_MANIFEST, 'repo.ts': before }).commit('main');
      other.git('checkout', '--quiet', '-b', 'topic');
      const after = before
        .replace("import { sql } from './db';", "import { sql } from './db';\n// Now by name.")
        .replace('WHERE account_id = ${id}`', 'WHERE owner_name = ${id}`');
      other.write({ 'repo.ts': after });
      const { stdout } = await runCli(['--changed-since', 'main', '--compare-to', 'main', 'repo.ts'], { cwd: other.dir });
      expect(stdout).toContain('  repo.ts:4:');
      expect(stdout).not.toContain('  repo.ts:5:');
      expect(stdout).toContain('  worse   repo.ts:4  single-shard → all-shards (fan-out 1 → 16)  SELECT account_id, owner_name FROM accounts WHERE owner_name = ${id}\n');
      expect(stdout).toContain('  1 changed file compared: 1 unchanged, 0 removed\n');
    } finally {
      other.remove();
    }
  });

  it('says so when no linted file changed', async () => {
    const { stdout } = await runCli(['--compare-to', 'main', 'sql/same.sql'], { cwd: repo.dir });
    expect(stdout).toMatch(new RegExp(`\nLocality diff against main \\(merge base ${base}\\): no linted file changed\n$`));
  });

  it('exits 2 with one line for a revision that does not exist', async () => {
    const { code, stdout, stderr } = await runCli(['--compare-to', 'v9.9.9', 'sql'], { cwd: repo.dir });
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe("limitless-lint: --compare-to: unknown git revision 'v9.9.9' (no branch, tag or commit of that name; in CI, fetch it first)\n");
  });
});

describe('--summary-file', () => {
  it('appends Markdown: the verdict, statements per route, problems per severity and the locality diff', async () => {
    const file = join(repo.dir, 'summary.md');
    writeFileSync(file, '# Earlier step\n\n');
    const { code } = await runCli(['--format', 'github', '--summary-file', file, '--changed-since', 'main', '--compare-to', 'main', 'sql'], {
      cwd: repo.dir,
    });
    expect(code).toBe(1);
    const md = readFileSync(file, 'utf8');
    expect(md.startsWith('# Earlier step\n\n## limitless-lint\n')).toBe(true);
    expect(md).toContain('❌ **5 problems** (3 errors, 2 warnings) · 10 statements in 3 files (0 parse errors)');
    expect(md).toContain(`- Only statements changed since <code>main</code> (merge base <code>${base}</code>) are checked.`);
    expect(md).toContain(
      [
        '| route | statements |',
        '|---|---:|',
        '| single-shard | 2 |',
        '| multi-shard | 1 |',
        '| all-shards | 3 |',
        '| reference | 1 |',
        '| none | 3 |',
      ].join('\n'),
    );
    expect(md).toContain(['| severity | problems |', '|---|---:|', '| error | 3 |', '| warning | 2 |', '| info | 0 |'].join('\n'));
    expect(md).toContain('### Locality diff against <code>main</code>');
    expect(md).toContain('**3 worse**, 1 better, 4 new · 1 unchanged, 0 removed, in 2 changed files');
    expect(md).toContain(
      '| <code>sql/payments.sql:4</code><br><code>SELECT account&#95;id, owner&#95;name FROM accounts WHERE owner&#95;name = $1</code> | single-shard (1 shard) | all-shards (16 shards) |',
    );
    expect(md).toContain('**2 new statements (and 2 without tables, not listed)**');
  });

  it('stays within 65,536 characters, folding long lists into <details>', async () => {
    const big = new GitRepo('summary-cap');
    try {
      big.write({ 'limitless.yaml': DEMO_MANIFEST, 'a.sql': 'SELECT 1;\n' }).commit('main');
      const many = Array.from({ length: 3000 }, (_, i) => `SELECT amount FROM transactions WHERE merchant_id = ${i} AND note = '${'x'.repeat(40)}';\n`).join('');
      big.write({ 'many.sql': many });
      const file = join(big.dir, 'summary.md');
      await runCli(['--format', 'json', '--summary-file', file, '--compare-to', 'main', '.'], { cwd: big.dir });
      const md = readFileSync(file, 'utf8');
      expect(md.length).toBeLessThanOrEqual(SUMMARY_LIMIT);
      expect(md.length).toBeGreaterThan(SUMMARY_LIMIT - 2000);
      expect(md).toContain('<details><summary>3000 new statements</summary>');
      expect(md).toMatch(/\n… and \d+ more not shown \(the summary is limited to 65,536 characters\)\.\n/);
      expect(md).toContain('</details>');
    } finally {
      big.remove();
    }
  });

  it('counts statements by route over the whole run, without git', async () => {
    const file = join(repo.dir, 'plain-summary.md');
    await runCli(['--summary-file', file, 'sql/same.sql'], { cwd: repo.dir });
    expect(readFileSync(file, 'utf8')).toBe(
      [
        '## limitless-lint',
        '',
        '✅ **No problems** · 1 statement in 1 file (0 parse errors)',
        '',
        '### Statements by route',
        '',
        '| route | statements |',
        '|---|---:|',
        '| none | 1 |',
        '',
        '### Problems by severity',
        '',
        '| severity | problems |',
        '|---|---:|',
        '| error | 0 |',
        '| warning | 0 |',
        '| info | 0 |',
        '',
        '',
      ].join('\n'),
    );
  });
});

describe('the route order', () => {
  it('ranks every route, from none to unknown', () => {
    expect(Object.entries(ROUTE_RANK).sort((a, b) => a[1] - b[1]).map(([r]) => r)).toEqual([
      'none',
      'single-shard',
      'single-shard-routed',
      'reference',
      'standard',
      'multi-shard',
      'router',
      'all-shards',
      'unknown',
    ]);
  });

  it('breaks ties by fan-out', () => {
    expect(compareRoutes({ route: 'single-shard', fanout: 1 }, { route: 'all-shards', fanout: 16 })).toBeGreaterThan(0);
    expect(compareRoutes({ route: 'reference', fanout: 16 }, { route: 'reference', fanout: 1 })).toBeLessThan(0);
    expect(compareRoutes({ route: 'reference', fanout: 1 }, { route: 'standard', fanout: 1 })).toBe(0);
  });
});

describe('pairStatements', () => {
  const s = (fingerprint: string, shape = fingerprint): { fingerprint: string; shape: string } => ({ fingerprint, shape });
  const pairs = (before: ReturnType<typeof s>[], after: ReturnType<typeof s>[]): (string | undefined)[] =>
    pairStatements(before, after, (x) => x.shape).map(([b, a]) => (b ? `${b.fingerprint}→${a.fingerprint}` : `new ${a.fingerprint}`));

  it('pairs equal fingerprints, even when moved', () => {
    expect(pairs([s('a'), s('b'), s('c')], [s('c'), s('a'), s('b')])).toEqual(['c→c', 'a→a', 'b→b']);
  });

  it('pairs an edited statement with the one it replaced, by position between unchanged ones', () => {
    expect(pairs([s('a'), s('b', 'x'), s('c')], [s('a'), s('B', 'y'), s('c'), s('d')])).toEqual(['a→a', 'b→B', 'c→c', 'new d']);
  });

  it('pairs a statement moved and edited by its shape', () => {
    expect(pairs([s('a', 'acc'), s('b'), s('c')], [s('b'), s('A', 'acc'), s('c')])).toEqual(['b→b', 'a→A', 'c→c']);
  });

  it('pairs repeated fingerprints in order, and leaves extra ones new', () => {
    expect(pairs([s('a'), s('a')], [s('a'), s('a'), s('a')])).toEqual(['a→a', 'a→a', 'new a']);
  });
});
