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
  const calls = toNumber(get('calls')) ?? 0;
  const total = toNumber(get('total_exec_time')) ?? toNumber(get('total_time'));
  const mean = toNumber(get('mean_exec_time')) ?? toNumber(get('mean_time'));
  const plan = toNumber(get('total_plan_time')) ?? 0;
  const totalTimeMs = (total ?? (mean !== undefined ? mean * calls : 0)) + plan;
  const sso = toNumber(get('sso_calls'));
  return { query, calls, totalTimeMs, ...(sso !== undefined && { ssoCalls: sso }) };
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
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

/** Feeds one export row to `sink`: an entry, a row skipped (and why), or nothing. */
export function applyRow(row: Readonly<Record<string, unknown>>, sink: WorkloadSink): void {
  const entry = exportRowEntry(row);
  if (entry === 'hidden' || entry === 'shard-row') sink.skipped(entry);
  else if (entry) sink.entry(entry);
}
