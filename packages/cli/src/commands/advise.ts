import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Advice, AdviceScore, AdviseSchema, AdviseSource, AdvisedManifest, AdvisedTable, ForeignKey, LearnedTable, Manifest, StatementOutcome, WorkloadRow } from '@limitless-lint/core';
import { AdviseError, LineIndex, advise, adviseSchema, because, findManifest, loadParser, parseManifest, percent, renderAdvice, schemaFromDdl, scoreManifest } from '@limitless-lint/core';
import { Chalk } from 'chalk';
import { Command, InvalidArgumentError, Option } from 'commander';
import { writeFileAtomic } from '../util/atomic-write.js';
import { collect, configure, parseCount, parseShards, useColor } from './options.js';
import { CliError } from '../util/errors.js';
import { ExitCode } from '../util/exit-codes.js';
import { scriptSites } from '../input/extract-ts.js';
import { expandPaths, languageOf } from '../input/files.js';
import { displayPath } from '../input/display-path.js';
import type { CliIo } from '../util/io.js';
import { readCatalog } from '../live/catalog.js';
import type { ConnectionFlags } from '../live/commands.js';
import { addConnectionOptions, connectionRequest } from '../live/commands.js';
import type { ConnectionRequest } from '../live/connection.js';
import { resolveConnection, withConnection } from '../live/connection.js';
import { INPUT_FORMATS } from '../live/audit/inputs.js';
import type { InputFormat } from '../live/audit/inputs.js';
import { readWorkloadFile } from '../live/audit/inputs.js';
import { ManifestLoader } from '../input/resolve-manifests.js';
import { readSqlFile } from '../input/read-file.js';

export const ADVISE_FORMATS = ['text', 'json', 'markdown'] as const;
export type AdviseFormat = (typeof ADVISE_FORMATS)[number];

export interface AdviseCommandOptions {
  /** Project files and directories whose statements are scored (default `.`). */
  readonly paths: readonly string[];
  /** Migrations to learn the schema from. */
  readonly ddl?: readonly string[];
  /** Or a live database to read it from. */
  readonly connection?: ConnectionRequest;
  readonly workload?: readonly string[];
  readonly inputFormat?: InputFormat;
  /** `table=col[,col]` as written. */
  readonly fix?: readonly string[];
  readonly reference?: readonly string[];
  readonly standard?: readonly string[];
  readonly shards?: number;
  readonly top?: number;
  readonly rank?: number;
  readonly format: AdviseFormat;
  readonly color: boolean;
  /** Where to write the chosen manifest; `-` prints it (the report then goes to stderr). */
  readonly output?: string;
  readonly force?: boolean;
  /** The project's manifest (for the embedded-SQL settings and the comparison); default: the nearest one. */
  readonly config?: string;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly gitignore?: boolean;
}

/**
 * `advise`: learns the schema (migrations or a live catalog), collects the project's statements
 * (`.sql` files and the SQL in TypeScript/JavaScript, as the linter finds them) and optionally a
 * workload's calls, then prints the best manifests by score and writes the chosen one.
 */
