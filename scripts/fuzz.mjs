#!/usr/bin/env node
// pnpm fuzz: a seeded, time-bounded fuzz and stress run over every input limitless-lint reads.
//
//   pnpm fuzz                        # 60 s, a seed from the clock (printed)
//   pnpm fuzz --seed 7 --seconds 20  # what CI runs: the same inputs for the same seed
//   pnpm fuzz --only sql,manifest    # some targets only
//
// Targets and what each asserts of every generated input:
//   sql       core's splitter and analyzer (in process): no throw, no internal-error, one report per
//             split statement, every character of the text in a statement, a meta-command, COPY data,
//             a comment, or white space and `;`; a parse-error located inside its statement; the
//             statement cache gives the same result as no cache.
//   manifest  the manifest parser: no throw; a result, or problems each with a line and a message.
//   cli       the CLI on a directory of generated .sql and .ts files: a JSON report (exit 0, 1, or 2 for
//             files it could not lint, such as TypeScript that does not parse), no internal-error,
//             the same JSON report with --jobs 1 and --jobs 2.
//   audit     `audit` on generated pg_stat_statements exports and PostgreSQL logs (CSV, stderr log,
//             jsonlog, gzip): a report (exit 0/1) or a clear error (exit 2), never a stack trace.
// Every input must finish within --limit seconds (default 10). A failing input is written to
// --out (default ./fuzz-failures) with the seed and target; the run exits 1.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { isDeepStrictEqual, parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(root, 'packages/cli/bin/limitless-lint.js');
const DEMO = join(root, 'fixtures/demo/limitless.yaml');
const TARGETS = ['sql', 'manifest', 'cli', 'audit'];
/** Share of the time budget per target. */
const SHARE = { sql: 0.4, manifest: 0.15, cli: 0.3, audit: 0.15 };

