/** One statement's executions from a workload source: one log line (calls 1), or a pg_stat_statements row. */
export interface WorkloadEntry {
  readonly query: string;
  /** Executions; 0 for a log line that only adds time (a parse or bind step). */
  readonly calls: number;
  readonly totalTimeMs: number;
  /** Single-shard optimized executions (`rds_aurora.limitless_stat_statements.sso_calls`), when known. */
  readonly ssoCalls?: number;
  /** Bind parameter values from the log (`DETAIL:  parameters: $1 = '42'`); `null` for NULL. */
  readonly parameters?: readonly (string | null)[];
  /** A session id (pid or csvlog session) to attach a later bare `duration:` line to. */
  readonly session?: string;
}

/** A log message with its DETAIL, from any log format. */
export interface LogEvent {
  /** `LOG`, `ERROR` … (untranslated: lc_messages must be English, as PostgreSQL's docs advise for log analysis). */
  readonly severity: string;
  readonly message: string;
  readonly detail?: string;
  readonly session?: string;
}

/** What a log event contributes to the workload. */
export type LogContribution =
  | { readonly kind: 'entry'; readonly entry: WorkloadEntry }
  | { readonly kind: 'duration'; readonly session: string; readonly ms: number }
  | { readonly kind: 'none' };

const DURATION_ONLY = /^duration: (\d+(?:\.\d+)?) ms\s*$/;
/**
 * `duration: 1.2 ms  statement: …`, `duration: 1.2 ms  execute <unnamed>: …`, `execute S_1: …`,
 * `parse <unnamed>: …`, `bind S_2: …`, `statement: …` (log_statement), `execute fetch from S_1/C_2: …`.
 */
const STATEMENT = /^(?:duration: (\d+(?:\.\d+)?) ms\s+)?(statement|execute|parse|bind)(?: (?:fetch from )?[^:\n]*)?: ([\s\S]*)$/;

/**
 * Reads what a server log line says about the workload (log_min_duration_statement,
 * log_statement, log_duration): a statement executed (simple or extended protocol, with its bind
 * parameters from DETAIL), time spent parsing or binding, or a bare duration for the statement
 * logged before it in the same session. Errors, and the STATEMENT line that names the failed
 * statement, are not executions and contribute nothing.
 */
export function interpretLogEvent(event: LogEvent): LogContribution {
  if (event.severity !== 'LOG') return { kind: 'none' };
  const bare = DURATION_ONLY.exec(event.message);
  if (bare) return event.session !== undefined ? { kind: 'duration', session: event.session, ms: Number(bare[1]) } : { kind: 'none' };
  const match = STATEMENT.exec(event.message);
  if (!match) return { kind: 'none' };
  const ms = match[1] === undefined ? 0 : Number(match[1]);
  const step = match[2] as string;
  let query = match[3] as string;
  const detail = event.detail ?? '';
  // `EXECUTE p(41)` from SQL: DETAIL names what p is (`prepare: PREPARE p(int) AS SELECT …`).
  const prepared = /^prepare: ([\s\S]*)$/.exec(detail);
  if (step === 'statement' && prepared && /^\s*EXECUTE\b/i.test(query)) query = prepared[1] as string;
  const parameters = /^parameters: ([\s\S]*)$/.exec(detail);
  const entry: WorkloadEntry = {
    query,
    calls: step === 'statement' || step === 'execute' ? 1 : 0,
    totalTimeMs: ms,
    ...(parameters && { parameters: parseParameters(parameters[1] as string) }),
    ...(event.session !== undefined && { session: event.session }),
  };
  return { kind: 'entry', entry };
}

/** `$1 = '42', $2 = NULL, $3 = 'it''s'` → `['42', null, "it's"]` (by position: `$n` is element n-1). */
export function parseParameters(text: string): (string | null)[] {
  const out: (string | null)[] = [];
  for (const match of text.matchAll(/\$(\d+) = (?:NULL|'((?:[^']|'')*)'(?:\.\.\.)?)/g)) {
    const index = Number(match[1]) - 1;
    if (index < 0 || index > 65535) continue;
    while (out.length < index) out.push(null);
    out[index] = match[2] === undefined ? null : match[2].replaceAll("''", "'");
  }
  return out;
}

