import type { Span } from '../diagnostic.js';
import type { SplitStatement } from '../sql/split.js';
import { ruleGroupMembers } from './groups.js';

/** One `-- limitless-lint-ignore[-file] <rule-id>[, <rule-id>]: <reason>` comment. */
export interface Suppression {
  readonly span: Span;
  readonly scope: 'statement' | 'file';
  /** The rule ids as written. */
  readonly ruleIds: readonly string[];
  /** The rules it suppresses: `ruleIds` with each group alias (e.g. `no-unsupported-feature`) replaced by its members. */
  readonly covers: readonly string[];
  readonly reason: string;
  /** Span of the statement it applies to (`statement` scope), when there is one. */
  readonly target?: Span;
  /** What is wrong with the directive itself, if anything. */
  readonly problem?: { readonly messageId: 'missingReason' | 'unknownRule' | 'noRule' | 'noStatement'; readonly data: Readonly<Record<string, string>> };
}

const DIRECTIVE = /^(?:--|\/\*)\s*limitless-lint-(ignore-file|ignore)\b(.*?)(?:\*\/)?\s*$/s;

/**
 * Reads suppression directives from a text's comments. A statement-scope directive applies to the
 * next statement that starts after it; a file-scope one to the whole text.
 */
export function parseSuppressions(
  text: string,
  comments: readonly Span[],
  statements: readonly Pick<SplitStatement, 'start' | 'end'>[],
  knownRule: (id: string) => boolean,
): Suppression[] {
  const out: Suppression[] = [];
  for (const c of comments) {
    const m = DIRECTIVE.exec(text.slice(c.start, c.end));
    if (!m) continue;
    const scope = m[1] === 'ignore-file' ? 'file' : 'statement';
    const rest = (m[2] ?? '').trim();
    const colon = rest.indexOf(':');
    const idsText = colon >= 0 ? rest.slice(0, colon) : rest;
    const reason = colon >= 0 ? rest.slice(colon + 1).trim() : '';
    const ruleIds = idsText.split(/[\s,]+/).filter(Boolean);
    const target = scope === 'statement' ? statements.find((s) => s.start >= c.end) : undefined;
    let problem: Suppression['problem'];
    const covers = [...new Set(ruleIds.flatMap((id) => ruleGroupMembers(id) ?? [id]))];
    // A group alias is known when one of its members is (the catalogue may be pinned to some of them).
    const unknown = ruleIds.filter((id) => !(ruleGroupMembers(id)?.some(knownRule) ?? knownRule(id)));
    if (ruleIds.length === 0) problem = { messageId: 'noRule', data: {} };
    else if (unknown.length > 0) problem = { messageId: 'unknownRule', data: { ruleId: unknown.join(', ') } };
    else if (!reason) problem = { messageId: 'missingReason', data: { ruleId: ruleIds.join(', ') } };
    else if (scope === 'statement' && !target) problem = { messageId: 'noStatement', data: {} };
    out.push({
      span: c,
      scope,
      ruleIds,
      covers,
      reason,
      ...(target ? { target: { start: target.start, end: target.end } } : {}),
      ...(problem ? { problem } : {}),
    });
  }
  return out;
}
