import { limitlessDocsUrl } from '../diagnostic.js';
import type { ColumnDef, Constraint, CreateStmt, IntoClause, Node, ObjectType } from 'libpg-query';
import type { Span } from '../diagnostic.js';
import type { TableMode } from '../manifest/types.js';
import { conversionCall } from '../ddl/replay.js';
import { stringList, tagOf, walk } from '../route/ast.js';
import { functionVolatility } from '../route/functions.js';
import type { Statement } from '../sql/statements.js';
import { argumentSpan, keywordSpan, lastKeywordSpan, parenthesizedEnd, textTokens } from './keyword-span.js';
import { createdTable } from './known-table.js';
import type { RuleContext, RuleOption } from './types.js';

/** The AWS pages that list what Limitless rejects (docs/limitless/README.md#sources source key). */
const SOURCES = {
  'L-DDLSUP': { title: 'DDL support reference, L-DDLSUP', url: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/limitless-reference.DDL-support.html' },
  'L-DDLLIM': { title: 'DDL limitations, L-DDLLIM', url: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/limitless-reference.DDL-limitations.html' },
  'L-DMLSUP': { title: 'DML support reference, L-DMLSUP', url: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/limitless-reference.DML-support.html' },
  'L-DMLLIM': { title: 'DML limitations, L-DMLLIM', url: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/limitless-reference.DML-limitations.html' },
  'L-REQS': { title: 'requirements and limitations, L-REQS', url: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/limitless-reqs-limits.html' },
} as const;
type Source = keyof typeof SOURCES;

/** Families of features: one message each. */
const MESSAGE_IDS = {
  statement: 'unsupportedStatement',
  table: 'unsupportedTableFeature',
  sequence: 'unsupportedSequenceFeature',
  conflict: 'unsupportedConflictAction',
  isolation: 'unsupportedIsolation',
  name: 'longShardedTableName',
} as const;
type Family = keyof typeof MESSAGE_IDS;

interface FeatureInfo {
  readonly family: Family;
  readonly source: Source;
  /** What to do instead (the `help`). */
  readonly fix: string;
}

/**
 * Every feature id the no-unsupported-* rules report (each rule's `allow` option accepts its own).
 * Keep in step with the tables on the rules' pages (docs/rules/no-unsupported-*.md).
 */
const FEATURES = {
  trigger: { family: 'statement', source: 'L-DDLSUP', fix: 'Run the trigger\'s logic in the application, or in a function the application calls explicitly.' },
  'event-trigger': { family: 'statement', source: 'L-DDLSUP', fix: 'Run DDL hooks in the migration tool instead of the database.' },
  'temporary-table': { family: 'statement', source: 'L-DDLSUP', fix: 'Use a CTE, a regular table that the job drops afterwards, or keep the rows in the application.' },
  'materialized-view': { family: 'statement', source: 'L-DDLSUP', fix: 'Use a plain view, or a regular table that the application refreshes.' },
  rule: { family: 'statement', source: 'L-DDLSUP', fix: 'Use a view or explicit statements instead of a rewrite rule.' },
  domain: { family: 'statement', source: 'L-DDLSUP', fix: 'Use the base type, with a CHECK constraint that compares the column with literals where needed.' },
  aggregate: { family: 'statement', source: 'L-DDLSUP', fix: 'Use built-in aggregates, or aggregate in the application.' },
  'foreign-table': { family: 'statement', source: 'L-DDLSUP', fix: 'Load external data with COPY (or the `aws_s3` extension) instead of a foreign data wrapper.' },
  'foreign-server': { family: 'statement', source: 'L-DDLSUP', fix: 'Load external data with COPY (or the `aws_s3` extension) instead of a foreign data wrapper.' },
  'import-foreign-schema': { family: 'statement', source: 'L-DMLSUP', fix: 'Load external data with COPY (or the `aws_s3` extension) instead of a foreign data wrapper.' },
  publication: { family: 'statement', source: 'L-DDLSUP', fix: 'Replicate with a change-data-capture tool outside the database.' },
  subscription: { family: 'statement', source: 'L-DDLSUP', fix: 'Replicate with a change-data-capture tool outside the database.' },
  statistics: { family: 'statement', source: 'L-DDLSUP', fix: 'Drop the extended statistics; the planner keeps its per-column statistics.' },
  tablespace: { family: 'statement', source: 'L-DDLSUP', fix: 'Remove it: Limitless manages storage itself.' },
  language: { family: 'statement', source: 'L-DDLSUP', fix: 'Write the function in a language the cluster already has (SQL or PL/pgSQL).' },
  transform: { family: 'statement', source: 'L-DDLSUP', fix: 'Remove the transform and convert values in the function.' },
  'access-method': { family: 'statement', source: 'L-DDLSUP', fix: 'Use a built-in access method.' },
  'text-search': { family: 'statement', source: 'L-DDLSUP', fix: 'Use a built-in text search configuration.' },
  comment: { family: 'statement', source: 'L-DDLSUP', fix: 'Keep the description in the migration file or in a data catalog.' },
  'security-label': { family: 'statement', source: 'L-DDLSUP', fix: 'Remove the security label.' },
  'drop-owned': { family: 'statement', source: 'L-DDLSUP', fix: 'Drop the role\'s objects one by one.' },
  'reassign-owned': { family: 'statement', source: 'L-DDLSUP', fix: 'Change the owner of each object with `ALTER … OWNER TO`.' },
  'set-constraints': { family: 'statement', source: 'L-DDLSUP', fix: 'Declare the constraints with the deferral you need (`DEFERRABLE INITIALLY DEFERRED`), or order the statements so they hold.' },
  'alter-system': { family: 'statement', source: 'L-DDLSUP', fix: 'Set parameters in the DB cluster parameter group.' },
  'alter-default-privileges': { family: 'statement', source: 'L-DDLSUP', fix: 'GRANT the privileges explicitly after creating each object.' },
  'alter-database': { family: 'statement', source: 'L-DDLSUP', fix: 'Set parameters in the DB cluster parameter group.' },
  'create-database-option': { family: 'statement', source: 'L-DDLLIM', fix: 'Create the database without `TEMPLATE` and `TABLESPACE`.' },
  'alter-routine': { family: 'statement', source: 'L-DDLSUP', fix: 'Use `ALTER FUNCTION` or `ALTER PROCEDURE`.' },
  'policy-change': { family: 'statement', source: 'L-DDLSUP', fix: 'Create row-level security policies in their final form: Limitless supports CREATE POLICY but not ALTER POLICY or DROP POLICY.' },
  'alter-function-volatility': { family: 'statement', source: 'L-DDLLIM', fix: 'Create a new function with the volatility it needs and switch callers to it.' },
  'listen-notify': { family: 'statement', source: 'L-DMLSUP', fix: 'Use a message queue outside the database, or a table that consumers poll.' },
  merge: { family: 'statement', source: 'L-DMLSUP', fix: 'Use `INSERT … ON CONFLICT`, or separate UPDATE and INSERT statements.' },
  'two-phase-commit': { family: 'statement', source: 'L-DMLSUP', fix: 'Let Limitless coordinate the transaction: it already commits distributed transactions with two-phase commit.' },
  reindex: { family: 'statement', source: 'L-DMLSUP', fix: 'Build a replacement index with `CREATE INDEX CONCURRENTLY` and drop the old one.' },
  'where-current-of': { family: 'statement', source: 'L-DMLSUP', fix: 'Update or delete by the row\'s key (including the shard key) instead of the cursor position.' },
  identity: { family: 'table', source: 'L-DDLLIM', fix: 'Use `bigint DEFAULT nextval(\'…\')` with a (distributed) sequence, or `bigserial`.' },
  partitioning: { family: 'table', source: 'L-DDLLIM', fix: 'Let Limitless shard the table (mode `sharded`) instead of partitioning it yourself.' },
  'storage-parameters': { family: 'table', source: 'L-DDLLIM', fix: 'Remove the `WITH (…)` clause.' },
  'exclusion-constraint': { family: 'table', source: 'L-DDLLIM', fix: 'Enforce the rule in the application, or with a unique constraint that includes the shard key.' },
  'check-expression': { family: 'table', source: 'L-DDLLIM', fix: 'Compare columns with literals only (e.g. `CHECK (qty > 0)`), and check computed conditions in the application.' },
  'inline-foreign-key': { family: 'table', source: 'L-DDLLIM', fix: 'Create the table without the foreign key, then add it with `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY`.' },
  'foreign-key-set-default': { family: 'table', source: 'L-DDLLIM', fix: 'Use `RESTRICT`, `NO ACTION` or `CASCADE` instead of `SET DEFAULT`.' },
  'alter-table-only': { family: 'table', source: 'L-DDLLIM', fix: 'Drop `ONLY` (pg_dump writes it): without inheritance it changes nothing.' },
  'rename-constraint': { family: 'table', source: 'L-DDLLIM', fix: 'Drop the constraint and add it again under the new name.' },
  'alter-column-option': { family: 'table', source: 'L-DDLLIM', fix: 'Remove the column option: Limitless does not support changing it.' },
  'alter-column-type-using': { family: 'table', source: 'L-DDLLIM', fix: 'Change the type without `USING` (an implicit cast), or add a new column, copy the values with UPDATE and swap the columns.' },
  'unique-index-concurrently': { family: 'table', source: 'L-DDLLIM', fix: 'Create the unique index without `CONCURRENTLY` (it blocks writes while it builds), or use a plain index concurrently.' },
  'schema-elements': { family: 'statement', source: 'L-DDLLIM', fix: 'Create the schema first, then each object in a statement of its own.' },
  'long-sharded-table-name': { family: 'name', source: 'L-DDLLIM', fix: 'Use a table name of at most 54 characters.' },
  setval: { family: 'sequence', source: 'L-DDLLIM', fix: 'Start the sequence where it must (`CREATE SEQUENCE … START WITH`), or use `ALTER SEQUENCE … RESTART WITH`.' },
  'sequence-cycle': { family: 'sequence', source: 'L-DDLLIM', fix: 'Remove the `CYCLE` / `NO CYCLE` clause (sequences do not cycle by default).' },
  'temporary-sequence': { family: 'sequence', source: 'L-DDLLIM', fix: 'Create a regular sequence.' },
  'unlogged-sequence': { family: 'sequence', source: 'L-DDLLIM', fix: 'Create a regular sequence.' },
  'on-conflict-unsafe-update': { family: 'conflict', source: 'L-DMLLIM', fix: 'Compute the value in the application and bind it as a parameter, or use `EXCLUDED.column` and immutable functions only.' },
  serializable: { family: 'isolation', source: 'L-REQS', fix: 'Use REPEATABLE READ or READ COMMITTED, and lock the rows you depend on with `SELECT … FOR UPDATE`.' },
} as const satisfies Record<string, FeatureInfo>;
type FeatureId = keyof typeof FEATURES;

/** The feature ids, for the docs and the `allow` option. */
export const UNSUPPORTED_FEATURE_IDS: readonly string[] = Object.keys(FEATURES);
export type { FeatureId };

/** One unsupported feature found in the statement. */
interface Finding {
  readonly id: FeatureId;
  /** How the message names it, e.g. "`CREATE TRIGGER`". */
  readonly feature: string;
  readonly span: Span;
  /** When the finding's page differs from the feature's usual one (e.g. REFRESH MATERIALIZED VIEW, L-DMLSUP). */
  readonly source?: Source;
  readonly data?: Readonly<Record<string, string>>;
}

/** Object types whose CREATE / ALTER / DROP Limitless rejects (docs/limitless/unsupported.md), with their keywords. */
const OBJECT_FEATURES: Partial<Record<ObjectType, readonly [FeatureId, readonly string[]]>> = {
  OBJECT_TRIGGER: ['trigger', ['TRIGGER']],
  OBJECT_EVENT_TRIGGER: ['event-trigger', ['EVENT', 'TRIGGER']],
  OBJECT_MATVIEW: ['materialized-view', ['MATERIALIZED', 'VIEW']],
  OBJECT_RULE: ['rule', ['RULE']],
  OBJECT_DOMAIN: ['domain', ['DOMAIN']],
  OBJECT_DOMCONSTRAINT: ['domain', ['DOMAIN']],
  OBJECT_AGGREGATE: ['aggregate', ['AGGREGATE']],
  OBJECT_FOREIGN_TABLE: ['foreign-table', ['FOREIGN', 'TABLE']],
  OBJECT_FOREIGN_SERVER: ['foreign-server', ['SERVER']],
  OBJECT_PUBLICATION: ['publication', ['PUBLICATION']],
  OBJECT_SUBSCRIPTION: ['subscription', ['SUBSCRIPTION']],
  OBJECT_STATISTIC_EXT: ['statistics', ['STATISTICS']],
  OBJECT_TABLESPACE: ['tablespace', ['TABLESPACE']],
  OBJECT_LANGUAGE: ['language', ['LANGUAGE']],
  OBJECT_TRANSFORM: ['transform', ['TRANSFORM']],
  OBJECT_ACCESS_METHOD: ['access-method', ['ACCESS', 'METHOD']],
  OBJECT_TSCONFIGURATION: ['text-search', ['TEXT', 'SEARCH']],
  OBJECT_TSDICTIONARY: ['text-search', ['TEXT', 'SEARCH']],
  OBJECT_TSPARSER: ['text-search', ['TEXT', 'SEARCH']],
  OBJECT_TSTEMPLATE: ['text-search', ['TEXT', 'SEARCH']],
  OBJECT_POLICY: ['policy-change', ['POLICY']],
};

/** Statement types that are unsupported whatever they contain: feature id and keywords to underline. */
const STATEMENTS: Readonly<Record<string, readonly [FeatureId, readonly string[], Source?, string?]>> = {
  CreateTrigStmt: ['trigger', ['TRIGGER']],
  CreateEventTrigStmt: ['event-trigger', ['EVENT', 'TRIGGER']],
  AlterEventTrigStmt: ['event-trigger', ['EVENT', 'TRIGGER']],
  RuleStmt: ['rule', ['RULE']],
  CreateDomainStmt: ['domain', ['DOMAIN']],
  AlterDomainStmt: ['domain', ['DOMAIN']],
  CreateForeignTableStmt: ['foreign-table', ['FOREIGN', 'TABLE']],
  CreateForeignServerStmt: ['foreign-server', ['SERVER']],
  AlterForeignServerStmt: ['foreign-server', ['SERVER']],
  ImportForeignSchemaStmt: ['import-foreign-schema', ['IMPORT', 'FOREIGN', 'SCHEMA']],
  CreatePublicationStmt: ['publication', ['PUBLICATION']],
  AlterPublicationStmt: ['publication', ['PUBLICATION']],
  CreateSubscriptionStmt: ['subscription', ['SUBSCRIPTION']],
  AlterSubscriptionStmt: ['subscription', ['SUBSCRIPTION']],
  DropSubscriptionStmt: ['subscription', ['SUBSCRIPTION']],
  CreateStatsStmt: ['statistics', ['STATISTICS']],
  AlterStatsStmt: ['statistics', ['STATISTICS']],
  CreateTableSpaceStmt: ['tablespace', ['TABLESPACE']],
  DropTableSpaceStmt: ['tablespace', ['TABLESPACE']],
  AlterTableSpaceOptionsStmt: ['tablespace', ['TABLESPACE']],
  AlterTableMoveAllStmt: ['tablespace', ['ALL', 'IN', 'TABLESPACE'], 'L-DDLLIM', '`ALTER TABLE ALL IN TABLESPACE`'],
  CreatePLangStmt: ['language', ['LANGUAGE']],
  CreateTransformStmt: ['transform', ['TRANSFORM']],
  CreateAmStmt: ['access-method', ['ACCESS', 'METHOD']],
  AlterTSConfigurationStmt: ['text-search', ['TEXT', 'SEARCH']],
  AlterTSDictionaryStmt: ['text-search', ['TEXT', 'SEARCH']],
  CommentStmt: ['comment', ['COMMENT', 'ON']],
  SecLabelStmt: ['security-label', ['SECURITY', 'LABEL']],
  DropOwnedStmt: ['drop-owned', ['DROP', 'OWNED']],
  ReassignOwnedStmt: ['reassign-owned', ['REASSIGN', 'OWNED']],
  ConstraintsSetStmt: ['set-constraints', ['SET', 'CONSTRAINTS']],
  AlterSystemStmt: ['alter-system', ['ALTER', 'SYSTEM']],
  AlterDefaultPrivilegesStmt: ['alter-default-privileges', ['ALTER', 'DEFAULT', 'PRIVILEGES']],
  AlterDatabaseStmt: ['alter-database', ['ALTER', 'DATABASE']],
  AlterDatabaseSetStmt: ['alter-database', ['ALTER', 'DATABASE']],
  AlterDatabaseRefreshCollStmt: ['alter-database', ['ALTER', 'DATABASE']],
  AlterPolicyStmt: ['policy-change', ['ALTER', 'POLICY']],
  ListenStmt: ['listen-notify', ['LISTEN']],
  NotifyStmt: ['listen-notify', ['NOTIFY']],
  UnlistenStmt: ['listen-notify', ['UNLISTEN']],
  MergeStmt: ['merge', ['MERGE']],
  ReindexStmt: ['reindex', ['REINDEX']],
  RefreshMatViewStmt: ['materialized-view', ['MATERIALIZED', 'VIEW'], 'L-DMLSUP'],
};

const TWO_PHASE: Readonly<Record<string, readonly string[]>> = {
  TRANS_STMT_PREPARE: ['PREPARE', 'TRANSACTION'],
  TRANS_STMT_COMMIT_PREPARED: ['COMMIT', 'PREPARED'],
  TRANS_STMT_ROLLBACK_PREPARED: ['ROLLBACK', 'PREPARED'],
};

/** Sharded table names are limited to 54 characters (docs/limitless/tables.md#shard-key-rules). */
const MAX_SHARDED_NAME = 54;

export type UnsupportedRuleId = 'no-unsupported-ddl' | 'no-unsupported-dml' | 'no-unsupported-table-feature' | 'no-unsupported-sequence-feature' | 'no-unsupported-isolation';

/** Statement-family features that are DML or session statements rather than DDL. */
const DML_FEATURES: ReadonlySet<FeatureId> = new Set<FeatureId>(['listen-notify', 'merge', 'two-phase-commit', 'reindex', 'where-current-of', 'set-constraints']);

/** The rule that reports a feature. */
export function ruleOfFeature(id: FeatureId): UnsupportedRuleId {
  const family: Family = FEATURES[id].family;
  switch (family) {
    case 'statement':
      return DML_FEATURES.has(id) ? 'no-unsupported-dml' : 'no-unsupported-ddl';
    case 'conflict':
      return 'no-unsupported-dml';
    case 'table':
    case 'name':
      return 'no-unsupported-table-feature';
    case 'sequence':
      return 'no-unsupported-sequence-feature';
    case 'isolation':
      return 'no-unsupported-isolation';
  }
}

/** The feature ids one rule reports (its `allow` option accepts them). */
export function featuresOf(rule: UnsupportedRuleId): readonly FeatureId[] {
  return (Object.keys(FEATURES) as FeatureId[]).filter((id) => ruleOfFeature(id) === rule);
}

/** The message templates of one rule: those of the families it reports. */
export function messagesOf(rule: UnsupportedRuleId): Record<string, string> {
  const ids = new Set(featuresOf(rule).map((id) => MESSAGE_IDS[FEATURES[id].family]));
  return Object.fromEntries(Object.entries(MESSAGES).filter(([messageId]) => ids.has(messageId as (typeof MESSAGE_IDS)[Family])));
}

const MESSAGES: Readonly<Record<(typeof MESSAGE_IDS)[Family], string>> = {
  unsupportedStatement: '{{feature}} is not supported by Aurora PostgreSQL Limitless ({{source}}).',
  unsupportedTableFeature: '{{feature}} is not supported on Aurora PostgreSQL Limitless tables ({{source}}).',
  unsupportedSequenceFeature: '{{feature}} is not supported for Aurora PostgreSQL Limitless distributed sequences ({{source}}).',
  unsupportedConflictAction: '`INSERT … ON CONFLICT … DO UPDATE` with {{feature}} is not supported by Aurora PostgreSQL Limitless ({{source}}).',
  unsupportedIsolation: '{{feature}} is not supported: Aurora PostgreSQL Limitless cannot run transactions at the SERIALIZABLE isolation level ({{source}}).',
  longShardedTableName: 'Sharded table name `{{table}}` has {{length}} characters, more than the 54 that Aurora PostgreSQL Limitless allows ({{source}}).',
};

/** What every unsupported-feature rule says about why and what to do. */
export const UNSUPPORTED_NOTE =
  'Limitless rejects this at run time although plain PostgreSQL accepts it, so the statement fails on a Limitless shard group; AWS documents it at {{url}} (see also ' + limitlessDocsUrl('unsupported') + ').';
export const UNSUPPORTED_HELP = '{{fix}} If AWS supports it by now, accept it with the rule option `allow: [{{id}}]`.';

/** The `allow` option of a rule, listing its feature ids. */
export function allowOption(rule: UnsupportedRuleId): Record<string, RuleOption> {
  const ids = featuresOf(rule);
  return {
    allow: {
      type: 'string[]',
      default: [],
      description: `Feature ids to accept as AWS extends Limitless, e.g. \`[${ids.slice(0, 2).join(', ')}]\` (the ids are listed below).`,
    },
  };
}

/** The `check` of one unsupported-feature rule: the statement's findings of its features, less those allowed. */
export function checkUnsupported(rule: UnsupportedRuleId): (context: RuleContext) => void {
  return (context) => {
    const allowed = Array.isArray(context.options.allow) ? (context.options.allow as unknown[]).filter((v): v is string => typeof v === 'string') : [];
    for (const f of findingsOf(context)) {
      if (ruleOfFeature(f.id) !== rule || allowed.includes(f.id)) continue;
      const info: FeatureInfo = FEATURES[f.id];
      const source = SOURCES[f.source ?? info.source];
      context.report({
        messageId: MESSAGE_IDS[info.family],
        data: { feature: f.feature, id: f.id, source: source.title, url: source.url, fix: info.fix, ...f.data },
        span: f.span,
      });
    }
  };
}

/**
 * The five rules look for their features in one walk of the statement: the findings are kept per
 * statement tree (and the manifest and DDL state it was judged with) for the rules that come after.
 */
const found = new WeakMap<Node, { readonly manifest: RuleContext['manifest']; readonly schema: RuleContext['schema']; readonly findings: readonly Finding[] }>();

function findingsOf(context: RuleContext): readonly Finding[] {
  const kept = found.get(context.ast);
  if (kept && kept.manifest === context.manifest && kept.schema === context.schema) return kept.findings;
  const findings = findUnsupported(context);
  found.set(context.ast, { manifest: context.manifest, schema: context.schema, findings });
  return findings;
}

/** Collects the unsupported features of one statement, in text order. */
function findUnsupported(context: RuleContext): Finding[] {
  const { ast } = context;
  const out: Finding[] = [];
  const finder = new Finder(context, out);
  finder.statement(ast);
  finder.functions(ast);
  return out.sort((a, b) => a.span.start - b.span.start);
}

class Finder {
  private readonly stmt: Statement;
  /** First keyword of the statement, upper case (`CREATE`, `ALTER`, `DROP` …). */
  private readonly verb: string;

  constructor(
    private readonly context: RuleContext,
    private readonly out: Finding[],
  ) {
    this.stmt = context.statement;
    // The statement text starts at its first token (the splitter skips whitespace and comments), so the
    // first word is read from it directly: scanning every statement's tokens cost more than parsing it.
    this.verb = (/^[A-Za-z_]+/.exec(context.statement.text)?.[0] ?? '').toUpperCase();
  }

  private add(id: FeatureId, feature: string, span: Span | undefined, extra: { source?: Source; data?: Record<string, string> } = {}): void {
    if (span) this.out.push({ id, feature, span, ...extra });
  }

  private kw(words: readonly string[], from?: number, before?: number): Span | undefined {
    return keywordSpan(this.stmt, words, from, before);
  }

  private at(location: number | undefined): number {
    return this.stmt.offsetOf(location);
  }

  /** The source text of a span, whitespace collapsed, in backticks. */
  private quote(span: Span): string {
    const s = this.stmt;
    return `\`${s.text.slice(span.start - s.span.start, span.end - s.span.start).replace(/\s+/g, ' ')}\``;
  }

  statement(ast: Node): void {
    const tag = tagOf(ast);
    const simple = STATEMENTS[tag];
    if (simple) {
      const [id, words, source, display] = simple;
      const span = this.kw(words);
      const shown = words[0] === this.verb || ['MergeStmt', 'ListenStmt', 'NotifyStmt', 'UnlistenStmt'].includes(tag) ? words : [this.verb, ...words];
      this.add(id, display ?? `\`${this.withTextSearchKind(shown, span).join(' ')}\``, span, source ? { source } : {});
      return;
    }
    if ('CreateStmt' in ast) return this.createTable(ast.CreateStmt);
    if ('CreateTableAsStmt' in ast) {
      const s = ast.CreateTableAsStmt;
      if (s.objtype === 'OBJECT_MATVIEW') this.add('materialized-view', '`CREATE MATERIALIZED VIEW`', this.kw(['MATERIALIZED', 'VIEW']));
      else if (s.into) this.createAs(s.into, '`CREATE TEMPORARY TABLE … AS`');
      return;
    }
    if ('SelectStmt' in ast) {
      if (ast.SelectStmt.intoClause) this.createAs(ast.SelectStmt.intoClause, '`SELECT … INTO TEMPORARY`');
      return;
    }
    if ('AlterTableStmt' in ast) return this.alterTable(ast.AlterTableStmt);
    if ('RenameStmt' in ast) return this.rename(ast.RenameStmt);
    if ('AlterObjectSchemaStmt' in ast) return this.objectChange(ast.AlterObjectSchemaStmt.objectType, true);
    if ('AlterOwnerStmt' in ast) return this.objectChange(ast.AlterOwnerStmt.objectType, true);
    if ('DropStmt' in ast) return this.objectChange(ast.DropStmt.removeType, false);
    if ('DefineStmt' in ast) {
      const kind = ast.DefineStmt.kind;
      if (kind === 'OBJECT_AGGREGATE') this.add('aggregate', `\`${this.verb} AGGREGATE\``, this.kw(['AGGREGATE']));
      else if (kind && OBJECT_FEATURES[kind]?.[0] === 'text-search') {
        const span = this.kw(['TEXT', 'SEARCH']);
        this.add('text-search', `\`${this.withTextSearchKind([this.verb, 'TEXT', 'SEARCH'], span).join(' ')}\``, span);
      }
      return;
    }
    if ('CreateExtensionStmt' in ast) {
      // CREATE LANGUAGE without a handler is parsed as CREATE EXTENSION.
      if (!this.kw(['EXTENSION'])) this.add('language', '`CREATE LANGUAGE`', this.kw(['LANGUAGE']));
      return;
    }
    if ('AlterFunctionStmt' in ast) {
      const f = ast.AlterFunctionStmt;
      if (f.objtype === 'OBJECT_ROUTINE') this.add('alter-routine', '`ALTER ROUTINE`', this.kw(['ALTER', 'ROUTINE']));
      for (const action of f.actions ?? []) {
        if ('DefElem' in action && action.DefElem.defname === 'volatility') {
          const span = this.stmt.tokenSpan(this.at(action.DefElem.location));
          this.add('alter-function-volatility', `\`ALTER ${f.objtype === 'OBJECT_PROCEDURE' ? 'PROCEDURE' : f.objtype === 'OBJECT_ROUTINE' ? 'ROUTINE' : 'FUNCTION'} … ${this.quote(span).slice(1, -1).toUpperCase()}\``, span);
        }
      }
      return;
    }
    if ('CreatedbStmt' in ast) {
      for (const o of ast.CreatedbStmt.options ?? []) {
        if ('DefElem' in o && (o.DefElem.defname === 'template' || o.DefElem.defname === 'tablespace')) {
          this.add('create-database-option', `\`CREATE DATABASE … ${o.DefElem.defname.toUpperCase()}\``, this.stmt.tokenSpan(this.at(o.DefElem.location)));
        }
      }
      return;
    }
    if ('TransactionStmt' in ast) {
      const t = ast.TransactionStmt;
      const words = t.kind ? TWO_PHASE[t.kind] : undefined;
      if (words) this.add('two-phase-commit', `\`${words.join(' ')}\``, this.kw(words));
      this.isolationOptions(t.options, `${this.verb === 'START' ? 'START TRANSACTION' : 'BEGIN'} ISOLATION LEVEL SERIALIZABLE`);
      return;
    }
    if ('VariableSetStmt' in ast) return this.setIsolation(ast.VariableSetStmt);
    if ('AlterRoleSetStmt' in ast) {
      if (ast.AlterRoleSetStmt.setstmt) this.setIsolation(ast.AlterRoleSetStmt.setstmt);
      return;
    }
    if ('CreateSeqStmt' in ast || 'AlterSeqStmt' in ast) {
      const s = 'CreateSeqStmt' in ast ? ast.CreateSeqStmt : ast.AlterSeqStmt;
      const persistence = s.sequence?.relpersistence;
      if (persistence === 't') this.add('temporary-sequence', '`CREATE TEMPORARY SEQUENCE`', this.kw(['TEMP']) ?? this.kw(['TEMPORARY']));
      if (persistence === 'u') this.add('unlogged-sequence', '`CREATE UNLOGGED SEQUENCE`', this.kw(['UNLOGGED']));
      for (const o of s.options ?? []) {
        if (!('DefElem' in o) || o.DefElem.defname !== 'cycle') continue;
        const from = this.at(o.DefElem.location);
        const cycle = this.kw(['CYCLE'], from);
        const span = cycle ? { start: from, end: cycle.end } : undefined;
        if (span) this.add('sequence-cycle', this.quote(span), span);
      }
      return;
    }
    if ('IndexStmt' in ast) {
      const i = ast.IndexStmt;
      if (i.unique && i.concurrent) this.add('unique-index-concurrently', '`CREATE UNIQUE INDEX CONCURRENTLY`', this.kw(['UNIQUE', 'INDEX', 'CONCURRENTLY']));
      return;
    }
    if ('CreateSchemaStmt' in ast) {
      if ((ast.CreateSchemaStmt.schemaElts ?? []).length === 0) return;
      // Underline the first schema element's `CREATE <object>`.
      const tokens = textTokens(this.stmt).filter((t) => t.word);
      const k = tokens.findIndex((t, i) => i > 0 && t.text.toUpperCase() === 'CREATE');
      const create = tokens[k];
      if (create) {
        const span = { start: create.start, end: tokens[k + 1]?.end ?? create.end };
        this.add('schema-elements', '`CREATE SCHEMA` with schema elements', span);
      }
      return;
    }
    if ('UpdateStmt' in ast || 'DeleteStmt' in ast) {
      const where = 'UpdateStmt' in ast ? ast.UpdateStmt.whereClause : ast.DeleteStmt.whereClause;
      if (where && 'CurrentOfExpr' in where) this.add('where-current-of', `\`${'UpdateStmt' in ast ? 'UPDATE' : 'DELETE'} … WHERE CURRENT OF\``, this.kw(['CURRENT', 'OF']));
      return;
    }
    if ('InsertStmt' in ast) return this.onConflict(ast.InsertStmt.onConflictClause);
    if ('CallStmt' in ast) return this.conversion(ast.CallStmt.funccall);
  }

  /** `TEXT SEARCH` → `TEXT SEARCH CONFIGURATION` (the word after the span). */
  private withTextSearchKind(words: readonly string[], span: Span | undefined): readonly string[] {
    if (words[words.length - 1] !== 'SEARCH' || !span) return words;
    const next = textTokens(this.stmt).find((t) => t.start >= span.end && t.word);
    return next ? [...words, next.text.toUpperCase()] : words;
  }

  /** DROP / ALTER … RENAME / SET SCHEMA / OWNER TO of an unsupported kind of object. */
  private objectChange(type: ObjectType | undefined, alter: boolean): void {
    const entry = type ? OBJECT_FEATURES[type] : undefined;
    if (entry) {
      const [id, words] = entry;
      const span = this.kw(words);
      this.add(id, `\`${this.withTextSearchKind([this.verb, ...words], span).join(' ')}\``, span);
    } else if (alter && type === 'OBJECT_ROUTINE') this.add('alter-routine', '`ALTER ROUTINE`', this.kw(['ALTER', 'ROUTINE']));
    else if (alter && type === 'OBJECT_DATABASE') this.add('alter-database', '`ALTER DATABASE`', this.kw(['ALTER', 'DATABASE']));
  }

  private rename(r: Extract<Node, { RenameStmt: unknown }>['RenameStmt']): void {
    if (r.renameType === 'OBJECT_TABCONSTRAINT') {
      this.only(r.relation);
      this.add('rename-constraint', '`ALTER TABLE … RENAME CONSTRAINT`', this.kw(['RENAME', 'CONSTRAINT']));
      return;
    }
    if (r.renameType === 'OBJECT_TABLE' || r.renameType === 'OBJECT_COLUMN') {
      this.only(r.relation);
      const rel = r.relation;
      if (r.renameType === 'OBJECT_TABLE' && rel?.relname && r.newname && [...r.newname].length > MAX_SHARDED_NAME) {
        const table = this.context.catalogue.lookup(rel.schemaname, rel.relname);
        const last = textTokens(this.stmt).at(-1);
        if (table?.mode === 'sharded' && last) this.longName(r.newname, { start: last.start, end: last.end });
      }
      return;
    }
    this.objectChange(r.renameType, true);
  }

  /** `ALTER TABLE ONLY t …` (pg_dump's style). */
  private only(rel: { inh?: boolean } | undefined): void {
    if (rel && rel.inh !== true) this.add('alter-table-only', '`ALTER TABLE ONLY`', this.kw(['ONLY']));
  }

  private longName(name: string, span: Span): void {
    this.add('long-sharded-table-name', `a sharded table name longer than ${MAX_SHARDED_NAME} characters`, span, { data: { table: name, length: String([...name].length) } });
  }

  private createTable(c: CreateStmt): void {
    const rel = c.relation;
    if (!rel) return;
    if (rel.relpersistence === 't') {
      // A temporary table is the problem; what it contains does not matter.
      this.add('temporary-table', '`CREATE TEMPORARY TABLE`', this.temporaryKeyword(this.at(rel.location)));
      return;
    }
    const mode = createdTable(this.context, c)?.mode ?? 'standard';
    if (mode === 'sharded' && rel.relname && [...rel.relname].length > MAX_SHARDED_NAME) {
      this.longName(rel.relname, this.stmt.nameSpan(this.at(rel.location)));
    }
    if (c.partspec) this.add('partitioning', '`PARTITION BY`', this.kw(['PARTITION', 'BY'], this.at(c.partspec.location)));
    if (c.partbound) this.add('partitioning', '`PARTITION OF`', this.kw(['PARTITION', 'OF']));
    if ((c.options ?? []).length > 0) this.storageParameters(c.options);
    for (const elt of c.tableElts ?? []) {
      if ('ColumnDef' in elt) this.column(elt.ColumnDef, mode, true);
      else if ('Constraint' in elt) this.constraint(elt.Constraint, mode, true);
    }
  }

  /** CREATE TABLE AS / SELECT INTO; `temporary` names the temporary form for the message. */
  private createAs(into: IntoClause, temporary: string): void {
    const rel = into.rel;
    if (!rel) return;
    if (rel.relpersistence === 't') {
      this.add('temporary-table', temporary, this.temporaryKeyword(this.stmt.span.start));
      return;
    }
    if ((into.options ?? []).length > 0) this.storageParameters(into.options);
    const mode = placementMode(this.context);
    if (mode === 'sharded' && rel.relname && [...rel.relname].length > MAX_SHARDED_NAME) this.longName(rel.relname, this.stmt.nameSpan(this.at(rel.location)));
  }

  private temporaryKeyword(before: number): Span | undefined {
    return this.kw(['TEMP'], undefined, before) ?? this.kw(['TEMPORARY'], undefined, before) ?? this.kw(['TEMP']) ?? this.kw(['TEMPORARY']);
  }

  /** `WITH (fillfactor = 70)`: from `WITH` to its closing parenthesis. */
  private storageParameters(options: readonly Node[] | undefined): void {
    const first = options?.[0];
    const location = first && 'DefElem' in first ? first.DefElem.location : undefined;
    const withKw = lastKeywordSpan(this.stmt, 'WITH', this.at(location));
    const end = withKw ? parenthesizedEnd(this.stmt, withKw.end) : undefined;
    if (withKw && end !== undefined) this.add('storage-parameters', 'A `WITH (…)` storage-parameter clause', { start: withKw.start, end });
  }

  /** Column constraints: IDENTITY, CHECK with functions, inline REFERENCES, `SET DEFAULT` actions. */
  private column(def: ColumnDef, mode: TableMode, inCreate: boolean): void {
    for (const k of def.constraints ?? []) {
      if (!('Constraint' in k)) continue;
      const c = k.Constraint;
      const from = this.at(c.location);
      if (c.contype === 'CONSTR_IDENTITY') {
        const end = this.kw(['IDENTITY'], from);
        const span = end ? { start: from, end: end.end } : undefined;
        if (span) this.add('identity', this.quote(span), span);
      } else this.constraint(c, mode, inCreate, true);
    }
  }

  private constraint(c: Constraint, mode: TableMode, inCreate: boolean, inline = false): void {
    const from = this.at(c.location);
    switch (c.contype) {
      case 'CONSTR_EXCLUSION':
        this.add('exclusion-constraint', 'An `EXCLUDE` constraint', this.kw(['EXCLUDE'], from));
        break;
      case 'CONSTR_CHECK':
        this.checkExpression(c);
        break;
      case 'CONSTR_FOREIGN':
        // Inline foreign keys work only for standard tables (docs/limitless/unsupported.md).
        if (inCreate && (mode === 'sharded' || mode === 'reference')) {
          const span = inline ? this.kw(['REFERENCES'], from) : this.kw(['FOREIGN', 'KEY'], from);
          this.add('inline-foreign-key', `An inline foreign key in the CREATE TABLE of a ${mode} table`, span);
        }
        if (c.fk_del_action === 'd') this.add('foreign-key-set-default', '`ON DELETE SET DEFAULT`', this.kw(['ON', 'DELETE', 'SET', 'DEFAULT'], from));
        if (c.fk_upd_action === 'd') this.add('foreign-key-set-default', '`ON UPDATE SET DEFAULT`', this.kw(['ON', 'UPDATE', 'SET', 'DEFAULT'], from));
        break;
      default:
        break;
    }
  }

  /** `CHECK` allows only comparisons with literals: the first function call or subquery in it (docs/limitless/unsupported.md). */
  private checkExpression(c: Constraint): void {
    const found: { start: number; span: Span; what: string }[] = [];
    walk(c.raw_expr, (_tag, _body, node) => {
      if ('FuncCall' in node) {
        const start = this.at(node.FuncCall.location);
        found.push({ start, span: this.stmt.nameSpan(start), what: `\`${stringList(node.FuncCall.funcname).join('.')}()\`` });
        return false;
      }
      if ('SQLValueFunction' in node) {
        const start = this.at(node.SQLValueFunction.location);
        const span = this.stmt.tokenSpan(start);
        found.push({ start, span, what: this.quote(span) });
        return false;
      }
      if ('SubLink' in node) {
        const start = this.at(node.SubLink.location);
        const end = parenthesizedEnd(this.stmt, start);
        found.push({ start, span: end === undefined ? this.stmt.tokenSpan(start) : { start, end }, what: 'a subquery' });
        return false;
      }
      return undefined;
    });
    const first = found.sort((a, b) => a.start - b.start)[0];
    if (first) this.add('check-expression', `\`CHECK\` with ${first.what}`, first.span);
  }

  private alterTable(a: Extract<Node, { AlterTableStmt: unknown }>['AlterTableStmt']): void {
    if (a.objtype === 'OBJECT_MATVIEW') return this.objectChange('OBJECT_MATVIEW', true);
    if (a.objtype === 'OBJECT_FOREIGN_TABLE') return this.objectChange('OBJECT_FOREIGN_TABLE', true);
    if (a.objtype !== undefined && a.objtype !== 'OBJECT_TABLE') return;
    this.only(a.relation);
    const rel = a.relation;
    const mode = rel?.relname ? (this.context.catalogue.lookup(rel.schemaname, rel.relname)?.mode ?? 'standard') : 'standard';
    // ALTER TABLE commands carry no locations: find their keywords in order, after the table name.
    let cursor = rel ? this.at(rel.location) : this.stmt.span.start;
    const found = (span: Span | undefined) => {
      if (span) cursor = span.end;
      return span;
    };
    for (const cmd of a.cmds ?? []) {
      if (!('AlterTableCmd' in cmd)) continue;
      const c = cmd.AlterTableCmd;
      const def = c.def;
      switch (c.subtype) {
        case 'AT_AddColumn':
          if (def && 'ColumnDef' in def) {
            this.column(def.ColumnDef, mode, false);
            found(this.kw(['ADD'], cursor));
          }
          break;
        case 'AT_AddConstraint':
          if (def && 'Constraint' in def) {
            this.constraint(def.Constraint, mode, false);
            cursor = Math.max(cursor, this.at(def.Constraint.location));
          }
          break;
        case 'AT_AddIdentity': {
          const at = def && 'Constraint' in def ? this.at(def.Constraint.location) : cursor;
          const add = lastKeywordSpan(this.stmt, 'ADD', at + 1, cursor);
          const end = found(this.kw(['IDENTITY'], at));
          if (add && end) this.add('identity', '`ADD GENERATED … AS IDENTITY`', { start: add.start, end: end.end });
          break;
        }
        case 'AT_SetIdentity':
          for (const item of def && 'List' in def ? (def.List.items ?? []) : []) {
            if (!('DefElem' in item)) continue;
            const at = this.at(item.DefElem.location);
            const span = found(item.DefElem.defname === 'generated' ? this.kw(['SET', 'GENERATED'], at) : this.stmt.tokenSpan(at));
            if (span) this.add('identity', `\`ALTER COLUMN … ${this.quote(span).slice(1, -1).toUpperCase()}\``, span);
          }
          break;
        case 'AT_DropIdentity':
          this.add('identity', '`DROP IDENTITY`', found(this.kw(['DROP', 'IDENTITY'], cursor)));
          break;
        case 'AT_AttachPartition':
          this.add('partitioning', '`ATTACH PARTITION`', found(this.kw(['ATTACH', 'PARTITION'], cursor)));
          break;
        case 'AT_DetachPartition':
        case 'AT_DetachPartitionFinalize':
          this.add('partitioning', '`DETACH PARTITION`', found(this.kw(['DETACH', 'PARTITION'], cursor)));
          break;
        case 'AT_SetStatistics':
          this.add('alter-column-option', '`ALTER COLUMN … SET STATISTICS`', found(this.kw(['SET', 'STATISTICS'], cursor)));
          break;
        case 'AT_SetCompression':
          this.add('alter-column-option', '`ALTER COLUMN … SET COMPRESSION`', found(this.kw(['SET', 'COMPRESSION'], cursor)));
          break;
        case 'AT_DropExpression':
          this.add('alter-column-option', '`ALTER COLUMN … DROP EXPRESSION`', found(this.kw(['DROP', 'EXPRESSION'], cursor)));
          break;
        case 'AT_SetOptions':
        case 'AT_ResetOptions': {
          const word = c.subtype === 'AT_SetOptions' ? 'SET' : 'RESET';
          const open = found(this.kw([word, '('], cursor));
          const end = open ? parenthesizedEnd(this.stmt, open.start) : undefined;
          if (open && end !== undefined) this.add('alter-column-option', `\`ALTER COLUMN … ${word} (…)\``, found({ start: open.start, end }));
          break;
        }
        case 'AT_AlterColumnType':
          if (def && 'ColumnDef' in def && def.ColumnDef.raw_default) this.add('alter-column-type-using', '`ALTER COLUMN … TYPE … USING`', found(this.kw(['USING'], cursor)));
          break;
        default:
          break;
      }
    }
  }

  /** `ON CONFLICT … DO UPDATE` with a subquery or a non-immutable function (docs/limitless/routing.md#writes). */
  private onConflict(clause: Extract<Node, { InsertStmt: unknown }>['InsertStmt']['onConflictClause']): void {
    if (!clause || clause.action !== 'ONCONFLICT_UPDATE') return;
    walk([clause.targetList, clause.whereClause], (_tag, _body, node) => {
      if ('SubLink' in node) {
        const start = this.at(node.SubLink.location);
        const end = parenthesizedEnd(this.stmt, start);
        this.add('on-conflict-unsafe-update', 'a subquery', end === undefined ? this.stmt.tokenSpan(start) : { start, end });
        return false;
      }
      if ('FuncCall' in node) {
        const parts = stringList(node.FuncCall.funcname);
        const { volatility } = functionVolatility(parts, this.context.manifest);
        // Unknown user functions may well be immutable: declare them in the manifest to be judged.
        if (volatility === 'stable' || volatility === 'volatile' || volatility === 'mixed') {
          const start = this.at(node.FuncCall.location);
          this.add('on-conflict-unsafe-update', `the ${volatility === 'mixed' ? 'possibly non-immutable' : volatility} function \`${parts.join('.')}()\``, this.stmt.nameSpan(start));
        }
        return undefined;
      }
      if ('SQLValueFunction' in node) {
        const span = this.stmt.tokenSpan(this.at(node.SQLValueFunction.location));
        this.add('on-conflict-unsafe-update', `the stable function ${this.quote(span)}`, span);
      }
      return undefined;
    });
  }

  /** BEGIN / START TRANSACTION / SET TRANSACTION … ISOLATION LEVEL SERIALIZABLE. */
  private isolationOptions(options: readonly Node[] | undefined, feature: string): void {
    for (const o of options ?? []) {
      if (!('DefElem' in o) || o.DefElem.defname !== 'transaction_isolation' || !o.DefElem.arg) continue;
      const arg = o.DefElem.arg;
      if ('A_Const' in arg && arg.A_Const.sval?.sval?.toLowerCase() === 'serializable') {
        this.add('serializable', `\`${feature}\``, this.stmt.tokenSpan(this.at(arg.A_Const.location)));
      }
    }
  }

  private setIsolation(v: Extract<Node, { VariableSetStmt: unknown }>['VariableSetStmt']): void {
    const name = v.name ?? '';
    if (v.kind === 'VAR_SET_MULTI' && (name === 'TRANSACTION' || name === 'SESSION CHARACTERISTICS')) {
      this.isolationOptions(v.args, name === 'TRANSACTION' ? 'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE' : 'SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE');
      return;
    }
    if (v.kind !== 'VAR_SET_VALUE' || (name !== 'default_transaction_isolation' && name !== 'transaction_isolation')) return;
    for (const arg of v.args ?? []) {
      if ('A_Const' in arg && arg.A_Const.sval?.sval?.toLowerCase() === 'serializable') {
        this.add('serializable', `\`SET ${name} = serializable\``, this.stmt.tokenSpan(this.at(arg.A_Const.location)));
      }
    }
  }

  /** A sharded conversion of a table whose name is too long for a sharded table. */
  private conversion(f: Extract<Node, { FuncCall: unknown }>['FuncCall'] | undefined): void {
    const call = conversionCall(f);
    if (call?.kind !== 'sharded') return;
    const key = this.context.catalogue.qualify(call.table);
    const name = key?.slice(key.indexOf('.') + 1);
    if (name && [...name].length > MAX_SHARDED_NAME) this.longName(name, argumentSpan(this.stmt, call.args[0]));
  }

  /** Function calls anywhere: `setval`, `pg_notify`, `set_config('…isolation', 'serializable', …)`. */
  functions(ast: Node): void {
    walk(ast, (_tag, _body, node) => {
      if (!('FuncCall' in node)) return undefined;
      const parts = stringList(node.FuncCall.funcname);
      if (parts.length > 2 || (parts.length === 2 && parts[0] !== 'pg_catalog')) return undefined;
      const name = parts[parts.length - 1];
      const span = this.stmt.nameSpan(this.at(node.FuncCall.location));
      if (name === 'setval') this.add('setval', '`setval()`', span);
      else if (name === 'pg_notify') this.add('listen-notify', '`pg_notify()`', span);
      else if (name === 'set_config') {
        const [setting, value] = node.FuncCall.args ?? [];
        const text = (n: Node | undefined) => (n && 'A_Const' in n ? (n.A_Const.sval?.sval ?? '') : '').toLowerCase();
        if ((text(setting) === 'default_transaction_isolation' || text(setting) === 'transaction_isolation') && text(value) === 'serializable' && value && 'A_Const' in value) {
          this.add('serializable', `\`set_config('${text(setting)}', 'serializable', …)\``, this.stmt.tokenSpan(this.at(value.A_Const.location)));
        }
      }
      return undefined;
    });
  }
}

/** The mode a table created now would get (CREATE TABLE AS, SELECT INTO). */
function placementMode(context: RuleContext): TableMode {
  const mode = context.schema.settings.mode;
  return mode === 'sharded' || mode === 'reference' ? mode : 'standard';
}
