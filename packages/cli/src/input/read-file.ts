import { constants } from 'node:buffer';
import type { Stats } from 'node:fs';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { LineIndex } from '@limitless-lint/core';
import { describeFsError } from '../util/describe-fs-error.js';

/** A file's text, or why it is not linted. */
export type ReadResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/** How far to look for a NUL byte, as git and grep do, to tell a binary file. */
const BINARY_SNIFF_BYTES = 8192;

const MIB = 1024 * 1024;

/**
 * The largest file read, in bytes, by language: a larger one is not linted (`--max-file-size`
 * raises both). A 100 MiB SQL file takes minutes and gigabytes to lint; TypeScript and JavaScript
 * files that large are bundles or generated code, not where queries are written.
 */
export const DEFAULT_SIZE_LIMITS = { sql: 100 * MIB, ts: 10 * MIB } as const;

/** `--max-file-size`, in MiB, as a byte limit for every language. */
export function sizeLimits(maxFileSizeMiB: number | undefined): { readonly sql: number; readonly ts: number } {
  return maxFileSizeMiB === undefined ? DEFAULT_SIZE_LIMITS : { sql: maxFileSizeMiB * MIB, ts: maxFileSizeMiB * MIB };
}

/** A byte count as people read it: `12.5 MiB`, `300 KiB`, `17 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= MIB) return `${+(bytes / MIB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

function tooLarge(size: string, limit: number): ReadResult {
  return { ok: false, reason: `too large (${size}; the limit is ${formatBytes(limit)}, raise it with --max-file-size), not linted` };
}

/** What kind of file a file that is not regular is, for messages. */
export function kindOf(stats: Pick<Stats, 'isFIFO' | 'isCharacterDevice' | 'isSocket' | 'isBlockDevice'>): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** Whether a file of this kind can be read to its end as a stream (a pipe, `<(…)`, a terminal, /dev/zero). */
function streamable(stats: Stats): boolean {
  return stats.isFIFO() || stats.isCharacterDevice() || stats.isSocket();
}

/**
 * Reads a file to lint as UTF-8, opening it once: a pipe or process substitution (`<(…)`) is read
 * once, to its end. Refuses more than `limit` bytes (a regular file by its size, before reading;
 * a stream as soon as it passes the limit, so `/dev/zero` ends), binary files (a NUL byte in the
 * first 8 KB) and invalid UTF-8 (naming the first bad byte's line and column). Changes nothing
 * else: a byte-order mark is kept, for the splitter to skip.
 */
export function readSqlFileSync(path: string, limit: number = DEFAULT_SIZE_LIMITS.sql): ReadResult {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return { ok: false, reason: `not read: ${describeFsError(error)}` };
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isFile()) {
      if (stats.size > limit) return tooLarge(formatBytes(stats.size), limit);
      const bytes = readFileSync(fd);
      return bytes.length > limit ? tooLarge(formatBytes(bytes.length), limit) : decodeText(bytes);
    }
    if (!streamable(stats)) return { ok: false, reason: `${kindOf(stats)}, not linted` };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const bytesRead = readSync(fd, chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit) return tooLarge(`more than ${formatBytes(limit)} read from ${kindOf(stats)}`, limit);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return decodeText(Buffer.concat(chunks, total));
  } catch (error) {
    return { ok: false, reason: `not read: ${describeFsError(error)}` };
  } finally {
    closeSync(fd);
  }
}

/** {@link readSqlFileSync}, for callers that await (reads are sequential anyway). */
export function readSqlFile(path: string, limit: number = DEFAULT_SIZE_LIMITS.sql): Promise<ReadResult> {
  return Promise.resolve(readSqlFileSync(path, limit));
}

/** The checks of {@link readSqlFile} on bytes already read (standard input). */
export function decodeText(bytes: Uint8Array): ReadResult {
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { ok: false, reason: 'binary file, not linted' };
  if (bytes.length > constants.MAX_STRING_LENGTH) {
    return { ok: false, reason: `too large (${formatBytes(bytes.length)}; more than a JavaScript string holds), not linted` };
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    const bad = firstInvalidUtf8Byte(bytes);
    const before = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(0, bad));
    const { line, column } = new LineIndex(before).positionAt(before.length);
    return { ok: false, reason: `not valid UTF-8 (first bad byte at line ${line}, column ${column})` };
  }
}

/**
 * Offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or the length when all are fine.
 */
function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let min = 0x80;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) min = 0xa0;
      if (b === 0xed) max = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) min = 0x90;
      if (b === 0xf4) max = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? min : 0x80) || c > (k === 1 ? max : 0xbf)) return i;
    }
    i += length;
  }
  return bytes.length;
}
