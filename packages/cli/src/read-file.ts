import { constants } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { LineIndex } from '@limitless-lint/core';
import { describeFsError } from './describe-fs-error.js';

/** A file's text, or why it is not linted. */
export type ReadResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/** How far to look for a NUL byte, as git and grep do, to tell a binary file. */
const BINARY_SNIFF_BYTES = 8192;

/**
 * Reads a file to lint as UTF-8. Refuses binary files (a NUL byte in the first 8 KB), invalid UTF-8
 * (naming the first bad byte's line and column) and files too large for a JavaScript string. Changes
 * nothing else: a byte-order mark is kept, for the splitter to skip.
 */
export async function readSqlFile(path: string): Promise<ReadResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return { ok: false, reason: `not read: ${describeFsError(error)}` };
  }
  return decodeText(bytes);
}

/** {@link readSqlFile}, synchronously (a worker thread lints one file at a time anyway). */
export function readSqlFileSync(path: string): ReadResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { ok: false, reason: `not read: ${describeFsError(error)}` };
  }
  return decodeText(bytes);
}

/** The checks of {@link readSqlFile} on bytes already read (standard input). */
export function decodeText(bytes: Uint8Array): ReadResult {
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { ok: false, reason: 'binary file, not linted' };
  if (bytes.length > constants.MAX_STRING_LENGTH) {
    return { ok: false, reason: `too large to lint (${bytes.length} bytes)` };
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
