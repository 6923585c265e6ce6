import { closeSync, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseManifest, type ManifestResult } from './parse.js';
import type { ManifestProblem } from './types.js';

/** What loading a manifest file gives: the same as {@link parseManifest}. */
export type LoadResult = ManifestResult;

/** File names looked for by {@link findManifest}, in order of preference. */
export const MANIFEST_FILE_NAMES: readonly string[] = ['limitless.yaml', 'limitless.yml'];

/**
 * The largest manifest read, in bytes (32 MiB): a manifest of 92,000 tables is about 10 MB. A larger
 * file, or an endless one such as `/dev/zero`, is refused rather than read into memory.
 */
export const MAX_MANIFEST_BYTES = 32 * 1024 * 1024;

/**
 * Reads and parses a manifest file. Never throws (and never rejects): a missing, unreadable, too large
 * or non-UTF-8 file, or one that is not a file (a device, a socket), is a problem at line 0, column 0
 * (line and column of the first bad byte for invalid UTF-8). A pipe is read once, up to the size limit.
 * The manifest's `file` is the absolute path.
 */
export async function loadManifest(path: string): Promise<LoadResult> {
  const file = resolve(path);
  let bytes: Buffer;
  try {
    const handle = await open(file, 'r');
    try {
      const refused = refuse(await handle.stat());
      if (refused) return problem(file, refused);
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const { bytesRead, buffer } = await handle.read(Buffer.alloc(CHUNK), 0, CHUNK, null);
        if (bytesRead === 0) break;
        chunks.push(buffer.subarray(0, bytesRead));
        if ((total += bytesRead) > MAX_MANIFEST_BYTES) return problem(file, tooLarge());
      }
      bytes = Buffer.concat(chunks);
    } finally {
      await handle.close();
    }
  } catch (error) {
    return unreadable(file, error);
  }
  return parseBytes(bytes, file);
}

/** {@link loadManifest}, synchronously: for callers that cannot await, such as ESLint rules. */
export function loadManifestSync(path: string): LoadResult {
  const file = resolve(path);
  let bytes: Buffer;
  try {
    const fd = openSync(file, 'r');
    try {
      const refused = refuse(fstatSync(fd));
      if (refused) return problem(file, refused);
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const buffer = Buffer.alloc(CHUNK);
        const bytesRead = readSync(fd, buffer, 0, CHUNK, null);
        if (bytesRead === 0) break;
        chunks.push(buffer.subarray(0, bytesRead));
        if ((total += bytesRead) > MAX_MANIFEST_BYTES) return problem(file, tooLarge());
      }
      bytes = Buffer.concat(chunks);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return unreadable(file, error);
  }
  return parseBytes(bytes, file);
}

const CHUNK = 1024 * 1024;

/** Why a file is not read at all: it is not a file or a pipe, or it says it is too large. */
function refuse(stats: Stats): string | undefined {
  if (stats.isDirectory()) return 'it is a directory';
  if (!stats.isFile() && !stats.isFIFO()) return 'it is not a regular file (a device or a socket)';
  if (stats.size > MAX_MANIFEST_BYTES) return tooLarge(stats.size);
  return undefined;
}

function tooLarge(size?: number): string {
  const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MiB`;
  return `the manifest is larger than ${mib(MAX_MANIFEST_BYTES)}${size !== undefined ? ` (${mib(size)})` : ''}; a manifest of 92,000 tables is about 10 MB`;
}

/** Decodes strict UTF-8 (a byte-order mark is allowed) and parses; invalid bytes are a located problem. */
function parseBytes(bytes: Buffer, file: string): LoadResult {
  const bad = firstInvalidUtf8(bytes);
  if (bad !== undefined) {
    const before = bytes.subarray(0, bad);
    let line = 1;
    let lineStart = 0;
    for (let i = before.indexOf(10); i !== -1; i = before.indexOf(10, i + 1)) {
      line++;
      lineStart = i + 1;
    }
    const column = before.subarray(lineStart).toString('utf8').length + 1;
    const byte = bytes[bad]?.toString(16).toUpperCase().padStart(2, '0');
    return { ok: false, problems: [{ file, line, column, path: '', message: `the manifest is not valid UTF-8 (byte 0x${byte} at offset ${bad})` }] };
  }
  return parseManifest(bytes.toString('utf8'), file);
}

/** The offset of the first byte that is not part of well-formed UTF-8, or `undefined`. */
function firstInvalidUtf8(bytes: Buffer): number | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    decoder.decode(bytes);
    return undefined;
  } catch {
    // Well-formed UTF-8 decodes and re-encodes to the same bytes: the first difference is the bad byte.
    const again = Buffer.from(bytes.toString('utf8'), 'utf8');
    let i = 0;
    while (i < bytes.length && bytes[i] === again[i]) i++;
    return i;
  }
}

function problem(file: string, reason: string): LoadResult {
  return { ok: false, problems: [{ file, line: 0, column: 0, path: '', message: `cannot read the manifest: ${reason}` }] };
}

/**
 * Finds the manifest that applies to a file or directory: `limitless.yaml`, then `limitless.yml`, in
 * the directory itself (or the file's directory), then in each parent up to the filesystem root.
 * A path that does not exist is taken as a file.
 *
 * @returns the absolute path of the manifest, or `undefined` when there is none.
 */
export function findManifest(startPath: string): string | undefined {
  const start = resolve(startPath);
  let dir = statSync(start, { throwIfNoEntry: false })?.isDirectory() ? start : dirname(start);
  for (;;) {
    for (const name of MANIFEST_FILE_NAMES) {
      const candidate = join(dir, name);
      if (statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * One line for people: `file:line:column: message (at key path) — did you mean `x`?`. The position
 * is left out when unknown (line 0, an unreadable file), the file when the problem has none.
 */
export function formatManifestProblem(problem: ManifestProblem): string {
  const position = problem.line > 0 ? `${problem.line}:${problem.column}` : undefined;
  const where = [problem.file, position].filter((part) => part !== undefined).join(':');
  const path = problem.path ? ` (at ${problem.path})` : '';
  const suggestion = problem.suggestion !== undefined ? ` — did you mean \`${problem.suggestion}\`?` : '';
  return `${where ? `${where}: ` : ''}${problem.message}${path}${suggestion}`;
}

/** An invalid or unreadable manifest, for callers that prefer to throw; the message lists every problem. */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';

  constructor(readonly problems: readonly ManifestProblem[]) {
    super(problems.map(formatManifestProblem).join('\n'));
  }
}

const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'file not found',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
};

function unreadable(file: string, error: unknown): LoadResult {
  const code = (error as NodeJS.ErrnoException).code;
  return problem(file, (code !== undefined ? READ_ERRORS[code] : undefined) ?? (error instanceof Error ? error.message : String(error)));
}
