import type { RuleModule, RuleOverrides } from '@limitless-lint/core';
import { rules } from '@limitless-lint/core';

/**
 * Whether a rule needs the manifest's tables to say anything true: the routing rules judge where a
 * statement runs (which takes each table's mode and shard key), and `unknown-table` reports tables
 * the manifest lacks. Every other rule judges the statement itself (session pinning, unsupported
 * SQL, parse errors, suppressions) or the DDL the file runs (keys, collocation, sequences).
 */
export function needsManifest(rule: RuleModule): boolean {
  return rule.meta.category === 'routing' || rule.meta.id === 'unknown-table';
}

/** The rule levels of a run without a manifest (`--no-manifest`): every rule that needs one is off. */
export const MANIFEST_FREE_OVERRIDES: RuleOverrides = Object.fromEntries(rules.filter(needsManifest).map((rule) => [rule.meta.id, 'off']));
