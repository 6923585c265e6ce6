import { createHash } from 'node:crypto';
import type { Manifest } from '@limitless-lint/core';
import { analyzeSql, fingerprint, normalize, parseStatements, splitStatements } from '@limitless-lint/core';
import type { WorkloadEntry } from './log-messages.js';
import type { WorkloadSink } from './inputs.js';
import { InvalidWorkloadRow } from './exports.js';
import { CliError } from '../../util/errors.js';

/** One statement of the audit report: a group of executions that differ only in constants. */
export interface AuditStatement {
  readonly rank: number;
  /**
   * The grouping key: equal for statements that differ only in constants, whitespace, comments and
   * the case of keywords and unquoted names. Unlike pg_query's fingerprint, `= $1`, `IN ($1, $2)`
   * and `IN ($1, $2, $3)` stay apart, since their routes differ.
   */
  readonly id: string;
  /** pg_query's fingerprint of the normalised text (as pganalyze shows it), to correlate with other tools. */
  readonly fingerprint: string;
  /** The statement with constants replaced by `$n` (as pg_stat_statements shows it). */
  readonly query: string;
  readonly route: string;
  readonly fanout: number;
  readonly reasons: readonly string[];
  readonly calls: number;
  readonly totalTimeMs: number;
  readonly meanTimeMs: number;
  /** Estimated shard work: calls × fan-out (shard visits). */
  readonly shardWork: number;
  /** Shares of the workload's calls, time and shard work (0–1). */
  readonly callShare: number;
  readonly timeShare: number;
  readonly workShare: number;
  /** Whether the static analysis predicts the single-shard fast path (route `single-shard`, or a reference-table read). */
  readonly predictedSingleShard: boolean;
  /** From `sso_calls`, when the source has it. */
  readonly ssoCalls?: number;
  readonly observedSingleShardRate?: number;
  /** When the observed single-shard rate is at least 50 points away from the prediction. */
  readonly ssoDisagreement?: string;
  /** Bind parameters of one execution, from a log. */
  readonly sampleParameters?: readonly (string | null)[];
}

export interface RouteTotals {
  readonly statements: number;
  readonly calls: number;
  readonly totalTimeMs: number;
  readonly shardWork: number;
}

export interface AuditSummary {
  readonly statements: number;
  readonly calls: number;
  readonly totalTimeMs: number;
  readonly shardWork: number;
  /** Calls of statements that touch more than one shard (multi-shard, all-shards, reference writes, router fan-out). */
  readonly scatterCalls: number;
  readonly scatterShare: number;
  /** Calls the static analysis predicts single-shard optimized (route `single-shard`, reference-table reads). */
  readonly predictedSingleShardCalls: number;
  readonly predictedSingleShardShare: number;
  /** Calls of statements whose route is unknown (not in the manifest, not parsable …). */
  readonly unknownCalls: number;
  readonly byRoute: Readonly<Record<string, RouteTotals>>;
  /** Present when the source had `sso_calls`: observed vs predicted over the statements that have it. */
  readonly sso?: {
    readonly calls: number;
    readonly ssoCalls: number;
    readonly observedRate: number;
    readonly predictedRate: number;
    readonly disagreements: number;
  };
  /** Rows or lines left out: shard rows of limitless_stat_statements, texts hidden by privileges. */
  readonly skipped: { readonly shardRows: number; readonly hidden: number };
}

export interface AuditSource {
  /** `limitless_stat_statements`, `pg_stat_statements`, `csv`, `json`, `log`, `csvlog`, `jsonlog`. */
  readonly kind: string;
  /** A file as displayed, or the database as `postgres://user@host:port/database`. */
  readonly name: string;
  /** A `.gz` file that ended early or is damaged: where reading stopped (what came before is counted). */
  readonly truncated?: string;
}

/** The `audit --format json` document. Version 1: fields may be added, none removed or renamed. */
export interface AuditReport {
  readonly version: 1;
  readonly sources: readonly AuditSource[];
  /** The manifest's file, as displayed, and its shard count. */
  readonly manifest: { readonly file?: string; readonly shards: number };
  readonly sortedBy: AuditSort;
  readonly summary: AuditSummary;
  /** Every statement, ranked. */
  readonly statements: readonly AuditStatement[];
}

