import { dirname, resolve } from 'node:path';
import type { EmbeddedSqlOptions, Manifest, RuleLevel, RuleOverrides, SiteAnalysis, SqlSite } from '@limitless-lint/core';
import { RULE_GROUPS, analyzeSqlSite, embeddedOptions, findManifest, formatManifestProblem, rules as coreRules, ruleGroupOf, sqlSiteAt } from '@limitless-lint/core';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { loadManifestCached } from './manifest-cache.js';
import { readSettings, SETTINGS_KEY } from './settings.js';

/** Any rule's context: the plugin reads only what all rules of one file share. */
export type AnyRuleContext = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;


export const MANIFEST_ERROR_RULE = 'manifest-error';
export const UNANALYSABLE_RULE = 'unanalysable-sql';

/**
 * Which enabled rule reports a file's manifest or settings problem: `manifest-error`, or when that
 * is off, the first enabled rule in this order, so that a problem is never silent.
 */
const REPORTER_ORDER: readonly string[] = [MANIFEST_ERROR_RULE, ...coreRules.map((r) => r.meta.id), ...Object.keys(RULE_GROUPS), UNANALYSABLE_RULE];

interface Setup {
  readonly options: EmbeddedSqlOptions;
  readonly manifest: Manifest | undefined;
  /** Why the SQL of this file is not analysed (a missing or invalid manifest). */
  readonly manifestProblem: string | undefined;
  /** A problem with `settings['limitless-lint']`, reported whether or not the file has SQL. */
  readonly settingsProblem: string | undefined;
  readonly reportUnknown: boolean;
  readonly ruleOverrides: RuleOverrides;
}

/**
 * The analysis of one linted file, shared by all the plugin's rules: each SQL site is extracted and
 * analysed once, by whichever rule visits it first, and every rule picks its own diagnostics.
 */
export class FileAnalysis {
  /** The plugin's rules ESLint created for this file. ESLint creates every rule before it visits any node. */
  readonly enabled = new Set<string>();
  /** Set when the first node is visited: a later `create` belongs to a new pass over the same SourceCode. */
  started = false;
  private setupValue: Setup | undefined;
  private readonly sites = new Map<TSESTree.Node, SiteAnalysis | null>();
  private sawSite = false;
  private problemReported = false;

  constructor(private readonly context: AnyRuleContext) {}

  get setup(): Setup {
    this.started = true;
    this.setupValue ??= this.resolveSetup();
    return this.setupValue;
  }

  /** The analysis of a tagged template or call, if it is a SQL site (and the manifest can be used). */
  siteAnalysis(node: TSESTree.Node): SiteAnalysis | undefined {
    const cached = this.sites.get(node);
    if (cached !== undefined) return cached ?? undefined;
    const setup = this.setup;
    let analysis: SiteAnalysis | null = null;
    let site: SqlSite | undefined;
    try {
      site = sqlSiteAt(node, setup.options);
      if (site) {
        this.sawSite = true;
        if (setup.manifest) analysis = analyzeSqlSite(site, { manifest: setup.manifest, ruleOverrides: setup.ruleOverrides, fileName: this.context.filename });
      }
    } catch (error) {
      // A bug of the extractor must not stop ESLint on the whole file: the site gets no verdict, and
      // unanalysable-sql says why.
      if (site && setup.manifest) analysis = { kind: 'unknown', site, reason: 'unsupported-syntax', message: `limitless-lint failed on this SQL: ${error instanceof Error ? error.message : String(error)}. Please report it.`, at: site.range };
    }
    this.sites.set(node, analysis);
    return analysis ?? undefined;
  }

  get reportUnknown(): boolean {
    return this.setup.reportUnknown;
  }

