import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/util/errors.js';
import { connectionError, describeQueryError, parseDatabaseUrl, parseDuration, queryTimeoutMs, redactUrl, resolveConnection } from '../../src/live/connection.js';

const resolve = (databaseUrl: string | undefined, env: Record<string, string> = {}, extra: { ssl?: 'disable' | 'require' | 'verify-full'; sslRootCert?: string } = {}) =>
  resolveConnection({ ...(databaseUrl !== undefined && { databaseUrl }), statementTimeoutMs: 30_000, ...extra }, env, '/work');

describe('resolveConnection', () => {
  it('reads a URL: percent-encoded password, port, database, sslmode', () => {
    const c = resolve('postgres://app:p%40ss%3Aw%2Frd%231@db.example.com:6432/orders?sslmode=verify-full&sslrootcert=certs/global-bundle.pem&connect_timeout=3');
    expect({ ...c }).toEqual({
      host: 'db.example.com',
      port: 6432,
      user: 'app',
      database: 'orders',
      ssl: 'verify-full',
      sslRootCert: '/work/certs/global-bundle.pem',
      connectTimeoutMs: 3000,
      statementTimeoutMs: 30_000,
      display: 'postgres://app@db.example.com:6432/orders',
    });
    // The password is there, but not enumerable: never serialised, never spread.
    expect(c.password).toBe('p@ss:w/rd#1');
    expect(JSON.stringify(c)).not.toContain('p@ss');
  });

  it('falls back on the PG* variables, then on libpq defaults', () => {
    const env = { PGHOST: 'router.internal', PGPORT: '5433', PGUSER: 'reader', PGPASSWORD: 'secret', PGDATABASE: 'app', PGSSLMODE: 'require' };
    expect({ ...resolve(undefined, env), password: resolve(undefined, env).password }).toMatchObject({ host: 'router.internal', port: 5433, user: 'reader', database: 'app', ssl: 'require', password: 'secret' });
    // URL parameters win over the environment, --ssl over both.
    expect(resolve('postgres://other@h/db', env)).toMatchObject({ host: 'h', port: 5433, user: 'other', database: 'db', ssl: 'require' });
    expect(resolve('postgres://other@h/db?sslmode=disable', env, { ssl: 'verify-full' }).ssl).toBe('verify-full');
    expect(resolve(undefined, { USER: 'me' })).toMatchObject({ host: 'localhost', port: 5432, user: 'me', database: 'me', ssl: 'prefer' });
    // postgres:// alone takes everything from the environment.
    expect(resolve('postgres://', env)).toMatchObject({ host: 'router.internal', database: 'app' });
  });

  it('verifies the chain when sslmode=require comes with a root certificate, as libpq does', () => {
    expect(resolve('postgres://a@h/d?sslmode=require', {}, { sslRootCert: 'ca.pem' })).toMatchObject({ ssl: 'verify-ca', sslRootCert: '/work/ca.pem' });
  });

  it('reads IPv6 hosts, socket directories and key=value strings', () => {
    expect(resolve('postgresql://u@[::1]:5433/d')).toMatchObject({ host: '::1', port: 5433, display: 'postgres://u@[::1]:5433/d' });
    expect(resolve('postgres://u@/d?host=/var/run/postgresql')).toMatchObject({ host: '/var/run/postgresql', display: 'postgres://u@[socket /var/run/postgresql]:5432/d' });
    expect(parseDatabaseUrl("host=db.internal port=5433 dbname=app user=app password='it\\'s a \\\\ secret' sslmode=verify-full")).toEqual({
      host: 'db.internal',
      port: '5433',
      database: 'app',
      user: 'app',
      password: "it's a \\ secret",
      sslmode: 'verify-full',
    });
  });

  it('rejects what it cannot use without repeating the URL, which may hold a password', () => {
    const messages = ['mysql://root:hunter2@h/d', 'postgres://u:hunter2@h:99999/d', 'postgres://u:hunter2@h/d?sslmode=maybe', 'postgres://u:hun%ZZter2@h/d'].map((url) => {
      try {
        resolve(url);
        return 'no error';
      } catch (error) {
        expect(error).toBeInstanceOf(CliError);
        return (error as Error).message;
      }
    });
    expect(messages).toEqual([
      'invalid --database-url: expected postgres://user:password@host:port/database (or host=… dbname=… key=value pairs)',
      'invalid port "99999" (expected 1 to 65535)',
      'invalid sslmode "maybe": expected one of disable, prefer, require, verify-ca, verify-full',
      'invalid --database-url: bad percent-encoding in the password',
    ]);
    for (const m of messages) expect(m).not.toContain('hunter2');
  });
});

