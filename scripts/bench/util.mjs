// Small helpers shared by the benchmark rows: statistics, formatting, timing child processes.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BENCH_DIR = join(ROOT, '.bench');
export const DEMO_MANIFEST = join(ROOT, 'fixtures/demo/limitless.yaml');
export const CLI_BIN = join(ROOT, 'packages/cli/bin/limitless-lint.js');
export const CORE_DIST = join(ROOT, 'packages/core/dist/index.js');

/** The garbage collector, exposed without restarting node with --expose-gc; a no-op if unavailable. */
export const gc = (() => {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc');
  } catch {
    return () => {};
  }
})();

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `{ median, min, max, runs }` of a list of measurements. */
export function summary(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

export function fmtInt(n) {
  return Math.round(n).toLocaleString('en-US');
}

/** A rate, to three significant figures: `27,400/s`. */
export function fmtRate(perSecond) {
  const digits = Math.max(0, Math.floor(Math.log10(Math.abs(perSecond) || 1)) - 2);
  const rounded = Math.round(perSecond / 10 ** digits) * 10 ** digits;
  return `${fmtInt(rounded)}/s`;
}

export function fmtMs(ms) {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

export function fmtPercent(ratio) {
  return `${Math.round(ratio * 100)} %`;
}

export function fmtMb(kb) {
  return `${Math.round(kb / 1024)} MB`;
}

/** Progress goes to stderr, so that stdout holds only the report. */
export function progress(message) {
  process.stderr.write(`bench: ${message}\n`);
}

/**
 * GNU time's path, when `/usr/bin/time -v -o <file>` works here (BusyBox's time has no -o).
 * BENCH_NO_GNU_TIME=1 forces the preload fallback (to check it).
 */
export const GNU_TIME = (() => {
  const path = '/usr/bin/time';
  if (process.env.BENCH_NO_GNU_TIME || !existsSync(path)) return undefined;
  const probe = spawnSync(path, ['-v', '-o', '/dev/null', process.execPath, '-e', '0'], { stdio: 'ignore' });
  return probe.status === 0 ? path : undefined;
})();

const MAXRSS_PRELOAD = fileURLToPath(new URL('./maxrss-preload.mjs', import.meta.url));

/**
 * Runs `node <args>` as a child process and measures it: wall time from spawn to exit (in this
 * process, `performance.now()`), and, when `rss` is set, the child's peak resident set size. Peak
 * RSS comes from GNU time (`/usr/bin/time -v -o <file>`: the child's `ru_maxrss`) when present, else
 * from a preload module that writes `process.resourceUsage().maxRSS` at exit (scripts/bench/maxrss-preload.mjs).
 *
 * With GNU time, also the child's CPU time (user + system, its threads included): on a machine
 * shared with other work, CPU time moves less than wall time.
 *
 * @returns `{ wallMs, code, stderr, maxRssKb?, cpuMs? }`
 */
export function runNode(args, options = {}) {
  return runProgram(process.execPath, args, { ...options, node: true });
}

/**
 * Runs any program as `runNode` runs node. Peak RSS of a program that is not node needs GNU time
 * (the preload fallback works only for node); without it, `maxRssKb` is undefined.
 */
export function runProgram(program, args, { cwd = ROOT, stdout = 'ignore', rss = false, env = process.env, node = false } = {}) {
  const rssFile = join(BENCH_DIR, `rss-${process.pid}.txt`);
  let command = program;
  let argv = args;
  let childEnv = env;
  if (rss && GNU_TIME) {
    command = GNU_TIME;
    argv = ['-v', '-o', rssFile, program, ...args];
  } else if (rss && node) {
    argv = ['--import', MAXRSS_PRELOAD, ...args];
    childEnv = { ...env, BENCH_MAXRSS_FILE: rssFile };
  } else {
    rss = false;
  }
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(command, argv, { cwd, env: childEnv, stdio: ['ignore', stdout, 'pipe'] });
    const errChunks = [];
    child.stderr.on('data', (chunk) => errChunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const stderr = Buffer.concat(errChunks).toString('utf8');
      let maxRssKb;
      let cpuMs;
      if (rss) {
        const text = existsSync(rssFile) ? readFileSync(rssFile, 'utf8') : '';
        rmSync(rssFile, { force: true });
        maxRssKb = GNU_TIME ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(text)?.[1]) : Number(text.trim());
        if (!Number.isFinite(maxRssKb) || maxRssKb <= 0) maxRssKb = undefined;
        if (GNU_TIME) {
          const seconds = (label) => Number(new RegExp(`${label} time \\(seconds\\): ([\\d.]+)`).exec(text)?.[1]);
          cpuMs = (seconds('User') + seconds('System')) * 1000;
          if (!Number.isFinite(cpuMs)) cpuMs = undefined;
        }
      }
      resolvePromise({ wallMs, code, stderr, maxRssKb, cpuMs });
    });
  });
}

/** One line about the machine: CPU model, cores, memory, Node. */
export function machine() {
  const list = cpus();
  const model = (list[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim();
  return {
    cpu: model,
    cores: list.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}
