import { createRequire } from 'node:module';
import { isParserLoaded, loadParser, rules as coreRules } from '@limitless-lint/core';
import type { ESLint, Linter, Rule } from 'eslint';
import { rules as pluginRules } from './rules/index.js';

// The plugin itself, without top-level await, so that `require()` can load it (eslint.config.cjs;
// Node.js refuses to require an ES module graph that awaits at top level). PostgreSQL's parser is
// WebAssembly that libpg-query can only load asynchronously; loading starts here, and `ready`
// settles when it is done. The ES module entry (index.ts) awaits it before it exports the plugin;
// a CommonJS config exports `plugin.ready.then(...)`, which ESLint awaits before it lints.

const pkg = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

const PLUGIN_KEY = 'limitless-lint';

/** Every rule whose core default is not `off`, at that level (`info` has no ESLint level: `warn`). */
function recommendedRules(): Linter.RulesRecord {
  const levels: Linter.RulesRecord = { [`${PLUGIN_KEY}/manifest-error`]: 'error' };
  for (const rule of coreRules) {
    const level = rule.meta.defaultLevel;
    if (level === 'off') continue;
    levels[`${PLUGIN_KEY}/${rule.meta.id}`] = level === 'error' ? 'error' : 'warn';
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
  `${pkg.name}: PostgreSQL's parser (WebAssembly) has not finished loading. In eslint.config.cjs, ` +
  'export the promise `plugin.ready.then(() => [...])`, which ESLint awaits; with the Linter API, ' +
  '`await plugin.ready` first. ES module configs (eslint.config.js, .mjs) need nothing.';

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

const loading = loadParser();

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