describe('messages', () => {
  const target = resolve('postgres://app:hunter2@db.example.com/orders');

  it('explains connection failures in one line, with the target but never the password', () => {
    const error = (code: string, message = 'x') => Object.assign(new Error(message), { code });
    const cases: [unknown, string][] = [
      [error('ECONNREFUSED'), 'connection refused: is the server running on db.example.com port 5432 and accepting TCP/IP connections?'],
      [error('ENOTFOUND'), 'host "db.example.com" not found (DNS)'],
      [error('ETIMEDOUT'), 'db.example.com port 5432 is unreachable (ETIMEDOUT): check the endpoint, the security group and the network'],
      [new Error('Connection terminated due to connection timeout'), 'no answer from db.example.com port 5432 within 10s: check the endpoint, the security group and the network'],
      [error('28P01'), 'password authentication failed for user "app" (check the password in --database-url or PGPASSWORD)'],
      [error('3D000'), 'database "orders" does not exist'],
      [error('ERR_TLS_CERT_ALTNAME_INVALID'), 'the server\'s TLS certificate does not name host "db.example.com" (--ssl verify-full): connect with the name in the certificate, or use --ssl verify-ca'],
      [new Error('The server does not support SSL connections'), 'the server does not accept TLS connections (--ssl prefer); use --ssl disable or --ssl prefer only on a trusted network'],
      [new Error('something about hunter2 went wrong'), 'something about ***** went wrong'],
    ];
    for (const [cause, text] of cases) {
      const e = connectionError(cause, target);
      expect(e).toBeInstanceOf(CliError);
      expect(e.message).toBe(`could not connect to postgres://app@db.example.com:5432/orders: ${text}`);
    }
  });

  it('explains query failures', () => {
    expect(describeQueryError(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }), target)).toBe(
      'canceled by the statement timeout (--statement-timeout 30s)',
    );
    expect(describeQueryError(Object.assign(new Error('permission denied for view limitless_tables'), { code: '42501' }), target)).toBe('permission denied: permission denied for view limitless_tables');
  });

  it('waits for an answer the statement timeout plus the connect timeout, or without limit when the statement timeout is off', () => {
    expect(queryTimeoutMs({ statementTimeoutMs: 30_000, connectTimeoutMs: 10_000 })).toBe(40_000);
    expect(queryTimeoutMs({ statementTimeoutMs: 0, connectTimeoutMs: 10_000 })).toBe(0);
    // A server's message is untrusted text: its control characters are shown as pictures.
    expect(describeQueryError(new Error('relation "a\u001b[2Jb" does not exist'), target)).toBe('relation "a␛[2Jb" does not exist');
  });

  it('redacts passwords in URLs', () => {
    expect(redactUrl('postgres://app:hunter2@db:5432/orders?sslmode=require')).toBe('postgres://app:*****@db:5432/orders?sslmode=require');
    expect(redactUrl('postgresql://db/orders?user=app&password=hunter2')).toBe('postgresql://db/orders?user=app&password=*****');
    expect(redactUrl('host=db password=hunter2')).toBe('<connection string>');
  });

  it('parses --statement-timeout durations', () => {
    expect(['5000', '500ms', '30s', '1.5s', '2min', '1h', '0', 'soon'].map(parseDuration)).toEqual([5000, 500, 30_000, 1500, 120_000, 3_600_000, 0, undefined]);
  });
});
