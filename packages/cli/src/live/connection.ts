import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type pg from 'pg';
import type { ClientConfig, QueryConfig, QueryResultRow } from 'pg';
import { CliError } from '../util/errors.js';
import { printable } from '../reporters/printable.js';

/** libpq's sslmode values that limitless-lint understands (`allow` is read as `prefer`). */
export const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** How to reach the database, as given on the command line; the rest comes from the URL and `PG*` variables. */
export interface ConnectionRequest {
  /** `postgres://user:password@host:port/database?sslmode=…`, or libpq's `key=value …` form. */
  readonly databaseUrl?: string;
  readonly ssl?: SslMode;
  readonly sslRootCert?: string;
  /** Milliseconds; 0 turns the limit off. */
  readonly statementTimeoutMs: number;
}

/** Everything needed to connect, resolved from the request, the URL, the environment and libpq's defaults. */
export interface ResolvedConnection {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  readonly ssl: SslMode;
  /** Absolute path of the CA bundle for `verify-ca` / `verify-full` (e.g. AWS's global-bundle.pem). */
  readonly sslRootCert?: string;
  readonly connectTimeoutMs: number;
  readonly statementTimeoutMs: number;
  /** `postgres://user@host:port/database`: the target as messages show it, never with a password. */
  readonly display: string;
  /** Not enumerable, so that it never reaches JSON, a log line or an inspected object. */
  readonly password?: string;
}

/**
 * How long the client waits for the answer to one query: the statement timeout (the server's limit)
 * plus the connect timeout (time for the answer to travel). A server that accepted the connection but
 * does not answer — a hung proxy, a stopped backend, a black-holed network — fails the command instead
 * of hanging it. No limit when the statement timeout is off (`--statement-timeout 0`).
 */
export function queryTimeoutMs(target: Pick<ResolvedConnection, 'statementTimeoutMs' | 'connectTimeoutMs'>): number {
  return target.statementTimeoutMs > 0 ? target.statementTimeoutMs + target.connectTimeoutMs : 0;
}

/** A query whose answer did not come within {@link queryTimeoutMs}: the session is closed, as its state is unknown. */
export class QueryTimeoutError extends Error {
  readonly code = 'LIMITLESS_LINT_QUERY_TIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${formatDuration(timeoutMs)}`);
    this.name = 'QueryTimeoutError';
  }
}

/** The default statement timeout: catalog reads and EXPLAINs are quick, anything slower is a problem. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const APPLICATION_NAME = 'limitless-lint';

/**
 * Resolves the connection the way libpq does: parameters in `--database-url` first, then the `PG*`
 * environment variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE, PGSSLROOTCERT,
 * PGCONNECT_TIMEOUT), then the defaults (localhost:5432, the operating-system user, a database named
 * after the user). `--ssl` and `--ssl-root-cert` override both.
 *
 * @throws {CliError} for a URL or setting that cannot be used; the message never repeats the URL.
 */
export function resolveConnection(request: ConnectionRequest, env: Readonly<Record<string, string | undefined>>, cwd: string): ResolvedConnection {
  const fromUrl = request.databaseUrl === undefined ? {} : parseDatabaseUrl(request.databaseUrl);
  const pick = (key: keyof UrlParameters, envName: string): string | undefined => nonEmpty(fromUrl[key]) ?? nonEmpty(env[envName]);

  const host = pick('host', 'PGHOST') ?? 'localhost';
  const portText = pick('port', 'PGPORT') ?? '5432';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) throw new CliError(`invalid port ${JSON.stringify(portText)} (expected 1 to 65535)`);
  const user = pick('user', 'PGUSER') ?? osUser(env);
  const database = pick('database', 'PGDATABASE') ?? user;
  const password = pick('password', 'PGPASSWORD');

  const sslText = request.ssl ?? pick('sslmode', 'PGSSLMODE') ?? 'prefer';
  const ssl = parseSslMode(sslText);
  const rootCertText = request.sslRootCert ?? pick('sslrootcert', 'PGSSLROOTCERT');
  const sslRootCert = rootCertText === undefined || rootCertText === 'system' ? undefined : resolve(cwd, rootCertText);
  // As in libpq: with a root certificate, `require` also verifies the server's certificate chain.
  const effectiveSsl: SslMode = ssl === 'require' && sslRootCert !== undefined ? 'verify-ca' : ssl;

  const timeoutText = pick('connectTimeout', 'PGCONNECT_TIMEOUT');
  const connectTimeoutMs = timeoutText !== undefined && /^\d+$/.test(timeoutText) && Number(timeoutText) > 0 ? Number(timeoutText) * 1000 : DEFAULT_CONNECT_TIMEOUT_MS;

  const resolved: ResolvedConnection = {
    host,
    port: Number(portText),
    user,
    database,
    ssl: effectiveSsl,
    ...(sslRootCert !== undefined && { sslRootCert }),
    connectTimeoutMs,
    statementTimeoutMs: request.statementTimeoutMs,
    display: displayTarget(host, Number(portText), user, database),
  };
  if (password !== undefined) Object.defineProperty(resolved, 'password', { value: password, enumerable: false });
  return resolved;
}

