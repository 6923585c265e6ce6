#!/usr/bin/env node
// Generates packages/core/src/route/builtin-functions.generated.ts from a real PostgreSQL's pg_proc.
//
// Usage:
//   node scripts/gen-volatility.mjs --initdb               # throwaway server: initdb, pg_ctl start, query, stop, delete
//   node scripts/gen-volatility.mjs --database-url URL     # an existing server
//   node scripts/gen-volatility.mjs                        # an existing server named by the PG* environment variables
//
// Options:
//   --out PATH        where to write the table (default: packages/core/src/route/builtin-functions.generated.ts)
//   --port N          port number of the throwaway server's Unix socket (default 54329; --initdb only)
//   --pg-bindir DIR   directory holding psql (and initdb, pg_ctl for --initdb); default: `pg_config --bindir`,
//                     then PATH, then the newest /usr/lib/postgresql/*/bin
//
// The throwaway server listens on a Unix socket in a fresh temporary directory only (no TCP), so it cannot
// clash with another server. PostgreSQL refuses to run as root: when this script runs as root it runs initdb
// and pg_ctl as the `postgres` user (via runuser, or su when runuser is missing).
//
// No dependencies beyond Node itself.

import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const DEFAULT_OUT = fileURLToPath(
  new URL('../packages/core/src/route/builtin-functions.generated.ts', import.meta.url),
);
const DEFAULT_PORT = 54329;
const UNPRIVILEGED_USER = 'postgres';

/** One JSON document: the server version and one [proname, provolatile, proretset] triple per overload. */
const QUERY = `
SELECT json_build_object(
  'version', current_setting('server_version'),
  'rows', (
    SELECT json_agg(json_build_array(p.proname, p.provolatile, p.proretset) ORDER BY p.proname, p.oid)
    FROM pg_catalog.pg_proc p
    JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'pg_catalog' AND p.prokind IN ('f', 'a', 'w')
  )
)`;

function usage(message) {
  if (message) console.error(`gen-volatility: ${message}`);
  console.error(
    'usage: node scripts/gen-volatility.mjs [--initdb | --database-url URL] [--out PATH] [--port N] [--pg-bindir DIR]',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { initdb: false, databaseUrl: undefined, out: DEFAULT_OUT, port: DEFAULT_PORT, bindir: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) usage(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--initdb':
        opts.initdb = true;
        break;
      case '--database-url':
        opts.databaseUrl = value();
        break;
      case '--out':
        opts.out = resolve(value());
        break;
      case '--port': {
        const port = Number(value());
        if (!Number.isInteger(port) || port < 1 || port > 65535) usage('--port must be an integer in 1..65535');
        opts.port = port;
        break;
      }
      case '--pg-bindir':
        opts.bindir = resolve(value());
        break;
      case '-h':
      case '--help':
        usage();
        break;
      default:
        usage(`unknown argument ${arg}`);
    }
  }
  if (opts.initdb && opts.databaseUrl !== undefined) usage('--initdb and --database-url exclude each other');
  return opts;
}

/**
 * Runs a command synchronously; throws with its stderr when it fails. `label` names the command in that
 * message instead of the full command line (psql's holds the query and perhaps a password in a URL).
 */
function run(cmd, args, { label, ...options } = {}) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  const what = label ?? [cmd, ...args].join(' ');
  if (result.error) throw new Error(`could not run ${what}: ${result.error.message}`);
  if (result.status !== 0) {
    const detail = (result.stderr || result.stdout || '').trim();
    throw new Error(`${what} exited with ${result.status ?? result.signal}${detail ? `:\n${detail}` : ''}`);
  }
  return result.stdout;
}