export const AUDIT_SORTS = ['work', 'time', 'calls'] as const;
export type AuditSort = (typeof AUDIT_SORTS)[number];

interface Group {
  readonly key: string;
  readonly fingerprint: string;
  readonly query: string;
  calls: number;
  totalTimeMs: number;
  ssoCalls: number;
  ssoKnown: boolean;
  parameters?: readonly (string | null)[];
}

/** Routes whose single-shard optimization is not predicted either way. */
export const NOT_COMPARED: ReadonlySet<string> = new Set(['standard', 'none', 'unknown']);

/** How many raw statement texts to remember with their fingerprint (texts repeat in logs with bind parameters). */
const CACHE_LIMIT = 50_000;

/**
 * Groups workload entries by statement (pg_query's fingerprint of the text normalised as
 * pg_stat_statements does: constants become `$n`), then routes each statement once with the manifest.
 * The parser must be loaded.
 */
export class WorkloadAggregator implements WorkloadSink {
  private readonly groups = new Map<string, Group>();
  private readonly keys = new Map<string, { key: string; fingerprint: string; query: string }[]>();
  private readonly lastGroupOfSession = new Map<string, Group>();
  private shardRows = 0;
  private hidden = 0;
  entries = 0;

  entry(entry: WorkloadEntry): void {
    this.entries++;
    const statements = this.statementsOf(entry.query);
    if (statements.length === 0) return;
    const share = 1 / statements.length;
    let last: Group | undefined;
    for (const { key, fingerprint: fp, query } of statements) {
      let group = this.groups.get(key);
      if (!group) {
        group = { key, fingerprint: fp, query, calls: 0, totalTimeMs: 0, ssoCalls: 0, ssoKnown: false };
        this.groups.set(key, group);
      }
      group.calls += entry.calls;
      group.totalTimeMs += entry.totalTimeMs * share;
      if (!Number.isFinite(group.totalTimeMs)) throw new InvalidWorkloadRow('the total time of this statement, added up, is too large to be a number of milliseconds');
      if (entry.ssoCalls !== undefined) {
        group.ssoCalls += entry.ssoCalls;
        group.ssoKnown = true;
      }
      if (entry.parameters && entry.parameters.length > 0 && !group.parameters) group.parameters = entry.parameters;
      last = group;
    }
    if (entry.session !== undefined && last && entry.calls > 0) this.lastGroupOfSession.set(entry.session, last);
  }

  duration(session: string, ms: number): void {
    const group = this.lastGroupOfSession.get(session);
    if (group) group.totalTimeMs += ms;
  }

  skipped(reason: 'hidden' | 'shard-row'): void {
    if (reason === 'hidden') this.hidden++;
    else this.shardRows++;
  }

  /** The statements of one text, each with its grouping key and normalised text. */
  private statementsOf(text: string): { key: string; fingerprint: string; query: string }[] {
    // Logs of applications that inline constants repeat a few shapes with ever new values: remember
    // the shape, so that normalising and parsing happen once per shape, not once per line.
    const cacheKey = literalShape(text) ?? text;
    const cached = this.keys.get(cacheKey);
    if (cached) return cached;
    const out: { key: string; fingerprint: string; query: string }[] = [];
    const body = stripPrepare(text);
    // A simple-protocol query may hold several statements (`SELECT 1; SELECT 2`).
    const parts = body.includes(';') ? splitStatements(body).statements.map((s) => s.text) : [body];
    for (const part of parts) {
      if (part.trim() === '') continue;
      const query = (normalize(part) ?? part).trim();
      const key = createHash('sha1').update(canonicalText(query)).digest('hex').slice(0, 16);
      out.push({ key, fingerprint: fingerprint(query) ?? key, query });
    }
    if (this.keys.size >= CACHE_LIMIT) this.keys.clear();
    this.keys.set(cacheKey, out);
    return out;
  }