export async function runAdvise(options: AdviseCommandOptions, io: CliIo): Promise<ExitCode> {
  const target = options.output === undefined || options.output === '-' ? undefined : resolve(io.cwd, options.output);
  if (target && existsSync(target) && !options.force) {
    throw new CliError(`${displayPath(target, io.cwd)} exists; use --force to overwrite it, or --output - to print the manifest`);
  }
  if (!options.ddl?.length && !options.connection) throw new CliError('advise needs the schema: give --ddl <migrations> or --database-url <url>');
  if (options.ddl?.length && options.connection) throw new CliError('give the schema once: --ddl or --database-url, not both');
  const fix = new Map<string, readonly string[]>();
  for (const f of options.fix ?? []) {
    const eq = f.indexOf('=');
    const columns = f.slice(eq + 1).split(',').map((c) => c.trim()).filter((c) => c !== '');
    if (eq <= 0 || columns.length === 0) throw new CliError(`--fix ${f}: expected table=column (or table=col1,col2)`);
    fix.set(f.slice(0, eq).trim(), columns);
  }
  const problems: string[] = [];
  await loadParser();

  // The schema.
  let schema: AdviseSchema;
  const ddlFiles = new Set<string>();
  const schemaSources: string[] = [];
  if (options.ddl?.length) {
    const expanded = await expandPaths(options.ddl, io.cwd, { languages: ['sql'], manifestGlobs: false });
    for (const p of expanded.problems) problems.push(`${displayPath(p.path, io.cwd)}: ${p.reason}`);
    const texts: { text: string; file: string }[] = [];
    for (const file of expanded.files) {
      ddlFiles.add(file);
      const shown = displayPath(file, io.cwd);
      const read = await readSqlFile(file);
      if (!read.ok) problems.push(`${shown}: ${read.reason}`);
      else texts.push({ text: read.text, file: shown });
    }
    const learned = schemaFromDdl(texts);
    for (const p of learned.problems) problems.push(`${p.file ?? '?'}: ${p.parseErrors} statement(s) did not parse and were not replayed`);
    schema = learned.schema;
    schemaSources.push(...texts.map((t) => t.file));
  } else {
    const connection = resolveConnection(options.connection as ConnectionRequest, io.env, io.cwd);
    const read = await withConnection(connection, async (c) => {
      const snapshot = await readCatalog(c, { assumeStandard: true });
      const fks = await c.query<{ child: string; child_schema: string; parent: string; parent_schema: string; columns: string[]; referenced: string[] }>(FOREIGN_KEYS_SQL, [], 'read the foreign keys');
      return { snapshot, fks: fks.rows };
    });
    const foreignKeys: ForeignKey[] = read.fks.map((r) => ({ table: `${r.child_schema}.${r.child}`, columns: r.columns, references: `${r.parent_schema}.${r.parent}`, referencedColumns: r.referenced }));
    schema = adviseSchema(read.snapshot.tables as ReadonlyMap<string, LearnedTable>, foreignKeys, read.snapshot.searchPath);
    schemaSources.push(connection.display);
  }
  if (schema.tables.size === 0) throw new CliError('the schema has no table; nothing to advise');

  // The statements.
  const loader = new ManifestLoader(io.cwd);
  const projectManifest = options.config !== undefined ? loader.config(options.config) : nearestManifest(loader, io.cwd);
  const expanded = await expandPaths(options.paths.length > 0 ? options.paths : ['.'], io.cwd, {
    ...(options.include && { include: options.include }),
    ...(options.exclude && { exclude: options.exclude }),
    gitignore: options.gitignore !== false,
    ...(options.config !== undefined && { config: options.config }),
    manifests: loader,
  });
  for (const p of expanded.problems) problems.push(`${displayPath(p.path, io.cwd)}: ${p.reason}`);
  const sources: AdviseSource[] = [];
  let unknownSites = 0;
  let files = 0;
  for (const file of expanded.files) {
    if (ddlFiles.has(file)) continue;
    const shown = displayPath(file, io.cwd);
    const read = await readSqlFile(file);
    if (!read.ok) {
      problems.push(`${shown}: ${read.reason}`);
      continue;
    }
    files++;
    if (languageOf(file) === 'sql') {
      sources.push({ sql: read.text, file: shown });
      continue;
    }
    const found = scriptSites(read.text, file, projectManifest);
    if ('error' in found) {
      problems.push(`${shown}: not parsed as TypeScript/JavaScript: ${found.error.message}`);
      continue;
    }
    const lines = new LineIndex(read.text);
    for (const site of found.sites) {
      if (site.kind !== 'sql') {
        unknownSites++;
        continue;
      }
      const name = enclosingName(read.text, site.range[0]);
      sources.push({ sql: site.sql, file: shown, line: lines.positionAt(site.range[0]).line, ...(name !== undefined && { name }) });
    }
  }

  // The workload.
  let workload: WorkloadRow[] | undefined;
  for (const file of options.workload ?? []) {
    const path = resolve(io.cwd, file);
    const rows = (workload ??= []);
    await readWorkloadFile(path, displayPath(path, io.cwd), options.inputFormat ?? 'auto', {
      entry: (e) => {
        if (e.calls > 0) rows.push({ query: e.query, calls: e.calls, totalTimeMs: e.totalTimeMs });
      },
      duration: () => undefined,
      skipped: () => undefined,
    });
  }

  const shards = options.shards ?? projectManifest?.shards;
  let advice: Advice;
  try {
    advice = advise(schema, sources, {
      constraints: { fix, reference: options.reference ?? [], standard: options.standard ?? [], ...(shards !== undefined && { shards }) },
      ...(workload && { workload }),
      ...(options.top !== undefined && { top: options.top }),
    });
  } catch (error) {
    if (error instanceof AdviseError) throw new CliError(error.message);
    throw error;
  }
  if (advice.manifests.length === 0) throw new CliError('no statement of the project uses a table of the schema: nothing to score');
  const rank = options.rank ?? 1;
  if (rank > advice.manifests.length) throw new CliError(`--rank ${rank}: only ${advice.manifests.length} manifest(s) ranked`);

  // The project's own manifest, scored the same way, when it shards anything.
  const current =
    projectManifest && [...projectManifest.tables.values()].some((t) => t.mode === 'sharded')
      ? { file: projectManifest.file ? displayPath(projectManifest.file, io.cwd) : 'the manifest', ...scoreManifest(schema, sources, { ...projectManifest, shards: advice.shards }, workload ? { workload } : {}) }
      : undefined;

  const yaml = renderAdvice(advice, schema, { rank, sources: schemaSources });
  // The generated text must be a valid manifest; a failure here is a bug, not bad input.
  const check = parseManifest(yaml);
  if (!check.ok) throw new Error(`generated manifest is invalid: ${check.problems.map((p) => `${p.line}:${p.column} ${p.message}`).join('; ')}`);

  const report = options.output === '-' ? io.stderr : io.stdout;
  const context: ReportContext = { advice, schema, current, rank, files, unknownSites, shards: advice.shards };
  if (options.format === 'json') report.write(`${JSON.stringify(jsonReport(context), null, 2)}\n`);
  else if (options.format === 'markdown') report.write(markdownReport(context));
  else report.write(textReport(context, new Chalk({ level: options.color ? 1 : 0 })));

  if (options.output === '-') io.stdout.write(yaml);
  else if (target) {
    writeFileAtomic(target, [yaml], 'the manifest');
    io.stderr.write(`limitless-lint: wrote ${displayPath(target, io.cwd)} (rank ${rank}: ${advice.manifests[rank - 1]?.score.work.toFixed(2)} shard work per call)\n`);
  }
  for (const p of problems) io.stderr.write(`limitless-lint: ${p}\n`);
  return problems.length > 0 ? ExitCode.CouldNotRun : ExitCode.Clean;
}

