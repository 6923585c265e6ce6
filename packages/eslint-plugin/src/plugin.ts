import { createRequire } from 'node:module';
import { isParserLoaded, loadParserSync, rules as coreRules, ruleGroupOf } from '@limitless-lint/core';
import type { ESLint, Linter, Rule } from 'eslint';
import { rules as pluginRules } from './rules/index.js';

// The plugin itself, without top-level await, so that `require()` can load it (eslint.config.cjs;
// Node.js refuses to require an ES module graph that awaits at top level). PostgreSQL's parser
// (WebAssembly) is compiled and instantiated synchronously while this module is evaluated
// (loadParserSync, about 25 ms); emscripten's runtime then finishes starting within the current
// microtask checkpoint, before any I/O callback. ESLint reads the files it lints with asynchronous
// I/O after it has loaded the config, so every rule finds the parser loaded, from an ES module or a
// plain CommonJS config alike. `ready` is for the Linter API called in the same tick as require().

const pkg = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

const PLUGIN_KEY = 'limitless-lint';

/**
 * Every rule whose core default is not `off`, at that level (`info` has no ESLint level: `warn`). The
 * members of a group alias appear as the group (`no-unsupported-feature`), so that configurations that
 * set the group's level, written before the split, still switch all of them.
 */
function recommendedRules(): Linter.RulesRecord {
  const levels: Linter.RulesRecord = { [`${PLUGIN_KEY}/manifest-error`]: 'error' };
  for (const rule of coreRules) {
    const level = rule.meta.defaultLevel;
    if (level === 'off') continue;
    const name = ruleGroupOf(rule.meta.id) ?? rule.meta.id;
    if (levels[`${PLUGIN_KEY}/${name}`] === 'error') continue;
    levels[`${PLUGIN_KEY}/${name}`] = level === 'error' ? 'error' : 'warn';
  }
  return levels;
}

/** The plugin, typed with ESLint's own types so that `defineConfig` accepts it. */
export interface LimitlessLintPlugin extends ESLint.Plugin {
  readonly meta: { readonly name: string; readonly version: string };
  readonly rules: Readonly<Record<string, Rule.RuleModule>>;
  readonly configs: { readonly recommended: Linter.Config };
  /** Settles once PostgreSQL's parser is loaded (with the plugin), or rejects when it cannot load. */
  readonly ready: Promise<LimitlessLintPlugin>;
}

const NOT_READY =
  `${pkg.name}: PostgreSQL's parser (WebAssembly) has not finished loading: its runtime starts in the ` +
  'promise reactions that follow loading the plugin. With the Linter API, `await plugin.ready` before ' +
  'the first verify() in the tick that loaded the plugin. ESLint configs (.js, .mjs, .cjs) need nothing.';

/** A rule that says plainly when it runs before the parser is loaded, instead of failing deep inside. */
function guarded(rule: Rule.RuleModule): Rule.RuleModule {
  return {
    ...rule,
    create(context) {
      if (!isParserLoaded()) throw new Error(NOT_READY);
      return rule.create(context);
    },
  };
}

// typescript-eslint's rule types still list context methods that ESLint 10 removed; the rules use none of them.
const rules = Object.fromEntries(Object.entries(pluginRules as unknown as Record<string, Rule.RuleModule>).map(([id, rule]) => [id, guarded(rule)]));

const configs: { recommended?: Linter.Config } = {};

const loading = loadParserSync();

const plugin: LimitlessLintPlugin = {
  meta: { name: pkg.name, version: pkg.version },
  rules,
  configs: configs as { recommended: Linter.Config },
  ready: loading.then(() => plugin),
};
// Handled here so that a config that never looks at `ready` gets no unhandled rejection: its rules
// report the failure when they run (loadParser's promise keeps the error for every other caller).
plugin.ready.catch(() => undefined);

configs.recommended = {
  name: `${PLUGIN_KEY}/recommended`,
  files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
  plugins: { [PLUGIN_KEY]: plugin },
  rules: recommendedRules(),
};

export default plugin;