  /** Routes every statement with the manifest and ranks them. */
  report(manifest: Manifest, sources: readonly AuditSource[], sortedBy: AuditSort, manifestFile?: string): AuditReport {
    const shards = manifest.shards;
    const rows = [...this.groups.values()].map((g) => {
      const analysis = analyzeSql(g.query, { manifest, rules: [] });
      const route = analysis.statements[0]?.route;
      const kind = route?.kind ?? 'unknown';
      const fanout = route?.fanout ?? shards;
      const reasons = route?.reasons ?? ['PostgreSQL cannot parse this statement'];
      return { g, kind, fanout, reasons };
    });
    const calls = sum(rows.map((r) => r.g.calls));
    const time = sum(rows.map((r) => r.g.totalTimeMs));
    if (!Number.isFinite(time) || !Number.isSafeInteger(calls)) throw new CliError('the workload\'s total time or calls are too large to add up: check the time and calls columns of the inputs');
    const work = sum(rows.map((r) => r.g.calls * r.fanout));
    const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

    const statements = rows.map(({ g, kind, fanout, reasons }) => {
      // The fast path is documented for sharded tables pinned on one shard and for reference reads
      // (docs/limitless/routing.md#single-shard-optimization); for standard tables and statements without tables it is not, so those are not compared.
      const predictedSingleShard = kind === 'single-shard' || (kind === 'reference' && fanout <= 1);
      const comparable = !NOT_COMPARED.has(kind);
      const observed = g.ssoKnown && g.calls > 0 ? Math.min(1, g.ssoCalls / g.calls) : undefined;
      let ssoDisagreement: string | undefined;
      if (comparable && observed !== undefined && Math.abs(observed - (predictedSingleShard ? 1 : 0)) >= 0.5) {
        ssoDisagreement = predictedSingleShard
          ? `predicted single-shard, but only ${percent(observed)} of calls were single-shard optimized`
          : `predicted ${kind}, but ${percent(observed)} of calls were single-shard optimized`;
      }
      return {
        rank: 0,
        id: g.key,
        fingerprint: g.fingerprint,
        query: g.query,
        route: kind,
        fanout,
        reasons,
        calls: g.calls,
        totalTimeMs: round(g.totalTimeMs),
        meanTimeMs: g.calls > 0 ? round(g.totalTimeMs / g.calls) : 0,
        shardWork: g.calls * fanout,
        callShare: share(g.calls, calls),
        timeShare: share(g.totalTimeMs, time),
        workShare: share(g.calls * fanout, work),
        predictedSingleShard,
        ...(g.ssoKnown && { ssoCalls: g.ssoCalls }),
        ...(observed !== undefined && { observedSingleShardRate: observed }),
        ...(ssoDisagreement !== undefined && { ssoDisagreement }),
        ...(g.parameters && { sampleParameters: g.parameters }),
      };
    });
    const order: Record<AuditSort, (s: (typeof statements)[number]) => number> = {
      work: (s) => s.shardWork,
      time: (s) => s.totalTimeMs,
      calls: (s) => s.calls,
    };
    statements.sort((a, b) => order[sortedBy](b) - order[sortedBy](a) || b.shardWork - a.shardWork || b.totalTimeMs - a.totalTimeMs || (a.query < b.query ? -1 : 1));
    const ranked: AuditStatement[] = statements.map((s, i) => ({ ...s, rank: i + 1 }));

    const byRoute: Record<string, RouteTotals> = {};
    for (const s of ranked) {
      const t = byRoute[s.route] ?? { statements: 0, calls: 0, totalTimeMs: 0, shardWork: 0 };
      byRoute[s.route] = { statements: t.statements + 1, calls: t.calls + s.calls, totalTimeMs: round(t.totalTimeMs + s.totalTimeMs), shardWork: t.shardWork + s.shardWork };
    }
    const scatterCalls = sum(ranked.filter((s) => s.fanout > 1 && s.route !== 'unknown').map((s) => s.calls));
    const predictedSingleShardCalls = sum(ranked.filter((s) => s.predictedSingleShard).map((s) => s.calls));
    const withSso = ranked.filter((s) => s.ssoCalls !== undefined);
    const ssoCallsTotal = sum(withSso.map((s) => s.calls));
    const summary: AuditSummary = {
      statements: ranked.length,
      calls,
      totalTimeMs: round(time),
      shardWork: work,
      scatterCalls,
      scatterShare: share(scatterCalls, calls),
      predictedSingleShardCalls,
      predictedSingleShardShare: share(predictedSingleShardCalls, calls),
      unknownCalls: sum(ranked.filter((s) => s.route === 'unknown').map((s) => s.calls)),
      byRoute,
      ...(withSso.length > 0 && {
        sso: {
          calls: ssoCallsTotal,
          ssoCalls: sum(withSso.map((s) => s.ssoCalls ?? 0)),
          observedRate: share(sum(withSso.map((s) => Math.min(s.ssoCalls ?? 0, s.calls))), ssoCallsTotal),
          predictedRate: share(sum(withSso.filter((s) => s.predictedSingleShard).map((s) => s.calls)), ssoCallsTotal),
          disagreements: withSso.filter((s) => s.ssoDisagreement !== undefined).length,
        },
      }),
      skipped: { shardRows: this.shardRows, hidden: this.hidden },
    };
    return {
      version: 1,
      sources,
      manifest: { ...(manifestFile !== undefined && { file: manifestFile }), shards },
      sortedBy,
      summary,
      statements: ranked,
    };
  }
}