const FOREIGN_KEYS_SQL = `SELECT c.relname::text AS child, cn.nspname::text AS child_schema, p.relname::text AS parent, pn.nspname::text AS parent_schema,
       (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(f.conkey) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.attnum) AS columns,
       (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(f.confkey) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_attribute a ON a.attrelid = f.confrelid AND a.attnum = k.attnum) AS referenced
  FROM pg_constraint f
  JOIN pg_class c ON c.oid = f.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
  JOIN pg_class p ON p.oid = f.confrelid JOIN pg_namespace pn ON pn.oid = p.relnamespace
 WHERE f.contype = 'f' AND cn.nspname NOT IN ('pg_catalog', 'information_schema', 'rds_aurora')
 ORDER BY 2, 1, f.conname`;

function nearestManifest(loader: ManifestLoader, cwd: string): Manifest | undefined {
  const path = findManifest(cwd);
  return path ? loader.load(path) : undefined;
}

/** The function, method or variable a SQL site sits in, read from the text before it. */
function enclosingName(text: string, offset: number): string | undefined {
  const before = text.slice(Math.max(0, offset - 2000), offset);
  const pattern = /(?:function\s*\*?\s*([A-Za-z_$][\w$]*)|(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=|^\s*(?:(?:public|private|protected|static|async)\s+)*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\([^)]*\)\s*(?::[^{]*)?\{|^\s*([A-Za-z_$][\w$]*)\s*:\s*(?:async\s*)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*=>)/gm;
  let name: string | undefined;
  for (const m of before.matchAll(pattern)) name = m[1] ?? m[2] ?? m[3] ?? m[4];
  return name === undefined || ['if', 'for', 'while', 'switch', 'catch', 'return'].includes(name) ? undefined : name;
}

interface ReportContext {
  readonly advice: Advice;
  readonly schema: AdviseSchema;
  readonly current: { readonly file: string; readonly score: AdviceScore; readonly outcomes: readonly StatementOutcome[] } | undefined;
  readonly rank: number;
  readonly files: number;
  readonly unknownSites: number;
  readonly shards: number;
}

const SCATTER = new Set(['multi-shard', 'all-shards', 'router', 'standard', 'unknown']);

/** Statements not on one shard under the chosen manifest, heaviest first. */
function scattered(advice: Advice): StatementOutcome[] {
  return advice.outcomes
    .filter((o) => SCATTER.has(o.kind) || (o.kind === 'reference' && o.reasons.some((r) => r.includes('every shard'))))
    .sort((a, b) => b.statement.weight - a.statement.weight || (a.statement.file ?? '').localeCompare(b.statement.file ?? '') || (a.statement.line ?? 0) - (b.statement.line ?? 0));
}

/** ` ×16` for a statement that reaches several shards (or writes every copy of a reference table). */
function fanout(o: StatementOutcome): string {
  return o.kind === 'multi-shard' || o.kind === 'all-shards' || o.kind === 'reference' ? ` ×${o.fanout}` : '';
}

function shortName(key: string, schema: AdviseSchema): string {
  const t = schema.tables.get(key);
  return t && t.schema === (schema.searchPath[0] ?? 'public') ? t.name : key;
}

/** A manifest in one line: groups with their key, reference and standard tables; later ranks as changes from rank 1. */
function summarise(m: AdvisedManifest, first: AdvisedManifest | undefined, schema: AdviseSchema): string {
  const name = (k: string) => shortName(k, schema);
  const label = (t: AdvisedTable) => (t.mode === 'sharded' ? `sharded(${t.shardKey.join(', ')})${t.collocateWith ? ` with ${name(t.collocateWith)}` : ''}` : t.mode);
  if (first && first !== m) {
    const before = new Map(first.tables.map((t) => [t.key, label(t)]));
    const changes = m.tables.filter((t) => before.get(t.key) !== label(t)).map((t) => `${name(t.key)} ${label(t)}`);
    return `rank 1 but ${changes.join('; ')}`;
  }
  const groups = new Map<string, AdvisedTable[]>();
  for (const t of m.tables) if (t.mode === 'sharded') groups.set(t.group ?? t.key, [...(groups.get(t.group ?? t.key) ?? []), t]);
  const parts = [...groups].map(([root, members]) => `${name(root)}(${(members[0] as AdvisedTable).shardKey.join(', ')})${members.length > 1 ? ` + ${members.filter((x) => x.key !== root).map((x) => name(x.key)).join(', ')}` : ''}`);
  const refs = m.tables.filter((t) => t.mode === 'reference').map((t) => name(t.key));
  const std = m.tables.filter((t) => t.mode === 'standard').map((t) => name(t.key));
  if (refs.length > 0) parts.push(`reference: ${refs.join(', ')}`);
  if (std.length > 0) parts.push(`standard: ${std.join(', ')}`);
  return parts.join('; ');
}

interface Row {
  readonly rank: string;
  readonly score: AdviceScore;
  readonly manifest: string;
}

function rows(ctx: ReportContext): Row[] {
  const first = ctx.advice.manifests[0];
  const out: Row[] = ctx.advice.manifests.map((m) => ({ rank: String(m.rank), score: m.score, manifest: summarise(m, first, ctx.schema) }));
  if (ctx.current) out.push({ rank: 'current', score: ctx.current.score, manifest: ctx.current.file });
  return out;
}

const HEADERS = ['Rank', 'Work/call', 'One shard', 'Single', 'Multi', 'All', 'Router', 'Std', 'Ref writes', 'Cross-group', 'Unique changes', 'Manifest'];

function cells(r: Row): string[] {
  const s = r.score;
  return [
    r.rank,
    s.work.toFixed(2),
    percent(s.local),
    String(s.counts['single-shard'] + s.counts['single-shard-routed']),
    String(s.counts['multi-shard']),
    String(s.counts['all-shards']),
    String(s.counts.router),
    String(s.counts.standard),
    String(s.referenceWrites),
    String(s.crossGroupJoins),
    String(s.uniqueChanges.length),
    r.manifest,
  ];
}

function header(ctx: ReportContext): string {
  const { advice } = ctx;
  const skipped = Object.values(advice.statements.skipped).reduce((a, b) => a + b, 0);
  const search =
    advice.search.mode === 'exhaustive'
      ? `exhaustive search: all ${advice.search.space.toLocaleString('en-US')} manifests scored`
      : `greedy search with local improvement: ${advice.search.evaluated.toLocaleString('en-US')} of ${advice.search.space.toExponential(1)} manifests scored`;
  return `${advice.statements.scored} statements${advice.statements.weighted ? ' weighted by calls' : ''} from ${ctx.files} files, ${ctx.schema.tables.size} tables, ${ctx.shards} shards; ${search} (${advice.search.routed.toLocaleString('en-US')} routes computed)${skipped > 0 ? `; ${skipped} statements left out (${Object.entries(advice.statements.skipped).map(([k, v]) => `${v} ${k}`).join(', ')})` : ''}${ctx.unknownSites > 0 ? `; ${ctx.unknownSites} SQL sites in scripts whose SQL is not known statically` : ''}`;
}

function textReport(ctx: ReportContext, c: InstanceType<typeof Chalk>): string {
  const { advice, schema } = ctx;
  const out: string[] = [c.bold('limitless-lint advise'), header(ctx), ''];
  const table = [HEADERS, ...rows(ctx).map(cells)];
  const widths = HEADERS.map((_, i) => (i === HEADERS.length - 1 ? 0 : Math.max(...table.map((r) => (r[i] as string).length))));
  for (const [k, r] of table.entries()) {
    const line = r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] as number))).join('  ');
    out.push(k === 0 ? c.bold(line) : line);
  }
  out.push('', 'Work/call: mean shard work per call (1 = every statement on one shard; ' + `${ctx.shards} = every statement on all ${ctx.shards} shards). See docs/advise.md.`);
  const chosen = advice.manifests[ctx.rank - 1] as AdvisedManifest;
  if (ctx.rank === 1) {
    out.push('', c.bold('The best manifest, table by table:'));
    const name = (k: string) => shortName(k, schema);
    const w = Math.max(...chosen.tables.map((t) => name(t.key).length));
    for (const t of chosen.tables) {
      const why = advice.rationale.get(t.key);
      out.push(`  ${name(t.key).padEnd(w)}  ${why ? because(t, why, name) : t.mode}`);
    }
  }
  const changes = chosen.score.uniqueChanges;
  if (changes.length > 0) {
    out.push('', c.bold(`Unique keys to change (they must include the shard key):`));
    for (const u of changes) out.push(`  ${shortName(u.table, schema)}: ${u.primaryKey ? 'primary key' : 'unique key'} (${u.columns.join(', ')}) → (${[...u.shardKey, ...u.columns.filter((x) => !u.shardKey.includes(x))].join(', ')})`);
  }
  if (ctx.rank === 1) {
    const list = scattered(advice);
    out.push('', c.bold(list.length === 0 ? 'Every statement runs on one shard under the best manifest.' : `Statements not on one shard under the best manifest (${list.length}):`));
    for (const o of list) {
      const where = o.statement.file !== undefined ? `${o.statement.file}:${o.statement.line}` : '';
      const calls = o.statement.calls !== undefined ? `, ${Math.round(o.statement.calls).toLocaleString('en-US')} calls` : '';
      out.push(`  ${c.yellow(o.kind)}${fanout(o)}  ${o.statement.name}${where && where !== o.statement.name ? ` (${where}${calls})` : calls ? ` (${calls.slice(2)})` : ''}`);
      for (const r of o.reasons.slice(0, 3)) out.push(`      ${c.gray(r)}`);
    }
  }
  out.push('');
  return out.join('\n');
}

