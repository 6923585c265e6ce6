import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LearnedTable, Manifest } from '@limitless-lint/core';
import { AnalyzerCrash } from './util/errors.js';
import type { Language } from './input/files.js';
import type { LintOutcome } from './run/lint-one.js';
import type { ReadResult } from './input/read-file.js';

/** What every worker is given once: the manifests and learned-table sets that tasks refer to by index. */
export interface WorkerSetup {
  readonly manifests: readonly Manifest[];
  readonly knownTables: readonly ReadonlyMap<string, LearnedTable>[];
  readonly statements: boolean;
  /** `--sqlc`. */
  readonly sqlc?: boolean;
}

/** One file for a worker: a plain, small message. */
export interface WorkerTask {
  /** Position of the file in the run: results are put back in this order. */
  readonly index: number;
  readonly file: string;
  readonly path: string;
  readonly language: Language;
  /** Index into {@link WorkerSetup.manifests}, or -1 for none. */
  readonly manifest: number;
  /** Index into {@link WorkerSetup.knownTables}. */
  readonly known: number;
  /** The largest file read, in bytes. */
  readonly limit: number;
  /** The file's text when the main thread has read it already (SQL files, standard input). */
  readonly read?: ReadResult;
}

/** A worker's answer to a task. */
export type WorkerReply =
  | { readonly index: number; readonly outcome: LintOutcome }
  | { readonly index: number; readonly crash: { readonly name: string; readonly message: string; readonly stack?: string } };

/** Above this many files, or this many bytes in all, a run uses one worker per CPU by default. */
export const PARALLEL_MIN_FILES = 200;
export const PARALLEL_MIN_BYTES = 5 * 1024 * 1024;

/**
 * How many threads lint: `requested` (`--jobs`) when given, else one per CPU when the run is large
 * (more than {@link PARALLEL_MIN_FILES} files or {@link PARALLEL_MIN_BYTES} bytes), else 1. Never more
 * than there are files. 1 means in the main thread, without workers.
 */
export function chooseJobs(requested: number | undefined, files: number, totalBytes: number, cpus = availableParallelism()): number {
  const wanted = requested ?? (files > PARALLEL_MIN_FILES || totalBytes > PARALLEL_MIN_BYTES ? cpus : 1);
  return Math.max(1, Math.min(wanted, files));
}

/**
 * A smaller young generation than V8 gives a thread by default: the analysis allocates many
 * short-lived objects (parse trees, one statement at a time), and a large nursery only lets each
 * worker's resident memory grow before it is collected. Measured on PostgreSQL's regression SQL with
 * `--jobs 2`: peak RSS 345–365 MB → 315–323 MB, CPU time unchanged within the noise
 * (docs/performance.md). The old generation is left unlimited: a limit would turn a large input
 * into a crash.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 12 };

/** Tasks each worker holds at once: one being linted, one waiting, so that no worker idles between messages. */
const IN_FLIGHT = 2;

/**
 * The worker script: next to this module once built; from the sources (the tests), the built one.
 */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../dist/lint-worker.js', here) : new URL('./lint-worker.js', here);
}

/**
 * Lints `tasks` on `jobs` worker threads, handing them out in the given order (largest first is
 * best), and calls `onOutcome` as each file is done, in completion order. Each worker loads the SQL
 * parser once (and the TypeScript parser when it meets a script). Workers keep to one language while
 * it has files (see {@link TaskQueue}).
 *
 * @throws {AnalyzerCrash} when the analyzer throws on a file (a bug), after stopping every worker.
 */
export async function lintInWorkers(
  tasks: readonly WorkerTask[],
  setup: WorkerSetup,
  jobs: number,
  onOutcome: (index: number, outcome: LintOutcome) => void,
  /** Completes a task as it is handed out (with the text already read). */
  prepare: (task: WorkerTask) => WorkerTask = (task) => task,
): Promise<void> {
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const queue = new TaskQueue(tasks);
      let remaining = tasks.length;
      let settled = false;
      const finish = (error?: unknown) => {
        if (settled) return;
        settled = true;
        if (error === undefined) resolve();
        else reject(error);
      };
      if (remaining === 0) return finish();
      for (let w = 0; w < jobs; w++) {
        const worker = new Worker(workerUrl(), { workerData: setup, resourceLimits: WORKER_LIMITS });
        workers.push(worker);
        const inFlight = new Map<number, WorkerTask>();
        const preferred = queue.languages[w % queue.languages.length];
        const feed = () => {
          for (let task = inFlight.size < IN_FLIGHT ? queue.take(preferred) : undefined; task; task = inFlight.size < IN_FLIGHT ? queue.take(preferred) : undefined) {
            inFlight.set(task.index, task);
            worker.postMessage(prepare(task));
          }
        };
        worker.on('message', (reply: WorkerReply) => {
          const task = inFlight.get(reply.index);
          inFlight.delete(reply.index);
          if ('crash' in reply) {
            const cause = Object.assign(new Error(reply.crash.message), { name: reply.crash.name, stack: reply.crash.stack });
            return finish(new AnalyzerCrash(task?.path ?? `file #${reply.index}`, cause));
          }
          try {
            onOutcome(reply.index, reply.outcome);
          } catch (error) {
            return finish(error);
          }
          if (--remaining === 0) return finish();
          feed();
        });
        worker.on('error', (error) => finish(error));
        worker.on('exit', (code) => {
          if (!settled) finish(new Error(`a lint worker stopped (exit code ${code}) with ${inFlight.size} file(s) unfinished: ${[...inFlight.values()].map((t) => t.path).join(', ')}`));
        });
        feed();
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * The tasks, one queue per language, each in the given order. A worker takes from the queue of its
 * language while it has files, then from the fullest: when SQL and TypeScript files are mixed, one
 * worker loads TypeScript (≈ 0.6 s each) and each keeps the statement cache of its kind of SQL warm,
 * instead of both doing both. On 2 cores that was the difference between no gain from a second
 * worker and a real one (docs/performance.md).
 */
class TaskQueue {
  private readonly queues = new Map<string, { readonly tasks: WorkerTask[]; next: number }>();

  constructor(tasks: readonly WorkerTask[]) {
    for (const task of tasks) {
      let q = this.queues.get(task.language);
      if (!q) this.queues.set(task.language, (q = { tasks: [], next: 0 }));
      q.tasks.push(task);
    }
  }

  /** The languages present, in order of their first task. */
  get languages(): readonly string[] {
    return [...this.queues.keys()];
  }

  take(preferred: string | undefined): WorkerTask | undefined {
    const own = preferred === undefined ? undefined : this.queues.get(preferred);
    if (own && own.next < own.tasks.length) return own.tasks[own.next++];
    let fullest: { readonly tasks: WorkerTask[]; next: number } | undefined;
    for (const q of this.queues.values()) if (q.tasks.length - q.next > (fullest ? fullest.tasks.length - fullest.next : 0)) fullest = q;
    return fullest ? fullest.tasks[fullest.next++] : undefined;
  }
}
