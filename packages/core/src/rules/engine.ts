import type { Diagnostic, RuleLevel, Severity } from '../diagnostic.js';
import { docsUrl, levelToSeverity } from '../diagnostic.js';
import type { SchemaState } from '../ddl/replay.js';
import type { Manifest, RuleConfig } from '../manifest/types.js';
import type { RouteAnalysis } from '../route/analyze-route.js';
import type { Statement } from '../sql/statements.js';
import type { Node } from 'libpg-query';
import type { Block, StatementModel } from '../route/model.js';
import { ruleGroupOf } from './groups.js';
import type { ReportInput, RuleContext, RuleMeta, RuleModule } from './types.js';

/** A rule with the severity and options configuration gave it. */
export interface ActiveRule {
  readonly rule: RuleModule;
  readonly severity: Severity;
  readonly options: Readonly<Record<string, unknown>>;
}

/** Overrides on top of the manifest's `rules:` (e.g. from the command line). */
export type RuleOverrides = Readonly<Record<string, RuleLevel | RuleConfig>>;

/**
 * Which rules run and how severe they are: each rule's default level, then the manifest's
 * `unknown_tables` (for `unknown-table`), then its `rules:` block, then `overrides` (in each, a group
 * alias's entry first, then the rule's own).
 */
export function resolveRules(rules: readonly RuleModule[], manifest: Manifest | undefined, overrides?: RuleOverrides): ReadonlyMap<string, ActiveRule> {
  // Resolved once per (catalogue, manifest, overrides): the CLI and the ESLint plugin analyse many
  // texts (every SQL site of a TypeScript file) with the same configuration, and the statement cache
  // is keyed by the resolved rules. Overrides are compared by content (the plugin builds them per file).
  let byManifest = cache.get(rules);
  if (!byManifest) cache.set(rules, (byManifest = new WeakMap()));
  const manifestKey = manifest ?? NO_MANIFEST;
  let byOverrides = byManifest.get(manifestKey);
  if (!byOverrides) byManifest.set(manifestKey, (byOverrides = new Map()));
  // The same overrides object (every SQL site of a file) is recognised without serialising it.
  const seen = overrides === undefined ? undefined : byIdentity.get(overrides);
  if (seen && seen.manifest === manifestKey && seen.rules === rules) return seen.active;
  const overridesKey = overrides === undefined ? '' : JSON.stringify(overrides);
  let active = byOverrides.get(overridesKey);
  if (!active) {
    // A long-lived process with ever-new overrides (an editor changing settings) keeps the last few.
    if (byOverrides.size >= 16) byOverrides.clear();
    byOverrides.set(overridesKey, (active = resolve(rules, manifest, overrides ?? {})));
  }
  if (overrides !== undefined) byIdentity.set(overrides, { rules, manifest: manifestKey, active });
  return active;
}

const cache = new WeakMap<readonly RuleModule[], WeakMap<object, Map<string, ReadonlyMap<string, ActiveRule>>>>();
const NO_MANIFEST = {};
const byIdentity = new WeakMap<RuleOverrides, { readonly rules: readonly RuleModule[]; readonly manifest: object; readonly active: ReadonlyMap<string, ActiveRule> }>();

function resolve(rules: readonly RuleModule[], manifest: Manifest | undefined, overrides: RuleOverrides): Map<string, ActiveRule> {
  const out = new Map<string, ActiveRule>();
  for (const rule of rules) {
    const id = rule.meta.id;
    let level: RuleLevel = rule.meta.defaultLevel;
    let options: Record<string, unknown> = {};
    if (id === 'unknown-table' && manifest) level = manifest.unknownTables;
    // A group alias's settings (rules/groups.ts) apply to each member, under the member's own.
    const group = ruleGroupOf(id);
    for (const config of [group && manifest?.rules[group], manifest?.rules[id], group && overrides[group], overrides[id]]) {
      if (!config) continue;
      if (typeof config === 'string') level = config;
      else {
        level = config.level;
        options = { ...options, ...config.options };
      }
    }
    const severity = levelToSeverity(level);
    if (!severity) continue;
    const defaults = Object.fromEntries(Object.entries(rule.meta.options ?? {}).map(([k, o]) => [k, o.default]));
    out.set(id, { rule, severity, options: { ...defaults, ...options } });
  }
  return out;
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

/** Fills `{{name}}` placeholders. Unknown placeholders stay visible rather than vanish. */
export function render(template: string, data: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => data[key] ?? whole);
}