function markdownReport(ctx: ReportContext): string {
  const { advice } = ctx;
  const esc = (s: string) => s.replaceAll('|', '\\|');
  const out: string[] = ['## Shard-key advice', '', header(ctx), '', `| ${HEADERS.join(' | ')} |`, `|${HEADERS.map((_, i) => (i > 0 && i < HEADERS.length - 1 ? ' ---: ' : ' --- ')).join('|')}|`];
  for (const r of rows(ctx)) out.push(`| ${cells(r).map(esc).join(' | ')} |`);
  out.push('', `Work/call: mean shard work per call (1 = every statement on one shard; ${ctx.shards} = on all ${ctx.shards} shards).`);
  const chosen = advice.manifests[ctx.rank - 1] as AdvisedManifest;
  if (ctx.rank === 1) {
    out.push('', '### The best manifest', '', '| Table | Why |', '| --- | --- |');
    for (const t of chosen.tables) {
      const why = advice.rationale.get(t.key);
      out.push(`| \`${shortName(t.key, ctx.schema)}\` | ${esc(why ? because(t, why, (k) => shortName(k, ctx.schema)) : t.mode)} |`);
    }
    const list = scattered(advice);
    if (list.length > 0) {
      out.push('', `### Statements not on one shard (${list.length})`, '', '| Statement | Route | Why |', '| --- | --- | --- |');
      for (const o of list) out.push(`| ${esc(o.statement.name)} | ${o.kind}${fanout(o)} | ${esc(o.reasons.slice(0, 2).join('; '))} |`);
    }
  }
  out.push('');
  return out.join('\n');
}