/**
 * The text with its string and number constants blanked (`'…'` → `''`, `42` → `0`), for texts where
 * that is unambiguous: no comments, dollar quotes, escape or bit strings, backslashes or quoted names.
 * Two texts with the same shape normalise to the same statement. `undefined` when the text is not that simple.
 */
export function literalShape(text: string): string | undefined {
  if (/--|\/\*|\$[A-Za-z_]*\$|\\|"/.test(text)) return undefined;
  const blanked = blankStrings(text);
  if (blanked === undefined) return undefined;
  // E'…', X'…', B'…', U&'…': not plain strings.
  if (/[\w&]''/.test(blanked)) return undefined;
  return `\u0000${blanked.replace(/(?<![\w$.])\d+(?:\.\d*)?(?:[eE][-+]?\d+)?(?![\w.])/g, '0')}`;
}

/**
 * `text` with each `'…'` string (`''` inside is a quote) replaced by `''`; `undefined` when a quote
 * is not closed. A scan, not a regular expression: one with an alternation per character overflows
 * the stack on a literal of a few megabytes.
 */
function blankStrings(text: string): string | undefined {
  const parts: string[] = [];
  let from = 0;
  for (let open = text.indexOf("'"); open !== -1; open = text.indexOf("'", from)) {
    let close = text.indexOf("'", open + 1);
    while (close !== -1 && text.charCodeAt(close + 1) === 39) close = text.indexOf("'", close + 2);
    if (close === -1) return undefined;
    parts.push(text.slice(from, open), "''");
    from = close + 1;
  }
  parts.push(text.slice(from));
  return parts.join('');
}

/**
 * A statement's tokens without comments, keywords and unquoted names in lower case, one space apart:
 * what two texts share when they differ only in layout, comments and case.
 */
export function canonicalText(sql: string): string {
  const statement = parseStatements(sql).statements[0];
  const tokens = statement?.codeTokens() ?? [];
  if (tokens.length === 0) return sql.replace(/\s+/g, ' ').trim();
  // Bare words — keywords and unquoted names — are case-insensitive in PostgreSQL; quoted names are not.
  return tokens.map((t) => (/^[A-Za-z_][A-Za-z0-9_$]*$/.test(t.text) ? t.text.toLowerCase() : t.text)).join(' ');
}

/** `PREPARE name [(types)] AS query` → `query` (pg_stat_statements and logs show SQL-level PREPAREs whole). */
export function stripPrepare(text: string): string {
  const head = /^\s*PREPARE\s+(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)\s*/i.exec(text);
  if (!head) return text;
  let at = head[0].length;
  if (text[at] === '(') {
    let depth = 0;
    for (; at < text.length; at++) {
      if (text[at] === '(') depth++;
      else if (text[at] === ')' && --depth === 0) {
        at++;
        break;
      }
    }
  }
  const as = /^\s*AS\s+/i.exec(text.slice(at));
  return as ? text.slice(at + as[0].length) : text;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

export function percent(rate: number): string {
  const p = rate * 100;
  return `${p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)}%`;
}
