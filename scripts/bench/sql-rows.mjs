// In-process rows: read + split (context), the parse floor (split + parse), core (analyzeSql) and core
// without rules (context),
// over the same .sql texts, measured side by side: each run measures every row once, in an order
// that alternates between runs, with a full GC before each measurement.

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { CORE_DIST, DEMO_MANIFEST, gc, progress, summary } from './util.mjs';

/**
 * @param corpus `{ files: [{ path, text }] }` from loadSqlCorpus
 * @param rows which of 'split', 'parse', 'core', 'coreNoCache', 'coreNoRules' to measure
 * @returns per row `{ statements, ms: summary, perSecond: summary }`, and `ratio` (core ÷ parse
 *   throughput, the median of the per-run ratios) and `noRulesRatio` when those were measured
 */
export async function measureSqlRows(corpus, { rows, runs, warmups = 1 }) {
  const core = await import(pathToFileURL(CORE_DIST).href);
  await core.loadParser();
  const loaded = await core.loadManifest(DEMO_MANIFEST);
  if (!loaded.ok) throw new Error(`demo manifest invalid: ${loaded.problems.map(core.formatManifestProblem).join('; ')}`);
  const { manifest } = loaded;
  const { files } = corpus;

  const bodies = {
    // Reading is part of this context row only: the figure the issue quotes is "reading + splitting".
    split: () => {
      let n = 0;
      for (const f of files) n += core.splitStatements(readFileSync(f.path, 'utf8')).statements.length;
      return n;
    },
    parse: () => {
      let n = 0;
      for (const f of files) n += core.parseStatements(f.text).statements.length;
      return n;
    },
    // One pass over the corpus as one lint run makes it: the statement cache starts empty (it is
    // cleared before every measurement) and fills as the pass goes.
    core: () => {
      let n = 0;
      for (const f of files) n += core.analyzeSql(f.text, { manifest, fileName: f.path }).stats.statements;
      return n;
    },
    // Context: every statement analysed afresh (no statement cache): the cost of a statement never
    // seen before.
    coreNoCache: () => {
      let n = 0;
      for (const f of files) n += core.analyzeSql(f.text, { manifest, fileName: f.path, cache: false }).stats.statements;
      return n;
    },
    // Context: analyzeSql with no rule at all (split, parse, DDL replay, routing) and no cache, to
    // tell the rules' cost from the rest.
    coreNoRules: () => {
      let n = 0;
      for (const f of files) n += core.analyzeSql(f.text, { manifest, fileName: f.path, rules: [], cache: false }).stats.statements;
      return n;
    },
  };

  const times = Object.fromEntries(rows.map((r) => [r, []]));
  const counts = {};
  const last = {};
  for (let run = -warmups; run < runs; run++) {
    const order = run % 2 === 0 ? rows : [...rows].reverse();
    for (const row of order) {
      core.clearStatementCaches();
      gc();
      const started = performance.now();
      const n = bodies[row]();
      const ms = performance.now() - started;
      if (counts[row] !== undefined && counts[row] !== n) throw new Error(`${row}: statement count changed between runs`);
      counts[row] = n;
      last[row] = ms;
      if (run >= 0) times[row].push(ms);
    }
    progress(`sql rows: ${run < 0 ? 'warm-up' : `run ${run + 1}/${runs}`} done (${rows.map((r) => `${r} ${Math.round(last[r])} ms`).join(', ')})`);
  }

  const result = {};
  // How repetitive the corpus is: the statement cache can only help with repeated texts.
  const texts = new Set();
  for (const f of files) for (const s of core.splitStatements(f.text).statements) texts.add(s.text);
  result.distinct = texts.size;
  for (const row of rows) {
    result[row] = {
      statements: counts[row],
      ms: summary(times[row]),
      perSecond: summary(times[row].map((ms) => (counts[row] / ms) * 1000)),
    };
  }
  const ratio = (row) => summary(times[row].map((ms, k) => (counts[row] / ms) / (counts.parse / times.parse[k])));
  if (times.parse && times.core) result.ratio = ratio('core');
  if (times.parse && times.coreNoRules) result.noRulesRatio = ratio('coreNoRules');
  if (times.parse && times.coreNoCache) result.noCacheRatio = ratio('coreNoCache');
  return result;
}