function jsonReport(ctx: ReportContext): unknown {
  const { advice } = ctx;
  return {
    shards: advice.shards,
    search: { ...advice.search, options: Object.fromEntries(advice.search.options) },
    statements: advice.statements,
    domains: advice.domains,
    manifests: advice.manifests,
    ...(ctx.current && { current: { file: ctx.current.file, score: ctx.current.score } }),
    rationale: Object.fromEntries(advice.rationale),
    scatter: scattered(advice).map((o) => ({ ...o.statement, kind: o.kind, fanout: o.fanout, reasons: o.reasons })),
  };
}

const ADVISE_EXAMPLES = `
Examples:
  $ limitless-lint advise --ddl migrations/                        # statements from . (SQL and TS)
  $ limitless-lint advise --ddl migrations/ src/ queries/ --workload stats.csv
  $ limitless-lint advise --ddl migrations/ --fix accounts=account_id --reference currencies --shards 32
  $ limitless-lint advise --database-url postgres://app@db.example.com/app --format markdown > advice.md
  $ limitless-lint advise --ddl migrations/ --output limitless.yaml --force

Each candidate manifest is scored with the route analyzer itself: every statement is routed under it
and costs its shard work (1 on one shard, the fan-out for multi-shard, the shard count for all-shards,
router, writes to reference tables and statements on standard tables), weighted by calls with
--workload (pg_stat_statements exports or PostgreSQL logs, as audit reads them). The search is
exhaustive up to 20,000 manifests, greedy with local improvement beyond. See docs/advise.md.

Exit codes: 0 advised; 2 could not run (or some input could not be read).
`;