/** Severity words that start a new message in a stderr log. */
const PRIMARY = 'LOG|ERROR|WARNING|NOTICE|INFO|DEBUG[1-5]?|FATAL|PANIC';
const SECONDARY = 'DETAIL|HINT|CONTEXT|STATEMENT|QUERY|LOCATION';
/** `<log_line_prefix>LEVEL:  text`; the prefix is whatever log_line_prefix makes of it (`%m [%p] `, RDS's `%t:%r:%u@%d:[%p]:` …). */
const STDERR_LINE = new RegExp(`^(.*?)(?<![A-Za-z0-9_])(${PRIMARY}|${SECONDARY}):  (.*)$`);

/**
 * Turns the lines of a stderr-format PostgreSQL log into events, whatever `log_line_prefix` is. A
 * message spans several lines when its text does: PostgreSQL starts each further line with a tab
 * (a line with neither a tab nor a severity is taken as a continuation too, for logs whose tabs were
 * lost). DETAIL and the other secondary lines belong to the message before them. The session is the
 * `[pid]` of the prefix, when it has one.
 */
export class StderrLogReader {
  private current: { severity: string; message: string; detail?: string; session?: string } | undefined;
  /** Where continuation lines go: the message, its DETAIL, or nowhere (HINT, CONTEXT …). */
  private target: 'message' | 'detail' | 'ignore' = 'ignore';
  private readonly secondary = new Set(SECONDARY.split('|'));

  /** Reads one line (without its line break); returns the event it completes, if any. */
  line(text: string): LogEvent | undefined {
    if (text.startsWith('\t')) {
      this.append(text.slice(1));
      return undefined;
    }
    const match = STDERR_LINE.exec(text);
    if (!match) {
      if (text !== '') this.append(text);
      return undefined;
    }
    const prefix = match[1] as string;
    const level = match[2] as string;
    const body = match[3] as string;
    if (this.secondary.has(level)) {
      if (!this.current) return undefined;
      if (level === 'DETAIL') {
        this.current.detail = body;
        this.target = 'detail';
      } else this.target = 'ignore';
      return undefined;
    }
    const done = this.flush();
    const pid = /\[(\d+)\]/.exec(prefix)?.[1];
    this.current = { severity: level, message: body, ...(pid !== undefined && { session: pid }) };
    this.target = 'message';
    return done;
  }

  /** Ends the input: the last event. */
  end(): LogEvent | undefined {
    return this.flush();
  }

  private append(text: string): void {
    if (!this.current) return;
    if (this.target === 'message') this.current.message += `\n${text}`;
    else if (this.target === 'detail') this.current.detail = `${this.current.detail ?? ''}\n${text}`;
  }

  private flush(): LogEvent | undefined {
    const done = this.current;
    this.current = undefined;
    this.target = 'ignore';
    return done;
  }
}

/** Whether a line looks like a stderr-format PostgreSQL log line. */
export function isStderrLogLine(line: string): boolean {
  return STDERR_LINE.test(line);
}

/** Columns of csvlog (PostgreSQL 13 to 17: error_severity is the 12th, message the 14th, detail the 15th). */
const CSVLOG = { session: 5, severity: 11, message: 13, detail: 14 } as const;

/** A csvlog record as an event; `undefined` for a record that is not one. */
export function csvlogEvent(record: readonly string[]): LogEvent | undefined {
  if (record.length < 15) return undefined;
  const severity = record[CSVLOG.severity] as string;
  const message = record[CSVLOG.message] as string;
  const detail = record[CSVLOG.detail] as string;
  const session = record[CSVLOG.session] as string;
  return { severity, message, ...(detail !== '' && { detail }), ...(session !== '' && { session }) };
}

/** A jsonlog line (PostgreSQL 15 and later) as an event. */
export function jsonlogEvent(value: unknown): LogEvent | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Record<string, unknown>;
  if (typeof o['error_severity'] !== 'string' || typeof o['message'] !== 'string') return undefined;
  const session = typeof o['session_id'] === 'string' ? o['session_id'] : typeof o['pid'] === 'number' ? String(o['pid']) : undefined;
  return {
    severity: o['error_severity'],
    message: o['message'],
    ...(typeof o['detail'] === 'string' && { detail: o['detail'] }),
    ...(session !== undefined && { session }),
  };
}
