import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { LearnedTable, Manifest } from '@limitless-lint/core';
import { learnTables, LineIndex } from '@limitless-lint/core';
import type { ExpandedPaths } from '../input/files.js';
import { languageOf } from '../input/files.js';
import { displayPath } from '../input/display-path.js';
import type { CliIo } from '../util/io.js';
import type { LintJob, LintOutcome } from './lint-one.js';
import { lintOne } from './lint-one.js';
import type { FileResult, LintResult, SkippedPath } from './lint-result.js';
import type { Progress } from './progress.js';
import { noProgress, progressBar, progressWanted } from './progress.js';
import type { ReadResult } from '../input/read-file.js';
import { decodeText, DEFAULT_SIZE_LIMITS, readSqlFileSync, sizeLimits } from '../input/read-file.js';
import type { ManifestFor } from '../input/resolve-manifests.js';
import { readStdin } from '../input/stdin.js';
import type { WorkerTask } from '../worker.js';
import { chooseJobs, lintInWorkers } from '../worker.js';

/** What {@link lintFiles} keeps beyond the diagnostics, and how it runs. */
export interface LintFilesOptions {
  /** Keep every statement's report, with its fingerprint, and each file's lines (`FileResult.statements`). */
  readonly statements?: boolean;
  /** Threads to lint on (`--jobs`); default: one per CPU for large runs, else 1 (see {@link chooseJobs}). */
  readonly jobs?: number;
  /** Told as files are done. */
  readonly progress?: Progress;
  /** The entry of `files` that stands for standard input, and its bytes. */
  readonly stdin?: { readonly file: string; readonly bytes: Uint8Array };
  /** The largest file read, in bytes, by language (default {@link DEFAULT_SIZE_LIMITS}). */
  readonly limits?: { readonly sql: number; readonly ts: number };
  /** `--sqlc`: read every SQL file as a sqlc query file (default: by its annotations or sqlc.yaml). */
  readonly sqlc?: boolean;
}

/**
 * Reads and analyses each file with its manifest: SQL files with core, TypeScript and JavaScript
 * files by their SQL sites. A file that cannot be read as UTF-8 text (or a script that does not
 * parse) is skipped with a reason; the others are still linted. Large runs are spread over worker
 * threads; the result is the same, in the same order, whatever the number of threads. The parser
 * must be loaded.
 *
 * @throws {AnalyzerCrash} when the analyzer throws on a file (a bug).
 */
export async function lintFiles(files: readonly string[], manifestFor: ManifestFor, cwd: string, options: LintFilesOptions = {}): Promise<LintResult> {
  const progress = options.progress ?? noProgress;
  const statements = options.statements === true;
  const limits = options.limits ?? DEFAULT_SIZE_LIMITS;
  const sqlc = options.sqlc === true;
  // Standard input without --stdin-filename is `<cwd>/<stdin>`: displayed `<stdin>`, linted as SQL.
  const jobsOf = files.map((file) => ({ file, path: displayPath(file, cwd), language: languageOf(file), manifest: manifestFor(file) }));
  // Every SQL file is read once, here: the DDL pre-pass and the lint share the read (a pipe or a
  // process substitution can be read only once). Each text is let go once its file is linted.
  const reads = readSqlInputs(jobsOf, options.stdin, limits.sql);
  const known = learnFromDdl(jobsOf, reads);
  const readOf = (file: string): ReadResult | undefined => {
    const read = reads.get(file);
    reads.delete(file);
    return read;
  };

  const outcomes: (FileResult | SkippedPath | undefined)[] = new Array<undefined>(files.length).fill(undefined);
  let done = 0;
  const take = (index: number, outcome: LintOutcome) => {
    outcomes[index] = toResult(outcome);
    progress.update(++done, files.length);
  };

  const sizes = options.jobs === 1 || files.length <= 1 ? undefined : await fileSizes(files);
  const jobs = chooseJobs(options.jobs, files.length, sizes?.reduce((a, b) => a + b, 0) ?? 0);
  progress.update(0, files.length);
  try {
    if (jobs <= 1) {
      jobsOf.forEach((j, index) => {
        const read = readOf(j.file);
        const job: LintJob = { ...j, knownTables: known.tables[known.indexOf(j.file)] ?? new Map(), statements, sqlc, limit: limits[j.language], ...(read && { read }) };
        take(index, lintOne(job));
      });
    } else {
      const manifests: Manifest[] = [];
      const manifestIndex = new Map<Manifest, number>();
      const tasks: WorkerTask[] = jobsOf.map((j, index) => {
        let m = -1;
        if (j.manifest) {
          m = manifestIndex.get(j.manifest) ?? manifests.push(j.manifest) - 1;
          manifestIndex.set(j.manifest, m);
        }
        return { index, file: j.file, path: j.path, language: j.language, manifest: m, known: known.indexOf(j.file), limit: limits[j.language] };
      });
      // Largest first, so that no big file is left for the end while the other threads idle.
      const order = sizes ? [...tasks].sort((a, b) => (sizes[b.index] ?? 0) - (sizes[a.index] ?? 0) || a.index - b.index) : tasks;
      // A task's text is attached as it is handed out, and let go then.
      await lintInWorkers(order, { manifests, knownTables: known.tables, statements, sqlc }, jobs, take, (task) => {
        const read = readOf(task.file);
        return read ? { ...task, read } : task;
      });
    }
  } finally {
    progress.finish();
  }

  const results: FileResult[] = [];
  const skipped: SkippedPath[] = [];
  for (const outcome of outcomes) {
    if (!outcome) continue;
    if ('reason' in outcome) skipped.push(outcome);
    else results.push(outcome);
  }
  return { files: results, skipped };
}