/** The `advise` command. */
export function adviseCommand(io: CliIo, setExitCode: (code: ExitCode) => void): Command {
  return addConnectionOptions(configure(new Command('advise'), io), 'read the schema (tables, keys, foreign keys) from this database instead of --ddl')
    .description('Propose shard keys, collocation groups and reference tables, scored on your statements.')
    .argument('[paths...]', 'project files and directories whose statements (.sql, SQL in TS/JS) are scored (default: .)')
    .option('--ddl <path>', 'migrations (files or directories, replayed in order) to learn the schema from (repeatable)', collect)
    .option('--workload <file>', 'weights: a pg_stat_statements export (CSV, JSON) or a PostgreSQL log, as audit reads them (repeatable)', collect)
    .addOption(new Option('--input-format <format>', 'what the --workload files are (default: found from their content)').choices([...INPUT_FORMATS]).default('auto'))
    .option('--fix <table=key>', 'keep this table sharded on this key, e.g. accounts=account_id (repeatable)', collect)
    .option('--reference <table>', 'keep this table a reference table (repeatable)', collect)
    .option('--standard <table>', 'keep this table a standard table (repeatable)', collect)
    .option('--shards <n>', 'shard count for the fan-out figures (default: the manifest\'s, else 16)', parseShards)
    .option('--top <n>', 'manifests to rank', parsePositiveTop, 5)
    .option('--rank <n>', 'which ranked manifest to write with --output', parsePositiveTop)
    .option('-o, --output <file>', 'write the chosen manifest here; - prints it (the report then goes to stderr)')
    .option('--force', 'overwrite the --output file')
    .option('-c, --config <file>', "the project's manifest: its embedded_sql settings, and its score shown as `current`")
    .option('--include <glob>', 'score only files matching this glob (repeatable)', collect)
    .option('--exclude <glob>', 'leave out files matching this glob (repeatable)', collect)
    .option('--no-gitignore', 'walk directories without applying .gitignore files')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...ADVISE_FORMATS]).default('text'))
    .option('--no-color', 'no colours')
    .addHelpText('after', ADVISE_EXAMPLES)
    .action(async (paths: string[], o: ConnectionFlags & Record<string, unknown>) => {
      const list = (k: string) => o[k] as string[] | undefined;
      setExitCode(
        await runAdvise(
          {
            paths,
            ...(list('ddl') && { ddl: list('ddl') }),
            // Like schema pull, the PG* variables name a database too; without them or a URL, --ddl is needed.
            ...(o.databaseUrl !== undefined || (!list('ddl') && PG_TARGET.some((k) => io.env[k] !== undefined)) ? { connection: connectionRequest(o) } : {}),
            ...(list('workload') && { workload: list('workload') }),
            inputFormat: o['inputFormat'] as InputFormat,
            ...(list('fix') && { fix: list('fix') }),
            ...(list('reference') && { reference: list('reference') }),
            ...(list('standard') && { standard: list('standard') }),
            ...(o['shards'] !== undefined && { shards: o['shards'] as number }),
            top: o['top'] as number,
            ...(o['rank'] !== undefined && { rank: o['rank'] as number }),
            format: o['format'] as AdviseFormat,
            color: useColor(io, o['color'] as boolean),
            ...(o['output'] !== undefined && { output: o['output'] as string }),
            force: o['force'] === true,
            ...(o['config'] !== undefined && { config: o['config'] as string }),
            ...(list('include') && { include: list('include') }),
            ...(list('exclude') && { exclude: list('exclude') }),
            gitignore: o['gitignore'] !== false,
          },
          io,
        ),
      );
    });
}

const PG_TARGET = ['PGHOST', 'PGDATABASE', 'PGSERVICE'];

function parsePositiveTop(value: string): number {
  const n = parseCount(value);
  if (n < 1) throw new InvalidArgumentError('Expected a positive whole number.');
  return n;
}