/** `postgres://user@host:port/database`, for messages: never a password. */
export function displayTarget(host: string, port: number, user: string, database: string): string {
  const hostPart = host.startsWith('/') ? `[socket ${host}]` : host.includes(':') ? `[${host}]` : host;
  return printable(`postgres://${encodeURIComponent(user)}@${hostPart}:${port}/${encodeURIComponent(database)}`);
}

/**
 * A connection string with its password replaced by `*****`, for the rare message that must show what
 * was given. Text that is not a URL is shown as `<connection string>` (a `key=value` string may hold a
 * password anywhere).
 */
export function redactUrl(text: string): string {
  const match = /^(postgres(?:ql)?:\/\/)([^@/?#]*)@(.*)$/i.exec(text.trim());
  if (!match) return /^postgres(?:ql)?:\/\//i.test(text.trim()) ? text.trim().replace(/([?&]password=)[^&#]*/gi, '$1*****') : '<connection string>';
  const [, scheme, credentials, rest] = match as unknown as [string, string, string, string];
  const colon = credentials.indexOf(':');
  const userPart = colon === -1 ? credentials : `${credentials.slice(0, colon)}:*****`;
  return `${scheme}${userPart}@${rest.replace(/([?&]password=)[^&#]*/gi, '$1*****')}`;
}

interface UrlParameters {
  host?: string;
  port?: string;
  user?: string;
  password?: string;
  database?: string;
  sslmode?: string;
  sslrootcert?: string;
  connectTimeout?: string;
}

const URL_KEYS: Readonly<Record<string, keyof UrlParameters>> = {
  host: 'host',
  hostaddr: 'host',
  port: 'port',
  user: 'user',
  password: 'password',
  dbname: 'database',
  sslmode: 'sslmode',
  sslrootcert: 'sslrootcert',
  connect_timeout: 'connectTimeout',
};

/**
 * Reads a libpq connection URI (`postgres://` or `postgresql://`, with `?sslmode=…` and the other
 * parameters) or a `key=value` connection string.
 *
 * @throws {CliError} without repeating the text, which may hold a password.
 */
export function parseDatabaseUrl(text: string): UrlParameters {
  const trimmed = text.trim();
  if (/^postgres(?:ql)?:\/\//i.test(trimmed)) return parseUri(trimmed);
  if (/^\s*[a-z_]+\s*=/i.test(trimmed)) return parseKeywordValue(trimmed);
  throw new CliError('invalid --database-url: expected postgres://user:password@host:port/database (or host=… dbname=… key=value pairs)');
}

/** libpq's URI: `postgres[ql]://[user[:password]@][host][:port][/dbname][?param=value&…]`, each part percent-encoded. */
function parseUri(text: string): UrlParameters {
  const decode = (s: string, what: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new CliError(`invalid --database-url: bad percent-encoding in the ${what}`);
    }
  };
  const rest = text.replace(/^postgres(?:ql)?:\/\//i, '');
  const queryAt = rest.indexOf('?');
  const beforeQuery = queryAt === -1 ? rest : rest.slice(0, queryAt);
  const query = queryAt === -1 ? '' : rest.slice(queryAt + 1);
  const slash = beforeQuery.indexOf('/');
  const authority = slash === -1 ? beforeQuery : beforeQuery.slice(0, slash);
  const path = slash === -1 ? '' : beforeQuery.slice(slash + 1);
  const at = authority.lastIndexOf('@');
  const userinfo = at === -1 ? '' : authority.slice(0, at);
  const hostport = at === -1 ? authority : authority.slice(at + 1);
  if (hostport.includes(',')) throw new CliError('invalid --database-url: several hosts are not supported; name one router endpoint');
  if (/[#\s]/.test(userinfo + hostport) || userinfo.includes('/')) {
    throw new CliError('invalid --database-url: not a valid URL (a password with @, /, : or # must be percent-encoded, e.g. %40 for @)');
  }

  const out: UrlParameters = {};
  if (userinfo !== '') {
    const colon = userinfo.indexOf(':');
    const user = colon === -1 ? userinfo : userinfo.slice(0, colon);
    if (user !== '') out.user = decode(user, 'user name');
    if (colon !== -1) out.password = decode(userinfo.slice(colon + 1), 'password');
  }
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(hostport);
  const [host, port] = bracketed ? [bracketed[1] ?? '', bracketed[2]] : hostport.includes(':') ? [hostport.slice(0, hostport.lastIndexOf(':')), hostport.slice(hostport.lastIndexOf(':') + 1)] : [hostport, undefined];
  if (host !== '') out.host = decode(host, 'host');
  if (port !== undefined && port !== '') out.port = port;
  if (path !== '') out.database = decode(path, 'database name');
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq === -1 ? pair : pair.slice(0, eq), 'parameters');
    const target = URL_KEYS[key];
    if (target) out[target] = decode(eq === -1 ? '' : pair.slice(eq + 1), 'parameters');
  }
  return out;
}

function parseKeywordValue(text: string): UrlParameters {
  const out: UrlParameters = {};
  const pattern = /\s*([a-z_]+)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|(\S*))/giy;
  let at = 0;
  while (at < text.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    if (!match) {
      if (text.slice(at).trim() === '') break;
      throw new CliError('invalid --database-url: a key=value connection string must look like host=db.example.com port=5432 dbname=app user=app');
    }
    const key = (match[1] as string).toLowerCase();
    const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '');
    const target = URL_KEYS[key];
    if (target) out[target] = value;
    at = pattern.lastIndex;
  }
  return out;
}

