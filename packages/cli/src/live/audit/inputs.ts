import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { CliError } from '../../util/errors.js';
import { describeFsError } from '../../util/describe-fs-error.js';
import type { CsvRecordCallback } from './csv.js';
import { CsvFormatError, CsvReader } from './csv.js';
import { formatBytes } from './progress.js';
import { applyRow, isExportHeader, recordObject } from './exports.js';
import type { LogEvent, WorkloadEntry } from './log-messages.js';
import { StderrLogReader, csvlogEvent, interpretLogEvent, isStderrLogLine, jsonlogEvent } from './log-messages.js';

export const INPUT_FORMATS = ['auto', 'csv', 'json', 'log', 'csvlog', 'jsonlog'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];
export type DetectedFormat = Exclude<InputFormat, 'auto'>;

/** Where a reader puts what it finds. */
export interface WorkloadSink {
  entry(entry: WorkloadEntry): void;
  /** A bare `duration:` line: time for the statement logged before it in `session`. */
  duration(session: string, ms: number): void;
  /** A row or line left out on purpose (a shard's row, a hidden query text). */
  skipped(reason: 'hidden' | 'shard-row'): void;
}

/** Called with the bytes read so far (of the file, compressed when it is `.gz`). */
export type ProgressCallback = (bytesRead: number) => void;

/** What the start of a file says about its format (for `--input-format auto`). */
export function detectFormat(head: string, path: string): DetectedFormat | undefined {
  const text = head.replace(/^\uFEFF/, '');
  const firstLine = text.split('\n', 1)[0]?.replace(/\r$/, '') ?? '';
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) return 'json';
  if (trimmed.startsWith('{')) {
    try {
      const first = JSON.parse(trimmed.split('\n', 1)[0] ?? '') as Record<string, unknown>;
      return typeof first === 'object' && first !== null && 'error_severity' in first ? 'jsonlog' : 'json';
    } catch {
      return 'json';
    }
  }
  // A first line that is not even well-formed CSV is not a CSV header (nor a csvlog record).
  let record: string[] | undefined;
  try {
    record = new CsvReader().push(`${firstLine}\n`)[0];
  } catch (error) {
    if (!(error instanceof CsvFormatError)) throw error;
  }
  if (record && isExportHeader(record)) return 'csv';
  if (record && record.length >= 20 && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/.test(record[0] ?? '')) return 'csvlog';
  if (text.split('\n', 50).some((line) => isStderrLogLine(line.replace(/\r$/, '')))) return 'log';
  if (/\.csv(\.gz)?$/i.test(path)) return 'csv';
  return undefined;
}

/** What reading a workload file found. */
export interface WorkloadFileRead {
  readonly format: DetectedFormat;
  /**
   * Set when a `.gz` file ends early or is damaged: what was read before that is kept (the last,
   * incomplete line or record left out), and this says where it stopped.
   */
  readonly truncated?: string;
}

/**
 * Reads one workload file — a pg_stat_statements export (CSV with a header, a JSON array, or JSON
 * lines) or a PostgreSQL log (stderr format, csvlog, jsonlog; `.gz` is unpacked) — streaming it so
 * that logs of several GB pass in constant memory.
 *
 * @throws {CliError} when the file cannot be read or its format cannot be told.
 */
export async function readWorkloadFile(path: string, shown: string, format: InputFormat, sink: WorkloadSink, progress?: ProgressCallback): Promise<WorkloadFileRead> {
  const detected = format === 'auto' ? detectFormat(await readHead(path, shown), path) : format;
  if (!detected) {
    throw new CliError(`cannot tell what ${shown} holds: not a pg_stat_statements export (CSV with query and calls columns, or JSON) nor a PostgreSQL log; name it with --input-format`);
  }
  let end: ChunksEnd = {};
  switch (detected) {
    case 'log': {
      const reader = new StderrLogReader();
      const take = (event: LogEvent | undefined) => event && applyLogEvent(event, sink);
      end = await forEachLine(path, shown, progress, (line) => take(reader.line(line)));
      take(reader.end());
      break;
    }
    case 'jsonlog':
      end = await forEachLine(path, shown, progress, (line) => {
        if (line.trim() === '') return;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          return;
        }
        const event = jsonlogEvent(value);
        if (event) applyLogEvent(event, sink);
      });
      break;
    case 'csvlog': {
      const take = (record: string[]) => {
        const event = csvlogEvent(record);
        if (event) applyLogEvent(event, sink);
      };
      end = await readCsv(path, shown, progress, take);
      break;
    }
    case 'csv': {
      let header: string[] | undefined;
      const take = (record: string[], line: number) => {
        if (!header) {
          header = record.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f));
          if (!isExportHeader(header)) throw new CliError(`${shown}: the first CSV line must name the columns, with at least query and calls (psql: \\copy (SELECT …) TO 'file.csv' CSV HEADER)`);
          return;
        }
        applyRow(recordObject(header, record), sink, `${shown}:${line}`);
      };
      end = await readCsv(path, shown, progress, take);
      break;
    }
    case 'json': {
      const parts: string[] = [];
      end = await forEachChunk(path, shown, progress, (chunk) => parts.push(chunk));
      const text = parts.join('');
      const trimmed = text.replace(/^\uFEFF/, '').trimStart();
      if (trimmed.startsWith('[')) {
        let rows: unknown;
        try {
          rows = JSON.parse(trimmed);
        } catch (error) {
          throw new CliError(`${shown}: not valid JSON (${error instanceof Error ? error.message : String(error)})${end.truncated !== undefined ? `; ${end.truncated}` : ''}`);
        }
        if (!Array.isArray(rows)) throw new CliError(`${shown}: expected a JSON array of pg_stat_statements rows`);
        rows.forEach((row: unknown, i) => {
          if (typeof row === 'object' && row !== null) applyRow(row as Record<string, unknown>, sink, `${shown}: row ${i + 1} of the array`);
        });
      } else {
        // Line numbers of the file (a BOM and leading blank lines were trimmed from `trimmed`).
        const skipped = text.replace(/^\uFEFF/, '').length - trimmed.length;
        const firstLine = 1 + (text.replace(/^\uFEFF/, '').slice(0, skipped).match(/\n/g)?.length ?? 0);
        trimmed.split('\n').forEach((line, i) => {
          if (line.trim() === '') return;
          let row: unknown;
          try {
            row = JSON.parse(line) as unknown;
          } catch {
            throw new CliError(`${shown}:${firstLine + i}: expected a JSON array, or one JSON object per line`);
          }
          if (typeof row === 'object' && row !== null) applyRow(row as Record<string, unknown>, sink, `${shown}:${firstLine + i}`);
        });
      }
      break;
    }
  }
  return { format: detected, ...(end.truncated !== undefined && { truncated: end.truncated }) };
}