  /**
   * The file's manifest or settings problem, once, for the rule chosen to report it (see
   * {@link REPORTER_ORDER}). A manifest problem is reported only in files that contain SQL.
   */
  takeProblem(ruleName: string): string | undefined {
    if (this.problemReported) return undefined;
    if (REPORTER_ORDER.find((id) => this.enabled.has(id)) !== ruleName) return undefined;
    const { settingsProblem, manifestProblem } = this.setup;
    const problem = settingsProblem ?? (this.sawSite ? manifestProblem : undefined);
    if (problem !== undefined) this.problemReported = true;
    return problem;
  }

  private resolveSetup(): Setup {
    const { settings, problems } = readSettings(this.context.settings);
    let manifest: Manifest | undefined;
    let manifestProblem: string | undefined;
    const path = settings.manifest !== undefined ? resolve(this.context.cwd, settings.manifest) : findManifest(this.context.filename);
    if (path === undefined) {
      manifestProblem = `No limitless.yaml found in ${dirname(resolve(this.context.filename))} or above it, so the SQL in this file is not analysed: create one (\`limitless-lint init\`) or name it in settings['${SETTINGS_KEY}'].manifest.`;
    } else {
      const loaded = loadManifestCached(path);
      if (loaded.ok) manifest = loaded.manifest;
      else {
        const [first, ...more] = loaded.problems;
        const text = first ? formatManifestProblem(first) : path;
        manifestProblem = `The manifest cannot be used, so the SQL in this file is not analysed: ${text}${more.length > 0 ? ` (and ${more.length} more ${more.length === 1 ? 'problem' : 'problems'})` : ''}.`;
      }
    }
    const options = embeddedOptions(manifest, this.context.sourceCode.text, settings);
    return {
      options,
      manifest,
      manifestProblem,
      settingsProblem: problems.length > 0 ? problems.join(' ') : undefined,
      reportUnknown: settings.reportUnknown,
      ruleOverrides: manifest ? ruleOverrides(this.enabled, manifest) : {},
    };
  }
}

/**
 * Core rule levels for this file: ESLint's configuration decides which rules run (and how severe
 * they are); the manifest can still switch a rule off (`rules: { x: off }`, `unknown_tables: off`),
 * so that the CLI and the editor agree, and its rule options apply.
 */
function ruleOverrides(enabled: ReadonlySet<string>, manifest: Manifest): RuleOverrides {
  const overrides: Record<string, RuleLevel> = {};
  for (const rule of coreRules) {
    const id = rule.meta.id;
    // A group alias (no-unsupported-feature) enables its members, and its manifest level applies to them.
    const group = ruleGroupOf(id);
    const configured = manifest.rules[id] ?? (group ? manifest.rules[group] : undefined);
    const manifestOff = configured ? configured.level === 'off' : id === 'unknown-table' && manifest.unknownTables === 'off';
    overrides[id] = (enabled.has(id) || (group !== undefined && enabled.has(group))) && !manifestOff ? 'error' : 'off';
  }
  return overrides;
}

const files = new WeakMap<object, FileAnalysis>();

/** The shared analysis of the file a rule is created for; registers the rule as enabled for it. */
export function fileAnalysis(context: AnyRuleContext, ruleName: string): FileAnalysis {
  const key = context.sourceCode;
  let file = files.get(key);
  if (!file || file.started) {
    file = new FileAnalysis(context);
    files.set(key, file);
  }
  file.enabled.add(ruleName);
  return file;
}

/** ESLint's location of a source range. */
export function toLoc(context: AnyRuleContext, range: readonly [number, number]): TSESTree.SourceLocation {
  const { sourceCode } = context;
  return { start: sourceCode.getLocFromIndex(range[0]), end: sourceCode.getLocFromIndex(range[1]) };
}

/** The first line of the file, where file-level problems are reported. */
export function firstLine(context: AnyRuleContext): TSESTree.SourceLocation {
  const line = context.sourceCode.lines[0] ?? '';
  return { start: { line: 1, column: 0 }, end: { line: 1, column: line.length } };
}
