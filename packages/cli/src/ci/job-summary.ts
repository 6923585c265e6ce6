import { ROUTE_KINDS } from '@limitless-lint/core';
import type { LintResult } from '../run/lint-result.js';
import { summarize } from '../run/lint-result.js';
import type { LocalityChange, LocalityDiff } from './locality-diff.js';
import { plural } from '../util/text.js';

/** GitHub's limit for a comment body; a job summary this size stays readable. */
export const SUMMARY_LIMIT = 65_536;
/** Lists longer than this are folded into a `<details>` element. */
const FOLD_AFTER = 10;

/** What the job summary tells beyond the lint result. */
export interface SummaryFacts {
  /** Problems hidden by `--baseline`. */
  readonly baselineHidden?: number;
  /** Stale entries of the baseline (entries, not problems). */
  readonly baselineStale?: number;
  /** With `--changed-since`: the revision, its merge base, and the problems outside the changed statements. */
  readonly changed?: { readonly ref: string; readonly base: string; readonly hidden: number };
  readonly diff?: LocalityDiff;
}

/**
 * The job summary in GitHub-flavoured Markdown (`--summary-file`, for `$GITHUB_STEP_SUMMARY`): the
 * verdict, statements per route, problems per severity and the locality diff, at most
 * {@link SUMMARY_LIMIT} characters (rows that do not fit are counted instead).
 *
 * @param all the whole run, for the route counts (needs `FileResult.statements`).
 * @param shown what was reported: after the baseline and `--changed-since`.
 */
export function jobSummary(all: LintResult, shown: LintResult, facts: SummaryFacts): string {
  const s = summarize(shown);
  const problems = s.errors + s.warnings + s.infos;
  const head: string[] = ['## limitless-lint', ''];
  const verdict =
    problems === 0
      ? '✅ **No problems**'
      : `${s.errors > 0 ? '❌' : '⚠️'} **${plural(problems, 'problem')}** (${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}${s.infos > 0 ? `, ${s.infos} info` : ''})`;
  let coverage = `${plural(s.statements, 'statement')} in ${plural(s.files, 'file')} (${plural(s.parseErrors, 'parse error')})`;
  if (s.skipped > 0) coverage += `; **${plural(s.skipped, 'path')} not linted**`;
  head.push(`${verdict} · ${coverage}`, '');
  const notes: string[] = [];
  if (facts.changed) {
    notes.push(
      `Only statements changed since ${code(facts.changed.ref)} (merge base ${code(facts.changed.base.slice(0, 12))}) are checked` +
        (facts.changed.hidden > 0 ? `; ${plural(facts.changed.hidden, 'problem')} in other statements ${facts.changed.hidden === 1 ? 'is' : 'are'} not reported.` : '.'),
    );
  }
  if (facts.baselineHidden !== undefined && facts.baselineHidden > 0) notes.push(`${plural(facts.baselineHidden, 'known problem')} hidden by the baseline.`);
  if (facts.baselineStale !== undefined && facts.baselineStale > 0) {
    notes.push(`The baseline has ${plural(facts.baselineStale, 'stale entry', 'stale entries')}: run with \`--update-baseline\` to prune ${facts.baselineStale === 1 ? 'it' : 'them'}.`);
  }
  if (notes.length > 0) head.push(...notes.map((n) => `- ${n}`), '');

  head.push('### Statements by route', '', '| route | statements |', '|---|---:|');
  const routes = routeCounts(all);
  for (const [route, count] of routes) head.push(`| ${route} | ${count} |`);
  if (routes.length === 0) head.push('| — | 0 |');
  head.push('', '### Problems by severity', '', '| severity | problems |', '|---|---:|');
  head.push(`| error | ${s.errors} |`, `| warning | ${s.warnings} |`, `| info | ${s.infos} |`, '');

  const out = new Budget(SUMMARY_LIMIT);
  out.add(head.join('\n'));
  if (facts.diff) localitySection(out, facts.diff);
  return out.text();
}

/** Statements per route over the whole run, in the catalogue's order; unparsable statements last. */
export function routeCounts(result: LintResult): [string, number][] {
  const counts = new Map<string, number>();
  for (const file of result.files) {
    for (const statement of file.statements ?? []) {
      const route = statement.route?.kind ?? 'did not parse';
      counts.set(route, (counts.get(route) ?? 0) + 1);
    }
  }
  const order: string[] = [...ROUTE_KINDS, 'did not parse'];
  return order.filter((r) => counts.has(r)).map((r) => [r, counts.get(r) as number]);
}