/** The file's result, with its line index when positions will be needed. */
function toResult(outcome: LintOutcome): FileResult | SkippedPath {
  if (outcome.kind === 'skipped') return { path: outcome.path, reason: outcome.reason };
  const { path, stats, notAnalysed, diagnostics, statements, sites, text } = outcome;
  return { path, stats, ...(notAnalysed && { notAnalysed }), diagnostics, lines: text === undefined ? undefined : new LineIndex(text), ...(statements && { statements }), ...(sites && { sites }) };
}

/** Sizes in bytes (0 for a file that cannot be read: reading it reports why). */
async function fileSizes(files: readonly string[]): Promise<number[]> {
  const sizes: number[] = [];
  for (let i = 0; i < files.length; i += 64) {
    const batch = files.slice(i, i + 64).map((f) => stat(f).then((s) => s.size, () => 0));
    sizes.push(...(await Promise.all(batch)));
  }
  return sizes;
}

/** What the SQL files' DDL declares, as each file is to see it: `tables[indexOf(file)]`. */
interface KnownTables {
  readonly tables: readonly ReadonlyMap<string, LearnedTable>[];
  indexOf(file: string): number;
}

/**
 * Words of every statement that can change the tables DDL replay learns (`CREATE`, `ALTER`, `DROP`,
 * `CALL` and `SELECT … INTO`; an `INTO` after `INSERT` cannot). A SQL text without any of them as a
 * whole word changes nothing, so its statements need not be parsed: most query files.
 */
const MAY_DECLARE_TABLES = /\b(?:create|alter|drop|call)\b|(?<!\binsert\s+)\binto\b/i;

/**
 * Reads every SQL file once, in path order (standard input from its bytes): the text, or why it
 * cannot be linted. TypeScript and JavaScript files are read when they are linted.
 */
function readSqlInputs(
  files: readonly { readonly file: string; readonly language: string }[],
  stdin: LintFilesOptions['stdin'],
  limit: number,
): Map<string, ReadResult> {
  const reads = new Map<string, ReadResult>();
  for (const { file, language } of files) {
    if (stdin && file === stdin.file) reads.set(file, decodeText(stdin.bytes));
    else if (language === 'sql') reads.set(file, readSqlFileSync(file, limit));
  }
  return reads;
}

/**
 * Replays the DDL of every SQL file in path order first, so that each file is linted knowing the
 * tables the migrations declare (sequence columns, keys): a file that declares or changes tables (a
 * migration) sees the tables of the files before it, any other file all of them. TypeScript files
 * declare none. Unreadable files are left to the lint pass to report.
 */
function learnFromDdl(
  files: readonly { readonly file: string; readonly language: string; readonly manifest: Manifest | undefined }[],
  reads: ReadonlyMap<string, ReadResult>,
): KnownTables {
  const tables: ReadonlyMap<string, LearnedTable>[] = [];
  const before = new Map<string, number>();
  let learned: ReadonlyMap<string, LearnedTable> = new Map();
  for (const { file, language, manifest } of files) {
    const read = reads.get(file);
    if (language !== 'sql' || !read?.ok || !MAY_DECLARE_TABLES.test(read.text)) continue;
    const searchPath = manifest?.searchPath;
    const next = learnTables(read.text, { knownTables: learned, ...(searchPath && { searchPath }) });
    if (!sameTables(next, learned)) {
      before.set(file, tables.push(learned) - 1);
      learned = next;
    }
  }
  tables.push(learned);
  const final = tables.length - 1;
  return { tables, indexOf: (file) => before.get(file) ?? final };
}

/** Replay keeps the entries it does not change, so an unchanged set has the very same entries. */
function sameTables(a: ReadonlyMap<string, LearnedTable>, b: ReadonlyMap<string, LearnedTable>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [key, table] of a) if (b.get(key) !== table) return false;
  return true;
}

/** The command line's say in how files are linted. */
export interface RunRequest {
  /** `--jobs`. */
  readonly jobs?: number;
  /** False with `--no-progress`. */
  readonly progress?: boolean;
  /** `--max-file-size`, in MiB. */
  readonly maxFileSize?: number;
  /** `--sqlc`. */
  readonly sqlc?: boolean;
}

/**
 * The {@link LintFilesOptions} of a run: threads (`--jobs`, capped at what the machine runs at once,
 * with a note), a progress bar on a terminal, size limits, and standard input read when `-` was given.
 */
export async function runOptions(
  expanded: ExpandedPaths,
  request: RunRequest,
  io: CliIo,
  cpus = availableParallelism(),
): Promise<Pick<LintFilesOptions, 'jobs' | 'progress' | 'stdin' | 'limits' | 'sqlc'>> {
  const limits = sizeLimits(request.maxFileSize);
  const stdin = expanded.stdin === undefined ? undefined : { file: expanded.stdin, bytes: await readStdin(io.stdin, limits[languageOf(expanded.stdin)]) };
  let jobs = request.jobs;
  if (jobs !== undefined && jobs > cpus) {
    // More threads than cores only add memory (each loads the parser) and switching: 200 took 25 times as long as 1.
    io.stderr.write(`limitless-lint: --jobs ${jobs} is more than this machine runs at once; using ${cpus}\n`);
    jobs = cpus;
  }
  return {
    ...(jobs !== undefined && { jobs }),
    ...(progressWanted(io, request.progress !== false) && { progress: progressBar(io.stderr) }),
    ...(stdin && { stdin }),
    limits,
    ...(request.sqlc === true && { sqlc: true }),
  };
}
