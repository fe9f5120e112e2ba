import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceMetrics } from './metrics';
import { logger } from '@serendip/telemetry';

/**
 * What a process needs before it should be sent traffic, by name (`mariadb`, `redis`,
 * `productIndex`): each resolves when that dependency is usable and throws (or rejects) with why not.
 */
export type ReadinessChecks = Record<string, () => Promise<void> | void>;

/** A check that has not answered by then counts as failing: a probe must answer within its own timeout. */
export const READINESS_CHECK_TIMEOUT_MS = 2000;

/** For checks of state rather than connections: throws `reason` unless `condition()` holds. */
export const requireThat =
  (condition: () => boolean, reason: string): (() => void) =>
  () => {
    if (!condition()) throw new Error(reason);
  };

/** A Redis connection as a check sees it: ioredis (which pings), or the client a BullMQ queue holds (whose interface has no ping). */
interface RedisConnection {
  status: string;
  ping?: () => Promise<unknown>;
}

/**
 * A readiness check that `client()`'s Redis connection (a queue's: `() => queue.client`) is
 * connected and, where the client can, answers a PING.
 */
export const pingRedis =
  (client: () => RedisConnection | PromiseLike<RedisConnection>): (() => Promise<void>) =>
  async () => {
    const connection = await client();
    if (connection.status !== 'ready') throw new Error(`Redis connection ${connection.status}`);
    await connection.ping?.();
  };

/**
 * Liveness and readiness of one process. `/healthz` says the process and its event loop answer
 * (an orchestrator restarts it when they do not); `/readyz` runs every check and answers 503 while
 * any fails or while the process drains on its way down, so a load balancer sends its traffic to
 * the other replicas until it has healed by itself (a database back, an index loaded).
 * Failures are logged when a check starts or stops failing, not at every probe.
 */
export class Probes {
  private draining = false;
  private readonly failing = new Set<string>();

  constructor(
    private readonly name: string,
    private readonly checks: ReadinessChecks = {},
  ) {}

  /** From now on `/readyz` answers 503: the process is shutting down. */
  drain(): void {
    this.draining = true;
  }

  async readiness(): Promise<{ ready: boolean; checks: Record<string, 'ok' | 'failing'> }> {
    const entries = await Promise.all(Object.entries(this.checks).map(async ([check, run]) => [check, await this.run(check, run)] as const));
    const checks = Object.fromEntries(entries);
    return { ready: !this.draining && entries.every(([, state]) => state === 'ok'), checks };
  }

  /** Answers `/healthz` and `/readyz`; false for any other path. */
  async answer(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = new URL(req.url ?? '/', 'http://probe').pathname;
    if (path === '/healthz') {
      sendProbe(res, 200, { status: 'ok', process: this.name });
      return true;
    }
    if (path !== '/readyz') return false;
    const { ready, checks } = await this.readiness();
    sendProbe(res, ready ? 200 : 503, { status: ready ? 'ready' : this.draining ? 'draining' : 'unavailable', process: this.name, checks });
    return true;
  }

  private async run(check: string, run: () => Promise<void> | void): Promise<'ok' | 'failing'> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(run),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${READINESS_CHECK_TIMEOUT_MS} ms`)), READINESS_CHECK_TIMEOUT_MS);
        }),
      ]);
      if (this.failing.delete(check)) logger().info(`readiness: ${check} ok again`);
      return 'ok';
    } catch (error) {
      if (!this.failing.has(check)) logger().warn(`readiness: ${check} failing: ${error instanceof Error ? error.message : String(error)}`);
      this.failing.add(check);
      return 'failing';
    } finally {
      clearTimeout(timer);
    }
  }
}

function sendProbe(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** How often a draining server looks for connections that have turned idle. */
const DRAIN_IDLE_CHECK_MS = 50;

/**
 * A draining stop: the server takes no new connections, idle keep-alive connections close now,
 * requests in flight finish (each connection closes after its response), and whatever is still
 * open after `graceMs` is closed. Resolves once every connection is gone.
 */
export function drainHttpServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    // A keep-alive connection whose response was in flight turns idle after it, and Node leaves it
    // open: look for those until the last one has gone.
    const idle = setInterval(() => server.closeIdleConnections(), DRAIN_IDLE_CHECK_MS);
    server.close(() => {
      clearTimeout(force);
      clearInterval(idle);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * A server of nothing but `/healthz`, `/readyz` and, given `metrics`, `/metrics`, for a process
 * that serves no HTTP of its own (the worker). `stop` drains the probes first, so an orchestrator
 * sees the process leaving.
 */
export async function startProbeServer(probes: Probes, host: string, port: number, metrics?: ServiceMetrics): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer((req, res) => {
    const answer = async () => (await probes.answer(req, res)) || ((await metrics?.answer(req, res)) ?? false);
    answer().then(
      (answered) => {
        if (!answered) {
          res.writeHead(404);
          res.end();
        }
      },
      () => {
        res.writeHead(500);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}`,
    async stop() {
      probes.drain();
      await drainHttpServer(server, 0);
    },
  };
}