function localitySection(out: Budget, diff: LocalityDiff): void {
  const worse = diff.changes.filter((c) => c.kind === 'worse');
  const better = diff.changes.filter((c) => c.kind === 'better');
  const added = diff.changes.filter((c) => c.kind === 'new');
  const lines = [`### Locality diff against ${code(diff.ref)}`, ''];
  if (diff.files === 0) {
    lines.push(`No linted file changed since ${code(diff.ref)} (merge base ${code(diff.base.slice(0, 12))}).`, '');
    out.add(lines.join('\n'));
    return;
  }
  const counts = [worse.length > 0 ? `**${worse.length} worse**` : '0 worse', `${better.length} better`, `${added.length + diff.newWithoutTables} new`];
  lines.push(
    `${counts.join(', ')} · ${diff.unchanged} unchanged, ${diff.removed} removed, in ${plural(diff.files, 'changed file')} (merge base ${code(diff.base.slice(0, 12))})`,
    '',
  );
  out.add(lines.join('\n'));
  table(out, worse, `${plural(worse.length, 'statement')} whose route got worse`, true);
  table(out, better, `${plural(better.length, 'statement')} whose route got better`, false);
  table(out, added, `${plural(added.length, 'new statement')}${diff.newWithoutTables > 0 ? ` (and ${diff.newWithoutTables} without tables, not listed)` : ''}`, false);
  if (worse.length + better.length + added.length === 0) out.add('No statement changed route.\n');
}

function table(out: Budget, changes: readonly LocalityChange[], title: string, open: boolean): void {
  if (changes.length === 0) return;
  const fold = changes.length > FOLD_AFTER;
  const isNew = changes[0]?.kind === 'new';
  const header = [
    fold ? `<details${open ? ' open' : ''}><summary>${escapeHtml(title)}</summary>\n` : `**${escapeHtml(title)}**\n`,
    isNew ? '| statement | route |' : '| statement | before | after |',
    isNew ? '|---|---|' : '|---|---|---|',
  ];
  const footer = fold ? '\n</details>\n' : '';
  if (!out.fits(header.join('\n').length + footer.length)) {
    out.omit(changes.length);
    return;
  }
  out.add(header.join('\n'));
  let written = 0;
  for (const c of changes) {
    const where = `<code>${escapeHtml(`${c.file}:${c.after.line}`)}</code><br><code>${escapeHtml(c.sql)}</code>`;
    const row = isNew ? `| ${where} | ${route(c.after)} |` : `| ${where} | ${route(c.before)} | ${route(c.after)} |`;
    if (!out.fits(row.length + 1 + footer.length)) break;
    out.add(row);
    written++;
  }
  if (written < changes.length) out.add(`\n… and ${changes.length - written} more not shown (the summary is limited to ${SUMMARY_LIMIT.toLocaleString('en-US')} characters).`);
  out.add(footer);
}

function route(at: LocalityChange['before']): string {
  if (!at) return '';
  return `${at.route} (${at.fanout === 1 ? '1 shard' : `${at.fanout} shards`})`;
}

/** Markdown text that stops growing at its limit. */
class Budget {
  private readonly parts: string[] = [];
  private length = 0;
  private omitted = 0;

  constructor(private readonly limit: number) {}

  /** Whether `n` more characters still fit, keeping room for the closing note. */
  fits(n: number): boolean {
    return this.length + n <= this.limit - 200;
  }

  add(text: string): void {
    this.parts.push(text);
    this.length += text.length + 1;
  }

  omit(n: number): void {
    this.omitted += n;
  }

  text(): string {
    if (this.omitted > 0) this.parts.push(`\n… ${this.omitted} more rows not shown (the summary is limited to ${this.limit.toLocaleString('en-US')} characters).`);
    return `${this.parts.join('\n')}\n`;
  }
}

function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

/** Safe inside HTML and inside a Markdown table cell. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"|`\\*_[\]]/g, (c) => `&#${c.charCodeAt(0)};`).replace(/[\r\n]+/g, ' ');
}