function parseSslMode(text: string): SslMode {
  const mode = text === 'allow' ? 'prefer' : text;
  if ((SSL_MODES as readonly string[]).includes(mode)) return mode as SslMode;
  throw new CliError(`invalid sslmode ${JSON.stringify(text)}: expected one of ${SSL_MODES.join(', ')}`);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function osUser(env: Readonly<Record<string, string | undefined>>): string {
  const fromEnv = nonEmpty(env['USER']) ?? nonEmpty(env['LOGNAME']);
  if (fromEnv) return fromEnv;
  try {
    return userInfo().username;
  } catch {
    return 'postgres';
  }
}

/**
 * Parses `--statement-timeout`: milliseconds (`5000`), or a number with a unit as PostgreSQL writes
 * them (`500ms`, `30s`, `2min`, `1h`); `0` turns the limit off.
 */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h)?\s*$/.exec(text);
  if (!match) return undefined;
  const factor = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 }[match[2] ?? 'ms'] ?? 1;
  return Math.round(Number(match[1]) * factor);
}

/** `30s`, `1.5s`, `250ms`: a timeout for messages. */
export function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : ms > 1000 ? `${(ms / 1000).toFixed(1)}s` : `${ms}ms`;
}

/** A connected session: queries, and errors turned into one-line {@link CliError}s. */
export class LiveConnection {
  private closed = false;
  private timedOut: QueryTimeoutError | undefined;

  private constructor(
    private readonly client: pg.Client,
    readonly target: ResolvedConnection,
    /** Whether the session is encrypted (TLS). */
    readonly encrypted: boolean,
  ) {}

