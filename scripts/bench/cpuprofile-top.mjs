#!/usr/bin/env node
// Summarises a V8 CPU profile (`node --cpu-prof` writes *.cpuprofile): the functions with the most
// self time, and self time by file (package). No dependencies.
//
// Usage: node scripts/bench/cpuprofile-top.mjs <file.cpuprofile> [--top 15] [--by function|file] [--inclusive]
//        node scripts/bench/cpuprofile-top.mjs <file.cpuprofile> --callers <function> [--depth 2]
//
// --inclusive: rank by inclusive time (self + callees, each sample counted once per function) instead.
// --callers: the inclusive time of every sample under a function of that name, by the chain of its
// `--depth` nearest callers (which call sites pay for it).
//
// Self time of a sample is the interval until the next sample (V8's timeDeltas), summed per
// function (name + script + line + column, so that same-named functions stay apart) or per file.
// Paths are shown relative to the repository, node_modules paths as `<package>/<file>`.

import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function parseArgs(argv) {
  const options = { file: undefined, top: 15, by: 'function', callers: undefined, depth: 2, inclusive: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--top') options.top = Number(argv[++i]);
    else if (arg === '--by') options.by = argv[++i];
    else if (arg === '--inclusive') options.inclusive = true;
    else if (arg === '--callers') options.callers = argv[++i];
    else if (arg === '--depth') options.depth = Number(argv[++i]);
    else if (!options.file && !arg.startsWith('-')) options.file = arg;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!options.file || !Number.isInteger(options.top) || options.top < 1 || !['function', 'file'].includes(options.by)) {
    throw new Error('usage: node scripts/bench/cpuprofile-top.mjs <file.cpuprofile> [--top 15] [--by function|file] [--inclusive] [--callers <function> [--depth 2]]');
  }
  return options;
}

/** A script URL for people: repository-relative, or `<package>/<path>` inside node_modules. */
export function shortUrl(url) {
  if (!url) return '';
  if (!url.startsWith('file://')) return url;
  const path = fileURLToPath(url);
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) return path.slice(nm + '/node_modules/'.length);
  return relative(ROOT, path);
}

/** Self time (µs) per profile node id. */
export function selfTimes(profile) {
  const self = new Map();
  const { samples, timeDeltas } = profile;
  const mean = samples.length > 1 ? (profile.endTime - profile.startTime) / samples.length : 0;
  for (let i = 0; i < samples.length; i++) {
    const dt = i + 1 < timeDeltas.length ? timeDeltas[i + 1] : mean;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + Math.max(0, dt));
  }
  return self;
}

/**
 * `[{ key, name, where, us }]` sorted by time, descending, and the profile's total (µs). Self time,
 * or with `inclusive` the time of every sample with the function (or file) anywhere on its stack.
 */
export function aggregate(profile, by, inclusive = false) {
  const self = selfTimes(profile);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const describe = (node) => {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const where = shortUrl(url);
    const name = functionName || (url ? '(anonymous)' : '(native)');
    const key = by === 'file' ? where || name : `${name}\u0000${url}\u0000${lineNumber}\u0000${columnNumber}`;
    const line = lineNumber >= 0 && url ? `:${lineNumber + 1}` : '';
    return { key, name: by === 'file' ? where || name : name, where: by === 'file' ? '' : `${where}${line}` };
  };
  const groups = new Map();
  let total = 0;
  for (const [id, us] of self) {
    if (us === 0) continue;
    total += us;
    const seen = new Set();
    for (let k = id; k !== undefined; k = inclusive ? parent.get(k) : undefined) {
      const d = describe(byId.get(k));
      if (seen.has(d.key)) continue;
      seen.add(d.key);
      const group = groups.get(d.key) ?? { ...d, us: 0 };
      group.us += us;
      groups.set(d.key, group);
    }
  }
  return { rows: [...groups.values()].sort((a, b) => b.us - a.us), total };
}

/**
 * Inclusive time (µs) of the samples under a function named `name` (its outermost occurrence on the
 * stack), by the chain of its `depth` nearest callers; and the total of all samples.
 */
export function callers(profile, name, depth) {
  const self = selfTimes(profile);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (node) => `${node.callFrame.functionName || '(anonymous)'} (${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1})`;
  const chains = new Map();
  let inclusive = 0;
  let total = 0;
  for (const [id, us] of self) {
    total += us;
    let outermost;
    for (let k = id; k !== undefined; k = parent.get(k)) if (byId.get(k).callFrame.functionName === name) outermost = k;
    if (outermost === undefined) continue;
    inclusive += us;
    const chain = [];
    for (let k = parent.get(outermost); k !== undefined && chain.length < depth; k = parent.get(k)) chain.push(label(byId.get(k)));
    const key = chain.join(' ← ');
    chains.set(key, (chains.get(key) ?? 0) + us);
  }
  return { inclusive, total, rows: [...chains].map(([chain, us]) => ({ chain, us })).sort((a, b) => b.us - a.us) };
}

function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const profile = JSON.parse(readFileSync(options.file, 'utf8'));
  if (options.callers) {
    const c = callers(profile, options.callers, options.depth);
    const lines = [
      `\`${options.callers}\`: ${(c.inclusive / 1000).toFixed(0)} ms inclusive, ${((c.inclusive / c.total) * 100).toFixed(1)} % of ${(c.total / 1000).toFixed(0)} ms sampled; by caller:`,
      '',
      '| Inclusive ms | % of total | Called from |',
      '| ---: | ---: | --- |',
      ...c.rows.slice(0, options.top).map((r) => `| ${(r.us / 1000).toFixed(0)} | ${((r.us / c.total) * 100).toFixed(1)} | ${r.chain} |`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  }
  const { rows, total } = aggregate(profile, options.by, options.inclusive);
  const metric = options.inclusive ? 'Inclusive' : 'Self';
  const out = [`Total sampled: ${(total / 1000).toFixed(0)} ms; top ${options.top} by ${metric.toLowerCase()} time (by ${options.by}):`, ''];
  out.push(options.by === 'file' ? `| ${metric} ms | ${metric} % | File |` : `| ${metric} ms | ${metric} % | Function | Where |`);
  out.push(options.by === 'file' ? '| ---: | ---: | --- |' : '| ---: | ---: | --- | --- |');
  for (const row of rows.slice(0, options.top)) {
    const ms = (row.us / 1000).toFixed(0);
    const pct = ((row.us / total) * 100).toFixed(1);
    out.push(options.by === 'file' ? `| ${ms} | ${pct} | ${row.name} |` : `| ${ms} | ${pct} | \`${row.name}\` | ${row.where} |`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main();