/** Builds a diagnostic from a rule's metadata and one report. */
export function makeDiagnostic(meta: RuleMeta, severity: Severity, input: ReportInput): Diagnostic {
  const data = input.data ?? {};
  const template = meta.messages[input.messageId];
  if (template === undefined) throw new Error(`rule ${meta.id} has no message '${input.messageId}'`);
  return {
    ruleId: meta.id,
    messageId: input.messageId,
    data,
    message: render(template, data),
    severity: input.severity && SEVERITY_RANK[input.severity] < SEVERITY_RANK[severity] ? input.severity : severity,
    span: input.span,
    labels: input.labels ?? [],
    note: render(input.note ?? meta.note, data),
    help: render(input.help ?? meta.help, data),
    suggestions: input.suggestions ?? [],
    docsUrl: docsUrl(meta.id),
  };
}

/**
 * Runs every active rule on one parsed statement (none on a statement that did not parse): each
 * rule's `check`, then the node visitors of all rules in one traversal of the tree.
 */
export function runRules(
  active: ReadonlyMap<string, ActiveRule>,
  statement: Statement,
  analysis: RouteAnalysis,
  schema: SchemaState,
  manifest: Manifest | undefined,
  diagnostics: Diagnostic[],
): void {
  const ast = statement.ast;
  if (!ast) return;
  let visitors: Map<string, Visitor[]> | undefined;
  for (const { rule, severity, options } of active.values()) {
    const context: RuleContext = {
      statement,
      ast,
      analysis,
      manifest,
      options,
      schema,
      catalogue: analysis.catalogue,
      report: (input) => diagnostics.push(makeDiagnostic(rule.meta, severity, input)),
    };
    rule.check?.(context);
    if (!rule.create) continue;
    visitors ??= new Map();
    for (const [tag, visit] of Object.entries(rule.create(context))) {
      if (typeof visit !== 'function') continue;
      const list = visitors.get(tag);
      if (list) list.push(visit as Visitor);
      else visitors.set(tag, [visit as Visitor]);
    }
  }
  if (visitors) traverse(ast, analysis.model, visitors);
}

type Visitor = (node: unknown, block: Block | undefined) => void;

/**
 * Visits every node below `root` once, parents first, with the query block each is in (the model's
 * block of a query node, else its parent's), siblings in source order. A set operation's branches
 * (bare SELECT bodies) are visited as SelectStmt nodes. An explicit stack: trees can be deep.
 */
export function traverse(root: Node, model: StatementModel, visitors: ReadonlyMap<string, readonly Visitor[]>): void {
  // Two parallel stacks (value, its block): no object per visited value.
  const values: unknown[] = [root];
  const blocks: (Block | undefined)[] = [undefined];
  while (values.length > 0) {
    const value = values.pop();
    const block = blocks.pop();
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        values.push(value[i]);
        blocks.push(block);
      }
      continue;
    }
    const obj = value as Record<string, unknown>;
    let tag: string | undefined;
    let count = 0;
    for (const k in obj) {
      tag = k;
      if (++count > 1) break;
    }
    // A node is `{ Tag: body }` with a capitalised tag: visited, then its body's fields are walked in
    // the node's query block. Any other object (a body's field holding several keys) is walked as is.
    let fields = obj;
    let inner = block;
    let setOperation = false;
    const body = count === 1 ? obj[tag as string] : undefined;
    const c = count === 1 ? (tag as string).charCodeAt(0) : 0;
    if (c >= 65 && c <= 90 && body !== null && typeof body === 'object' && !Array.isArray(body)) {
      inner = (QUERY_TAGS.has(tag as string) && model.blockOf(body)) || block;
      const list = visitors.get(tag as string);
      if (list) for (const visit of list) visit(body, inner);
      fields = body as Record<string, unknown>;
      setOperation = tag === 'SelectStmt';
    }
    // Pushed in source order, then reversed so that they pop in source order; every block pushed
    // here is `inner`, so the blocks stack needs no reversing.
    const start = values.length;
    for (const k in fields) {
      const v = fields[k];
      if (v === null || typeof v !== 'object') continue;
      values.push(setOperation && (k === 'larg' || k === 'rarg') ? { SelectStmt: v } : v);
      blocks.push(inner);
    }
    reverseFrom(values, start);
  }
}

/** Reverses `stack` from `start` on, so that what was pushed in source order pops in source order. */
function reverseFrom(stack: unknown[], start: number): void {
  for (let i = start, j = stack.length - 1; i < j; i++, j--) {
    const t = stack[i];
    stack[i] = stack[j];
    stack[j] = t;
  }
}

/** The node types that have a query block of their own. */
const QUERY_TAGS = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);
