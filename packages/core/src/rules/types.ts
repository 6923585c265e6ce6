import type { Label, RuleLevel, Severity, Span, Suggestion } from '../diagnostic.js';
import type { TableCatalogue } from '../catalogue/catalogue.js';
import type { SchemaState } from '../ddl/replay.js';
import type { Manifest } from '../manifest/types.js';
import type { RouteAnalysis } from '../route/analyze-route.js';
import type { Block } from '../route/model.js';
import type { Node } from 'libpg-query';
import type { Statement } from '../sql/statements.js';

/**
 * Rule categories, each with a written definition (docs/rules/README.md):
 * routing — where Limitless runs a statement; connections — RDS Proxy session pinning;
 * sequences — distributed-sequence ordering; schema — DDL that Limitless rejects or handles badly;
 * housekeeping — the linter's own findings (parse errors, suppressions, manifest gaps).
 */
export type RuleCategory = 'routing' | 'connections' | 'sequences' | 'schema' | 'housekeeping';

/** One documented option of a rule. */
export interface RuleOption {
  readonly type: 'boolean' | 'string' | 'number' | 'string[]';
  readonly default: unknown;
  readonly description: string;
}

export interface RuleExamples {
  /** Manifest for the examples: a file name in fixtures/manifests/ without `.yaml` (default `demo`). */
  readonly manifest?: string;
  /** Each must yield exactly one diagnostic of this rule (and is shown under "Invalid"). */
  readonly invalid: readonly string[];
  /** Each must yield no diagnostic of this rule. */
  readonly valid: readonly string[];
}

export interface RuleMeta {
  /** Stable kebab-case id; never renamed once shipped. */
  readonly id: string;
  /** One sentence, no full stop: what the rule reports. */
  readonly description: string;
  readonly category: RuleCategory;
  readonly defaultLevel: RuleLevel;
  /**
   * The sections of docs/limitless/ the rule rests on, as `page#anchor` (e.g. `routing#joins`); the
   * rule's page links them (scripts/docs.mjs) and a test checks that each heading exists.
   */
  readonly facts: readonly string[];
  /** messageId → "what" template with `{{placeholders}}`. */
  readonly messages: Readonly<Record<string, string>>;
  /** Why it matters on Limitless (default for every report; may use placeholders). */
  readonly note: string;
  /** What to do (default for every report; may use placeholders). */
  readonly help: string;
  readonly options?: Readonly<Record<string, RuleOption>>;
  readonly examples: RuleExamples;
}

export interface ReportInput {
  readonly messageId: string;
  readonly data?: Readonly<Record<string, string>>;
  readonly span: Span;
  readonly labels?: readonly Label[];
  readonly suggestions?: readonly Suggestion[];
  /** Overrides the rule's default `note` for this report (placeholders allowed). */
  readonly note?: string;
  /** Overrides the rule's default `help` for this report (placeholders allowed). */
  readonly help?: string;
  /** A lower severity than the rule's for this report (never a higher one), e.g. `warning` for a bounded fan-out. */
  readonly severity?: Severity;
}

/** What a rule sees of one statement. */
export interface RuleContext {
  readonly statement: Statement;
  /** The statement's parse tree: rules run on statements that parsed only. */
  readonly ast: Node;
  readonly analysis: RouteAnalysis;
  readonly manifest: Manifest | undefined;
  /** The rule's options, defaults filled in. */
  readonly options: Readonly<Record<string, unknown>>;
  /** What the DDL seen so far in the file says (Limitless create-table session state, tables). */
  readonly schema: SchemaState;
  /**
   * The one table catalogue: manifest ⊕ replayed DDL, with one precedence (docs/architecture.md).
   * Rules look tables up here, not in `manifest.tables` or `schema.tables`.
   */
  readonly catalogue: TableCatalogue;
  report(input: ReportInput): void;
}

type TagsOf<N> = N extends unknown ? keyof N : never;
/** A parse-tree node type: `SelectStmt`, `FuncCall`, `ColumnRef` … */
export type NodeTag = TagsOf<Node>;
/** The body of a node of type `K` (what `{ K: body }` holds). */
export type NodeBody<K extends NodeTag> = Extract<Node, { readonly [P in K]: unknown }>[K];

/**
 * Node visitors, as ESLint, oxc and Biome rules subscribe: called for every node of that type, parents
 * before children, with the query block the node is in (undefined outside any, e.g. in DDL). Every
 * SELECT is visited, set-operation branches included. The engine runs all rules' visitors in one
 * traversal of the statement.
 */
export type RuleVisitors = { readonly [K in NodeTag]?: (node: NodeBody<K>, block: Block | undefined) => void };

/** A rule: `check` once per parsed statement, or `create` to subscribe to node types (or both). */
export interface RuleModule {
  readonly meta: RuleMeta;
  /** Called once per parsed statement. */
  check?(context: RuleContext): void;
  /** Called once per parsed statement; the visitors it returns run in the engine's one traversal. */
  create?(context: RuleContext): RuleVisitors;
}

/** Identity helper that checks a rule module's shape. */
export function defineRule(rule: RuleModule): RuleModule {
  return rule;
}