const { values: args } = parseArgs({
  options: {
    seed: { type: 'string' },
    seconds: { type: 'string', default: '60' },
    limit: { type: 'string', default: '10' },
    only: { type: 'string' },
    out: { type: 'string', default: 'fuzz-failures' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  const head = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 20);
  process.stdout.write(`${head.map((l) => l.replace(/^\/\/ ?/, '')).join('\n')}\n`);
  process.exit(0);
}
const seed = args.seed === undefined ? Date.now() % 2 ** 31 : Number(args.seed);
const seconds = Number(args.seconds);
const limitMs = Number(args.limit) * 1000;
const only = args.only ? args.only.split(',') : TARGETS;
for (const [name, ok] of [
  ['--seed', Number.isSafeInteger(seed) && seed >= 0],
  ['--seconds', seconds > 0],
  ['--limit', limitMs > 0],
  ['--only', only.every((t) => TARGETS.includes(t))],
]) {
  if (!ok) {
    process.stderr.write(`fuzz: bad ${name} (targets: ${TARGETS.join(', ')})\n`);
    process.exit(2);
  }
}

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(s) {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(seed);
const int = (n) => Math.floor(random() * n);
const pick = (list) => list[int(list.length)];

function filesUnder(dir, ext) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') out.push(...filesUnder(p, ext));
    else if (entry.isFile() && ext.some((e) => entry.name.endsWith(e))) out.push(p);
  }
  return out.sort();
}
const read = (p) => readFileSync(p, 'utf8');
const SQL_SEEDS = filesUnder(join(root, 'fixtures'), ['.sql']).map(read);
const TS_SEEDS = filesUnder(join(root, 'fixtures'), ['.ts']).filter((p) => statSync(p).size < 200_000).map(read);
const YAML_SEEDS = filesUnder(join(root, 'fixtures'), ['.yaml', '.yml']).map(read);

// Fragments that matter to a SQL lexer, a psql script reader, the analyzer or a suppression.
const SQL_TOKENS = [
  "'", '"', '$$', '$q$', '/*', '*/', '--', ';', '\0', '(', ')', '\\', '\n', "E'\\'", '$1', '$2', ':var', ":'v'", ':"v"',
  '\\gset\n', '\\set x 1\n', '\\.\n', 'COPY accounts FROM stdin;\n1\t2\n', 'BEGIN;', 'COMMIT;', 'SET search_path = x;',
  '::int', ' OR true', ' AND account_id = 1', ' WHERE account_id = $1', 'WITH RECURSIVE r AS (SELECT 1 UNION ALL SELECT 1 FROM r) ',
  'SELECT ', ' FROM accounts ', ' JOIN transactions USING (account_id) ', ' ORDER BY transaction_id ', ' LIMIT 1', '\u2028',
  '\ud83d\ude00', '\ufeff', '\r\n', '\r', '\t', '-- limitless-lint-disable-next-line require-shard-key\n',
  '/* limitless-lint-disable */', '-- name: Q :many\n', '@account_id', 'sqlc.arg(x)', 'DO $$ BEGIN END $$;', 'CREATE TABLE t (id bigserial);',
  "SET rds_aurora.limitless_create_table_mode = 'sharded';", 'UPDATE accounts SET account_id = 2', 'DELETE FROM accounts',
  'INSERT INTO accounts VALUES (1)', 'ANY($1)', ' IN (1, 2)', 'LATERAL ', 'UNION SELECT 2 ', '\ud800', '\\', 'E\'\\x00\'',
];
const TS_TOKENS = [
  '`', '${', '}', "'", '"', '\\', '\0', '(', ')', 'sql`', 'sql`SELECT * FROM accounts WHERE account_id = ${id}`', 'db.query(',
  "db.query('SELECT * FROM accounts')", 'prisma.$queryRaw`', 'knex.raw(', '/*', '*/', '//', '\n', ' + ', "'DELETE FROM accounts'",
  '<T>', '=>', 'async ', 'await ', 'import x from "y";', '\ud83d\ude00', '#!', '@decorator ',
];
const YAML_TOKENS = [
  ': ', '- ', '\n', '  ', '\t', '#', '&a ', '*a', '!!binary ', '!custom ', '[', ']', '{', '}', '"', "'", '? ', '|', '>', '---\n',
  '...\n', 'shards: 99999999999999999999\n', 'mode: sharded\n', 'shard_key: [id]\n', 'collocate_with: nowhere\n',
  'rules:\n  no-such-rule: error\n', 'rules:\n  require-shard-key: [error, {x: 1}]\n', '\ufeff', '\u0085', '<<: *a\n', '~', 'null',
];

/** One edit of `text`: insert a token, delete, duplicate or swap a range, splice another seed, cut. */
function mutate(text, tokens, seeds) {
  const at = () => int(text.length + 1);
  switch (int(7)) {
    case 0:
    case 1: {
      const i = at();
      return text.slice(0, i) + pick(tokens) + text.slice(i);
    }
    case 2: {
      const i = at();
      return text.slice(0, i) + text.slice(i + 1 + int(60));
    }
    case 3: {
      const i = at();
      const piece = text.slice(i, i + 1 + int(200));
      return text.slice(0, i) + piece.repeat(1 + int(4)) + text.slice(i);
    }
    case 4: {
      const i = at();
      const j = at();
      const [a, b] = i < j ? [i, j] : [j, i];
      return text.slice(b) + text.slice(a, b) + text.slice(0, a);
    }
    case 5: {
      const other = pick(seeds);
      const i = int(other.length + 1);
      return text.slice(0, at()) + other.slice(i, i + int(2000));
    }
    default:
      return text.slice(0, at());
  }
}

/** Shapes that stress the analyzer rather than the lexer: deep, wide and long. */
function stressSql() {
  const n = 1 + int(3000);
  switch (int(8)) {
    case 0:
      return `SELECT ${'(SELECT '.repeat(n)}1${')'.repeat(n)};`;
    case 1:
      return `SELECT * FROM accounts WHERE ${'NOT '.repeat(n)}account_id = 1;`;
    case 2:
      return `SELECT * FROM accounts WHERE account_id IN (${Array.from({ length: n * 3 }, (_, i) => i).join(', ')});`;
    case 3: {
      const k = 1 + int(300);
      const from = Array.from({ length: k }, (_, i) => `transactions t${i}`).join(', ');
      const on = Array.from({ length: k - 1 }, (_, i) => `t${i}.account_id = t${i + 1}.account_id`).join(' AND ');
      return `SELECT * FROM ${from} WHERE ${on || 'true'} AND t0.account_id = 1;`;
    }
    case 4:
      return `SELECT ${Array.from({ length: n }, () => "'a'").join(' || ')};`;
    case 5:
      return `SELECT '${'x'.repeat(n * 300)}';`;
    case 6:
      return `${'BEGIN; SAVEPOINT s; '.repeat(n % 500)}SELECT 1;`;
    default:
      return `WITH ${Array.from({ length: n % 400 || 1 }, (_, i) => `c${i} AS (SELECT * FROM ${i ? `c${i - 1}` : 'accounts'})`).join(', ')} SELECT * FROM c${(n % 400 || 1) - 1};`;
  }
}

function generate(seeds, tokens, extra) {
  if (extra && random() < 0.1) return extra();
  let text = pick(seeds);
  for (let i = 1 + int(6); i > 0; i--) text = mutate(text, tokens, seeds);
  return text;
}

const failures = [];
let outDir;
function fail(target, input, problem, ext) {
  outDir ??= (mkdirSync(args.out, { recursive: true }), args.out);
  const file = join(outDir, `${target}-${seed}-${failures.length}.${ext}`);
  writeFileSync(file, input);
  failures.push(`${target}: ${problem} (input: ${relative(process.cwd(), file)})`);
  process.stderr.write(`fuzz: FAIL ${target}: ${problem} -> ${file}\n`);
}

function timed(fn) {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

// ---- sql: the splitter and analyzer in process ------------------------------------------------
function checkAnalysis(text, r, split) {
  if (r.statements.length !== split.statements.length) return `${split.statements.length} statements split, ${r.statements.length} reported`;
  if (r.stats.statements !== r.statements.length) return `stats count ${r.stats.statements} statements, ${r.statements.length} reported`;
  const covered = new Uint8Array(text.length);
  const cover = (s) => covered.fill(1, s.start, s.end);
  for (const s of split.statements) cover(s);
  for (const s of split.metaCommands) cover(s);
  for (const s of split.copyData) cover(s);
  for (const s of split.comments) cover(s);
  for (let i = 0; i < text.length; i++) {
    if (!covered[i] && !/[\s;]/.test(text[i])) return `character ${i} (${JSON.stringify(text.slice(i, i + 20))}) is in no statement, meta-command, COPY data or comment`;
  }
  for (const [i, s] of r.statements.entries()) {
    if (s.index !== i) return `statement ${i} reported with index ${s.index}`;
    if (s.kind !== 'parse-error') continue;
    const d = r.diagnostics.find((x) => x.ruleId === 'parse-error' && x.statement === i);
    if (!d) return `statement ${i} is a parse-error without a parse-error finding`;
    if (d.span.start < s.span.start || d.span.start > s.span.end) return `parse-error of statement ${i} located at ${d.span.start}, outside ${s.span.start}-${s.span.end}`;
  }
  for (const d of r.diagnostics) {
    if (d.ruleId === 'internal-error') return `internal-error: ${d.message}`;
    if (!(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length)) return `${d.ruleId} finding has span ${d.span.start}-${d.span.end} in a text of ${text.length}`;
  }
  return undefined;
}

const comparable = (r) => JSON.stringify({ s: r.statements, d: r.diagnostics, k: r.stats, x: r.skipped });

async function fuzzSql(core, manifest, until) {
  let n = 0;
  while (performance.now() < until) {
    const text = generate(SQL_SEEDS, SQL_TOKENS, stressSql);
    n++;
    try {
      const split = core.splitStatements(text);
      const { value: cold, ms } = timed(() => core.analyzeSql(text, { manifest, cache: false }));
      if (ms > limitMs) fail('sql', text, `took ${Math.round(ms)} ms`, 'sql');
      const problem = checkAnalysis(text, cold, split);
      if (problem) {
        fail('sql', text, problem, 'sql');
        continue;
      }
      core.analyzeSql(text, { manifest }); // fills the cache
      const warm = core.analyzeSql(text, { manifest });
      const [a, b] = [comparable(cold), comparable(warm)];
      if (a !== b) {
        let i = 0;
        while (a[i] === b[i]) i++;
        fail('sql', text, `the statement cache changed the result: ${a.slice(Math.max(0, i - 80), i + 80)} became ${b.slice(Math.max(0, i - 80), i + 80)}`, 'sql');
      }
    } catch (error) {
      fail('sql', text, `threw ${error?.stack ?? error}`, 'sql');
    }
  }
  return n;
}

// ---- manifest: the parser in process ----------------------------------------------------------
function stressYaml() {
  const n = 1 + int(2000);
  switch (int(4)) {
    case 0:
      return `tables:\n  t: ${'['.repeat(n)}${']'.repeat(n)}\n`;
    case 1:
      return `a: &a [x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`).join('\n')}\n`;
    case 2:
      return `tables:\n${Array.from({ length: n * 5 }, (_, i) => `  t${i}: { mode: sharded, shard_key: [k] }`).join('\n')}\n`;
    default:
      return `search_path: [${'x, '.repeat(n)}x]\n`;
  }
}

function fuzzManifest(core, until) {
  let n = 0;
  while (performance.now() < until) {
    const text = generate(YAML_SEEDS, YAML_TOKENS, stressYaml);
    n++;
    try {
      const { value: r, ms } = timed(() => core.parseManifest(text, 'fuzz.yaml'));
      if (ms > limitMs) fail('manifest', text, `took ${Math.round(ms)} ms`, 'yaml');
      if (r.ok) continue;
      if (!Array.isArray(r.problems) || r.problems.length === 0) fail('manifest', text, 'not ok, and no problem named', 'yaml');
      const bad = r.problems.find((p) => !(p.line >= 1 && p.column >= 1 && typeof p.message === 'string' && p.message.length > 0));
      if (bad) fail('manifest', text, `a problem without a line or message: ${JSON.stringify(bad)}`, 'yaml');
    } catch (error) {
      fail('manifest', text, `threw ${error?.stack ?? error}`, 'yaml');
    }
  }
  return n;
}

// ---- cli: whole runs, --jobs 1 against --jobs 2 -----------------------------------------------
function run(argv, cwd) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd, encoding: 'utf8', timeout: limitMs * 4, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', CI: '' } });
  return { ...r, ms: performance.now() - t0 };
}

function parseReport(text) {
  try {
    const report = JSON.parse(text);
    return Array.isArray(report?.files) ? report : undefined;
  } catch {
    return undefined;
  }
}

const STACK = /\n\s+at .+\(?.+:\d+:\d+\)?|\b(TypeError|RangeError|ReferenceError|SyntaxError): /;

function fuzzCli(until) {
  let n = 0;
  while (performance.now() < until) {
    const dir = mkdtempSync(join(tmpdir(), 'limitless-fuzz-'));
    try {
      const files = {};
      for (let i = 0; i < 6; i++) files[`q${i}.sql`] = generate(SQL_SEEDS, SQL_TOKENS, stressSql);
      for (let i = 0; i < 4; i++) files[`m${i}.ts`] = generate(TS_SEEDS, TS_TOKENS);
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      n += Object.keys(files).length;
      const bundle = () => JSON.stringify(files);
      const reports = [];
      for (const jobs of ['1', '2']) {
        const r = run(['--config', DEMO, '--format', 'json', '--jobs', jobs, '.'], dir);
        if (r.error || r.status === null) {
          fail('cli', bundle(), `--jobs ${jobs}: ${r.error?.message ?? `killed by ${r.signal}`}`, 'json');
          break;
        }
        // Exit 2 with a report: some file could not be linted (binary, not TypeScript), which the
        // report and stderr say; exit 2 without one is a failure to run.
        const report = r.status === 0 || r.status === 1 || r.status === 2 ? parseReport(r.stdout) : undefined;
        if (!report) {
          fail('cli', bundle(), `--jobs ${jobs} exited ${r.status}: ${r.stderr.slice(0, 500)}`, 'json');
          break;
        }
        if (STACK.test(r.stderr)) fail('cli', bundle(), `--jobs ${jobs} printed a stack trace: ${r.stderr.slice(0, 500)}`, 'json');
        const internal = report.files.flatMap((f) => f.diagnostics).find((d) => d.ruleId === 'internal-error');
        if (internal) fail('cli', bundle(), `--jobs ${jobs}: internal-error: ${internal.message}`, 'json');
        reports.push(report);
      }
      if (reports.length === 2 && !isDeepStrictEqual(reports[0], reports[1])) fail('cli', bundle(), 'the report with --jobs 1 differs from the report with --jobs 2', 'json');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return n;
}

// ---- audit: workload exports and logs ---------------------------------------------------------
const csvField = (s) => `"${s.replaceAll('"', '""')}"`;
function workload() {
  const queries = Array.from({ length: 1 + int(8) }, () => generate(SQL_SEEDS, SQL_TOKENS).slice(0, 2000));
  const number = () => pick(['1', '5', '0', '-5', 'NaN', '1e309', 'abc', '', '3.5', '99999999999999999999']);
  switch (int(4)) {
    case 0:
      return { name: 'stats.csv', text: `query,calls,total_exec_time\n${queries.map((q) => `${csvField(q)},${number()},${number()}`).join('\n')}\n` };
    case 1:
      return { name: 'postgresql.log', text: queries.map((q) => `2026-01-01 00:00:00 UTC [${int(99)}] LOG:  duration: ${number()} ms  statement: ${q}`).join('\n') };
    case 2:
      return { name: 'postgresql.json', text: queries.map((q) => JSON.stringify({ timestamp: '2026-01-01', pid: int(99), message: `duration: ${number()} ms  statement: ${q}` })).join('\n') };
    default:
      return { name: 'stats.json', text: JSON.stringify(queries.map((q) => ({ query: q, calls: number(), total_exec_time: number() }))) };
  }
}

/** What is wrong with an audit run: a report (exit 0/1) or a clear error (exit 2), never a crash. */
function auditProblem(r) {
  if (r.error || r.status === null) return r.error?.message ?? `killed by ${r.signal}`;
  if (![0, 1, 2].includes(r.status)) return `exited ${r.status}`;
  if (STACK.test(r.stderr)) return `printed a stack trace: ${r.stderr.slice(0, 500)}`;
  if (r.status === 2 && !/^limitless-lint: /m.test(r.stderr)) return `exit 2 without a message: ${r.stderr.slice(0, 300)}`;
  return undefined;
}

function fuzzAudit(until) {
  let n = 0;
  while (performance.now() < until) {
    const dir = mkdtempSync(join(tmpdir(), 'limitless-fuzz-'));
    try {
      let { name, text } = workload();
      for (let i = int(3); i > 0; i--) text = mutate(text, [...SQL_TOKENS, ',', '"', '\n', '{', '}'], [text]);
      let data = Buffer.from(text);
      if (random() < 0.25) {
        name += '.gz';
        data = gzipSync(data);
        if (random() < 0.5) data = data.subarray(0, int(data.length)); // a truncated download
      }
      writeFileSync(join(dir, name), data);
      n++;
      const problem = auditProblem(run(['audit', '--config', DEMO, '--format', 'json', name], dir));
      if (problem) fail('audit', data, `${name}: ${problem}`, name.split('.').pop());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return n;
}

// ---- main -------------------------------------------------------------------------------------
if (!existsSync(join(root, 'packages/core/dist/index.js'))) {
  process.stderr.write('fuzz: build first (pnpm run fuzz builds; or npx tsc -b)\n');
  process.exit(2);
}
const core = await import(join(root, 'packages/core/dist/index.js'));
await core.loadParser();
const loaded = core.parseManifest(read(DEMO), DEMO);
if (!loaded.ok) throw new Error('the demo manifest does not load');

process.stderr.write(`fuzz: seed ${seed}, ${seconds} s, targets ${only.join(', ')} (reproduce: pnpm run fuzz --seed ${seed} --seconds ${seconds}${args.only ? ` --only ${args.only}` : ''})\n`);
const totalShare = only.reduce((s, t) => s + SHARE[t], 0);
const counts = {};
for (const target of only) {
  const until = performance.now() + (seconds * 1000 * SHARE[target]) / totalShare;
  const before = failures.length;
  if (target === 'sql') counts.sql = await fuzzSql(core, loaded.manifest, until);
  if (target === 'manifest') counts.manifest = fuzzManifest(core, until);
  if (target === 'cli') counts.cli = fuzzCli(until);
  if (target === 'audit') counts.audit = fuzzAudit(until);
  process.stderr.write(`fuzz: ${target}: ${counts[target]} inputs, ${failures.length - before} failures\n`);
}
if (failures.length > 0) {
  process.stdout.write(`fuzz: ${failures.length} failures (seed ${seed}):\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`fuzz: no failures in ${Object.values(counts).reduce((a, b) => a + b, 0)} inputs (seed ${seed})\n`);
