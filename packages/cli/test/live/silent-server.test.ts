import type { AddressInfo, Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

/**
 * Real TCP servers on 127.0.0.1 that accept connections and then fall silent:
 *
 * - `mute` says nothing at all, not even to the TLS request or the startup message;
 * - `stalled` speaks PostgreSQL's protocol far enough to let the client in (no TLS, no password),
 *   answers `SET …` (the session settings the CLI sends first), then never answers another query —
 *   as a hung proxy or a stopped backend would.
 *
 * Each test is bounded: the connect timeout is 1 s, the statement timeout 500 ms.
 */
let mute: Server;
let stalled: Server;
const sockets = new Set<Socket>();

function listen(onConnection: (socket: Socket) => void): Promise<Server> {
  return new Promise((resolveServer, reject) => {
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
      onConnection(socket);
    });
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveServer(server));
  });
}

/** A backend message: type byte, int32 length, body. */
function message(type: string, body: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

const READY = message('Z', Buffer.from('I'));

/** Lets the client in, answers `SET …` queries, and nothing else. */
function stalledSession(socket: Socket): void {
  let buffer = Buffer.alloc(0);
  let started = false;
  socket.on('data', (data: Buffer) => {
    buffer = Buffer.concat([buffer, data]);
    for (;;) {
      if (!started) {
        if (buffer.length < 8 || buffer.length < buffer.readInt32BE(0)) return;
        const length = buffer.readInt32BE(0);
        const code = buffer.readInt32BE(4);
        buffer = buffer.subarray(length);
        // SSLRequest: "N", no TLS here. Then the startup message: AuthenticationOk, ReadyForQuery.
        if (code === 80877103) socket.write('N');
        else {
          started = true;
          socket.write(Buffer.concat([message('R', Buffer.alloc(4)), READY]));
        }
        continue;
      }
      if (buffer.length < 5 || buffer.length < 1 + buffer.readInt32BE(1)) return;
      const type = String.fromCharCode(buffer[0] as number);
      const body = buffer.subarray(5, 1 + buffer.readInt32BE(1));
      buffer = buffer.subarray(1 + buffer.readInt32BE(1));
      if (type === 'Q' && /^SET /i.test(body.toString('utf8'))) socket.write(Buffer.concat([message('C', Buffer.from('SET\0')), READY]));
    }
  });
}

beforeAll(async () => {
  mute = await listen(() => undefined);
  stalled = await listen(stalledSession);
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all([mute, stalled].map((server) => new Promise((done) => server?.close(done))));
});

const url = (server: Server) => `postgres://app@127.0.0.1:${(server.address() as AddressInfo).port}/app?connect_timeout=1`;

const COMMANDS: readonly { name: string; args: (url: string) => string[]; what: string }[] = [
  { name: 'schema pull', args: (u) => ['schema', 'pull', '--database-url', u, '--output', '-'], what: 'could not probe the catalog' },
  { name: 'audit', args: (u) => ['audit', '--config', 'fixtures/demo/limitless.yaml', '--database-url', u], what: 'could not look for pg_stat_statements' },
  { name: 'explain --verify', args: (u) => ['explain', '--verify', '--database-url', u, '-e', 'SELECT 1'], what: 'could not read rds_aurora.limitless_explain_options' },
];

// The tests wait on timers, not on the CPU: they run side by side.
describe.concurrent('a server that accepts the connection and never answers', () => {
  it.each(COMMANDS)('$name gives up after the connect timeout when the server says nothing', async ({ args }) => {
    const started = performance.now();
    const run = await runCli([...args(url(mute)), '--statement-timeout', '500ms']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^limitless-lint: could not connect to postgres:\/\/app@127\.0\.0\.1:\d+\/app: no answer from 127\.0\.0\.1 port \d+ within 1s/);
    expect(performance.now() - started).toBeLessThan(8000);
  });

  it.each(COMMANDS)('$name gives up when a query gets no answer (statement timeout + connect timeout)', async ({ args, what }) => {
    const started = performance.now();
    const run = await runCli([...args(url(stalled)), '--statement-timeout', '500ms']);
    const elapsed = performance.now() - started;
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`limitless-lint: ${what} on postgres://app@127.0.0.1:`);
    expect(run.stderr).toContain(': no answer within 1.5s: the server accepted the connection but does not answer (the client waits --statement-timeout 500ms plus the connect timeout 1s;');
    expect(run.stdout).toBe('');
    expect(elapsed).toBeGreaterThanOrEqual(1400);
    expect(elapsed).toBeLessThan(8000);
  });
});
