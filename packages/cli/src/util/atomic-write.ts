import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, lstatSync, mkdirSync, openSync, readlinkSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { describeFsError } from './describe-fs-error.js';
import { batches, WRITE_BATCH } from './batches.js';
import { CliError } from './errors.js';

/** Symbolic links followed before giving up (as the kernel's ELOOP limit). */
const MAX_LINKS = 40;

/**
 * Writes `chunks` to `path` atomically: into a temporary file next to it, then renamed over it, so
 * a reader (or an interrupted run) never sees half a file. Creates missing parent directories.
 * Chunks are written as they come, so a large report is never held as one string.
 *
 * When `path` is a symbolic link, the file it points to is replaced and the link is kept; an
 * existing file keeps its permission bits. A SIGINT or SIGTERM during the write removes the
 * temporary file, then ends the process by that signal (exit status 130 or 143 in a shell): the
 * write yields to the event loop between batches so that the signal is handled.
 *
 * @param what names the file in the error message (`the --output-file report`, `the baseline`).
 * @throws {CliError} when the file cannot be written.
 */
export async function writeFileAtomic(path: string, chunks: Iterable<string>, what: string): Promise<void> {
  // Lets a pending SIGINT/SIGTERM be handled between batches (see onSignal).
  for (const _batch of writeInBatches(path, chunks, what)) await new Promise<void>((done) => setImmediate(done));
}

/** {@link writeFileAtomic} without yielding: for small files (the baseline), written in one batch. */
export function writeFileAtomicSync(path: string, chunks: Iterable<string>, what: string): void {
  for (const _batch of writeInBatches(path, chunks, what));
}

/** The write, one step per batch written. */
function* writeInBatches(path: string, chunks: Iterable<string>, what: string): Generator<void> {
  let fd: number | undefined;
  let temp: string | undefined;
  try {
    const target = followLinks(path);
    const mode = existingMode(target);
    mkdirSync(dirname(target), { recursive: true });
    temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    fd = openSync(temp, 'w');
    inFlight.add(temp);
    watchSignals();
    if (mode !== undefined) fchmodSync(fd, mode);
    for (const batch of batches(chunks)) {
      writeSync(fd, batch);
      // Not after the last, shorter batch: the file is then closed and renamed at once.
      if (batch.length >= WRITE_BATCH) yield;
    }
    closeSync(fd);
    fd = undefined;
    renameSync(temp, target);
  } catch (error) {
    try {
      if (fd !== undefined) closeSync(fd);
      if (temp !== undefined) rmSync(temp, { force: true });
    } catch {
      // Nothing was written, or the directory is not there: nothing to clean up.
    }
    // Only file-system failures are the user's to fix; anything else (a reporter bug) is rethrown.
    if (typeof (error as NodeJS.ErrnoException | undefined)?.code !== 'string') throw error;
    throw new CliError(`cannot write ${what} ${path}: ${describeFsError(error)}`);
  } finally {
    if (temp !== undefined) inFlight.delete(temp);
    if (inFlight.size === 0) unwatchSignals();
  }
}

/** The file a path names once its symbolic links are followed (the path itself when it is not a link, or not there). */
function followLinks(path: string): string {
  let current = resolve(path);
  for (let i = 0; i < MAX_LINKS; i++) {
    let isLink: boolean;
    try {
      isLink = lstatSync(current).isSymbolicLink();
    } catch {
      return current;
    }
    if (!isLink) return current;
    current = resolve(dirname(current), readlinkSync(current));
  }
  throw Object.assign(new Error(`too many symbolic links: ${path}`), { code: 'ELOOP' });
}

/** The permission bits of an existing file, to give the new one; `undefined` when there is none. */
function existingMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/** Temporary files being written by this process: removed when it is interrupted. */
const inFlight = new Set<string>();

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Removes the temporary files, then ends the process by the same signal, as if unhandled (status 128 + n). */
function onSignal(signal: NodeJS.Signals): void {
  for (const temp of inFlight) rmSync(temp, { force: true });
  inFlight.clear();
  unwatchSignals();
  process.kill(process.pid, signal);
}

function watchSignals(): void {
  for (const signal of SIGNALS) if (!process.listeners(signal).includes(onSignal)) process.on(signal, onSignal);
}

function unwatchSignals(): void {
  for (const signal of SIGNALS) process.off(signal, onSignal);
}
