/**
 * A lint worker thread (see worker.ts): loads the SQL parser once, then lints each file it is sent
 * and answers with the outcome, as plain data. Messages that arrive while the parser loads wait in
 * the port's queue.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadParser } from '@limitless-lint/core';
import { AnalyzerCrash } from './util/errors.js';
import { lintOne } from './run/lint-one.js';
import type { WorkerReply, WorkerSetup, WorkerTask } from './worker.js';

const port = parentPort;
if (!port) throw new Error('lint-worker.js runs as a worker thread of limitless-lint');
const setup = workerData as WorkerSetup;

await loadParser();

port.on('message', (task: WorkerTask) => {
  let reply: WorkerReply;
  try {
    const outcome = lintOne({
      file: task.file,
      path: task.path,
      language: task.language,
      manifest: task.manifest >= 0 ? setup.manifests[task.manifest] : undefined,
      knownTables: setup.knownTables[task.known] ?? new Map(),
      statements: setup.statements,
      sqlc: setup.sqlc === true,
      limit: task.limit,
      ...(task.read && { read: task.read }),
    });
    reply = { index: task.index, outcome };
  } catch (error) {
    const cause = error instanceof AnalyzerCrash ? error.cause : error;
    const e = cause instanceof Error ? cause : new Error(String(cause));
    reply = { index: task.index, crash: { name: e.name, message: e.message, ...(e.stack !== undefined && { stack: e.stack }) } };
  }
  port.postMessage(reply);
});
