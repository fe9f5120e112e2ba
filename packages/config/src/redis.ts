import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { z } from 'zod';
import { ConfigError } from './config-error';

/** A server, host and port, of a Sentinel group or a cluster. */
export interface RedisAddress {
  host: string;
  port: number;
}

/**
 * How the processes reach Redis, as `REDIS_URL` says (docs/operations.md "Redis topologies"):
 * - `node`: one server, `redis://` or `rediss://` (TLS), the URL given to ioredis as it is;
 * - `sentinel`: the master a Sentinel group names, `redis-sentinel://` or `rediss-sentinel://`;
 * - `cluster`: a Redis Cluster found from some of its nodes, `redis-cluster://` or `rediss-cluster://`.
 */
export type RedisTopology =
  { mode: 'node'; url: string } | { mode: 'sentinel'; options: RedisOptions } | { mode: 'cluster'; nodes: RedisAddress[]; nodeOptions: RedisOptions };

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const DEFAULT_PORTS = { sentinel: 26379, cluster: 6379 } as const;
const SHAPES = {
  node: 'redis://[[user]:password@]host[:port][/db]',
  sentinel: 'redis-sentinel://[[user]:password@]host[:port][,host[:port]…][/db]?master=<name>[&sentinelPassword=<password>]',
  cluster: 'redis-cluster://[[user]:password@]host[:port][,host[:port]…]',
} as const;
const URL_PATTERN = /^(rediss?)(?:-(sentinel|cluster))?:\/\/(?:([^@/?#]*)@)?([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/;

/** The topology `url` names, or what is wrong with it. */
function parse(url: string): RedisTopology | string {
  const match = URL_PATTERN.exec(url);
  if (!match) return `must be ${SHAPES.node}, ${SHAPES.sentinel} or ${SHAPES.cluster} (rediss… for TLS)`;
  const [, scheme, kind, userinfo, hostList, path, query] = match;
  const mode = (kind ?? 'node') as keyof typeof SHAPES;
  const entries = hostList!.split(',');
  if (mode === 'node') {
    if (entries.length > 1) return `names ${entries.length} servers: a list needs redis-sentinel:// or redis-cluster://`;
    try {
      if (new URL(url).hostname === '') return `names no host: ${SHAPES.node}`;
    } catch {
      return `is not a URL: ${SHAPES.node}`;
    }
    return { mode, url };
  }
  const nodes: RedisAddress[] = [];
  for (const entry of entries) {
    const address = parseAddress(entry, DEFAULT_PORTS[mode]);
    if (!address) return `has a bad server "${entry}": ${SHAPES[mode]}`;
    nodes.push(address);
  }
  const db = path === undefined || path === '/' ? 0 : /^\/\d+$/.test(path) ? Number(path.slice(1)) : null;
  if (db === null) return `has the path "${path}" where a database number may be: ${SHAPES[mode]}`;
  const tls = scheme === 'rediss';
  const credentials = parseCredentials(userinfo);
  const parameters = new URLSearchParams(query ?? '');
  const allowed: string[] = mode === 'sentinel' ? ['master', 'sentinelPassword'] : [];
  const unknown = [...parameters.keys()].find((name) => !allowed.includes(name));
  if (unknown !== undefined) return `has the unknown parameter "${unknown}": ${SHAPES[mode]}`;
  if (mode === 'cluster') {
    // A cluster serves database 0 alone; SELECT fails on it.
    if (db !== 0) return `names database ${db}: a cluster has only database 0`;
    return { mode, nodes, nodeOptions: { ...credentials, ...(tls && { tls: {} }) } };
  }
  const master = parameters.get('master');
  if (!master) return `names no master: add ?master=<the name Sentinel monitors it by>`;
  const sentinelPassword = parameters.get('sentinelPassword');
  return {
    mode,
    options: {
      sentinels: nodes,
      name: master,
      db,
      ...credentials,
      ...(sentinelPassword && { sentinelPassword }),
      ...(tls && { tls: {}, sentinelTLS: {}, enableTLSForSentinelMode: true }),
    },
  };
}

function parseAddress(entry: string, defaultPort: number): RedisAddress | null {
  if (entry === '') return null;
  try {
    const { hostname, port, pathname, username, password } = new URL(`redis://${entry}`);
    if (hostname === '' || pathname !== '' || username !== '' || password !== '') return null;
    // ioredis wants an IPv6 address without the URL's brackets.
    return { host: hostname.replace(/^\[(.*)\]$/, '$1'), port: port === '' ? defaultPort : Number(port) };
  } catch {
    return null;
  }
}

/** `user:password`, `:password` or nothing, percent-decoded as in any URL. */
function parseCredentials(userinfo: string | undefined): Pick<RedisOptions, 'username' | 'password'> {
  if (!userinfo) return {};
  const colon = userinfo.indexOf(':');
  const username = decodeURIComponent(colon < 0 ? userinfo : userinfo.slice(0, colon));
  const password = colon < 0 ? '' : decodeURIComponent(userinfo.slice(colon + 1));
  return { ...(username && { username }), ...(password && { password }) };
}

/** The topology `url` names; a `ConfigError` naming `REDIS_URL` when it names none. */
export function redisTopology(url: string): RedisTopology {
  const parsed = parse(url);
  if (typeof parsed === 'string') throw new ConfigError('redis', [`REDIS_URL: ${parsed}`]);
  return parsed;
}

/**
 * The `REDIS_URL` setting: where every process finds Redis. A bad one is refused at start with
 * the shapes it may take, like any other setting.
 */
export const redisUrlSetting = z
  .string()
  .superRefine((url, context) => {
    const parsed = parse(url);
    if (typeof parsed === 'string') context.addIssue({ code: 'custom', message: parsed });
  })
  .default(DEFAULT_REDIS_URL);

/** A connection to Redis, whatever its topology. */
export type RedisClient = Redis | Cluster;

/** What a caller chooses about one connection; the rest comes from `REDIS_URL`. */
export interface RedisClientOptions {
  /** Connect on `connect()` or the first command, rather than at once. @default false */
  lazyConnect?: boolean;
  /** Keep commands while disconnected and send them on reconnecting; false fails them at once. @default true */
  enableOfflineQueue?: boolean;
  /** Reconnections a command waits through before it fails; null waits without end (what BullMQ's blocking reads need). @default 20 */
  maxRetriesPerRequest?: number | null;
  /**
   * The connection listens on channels (`subscribe`). On a cluster that opens one more connection
   * per master, to SSUBSCRIBE each channel on the shard that owns it. @default false
   */
  subscriber?: boolean;
}

/** The one way a process opens a Redis connection: a `Redis` on one server or through Sentinel, a `Cluster` on a cluster. */
export function createRedis(url: string, options: RedisClientOptions = {}): RedisClient {
  const { subscriber, ...connection } = options;
  const topology = redisTopology(url);
  switch (topology.mode) {
    case 'node':
      return new Redis(topology.url, connection);
    case 'sentinel':
      return new Redis({ ...topology.options, ...connection });
    case 'cluster': {
      const { maxRetriesPerRequest, ...cluster } = connection;
      return new Cluster(topology.nodes, {
        ...cluster,
        shardedSubscribers: subscriber === true,
        redisOptions: { ...topology.nodeOptions, ...(maxRetriesPerRequest !== undefined && { maxRetriesPerRequest }) },
      });
    }
  }
}

/**
 * Pub/sub on every topology, so its callers never ask which: on a cluster sharded (SPUBLISH to the
 * channel's shard, whose subscribers alone receive it, rather than PUBLISH broadcast over the
 * cluster bus to every node; a channel hashes to a slot as a key does), elsewhere classic. A
 * subscriber's client must be opened with `subscriber: true`.
 */
export const pubsub = {
  /** Resolves to the number of connections that received the message (those of the channel's shard on a cluster). */
  publish: async (client: RedisClient, channel: string, message: string): Promise<number> =>
    (client.isCluster ? await client.spublish(channel, message) : await client.publish(channel, message)) as number,
  /** Settles once Redis has confirmed the subscription. */
  subscribe: (client: RedisClient, channel: string): Promise<unknown> => (client.isCluster ? client.ssubscribe(channel) : client.subscribe(channel)),
  unsubscribe: (client: RedisClient, channel: string): Promise<unknown> => (client.isCluster ? client.sunsubscribe(channel) : client.unsubscribe(channel)),
  /** Calls `listener` with each message of any channel the client subscribes to. */
  onMessage: (client: RedisClient, listener: (channel: string, message: string) => void): void => {
    client.on(client.isCluster ? 'smessage' : 'message', listener);
  },
};
