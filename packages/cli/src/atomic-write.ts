import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeFsError } from './describe-fs-error.js';
import { CliError } from './errors.js';

/** Chunks are gathered up to this size before each write. */
const WRITE_BATCH = 64 * 1024;

/**
 * Writes `chunks` to `path` atomically: into a temporary file next to it, then renamed over it, so
 * a reader (or an interrupted run) never sees half a file. Creates missing parent directories.
 * Chunks are written as they come, so a large report is never held as one string.
 *
 * @param what names the file in the error message (`the --output-file report`, `the baseline`).
 * @throws {CliError} when the file cannot be written.
 */
export function writeFileAtomic(path: string, chunks: Iterable<string>, what: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(temp, 'w');
    let pending = '';
    for (const chunk of chunks) {
      pending += chunk;
      if (pending.length >= WRITE_BATCH) {
        writeSync(fd, pending);
        pending = '';
      }
    }
    if (pending !== '') writeSync(fd, pending);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (error) {
    try {
      if (fd !== undefined) closeSync(fd);
      rmSync(temp, { force: true });
    } catch {
      // Nothing was written, or the directory is not there: nothing to clean up.
    }
    // Only file-system failures are the user's to fix; anything else (a reporter bug) is rethrown.
    if (typeof (error as NodeJS.ErrnoException | undefined)?.code !== 'string') throw error;
    throw new CliError(`cannot write ${what} ${path}: ${describeFsError(error)}`);
  }
}
