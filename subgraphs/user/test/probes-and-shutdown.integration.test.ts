import type { Identity } from '@serendip/federation';
import { spawn } from 'node:child_process';
import { connect as createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { createTestDatabases, dropTestDatabases, errorCodes, subgraphClient, testAdminConnection, testEnv } from '@serendip/testing';
import { startUserSubgraph } from '../src/app';
import { loadUserConfig } from '../src/config';
import { logger } from '@serendip/telemetry';

const env = testEnv({ USER_PORT: '0' });
const config = loadUserConfig(env);
const SHOPPER: Identity = { userId: '424242', roles: ['shopper'] };
const ROOT = join(__dirname, '..', '..', '..');

/** A TCP proxy to MariaDB: closing it is MariaDB going away for the processes that connect through it, and only for them. */
interface Proxy {
  port: number;
  close(): Promise<void>;
}

async function mariadbProxy(port = 0): Promise<Proxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(config.MYSQL_PORT, config.MYSQL_HOST);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

const probe = async (url: string, path: '/healthz' | '/readyz') => {
  const response = await fetch(url.replace(/\/graphql$/, path));
  return { status: response.status, body: (await response.json()) as { status: string; checks?: Record<string, string> } };
};

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(() => createTestDatabases(config, ['user']));
afterAll(() => dropTestDatabases(config, ['user']));

describe('readiness', () => {
  it('is refused while MariaDB cannot be reached by this process (and so are requests that need it), and given again once it can, while liveness holds throughout', async () => {
    let proxy = await mariadbProxy();
    const subgraph = await startUserSubgraph({ ...config, MYSQL_PORT: proxy.port });
    const quiet = jest.spyOn(logger(), 'warn').mockImplementation(() => undefined);
    try {
      expect(await probe(subgraph.url, '/readyz')).toEqual({ status: 200, body: { status: 'ready', process: 'user', checks: { mariadb: 'ok', redis: 'ok' } } });

      await proxy.close();
      expect(await probe(subgraph.url, '/readyz')).toEqual({
        status: 503,
        body: { status: 'unavailable', process: 'user', checks: { mariadb: 'failing', redis: 'ok' } },
      });
      expect(await probe(subgraph.url, '/healthz')).toEqual({ status: 200, body: { status: 'ok', process: 'user' } });
      // A request that needs the database is refused with a code a client can act on, not a driver's error.
      const refused = await subgraphClient(subgraph.url)('{ me { id } }', {}, SHOPPER);
      expect(refused.errors).toEqual([
        { message: 'The service is unavailable just now; try again shortly', path: ['me'], extensions: { code: 'SERVICE_UNAVAILABLE' } },
      ]);

      // MariaDB back on the same address: the pool reconnects and the subgraph is ready again by itself.
      proxy = await mariadbProxy(proxy.port);
      await until('the subgraph is ready again', async () => (await probe(subgraph.url, '/readyz')).status === 200);
    } finally {
      quiet.mockRestore();
      await subgraph.stop();
      await proxy.close();
    }
  });
});

describe('a full database pool', () => {
  it('answers SERVICE_UNAVAILABLE at once rather than queueing without end, and serves again once connections are free', async () => {
    const subgraph = await startUserSubgraph({ ...config, MYSQL_POOL_SIZE: 1, MYSQL_POOL_QUEUE_LIMIT: 1 });
    const call = subgraphClient(subgraph.url);
    const quiet = jest.spyOn(logger(), 'warn').mockImplementation(() => undefined);
    // The pool's one connection taken, and one statement waiting for it: the queue is full.
    const held = subgraph.dataSource.createQueryRunner();
    await held.connect();
    const waiting = subgraph.dataSource.query('SELECT 1 AS one');
    try {
      const refused = await call('{ me { id } }', {}, SHOPPER);
      expect(refused.errors).toEqual([{ message: 'The service is busy; try again shortly', path: ['me'], extensions: { code: 'SERVICE_UNAVAILABLE' } }]);
      expect((await probe(subgraph.url, '/readyz')).body.checks).toEqual({ mariadb: 'failing', redis: 'ok' });
    } finally {
      await held.release();
      quiet.mockRestore();
    }
    try {
      expect(await waiting).toEqual([{ one: 1 }]);
      const served = await call<{ me: null }>('{ me { id } }', {}, SHOPPER);
      expect(errorCodes(served)).toEqual([]);
      expect(served.data).toEqual({ me: null });
      expect((await probe(subgraph.url, '/readyz')).status).toBe(200);
    } finally {
      await subgraph.stop();
    }
  });
});

describe('shutdown', () => {
  it('finishes a request in flight across SIGTERM, refusing new connections meanwhile, then exits cleanly', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'subgraphs/user/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env, USER_PORT: '0', SHUTDOWN_GRACE_MS: '30000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const admin = await testAdminConnection(config);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          output += chunk;
          const ready = /ready at (http:\/\/\S+\/graphql)/.exec(output);
          if (ready) resolve(ready[1]!);
        });
        child.once('exit', (code) => reject(new Error(`the subgraph exited with ${code} while starting: ${output}`)));
      });
      // The user table write-locked by another session: a request reading it waits inside the subgraph.
      await admin.query(`LOCK TABLES \`${config.MYSQL_DATABASE_PREFIX}_user\`.\`user\` WRITE`);
      const inFlight = subgraphClient(url)<{ me: null }>('{ me { id } }', {}, SHOPPER);
      await until('the request waits on the lock', async () => {
        const [rows] = (await admin.query("SELECT COUNT(*) AS waiting FROM information_schema.PROCESSLIST WHERE DB = ? AND STATE LIKE 'Waiting for table%'", [
          `${config.MYSQL_DATABASE_PREFIX}_user`,
        ])) as unknown as [{ waiting: number | string }[]];
        return Number(rows[0]?.waiting) > 0;
      });

      child.kill('SIGTERM');
      // Draining: the port takes no new connections while the request is still in hand.
      await until('the subgraph refuses new connections', () =>
        fetch(url.replace(/\/graphql$/, '/healthz')).then(
          () => false,
          () => true,
        ),
      );
      expect(child.exitCode).toBeNull();

      await admin.query('UNLOCK TABLES');
      const answered = await inFlight;
      expect(answered).toMatchObject({ status: 200, data: { me: null } });
      expect(answered.errors).toBeUndefined();
      expect(await exited).toBe(0);
    } finally {
      await admin.query('UNLOCK TABLES');
      await admin.end();
      child.kill('SIGKILL');
    }
  });
});
