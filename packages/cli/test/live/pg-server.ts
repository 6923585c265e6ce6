import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** A PostgreSQL server of our own: a fresh cluster in a temporary folder, on a free loopback port. */
export interface PgServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** PostgreSQL's programs (psql, pg_ctl …). */
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
 * Starts a throw-away PostgreSQL server: `initdb` into a temporary folder (as the `postgres` system
 * user when running as root, since root cannot run initdb), TLS with a CA made on the spot,
 * pg_stat_statements preloaded, every statement logged through the logging collector, on a free
 * loopback port. Throws with a clear message when PostgreSQL is not installed or does not start;
 * cleans up after itself when it fails.
 */
export async function startPgServer(): Promise<PgServer> {
  const bin = findBinDir();
  const version = Number(/(\d+)/.exec(execFileSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }))?.[1] ?? 0);
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? postgresUser() : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'limitless-lint-pg-'));
  const dataDir = join(dir, 'data');
  const logDir = join(dir, 'log');
  const password = `Pw-${randomBytes(9).toString('base64url')}`;
  let started = false;
  const as = async (command: string, args: readonly string[], timeout = 60_000) => {
    const [file, argv] = owner ? ['runuser', ['-u', 'postgres', '--', join(bin, command), ...args]] : [join(bin, command), [...args]];
    return run(file, argv, { timeout, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LC_ALL: 'C', LANG: 'C' } });
  };
  const stopNow = () => {
    if (started) spawnSync(owner ? 'runuser' : join(bin, 'pg_ctl'), owner ? ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', dataDir, '-m', 'immediate', '-w', 'stop'] : ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], { stdio: 'ignore', timeout: 20_000 });
    started = false;
    rmSync(dir, { recursive: true, force: true });
  };
  // If the test process ends without teardown (a crash, Ctrl-C), the server must not outlive it.
  const onExit = () => stopNow();
  process.once('exit', onExit);

  try {
    chmodSync(dir, 0o700);
    mkdirSync(logDir);
    const pwFile = join(dir, 'pwfile');
    writeFileSync(pwFile, `${password}\n`);
    makeCertificates(dir);
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

/** The directory of PostgreSQL's programs: $PG_BIN_DIR, the newest /usr/lib/postgresql/N/bin, or pg_config --bindir. */
function findBinDir(): string {
  const fromEnv = process.env['PG_BIN_DIR'];
  if (fromEnv && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  try {
    const bindir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (existsSync(join(bindir, 'initdb'))) return bindir;
  } catch {
    // No pg_config on PATH.
  }
  throw new Error(
    'PostgreSQL is not installed: no initdb in $PG_BIN_DIR, /usr/lib/postgresql/*/bin or `pg_config --bindir`. ' +
      'The live tests need a real server: apt-get install postgresql (.ci/run does this).',
  );
}

function postgresUser(): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error('running as root, but there is no `postgres` system user to run initdb and the server as (root cannot): install the postgresql package, which creates it');
  }
}

/** A CA and a server certificate for `localhost` and 127.0.0.1, signed by it (EC keys: fast). */
function makeCertificates(dir: string): void {
  const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    openssl(['req', '-x509', '-new', '-nodes', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=limitless-lint test CA']);
    openssl(['req', '-new', '-nodes', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
    writeFileSync(join(dir, 'san.ext'), 'subjectAltName = DNS:localhost, IP:127.0.0.1\n');
    openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.ext']);
  } catch (error) {
    throw new Error(`could not make the test TLS certificates with openssl: ${(error as Error).message}`, { cause: error });
  }
  chmodSync(join(dir, 'server.key'), 0o600);
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
