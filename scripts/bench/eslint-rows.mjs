// ESLint rows: the generated TypeScript files linted in-process through the ESLint Node API, with a
// typical baseline config (@eslint/js recommended + typescript-eslint recommended, typescript-eslint's
// parser, no type information) and with the same config plus @limitless-lint/eslint-plugin's
// recommended rules. The two are measured side by side (alternating order each run).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CORE_DIST, DEMO_MANIFEST, gc, progress, ROOT, summary } from './util.mjs';

const PLUGIN_DIST = join(ROOT, 'packages/eslint-plugin/dist/index.js');
const NAMESPACE = 'limitless-lint';
const FILES = ['**/*.ts'];

/**
 * The built plugin, or why there is none: `{ plugin }` or `{ missing: reason }`. A plugin is an
 * object with a non-empty `rules` object (the default export, or the module itself).
 */
export async function loadPlugin() {
  if (!existsSync(PLUGIN_DIST)) return { missing: 'plugin not built' };
  let mod;
  try {
    mod = await import(pathToFileURL(PLUGIN_DIST).href);
  } catch (error) {
    return { missing: `plugin does not load: ${error.message}` };
  }
  const plugin = mod.default ?? mod.plugin ?? mod;
  if (!plugin || typeof plugin.rules !== 'object' || Object.keys(plugin.rules).length === 0) return { missing: 'plugin not built' };
  if (!plugin.configs?.recommended) return { missing: 'plugin has no configs.recommended' };
  return { plugin };
}

/**
 * The plugin's recommended config as flat config entries for our files, whatever its shape: a flat
 * config object or array (used as is, with `files` set), or an eslintrc-style object (`plugins` as
 * a list of names), whose plugins are replaced by the plugin object.
 */
function pluginEntries(plugin) {
  const entries = [plugin.configs.recommended].flat().map((entry) => {
    const { plugins, ...rest } = entry;
    return { ...rest, ...(plugins && !Array.isArray(plugins) && { plugins }), files: FILES };
  });
  const registered = entries.some((e) => e.plugins && Object.values(e.plugins).includes(plugin));
  return [
    ...(registered ? [] : [{ files: FILES, plugins: { [NAMESPACE]: plugin } }]),
    ...entries,
    { files: FILES, settings: { [NAMESPACE]: { manifest: DEMO_MANIFEST } } },
  ];
}

async function baselineConfig() {
  const { default: js } = await import('@eslint/js');
  const { default: tseslint } = await import('typescript-eslint');
  return [
    { files: FILES, ...js.configs.recommended },
    ...tseslint.configs.recommended.map((entry) => ({ ...entry, files: FILES })),
    { files: FILES, languageOptions: { parser: tseslint.parser, sourceType: 'module' } },
  ];
}

/** Lints `dir` once with a fresh ESLint instance; returns its counts. */
async function lintOnce(ESLint, dir, overrideConfig) {
  const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig, cache: false });
  const results = await eslint.lintFiles(['.']);
  let messages = 0;
  let fatal = 0;
  let plugin = 0;
  for (const r of results) {
    for (const m of r.messages) {
      messages++;
      if (m.fatal) fatal++;
      if (m.ruleId?.startsWith(`${NAMESPACE}/`)) plugin++;
    }
  }
  return { files: results.length, messages, fatal, plugin };
}

/**
 * @param dir the generated corpus (its src/ holds the TypeScript project)
 * @param tsStatements SQL statements embedded in it (from corpus.json)
 * @returns `{ files, tsStatements, without, with?, overhead?, missing? }`
 */
export async function measureEslint(dir, tsStatements, { runs, warmups = 1 }) {
  const { ESLint } = await import('eslint');
  const base = await baselineConfig();
  const loaded = await loadPlugin();
  const configs = { without: base };
  if (loaded.plugin) configs.with = [...base, ...pluginEntries(loaded.plugin)];
  else progress(`eslint: ${loaded.missing}; measuring the baseline only`);

  // The plugin analyses through the same core module (pnpm links it); clearing its statement cache
  // before each run makes every run start cold, like a fresh `eslint` process.
  const core = await import(pathToFileURL(CORE_DIST).href);
  const names = Object.keys(configs);
  const times = Object.fromEntries(names.map((n) => [n, []]));
  const counts = {};
  for (let run = -warmups; run < runs; run++) {
    const order = run % 2 === 0 ? names : [...names].reverse();
    const line = [];
    for (const name of order) {
      core.clearStatementCaches();
      gc();
      const started = performance.now();
      const c = await lintOnce(ESLint, dir, configs[name]);
      const ms = performance.now() - started;
      counts[name] ??= c;
      if (run >= 0) times[name].push(ms);
      line.push(`${name} ${Math.round(ms)} ms`);
    }
    progress(`eslint: ${run < 0 ? 'warm-up' : `run ${run + 1}/${runs}`}: ${line.join(', ')}`);
  }

  const result = { files: counts.without.files, tsStatements, missing: loaded.missing };
  for (const name of names) result[name] = { ms: summary(times[name]), ...counts[name] };
  if (times.with) result.overhead = summary(times.with.map((ms, k) => ms / times.without[k] - 1));
  return result;
}
