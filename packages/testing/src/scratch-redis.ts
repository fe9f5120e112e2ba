import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { kill, startListening } from './listening-process';
import { freePorts } from './ports';

/** Starts `redis-server` with `args` (no persistence, loopback only) and waits until `port` answers. */
const launch = (port: number, args: readonly string[]): Promise<ChildProcess> =>
  startListening('redis-server', 'redis-server', [...args, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], port);

/** Waits until `check` holds; fails with `what` after `timeoutMs`. */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Asks the server on `port` one thing over a connection of its own. */
async function ask<T>(port: number, question: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    return await question(redis);
  } finally {
    redis.disconnect();
  }
}

/**
 * A Redis server of a test's own (the `redis-server` the machine has, without persistence, on a
 * free port), for tests of what a Redis restart does: `restart()` kills it and starts a fresh one
 * on the same port, with a new run id and none of the data, as a Redis without persistence comes
 * back. The shared Redis everyone else uses is left alone.
 */
export class ScratchRedis {
  private child: ChildProcess | null = null;

  private constructor(private readonly port: number) {}

  static async start(): Promise<ScratchRedis> {
    const [port] = await freePorts(1);
    const redis = new ScratchRedis(port!);
    redis.child = await launch(redis.port, []);
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Kills the server (SIGKILL: nothing saved) and starts a fresh one on the same port. */
  async restart(): Promise<void> {
    await this.stop();
    this.child = await launch(this.port, []);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child) await kill(child);
  }
}

/** A node of a scratch cluster or Sentinel group: its process and port. */
interface ScratchNode {
  port: number;
  child: ChildProcess;
}

/** Kills every node and removes their folder. */
async function tearDown(nodes: readonly ScratchNode[], dir: string): Promise<void> {
  await Promise.all(nodes.map((node) => kill(node.child)));
  await rm(dir, { recursive: true, force: true });
}

/**
 * A Redis Cluster of a test's own: `masters` `redis-server`s (no replicas, no persistence) on free
 * loopback ports, their cluster files in a temporary folder, the slots shared out by
 * `redis-cli --cluster create`. `url` is the `REDIS_URL` that reaches it (`redis-cluster://…`).
 * Ready when every node says `cluster_state:ok`; `stop()` kills the nodes and removes the folder.
 */
export class ScratchRedisCluster {
  private constructor(
    private readonly nodes: readonly ScratchNode[],
    private readonly dir: string,
  ) {}

  static async start(masters = 3): Promise<ScratchRedisCluster> {
    const dir = await mkdtemp(join(tmpdir(), 'serendip-cluster-'));
    // Each node's cluster bus gets a port of its own (`--cluster-port`), not the default port +
    // 10000, which may be taken or beyond 65535.
    const ports = await freePorts(2 * masters);
    const nodes: ScratchNode[] = [];
    try {
      const launched = await Promise.allSettled(
        Array.from({ length: masters }, async (_, index): Promise<ScratchNode> => {
          const [port, busPort] = [ports[2 * index]!, ports[2 * index + 1]!];
          const args = ['--cluster-enabled', 'yes', '--cluster-port', String(busPort), '--cluster-config-file', `nodes-${port}.conf`, '--dir', dir];
          return { port, child: await launch(port, args) };
        }),
      );
      for (const node of launched) if (node.status === 'fulfilled') nodes.push(node.value);
      const failed = launched.find((node) => node.status === 'rejected');
      if (failed) throw failed.reason;
      const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
      await promisify(execFile)('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
      for (const node of nodes) {
        const ok = () => ask(node.port, async (redis) => (await redis.cluster('INFO')).includes('cluster_state:ok'));
        await until(ok, `node ${node.port} did not report cluster_state:ok`);
      }
      return new ScratchRedisCluster(nodes, dir);
    } catch (error) {
      await tearDown(nodes, dir);
      throw error;
    }
  }

  get url(): string {
    return `redis-cluster://${this.nodes.map((node) => `127.0.0.1:${node.port}`).join(',')}`;
  }

  /** The port of the master whose slot holds `key` (or channel: sharded channels hash as keys do). */
  async portOf(key: string): Promise<number> {
    return ask(this.nodes[0]!.port, async (redis) => {
      const slot = await redis.cluster('KEYSLOT', key);
      const master = (await redis.cluster('SLOTS')).find(([first, last]) => slot >= first && slot <= last)?.[2];
      if (!master) throw new Error(`no node serves slot ${slot}`);
      return master[1];
    });
  }

  async stop(): Promise<void> {
    await tearDown(this.nodes, this.dir);
  }
}

/**
 * A Sentinel group of a test's own: one master `redis-server` and one Sentinel
 * (`redis-server --sentinel`, quorum 1) watching it under `name`, on free loopback ports, the
 * Sentinel's config (which it rewrites as it runs) in a temporary folder. `url` is the
 * `REDIS_URL` that reaches the master through it (`redis-sentinel://…?master=<name>`).
 */
export class ScratchSentinel {
  private constructor(
    private readonly master: ScratchNode,
    private readonly sentinel: ScratchNode,
    private readonly dir: string,
    readonly name: string,
  ) {}

  static async start(name = 'scratch'): Promise<ScratchSentinel> {
    const dir = await mkdtemp(join(tmpdir(), 'serendip-sentinel-'));
    const [masterPort, sentinelPort] = (await freePorts(2)) as [number, number];
    const nodes: ScratchNode[] = [];
    try {
      nodes.push({ port: masterPort, child: await launch(masterPort, ['--dir', dir]) });
      const conf = join(dir, 'sentinel.conf');
      await writeFile(conf, `dir ${dir}\nsentinel monitor ${name} 127.0.0.1 ${masterPort} 1\n`);
      nodes.push({ port: sentinelPort, child: await launch(sentinelPort, [conf, '--sentinel']) });
      const knowsMaster = () =>
        ask(sentinelPort, async (redis) => ((await redis.call('SENTINEL', 'get-master-addr-by-name', name)) as string[] | null)?.[1] === String(masterPort));
      await until(knowsMaster, `the Sentinel did not name ${name}'s master`);
      return new ScratchSentinel(nodes[0]!, nodes[1]!, dir, name);
    } catch (error) {
      await tearDown(nodes, dir);
      throw error;
    }
  }

  get url(): string {
    return `redis-sentinel://127.0.0.1:${this.sentinel.port}?master=${this.name}`;
  }

  /** The master's own address, to look at it past the Sentinel. */
  get masterUrl(): string {
    return `redis://127.0.0.1:${this.master.port}`;
  }

  async stop(): Promise<void> {
    await tearDown([this.sentinel, this.master], this.dir);
  }
}
