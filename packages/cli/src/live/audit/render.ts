import { Chalk } from 'chalk';
import type { AuditReport, AuditStatement } from './aggregate.js';
import { NOT_COMPARED, percent } from './aggregate.js';
import { oneLine } from '../../util/text.js';
import { printable } from '../../reporters/printable.js';
import { routeColour } from '../../commands/options.js';

export const AUDIT_FORMATS = ['stylish', 'json', 'markdown'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export interface RenderOptions {
  readonly color: boolean;
  /** Statements to show (stylish and markdown); 0 shows all. JSON always has all. */
  readonly top: number;
}

export function renderAudit(report: AuditReport, format: AuditFormat, options: RenderOptions): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'markdown':
      return renderMarkdown(report, options);
    case 'stylish':
      return renderStylish(report, options);
  }
}

const number = new Intl.NumberFormat('en-US');

/** `12 ms`, `3.4 s`, `2.1 min`. */
export function formatTime(ms: number): string {
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}


function sourceLine(report: AuditReport): string {
  return report.sources.map((s) => (s.kind === 'pg_stat_statements' || s.kind === 'limitless_stat_statements' ? `${s.kind} of ${s.name}` : `${s.name} (${s.kind})`)).join(', ');
}

function shown(report: AuditReport, top: number): readonly AuditStatement[] {
  return top > 0 ? report.statements.slice(0, top) : report.statements;
}

const SORT_WORDS = { work: 'shard work (calls × fan-out)', time: 'total time', calls: 'calls' } as const;

function renderStylish(report: AuditReport, options: RenderOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const s = report.summary;
  const out: string[] = [];
  out.push(`Workload: ${number.format(s.statements)} statements, ${number.format(s.calls)} calls, ${formatTime(s.totalTimeMs)} from ${sourceLine(report)}`);
  out.push(`Manifest: ${report.manifest.file ?? '(given)'}, ${report.manifest.shards} shards. Ranked by ${SORT_WORDS[report.sortedBy]}.`);
  out.push('');
  const list = shown(report, options.top);
  const width = String(list.length).length;
  for (const st of list) {
    const head = `${String(st.rank).padStart(width)}. ${routeColour(c, st.route)(st.route)} ${c.dim(`fan-out ${st.fanout}`)}  ${number.format(st.calls)} call${st.calls === 1 ? '' : 's'} × ${st.fanout} = ${number.format(st.shardWork)} shard visits (${percent(st.workShare)} of the work), ${formatTime(st.totalTimeMs)} (${percent(st.timeShare)} of the time)`;
    out.push(head);
    // Statement texts and the names in the reasons come from the workload: never raw on a terminal.
    out.push(`${' '.repeat(width + 2)}${printable(oneLine(st.query, 160))}`);
    for (const r of st.reasons.slice(0, 3)) out.push(`${' '.repeat(width + 4)}- ${printable(r)}`);
    if (st.observedSingleShardRate !== undefined) {
      const line = `observed single-shard: ${percent(st.observedSingleShardRate)} of calls (sso_calls ${number.format(st.ssoCalls ?? 0)})${NOT_COMPARED.has(st.route) ? '' : `, predicted ${st.predictedSingleShard ? '100%' : '0%'}`}`;
      out.push(`${' '.repeat(width + 4)}${st.ssoDisagreement ? c.red(`! ${line}: ${st.ssoDisagreement}`) : c.dim(line)}`);
    }
    out.push('');
  }
  if (list.length < report.statements.length) out.push(c.dim(`… ${report.statements.length - list.length} more statements (--top 0 shows all)`), '');
  out.push(...summaryLines(report, (t) => c.bold(t)));
  return `${out.join('\n')}\n`;
}