  /**
   * Connects, with TLS as `target.ssl` says (`prefer` tries TLS first and falls back to a plain
   * connection only when the server has no TLS at all, as libpq does), and sets `statement_timeout`.
   *
   * @throws {CliError} naming the target (without a password) and what went wrong, never a stack trace.
   */
  static async open(target: ResolvedConnection): Promise<LiveConnection> {
    // Loaded here, not at start-up: only the live-database commands need the client (~100 ms to import).
    const { default: pg } = await import('pg');
    const attempt = async (tls: TlsOptions | false): Promise<pg.Client> => {
      const config: ClientConfig = {
        host: target.host,
        port: target.port,
        user: target.user,
        database: target.database,
        ssl: tls,
        application_name: APPLICATION_NAME,
        connectionTimeoutMillis: target.connectTimeoutMs,
        ...(target.password !== undefined && { password: target.password }),
      };
      const client = new pg.Client(config);
      // A session that dies later (server restart, network) must not crash the process.
      client.on('error', () => undefined);
      try {
        await client.connect();
        return client;
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
    };
    const tls = tlsOptions(target);
    let client: pg.Client;
    let encrypted = tls !== false;
    try {
      try {
        client = await attempt(tls);
      } catch (error) {
        if (target.ssl !== 'prefer' || !isNoTlsError(error)) throw error;
        client = await attempt(false);
        encrypted = false;
      }
    } catch (error) {
      throw connectionError(error, target);
    }
    const connection = new LiveConnection(client, target, encrypted);
    // A session setting is what we want here: this is a short-lived, direct connection of the CLI, not a
    // request handler behind RDS Proxy.
    // eslint-disable-next-line limitless-lint/no-session-pinning -- a direct CLI connection, never pooled
    await connection.query(`SET statement_timeout = ${Math.max(0, Math.floor(target.statementTimeoutMs))}`, [], 'set statement_timeout');
    return connection;
  }

  /**
   * Runs one query. `what` names it in the error message (`read rds_aurora.limitless_tables`).
   * With `extended`, the text is sent with the extended protocol, which refuses more than one
   * statement.
   *
   * @throws {CliError} for any error, with PostgreSQL's message; a statement timeout says so.
   */
  async query<R extends QueryResultRow = Record<string, unknown>>(text: string, values: readonly unknown[], what: string, extended = false): Promise<pg.QueryResult<R>> {
    try {
      return await this.rawQuery<R>(text, values, extended);
    } catch (error) {
      throw new CliError(`could not ${printable(what)} on ${this.target.display}: ${describeQueryError(error, this.target)}`);
    }
  }

  /**
   * Runs one query and lets its error through (a `DatabaseError` with `code`), for callers that handle
   * it. Waits at most {@link queryTimeoutMs}: then the session is closed and a {@link QueryTimeoutError}
   * thrown (and thrown again by every later query on this connection).
   */
  async rawQuery<R extends QueryResultRow = Record<string, unknown>>(text: string, values: readonly unknown[] = [], extended = false): Promise<pg.QueryResult<R>> {
    if (this.timedOut) throw this.timedOut;
    const config: QueryConfig & { queryMode?: 'extended' } = { text, values: [...values] };
    if (extended) config.queryMode = 'extended';
    const answer = this.client.query<R>(config);
    const limit = queryTimeoutMs(this.target);
    if (limit === 0) return answer;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.timedOut = new QueryTimeoutError(limit);
        // The query is still on the wire: pg closes the socket of a session with an active query.
        answer.catch(() => undefined);
        this.closed = true;
        this.client.end().catch(() => undefined);
        reject(this.timedOut);
      }, limit);
    });
    try {
      return await Promise.race([answer, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.end().catch(() => undefined);
  }
}

/** Opens a connection, runs `body`, and always closes it. */
export async function withConnection<T>(target: ResolvedConnection, body: (connection: LiveConnection) => Promise<T>): Promise<T> {
  const connection = await LiveConnection.open(target);
  try {
    return await body(connection);
  } finally {
    await connection.close();
  }
}

function tlsOptions(target: ResolvedConnection): TlsOptions | false {
  if (target.ssl === 'disable') return false;
  const ca = target.sslRootCert === undefined ? undefined : readRootCert(target.sslRootCert);
  const servername = isIpAddress(target.host) || target.host.startsWith('/') ? undefined : target.host;
  const base: TlsOptions = { ...(ca !== undefined && { ca }), ...(servername !== undefined && { servername }) };
  switch (target.ssl) {
    case 'prefer':
    case 'require':
      // Encrypted, but the certificate is not checked (libpq's meaning of these modes).
      return { ...base, rejectUnauthorized: false };
    case 'verify-ca':
      return { ...base, rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ...base, rejectUnauthorized: true };
  }
}

function readRootCert(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read the --ssl-root-cert file ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code ?? error)}`);
  }
}

function isIpAddress(host: string): boolean {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

function isNoTlsError(error: unknown): boolean {
  return error instanceof Error && /does not support SSL/i.test(error.message);
}

/** SQLSTATE codes of failed logins, and what to say about them. */
const LOGIN_ERRORS: Readonly<Record<string, string>> = {
  '28P01': 'password authentication failed for user {user} (check the password in --database-url or PGPASSWORD)',
  '28000': 'the server refused user {user} (no pg_hba.conf entry, or the role may not log in)',
  '3D000': 'database {database} does not exist',
  '53300': 'the server has too many connections',
  '57P03': 'the server is starting up or shutting down',
};

/** A failed connection as a one-line CLI error: target (no password) and cause, with a hint. */
export function connectionError(error: unknown, target: ResolvedConnection): CliError {
  return new CliError(`could not connect to ${target.display}: ${printable(describeConnectError(error, target))}`);
}

function describeConnectError(error: unknown, target: ResolvedConnection): string {
  const e = error as { code?: string; message?: string } | undefined;
  const code = e?.code;
  const where = target.host.startsWith('/') ? `the socket in ${target.host}` : `${target.host} port ${target.port}`;
  const login = code ? LOGIN_ERRORS[code] : undefined;
  if (login) return login.replace('{user}', JSON.stringify(target.user)).replace('{database}', JSON.stringify(target.database));
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused: is the server running on ${where} and accepting TCP/IP connections?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host ${JSON.stringify(target.host)} not found (DNS)`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} is unreachable (${code}): check the endpoint, the security group and the network`;
    case 'ECONNRESET':
      return 'the server closed the connection (a TLS or proxy problem?)';
    case 'ENOENT':
      return `no server socket in ${target.host}`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `the server's TLS certificate is not trusted (${code}): give its CA with --ssl-root-cert (for Aurora, AWS's global-bundle.pem), or use --ssl require to encrypt without verifying`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the server's TLS certificate does not name host ${JSON.stringify(target.host)} (--ssl verify-full): connect with the name in the certificate, or use --ssl verify-ca`;
    case 'CERT_HAS_EXPIRED':
      return "the server's TLS certificate has expired";
  }
  const message = printable(scrub(e?.message ?? String(error), target));
  if (/does not support SSL/i.test(message)) return `the server does not accept TLS connections (--ssl ${target.ssl}); use --ssl disable or --ssl prefer only on a trusted network`;
  if (/timeout|timed out/i.test(message)) return `no answer from ${where} within ${formatDuration(target.connectTimeoutMs)}: check the endpoint, the security group and the network`;
  if (/SASL|SCRAM|password must be a string|client password/i.test(message)) return `the server asks for a password for user ${JSON.stringify(target.user)}: give it in --database-url or PGPASSWORD`;
  return message;
}

/** A failed query as a phrase: PostgreSQL's message, or what a timeout means. */
export function describeQueryError(error: unknown, target: ResolvedConnection): string {
  const e = error as { code?: string; message?: string } | undefined;
  if (e?.code === '57014') return `canceled by the statement timeout (--statement-timeout ${formatDuration(target.statementTimeoutMs)})`;
  if (error instanceof QueryTimeoutError) {
    return `${error.message}: the server accepted the connection but does not answer (the client waits --statement-timeout ${formatDuration(target.statementTimeoutMs)} plus the connect timeout ${formatDuration(target.connectTimeoutMs)}; check the endpoint, a proxy in between, or the server's load)`;
  }
  // The server's messages quote names and SQL: never raw on a terminal.
  if (e?.code === '42501') return `permission denied: ${printable(scrub(e.message ?? '', target))}`;
  const message = printable(scrub(e?.message ?? String(error), target));
  if (/Connection terminated|ECONNRESET/i.test(message)) return 'the connection was closed by the server';
  return message;
}

/** Removes the password from a message, whatever quoted it. */
function scrub(message: string, target: ResolvedConnection): string {
  const password = target.password;
  return password !== undefined && password.length > 0 ? message.split(password).join('*****') : message;
}