function applyLogEvent(event: LogEvent, sink: WorkloadSink): void {
  const contribution = interpretLogEvent(event);
  if (contribution.kind === 'entry') sink.entry(contribution.entry);
  else if (contribution.kind === 'duration') sink.duration(contribution.session, contribution.ms);
}

/** The first 64 KB, decoded (unpacked for `.gz`). */
async function readHead(path: string, shown: string): Promise<string> {
  let head = '';
  await forEachChunk(path, shown, undefined, (chunk) => {
    head += chunk;
    if (head.length >= 65536) throw new StopReading();
  }).catch((error: unknown) => {
    if (!(error instanceof StopReading)) throw error;
  });
  return head;
}

class StopReading extends Error {}

/** The size of a file, for the progress bar. */
export async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}

/**
 * Reads a CSV file record by record, with each record's line. A record cut short by a truncated
 * `.gz` is left out.
 *
 * @throws {CliError} naming the file and line of a quoted field that is never closed.
 */
async function readCsv(path: string, shown: string, progress: ProgressCallback | undefined, each: CsvRecordCallback): Promise<ChunksEnd> {
  const reader = new CsvReader();
  try {
    const end = await forEachChunk(path, shown, progress, (chunk) => reader.read(chunk, each));
    if (!end.truncated) reader.finish(each);
    return end;
  } catch (error) {
    if (error instanceof CsvFormatError) throw new CliError(`${shown}:${error.line}: ${error.message}`);
    throw error;
  }
}

/** How a file's chunks ended: `truncated` when a `.gz` file ended early or is damaged after some text. */
interface ChunksEnd {
  readonly truncated?: string;
}

/**
 * Calls `each` with every line (without `\n` or `\r\n`), reading the file in 1 MB chunks. Linear in
 * the length of a line, however many chunks it spans: only each new chunk is searched for the line
 * break. A last line without a line break counts, unless the file is truncated (then it is cut short).
 */
async function forEachLine(path: string, shown: string, progress: ProgressCallback | undefined, each: (line: string) => void): Promise<ChunksEnd> {
  let pending: string[] = [];
  const end = await forEachChunk(path, shown, progress, (chunk) => {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      let line = chunk.slice(start, nl);
      if (pending.length > 0) {
        pending.push(line);
        line = pending.join('');
        pending = [];
      }
      each(line.endsWith('\r') ? line.slice(0, -1) : line);
      start = nl + 1;
    }
    if (start < chunk.length) pending.push(chunk.slice(start));
  });
  const last = pending.join('');
  if (last !== '' && !end.truncated) each(last.endsWith('\r') ? last.slice(0, -1) : last);
  return end;
}

/**
 * Calls `each` with the file's text, 1 MB at a time, UTF-8 decoded across chunk boundaries. A `.gz`
 * file that ends early or is damaged keeps what was unpacked before: the result says where it stopped.
 */
async function forEachChunk(path: string, shown: string, progress: ProgressCallback | undefined, each: (chunk: string) => void): Promise<ChunksEnd> {
  // Fail early, with a clear message, on a missing or unreadable file.
  try {
    const handle = await open(path, 'r');
    await handle.close();
  } catch (error) {
    throw new CliError(`${shown}: ${describeFsError(error)}`);
  }
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  let bytes = 0;
  file.on('data', (buffer) => {
    bytes += buffer.length;
    progress?.(bytes);
  });
  const gzip = /\.gz$/i.test(path);
  const source = gzip ? file.pipe(createGunzip({ chunkSize: 1 << 20 })) : file;
  const decoder = new StringDecoder('utf8');
  let unpacked = 0;
  try {
    for await (const buffer of source as AsyncIterable<Buffer>) {
      unpacked += buffer.length;
      each(decoder.write(buffer));
    }
    const tail = decoder.end();
    if (tail !== '') each(tail);
    return {};
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Only the file's and gunzip's errors are this function's to describe; the readers' go through.
    if (typeof code !== 'string' || error instanceof CliError) throw error;
    const zlib = code.startsWith('Z_');
    if (gzip && zlib && unpacked > 0) {
      const how = code === 'Z_BUF_ERROR' ? 'ends early (truncated)' : `is damaged (${(error as Error).message})`;
      return { truncated: `the gzip file ${how}: the ${formatBytes(unpacked)} unpacked before that are read, the last incomplete line left out` };
    }
    throw new CliError(`${shown}: ${zlib ? 'not a valid gzip file' : describeFsError(error)}`);
  } finally {
    file.destroy();
  }
}