function tryRun(cmd, args) {
  const result = spawnSync(cmd, args, { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Directories that may hold the PostgreSQL client and server programs, best first. */
function candidateBindirs(explicit) {
  if (explicit) return [explicit];
  const dirs = [];
  const fromPgConfig = tryRun('pg_config', ['--bindir']);
  if (fromPgConfig) dirs.push(fromPgConfig);
  for (const name of ['initdb', 'psql']) {
    const found = onPath(name);
    if (found) dirs.push(dirname(found));
  }
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) dirs.push(join(debianRoot, v, 'bin'));
  }
  return [...new Set(dirs)];
}

function findProgram(name, bindirs) {
  for (const dir of bindirs) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  const found = onPath(name);
  if (found) return found;
  throw new Error(`cannot find ${name}; install PostgreSQL (e.g. apt-get install postgresql) or pass --pg-bindir`);
}

/** The environment without PG* variables, so the throwaway server is the only one psql can reach. */
function envWithoutPg() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('PG')) delete env[key];
  return env;
}

/** Quotes one argument for /bin/sh. */
function shellQuote(s) {
  return `'${String(s).replace(/'/g, `'\\''`)}'`;
}

/**
 * Returns a function that runs a command as an unprivileged user when this process is root (PostgreSQL's
 * server programs refuse to run as root), or as the current user otherwise.
 */
function makeServerRunner(cwd) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) return { owner: undefined, exec: (cmd, args) => run(cmd, args, { cwd, env: envWithoutPg() }) };
  const uid = tryRun('id', ['-u', UNPRIVILEGED_USER]);
  const gid = tryRun('id', ['-g', UNPRIVILEGED_USER]);
  if (uid === undefined || gid === undefined) {
    throw new Error(`running as root and there is no '${UNPRIVILEGED_USER}' user to run initdb/pg_ctl as`);
  }
  const owner = { uid: Number(uid), gid: Number(gid) };
  const runuser = existsSync('/usr/sbin/runuser') ? '/usr/sbin/runuser' : onPath('runuser');
  const exec = runuser
    ? (cmd, args) => run(runuser, ['-u', UNPRIVILEGED_USER, '--', cmd, ...args], { cwd, env: envWithoutPg() })
    : (cmd, args) =>
        run('su', [UNPRIVILEGED_USER, '-s', '/bin/sh', '-c', [cmd, ...args].map(shellQuote).join(' ')], {
          cwd,
          env: envWithoutPg(),
        });
  return { owner, exec };
}

/** initdb + pg_ctl start in a fresh temporary directory; calls `body(psqlConnArgs)`, then always stops and deletes it. */
function withThrowawayServer(bindirs, port, body) {
  const initdb = findProgram('initdb', bindirs);
  const pgCtl = findProgram('pg_ctl', bindirs);
  const base = mkdtempSync(join(tmpdir(), 'gen-volatility-'));
  const dataDir = join(base, 'data');
  const logFile = join(base, 'server.log');
  let started = false;
  const { owner, exec } = makeServerRunner(base);
  const cleanup = () => {
    if (started) {
      try {
        exec(pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      } catch (err) {
        if (existsSync(join(dataDir, 'postmaster.pid'))) {
          console.error(`gen-volatility: stopping the throwaway server failed: ${err.message}`);
        }
      }
      started = false;
    }
    rmSync(base, { recursive: true, force: true });
  };
  // Everything here is synchronous: a listener keeps Ctrl-C / SIGTERM from killing this process outright,
  // the interrupted child command fails, and the `finally` below stops and deletes the server.
  let interrupted;
  const onSignal = (signal) => {
    interrupted = signal;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    if (owner) chownSync(base, owner.uid, owner.gid);
    exec(initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    // Socket only (listen_addresses empty): nothing listens on TCP, and the port only names the socket file.
    const serverOptions = `-p ${port} -k ${shellQuote(base)} -c listen_addresses='' -c fsync=off`;
    started = true; // set before start so a half-started server is still stopped
    try {
      exec(pgCtl, ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions, 'start']);
    } catch (err) {
      // `started` stays true: a server that came up after pg_ctl gave up waiting is still stopped.
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim() : undefined;
      throw new Error(`${err.message}${log ? `\nserver log:\n${log}` : ''}`, { cause: err });
    }
    return body(['-h', base, '-p', String(port), '-U', 'postgres', '-d', 'postgres']);
  } finally {
    cleanup();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (interrupted) {
      console.error(`gen-volatility: interrupted (${interrupted}); throwaway server stopped and deleted`);
      process.exit(130);
    }
  }
}

function queryCatalog(psql, connArgs, env) {
  const out = run(psql, ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', ...connArgs, '-c', QUERY], {
    env,
    label: `${psql} (pg_proc query)`,
  });
  const doc = JSON.parse(out);
  if (typeof doc.version !== 'string' || !Array.isArray(doc.rows)) throw new Error('unexpected psql output');
  return doc;
}

/** Plain code-unit order, independent of locale. */
const byCodeUnit = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** name → code: sorted distinct provolatile letters, then `*` when any overload returns a set. */
function buildTable(rows) {
  const byName = new Map();
  for (const [name, volatility, retset] of rows) {
    if (typeof name !== 'string' || !/^[isv]$/.test(volatility) || typeof retset !== 'boolean') {
      throw new Error(`unexpected pg_proc row ${JSON.stringify([name, volatility, retset])}`);
    }
    // An object-literal key `__proto__` would set the prototype instead of adding an entry.
    if (name === '__proto__') throw new Error('a function named __proto__ cannot be written to the table');
    const entry = byName.get(name) ?? { letters: new Set(), setReturning: false };
    entry.letters.add(volatility);
    entry.setReturning ||= retset;
    byName.set(name, entry);
  }
  return [...byName.keys()].sort(byCodeUnit).map((name) => {
    const { letters, setReturning } = byName.get(name);
    return [name, [...letters].sort(byCodeUnit).join('') + (setReturning ? '*' : '')];
  });
}

/** `15.18 (Debian 15.18-0+deb12u1)` → `15.18`. */
function shortVersion(serverVersion) {
  const match = /^\d+(\.\d+)*/.exec(serverVersion);
  if (!match) throw new Error(`cannot read a version number from server_version '${serverVersion}'`);
  return match[0];
}

function render(serverVersion, table) {
  const q = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const key = (s) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s) ? s : q(s));
  const lines = [
    `// Generated by scripts/gen-volatility.mjs from PostgreSQL ${serverVersion} pg_proc; do not edit by hand;`,
    '// regenerate with `node scripts/gen-volatility.mjs --initdb` (or `pnpm gen:volatility`).',
    '// Functions in schema pg_catalog (prokind f, a, w), by name; each code is the sorted distinct provolatile',
    '// letters of the overloads (i immutable, s stable, v volatile), then `*` when any overload returns a set.',
    '// Read it through function-volatility.ts.',
    '',
    '/** Major.minor version of the PostgreSQL whose pg_proc {@link BUILTIN_FUNCTIONS} was generated from. */',
    `export const BUILTIN_FUNCTIONS_PG_VERSION = ${q(shortVersion(serverVersion))};`,
    '',
    '/**',
    ' * Built-in (pg_catalog) function name → volatility code: sorted distinct `provolatile` letters across',
    ' * overloads (`i`, `s`, `v`), followed by `*` when any overload is set-returning. E.g. `"i"`, `"is*"`, `"v"`.',
    ' * Look names up with `Object.hasOwn` (or via `builtinVolatility`), never with a bare index.',
    ' */',
    'export const BUILTIN_FUNCTIONS: Readonly<Record<string, string>> = {',
    ...table.map(([name, code]) => `  ${key(name)}: ${q(code)},`),
    '};',
    '',
  ];
  return lines.join('\n');
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const bindirs = candidateBindirs(opts.bindir);
  const psql = findProgram('psql', bindirs);
  const doc = opts.initdb
    ? withThrowawayServer(bindirs, opts.port, (connArgs) => queryCatalog(psql, connArgs, envWithoutPg()))
    : queryCatalog(psql, opts.databaseUrl !== undefined ? ['-d', opts.databaseUrl] : [], process.env);
  const table = buildTable(doc.rows);
  if (table.length === 0) throw new Error('pg_proc returned no pg_catalog functions');
  writeFileSync(opts.out, render(doc.version, table));
  console.log(`gen-volatility: wrote ${table.length} functions from PostgreSQL ${doc.version} to ${opts.out}`);
}

try {
  main();
} catch (err) {
  console.error(`gen-volatility: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