function summaryLines(report: AuditReport, bold: (t: string) => string): string[] {
  const s = report.summary;
  const out: string[] = [];
  out.push(`${bold('Calls that scatter')} (more than one shard): ${percent(s.scatterShare)} (${number.format(s.scatterCalls)} of ${number.format(s.calls)})`);
  out.push(`${bold('Predicted single-shard fast path')}: ${percent(s.predictedSingleShardShare)} of calls`);
  if (s.unknownCalls > 0) out.push(`Route unknown (tables missing from the manifest, unparsable statements): ${number.format(s.unknownCalls)} calls`);
  if (s.sso) {
    out.push(
      `${bold('Observed single-shard')} (sso_calls): ${percent(s.sso.observedRate)} of ${number.format(s.sso.calls)} calls; predicted ${percent(s.sso.predictedRate)} for the same statements${s.sso.disagreements > 0 ? `; ${s.sso.disagreements} statement${s.sso.disagreements === 1 ? '' : 's'} disagree${s.sso.disagreements === 1 ? 's' : ''}` : ''}`,
    );
  }
  const routes = Object.entries(s.byRoute).sort((a, b) => b[1].shardWork - a[1].shardWork);
  const plural = (n: number, word: string) => `${number.format(n)} ${word}${n === 1 ? '' : 's'}`;
  out.push(`By route: ${routes.map(([route, t]) => `${route} ${plural(t.calls, 'call')} (${plural(t.statements, 'statement')})`).join(', ')}`);
  if (s.skipped.shardRows > 0 || s.skipped.hidden > 0) {
    const parts = [];
    if (s.skipped.shardRows > 0) parts.push(`${number.format(s.skipped.shardRows)} shard rows of limitless_stat_statements (the router rows count each statement)`);
    if (s.skipped.hidden > 0) parts.push(`${number.format(s.skipped.hidden)} rows hidden as <insufficient privilege> (grant pg_read_all_stats)`);
    out.push(`Left out: ${parts.join('; ')}`);
  }
  for (const source of report.sources) if (source.truncated !== undefined) out.push(`Incomplete input: ${source.name}: ${source.truncated}`);
  return out;
}

function renderMarkdown(report: AuditReport, options: RenderOptions): string {
  const s = report.summary;
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const out: string[] = [];
  out.push('## Workload audit', '');
  out.push(`${number.format(s.statements)} statements, ${number.format(s.calls)} calls, ${formatTime(s.totalTimeMs)} from ${sourceLine(report)}. Manifest: \`${report.manifest.file ?? '(given)'}\` (${report.manifest.shards} shards). Ranked by ${SORT_WORDS[report.sortedBy]}.`, '');
  out.push('| # | route | fan-out | calls | shard work | time | single-shard observed | statement |');
  out.push('|---:|---|---:|---:|---:|---:|---:|---|');
  for (const st of shown(report, options.top)) {
    const observed = st.observedSingleShardRate === undefined ? '' : `${percent(st.observedSingleShardRate)}${st.ssoDisagreement ? ' ⚠' : ''}`;
    out.push(
      `| ${st.rank} | ${st.route} | ${st.fanout} | ${number.format(st.calls)} | ${number.format(st.shardWork)} (${percent(st.workShare)}) | ${formatTime(st.totalTimeMs)} | ${observed} | \`${cell(printable(oneLine(st.query, 120))).replace(/`/g, "'")}\` |`,
    );
  }
  out.push('');
  if (shown(report, options.top).length < report.statements.length) out.push(`${report.statements.length - shown(report, options.top).length} more statements not shown.`, '');
  out.push(...summaryLines(report, (t) => `**${t}**`).map((l) => `- ${l}`));
  const disagreements = report.statements.filter((st) => st.ssoDisagreement);
  if (disagreements.length > 0) {
    out.push('', '### Observed vs predicted single-shard', '');
    for (const st of disagreements) out.push(`- #${st.rank} \`${cell(printable(oneLine(st.query, 100))).replace(/`/g, "'")}\`: ${st.ssoDisagreement}`);
  }
  return `${out.join('\n')}\n`;
}
