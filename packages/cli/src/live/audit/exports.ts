import { CliError } from '../../util/errors.js';
import type { WorkloadSink } from './inputs.js';
import type { WorkloadEntry } from './log-messages.js';

/**
 * A row of a `pg_stat_statements` or `rds_aurora.limitless_stat_statements` export (CSV header
 * names or JSON keys, any case) as a workload entry; `undefined` for a row to leave out: a shard's
 * row of limitless_stat_statements (`distributedqueryid` set, or `subcluster_type` other than
 * router — docs/limitless/system-views.md#statistics: the router's row counts each statement once), or a text hidden by
 * missing privileges.
 */
export function exportRowEntry(row: Readonly<Record<string, unknown>>): WorkloadEntry | 'hidden' | 'shard-row' | undefined {
  const get = (name: string): unknown => row[name] ?? row[name.toUpperCase()];
  const query = get('query');
  if (typeof query !== 'string' || query.trim() === '') return undefined;
  if (query === '<insufficient privilege>') return 'hidden';
  const distributed = get('distributedqueryid');
  if (distributed !== undefined && distributed !== null && String(distributed).trim() !== '') return 'shard-row';
  const subclusterType = get('subcluster_type');
  if (typeof subclusterType === 'string' && subclusterType !== '' && subclusterType.toLowerCase() !== 'router') return 'shard-row';
  const number = (name: string, whole: boolean): number | undefined => {
    const value = get(name);
    return value === undefined ? undefined : toNumber(name, value, whole);
  };
  const calls = number('calls', true) ?? 0;
  const total = number('total_exec_time', false) ?? number('total_time', false);
  const mean = number('mean_exec_time', false) ?? number('mean_time', false);
  const plan = number('total_plan_time', false) ?? 0;
  const totalTimeMs = (total ?? (mean !== undefined ? mean * calls : 0)) + plan;
  if (!Number.isFinite(totalTimeMs)) throw new InvalidWorkloadRow(`the total time of ${calls} calls is too large to be a number of milliseconds`);
  const sso = number('sso_calls', true);
  return { query, calls, totalTimeMs, ...(sso !== undefined && { ssoCalls: sso }) };
}

/** A workload row with a value that cannot be right (a negative or non-numeric count, an infinite time). */
export class InvalidWorkloadRow extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidWorkloadRow';
  }
}

/**
 * A statistics column's value as a number: empty and NULL are absent (`undefined`); anything else
 * must be a finite number of 0 or more — a whole one for counts.
 *
 * @throws {InvalidWorkloadRow} naming the column and the value.
 */
function toNumber(name: string, value: unknown, whole: boolean): number | undefined {
  if (value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
  if (!Number.isFinite(n) || n < 0 || (whole && !Number.isInteger(n))) {
    const shown = typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value) : typeof value === 'object' ? 'not a number' : String(value);
    throw new InvalidWorkloadRow(`${name} is ${shown}: expected ${whole ? 'a whole number' : 'a number of milliseconds'}, 0 or more`);
  }
  return n;
}

/** Whether a CSV header row is a pg_stat_statements export: it has `query` and `calls` columns. */
export function isExportHeader(record: readonly string[]): boolean {
  const names = new Set(record.map((f) => f.trim().toLowerCase()));
  return names.has('query') && names.has('calls');
}

/** A CSV record as an object keyed by the (lower-cased) header. */
export function recordObject(header: readonly string[], record: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  header.forEach((name, i) => {
    out[name.trim().toLowerCase()] = record[i] ?? '';
  });
  return out;
}

/**
 * Feeds one export row to `sink`: an entry, a row skipped (and why), or nothing.
 *
 * @throws {CliError} for a row with an impossible value, naming `where` (the file and line, or the view and row).
 */
export function applyRow(row: Readonly<Record<string, unknown>>, sink: WorkloadSink, where: string): void {
  try {
    const entry = exportRowEntry(row);
    if (entry === 'hidden' || entry === 'shard-row') sink.skipped(entry);
    else if (entry) sink.entry(entry);
  } catch (error) {
    if (error instanceof InvalidWorkloadRow) throw new CliError(`${where}: ${error.message}`);
    throw error;
  }
}
