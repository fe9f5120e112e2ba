import { Cluster, Redis } from 'ioredis';
import { commonEnv, ConfigError, createRedis, loadConfig, redisTopology, z } from '../src';

describe('redisTopology', () => {
  it('gives a redis:// or rediss:// URL to ioredis as it is: one server, as before', () => {
    expect(redisTopology('redis://127.0.0.1:6379')).toEqual({ mode: 'node', url: 'redis://127.0.0.1:6379' });
    expect(redisTopology('rediss://:secret@cache.internal:6380/2')).toEqual({ mode: 'node', url: 'rediss://:secret@cache.internal:6380/2' });
  });

  it('reads a cluster URL into seed nodes, with default ports, IPv6 unbracketed, credentials and TLS for every node', () => {
    expect(redisTopology('rediss-cluster://app:p%40ss@n1.internal:7000,n2.internal,[::1]:7002')).toEqual({
      mode: 'cluster',
      nodes: [
        { host: 'n1.internal', port: 7000 },
        { host: 'n2.internal', port: 6379 },
        { host: '::1', port: 7002 },
      ],
      nodeOptions: { username: 'app', password: 'p@ss', tls: {} },
    });
    expect(redisTopology('redis-cluster://127.0.0.1:7000/0')).toEqual({ mode: 'cluster', nodes: [{ host: '127.0.0.1', port: 7000 }], nodeOptions: {} });
  });

  it('reads a Sentinel URL into the Sentinels, the master they name, its database and both passwords', () => {
    expect(redisTopology('redis-sentinel://:data@s1:26380,s2/3?master=shop&sentinelPassword=watch')).toEqual({
      mode: 'sentinel',
      options: {
        sentinels: [
          { host: 's1', port: 26380 },
          { host: 's2', port: 26379 },
        ],
        name: 'shop',
        db: 3,
        password: 'data',
        sentinelPassword: 'watch',
      },
    });
    expect(redisTopology('rediss-sentinel://s1?master=shop')).toMatchObject({ options: { tls: {}, sentinelTLS: {}, enableTLSForSentinelMode: true } });
  });

  it.each([
    ['http://127.0.0.1:6379', 'must be redis://'],
    ['not a url', 'must be redis://'],
    ['redis://a:6379,b:6379', 'names 2 servers: a list needs redis-sentinel:// or redis-cluster://'],
    ['redis://:6379', 'is not a URL'],
    ['redis-cluster://a:7000/1', 'names database 1: a cluster has only database 0'],
    ['redis-cluster://a:7000,,b:7001', 'has a bad server ""'],
    ['redis-cluster://a:99999', 'has a bad server "a:99999"'],
    ['redis-cluster://a:7000?master=x', 'has the unknown parameter "master"'],
    ['redis-sentinel://s1:26379', 'names no master: add ?master='],
    ['redis-sentinel://s1:26379/zero?master=x', 'has the path "/zero"'],
  ])('refuses %s with a ConfigError that says what is wrong', (url, problem) => {
    expect(() => redisTopology(url)).toThrow(ConfigError);
    expect(() => redisTopology(url)).toThrow(`REDIS_URL: ${problem}`);
  });
});

describe('REDIS_URL', () => {
  const schema = z.object({ REDIS_URL: commonEnv.REDIS_URL });

  it('defaults to the local server and takes any topology', () => {
    expect(loadConfig('test', schema, {}).REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(loadConfig('test', schema, { REDIS_URL: 'redis-cluster://n1:7000,n2:7001' }).REDIS_URL).toBe('redis-cluster://n1:7000,n2:7001');
  });

  it('refuses a bad one at start, naming the variable and the problem', () => {
    expect(() => loadConfig('gateway', schema, { REDIS_URL: 'redis-sentinel://s1:26379' })).toThrow(
      new ConfigError('gateway', ['REDIS_URL: names no master: add ?master=<the name Sentinel monitors it by>']),
    );
  });
});

describe('createRedis', () => {
  it('opens a Redis on one server or through Sentinel and a Cluster on a cluster, with the options asked for', () => {
    const node = createRedis('redis://127.0.0.1:6379/4', { lazyConnect: true, maxRetriesPerRequest: 1 });
    const sentinel = createRedis('redis-sentinel://127.0.0.1:26379?master=shop', { lazyConnect: true });
    const cluster = createRedis('redis-cluster://127.0.0.1:7000', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: null,
      subscriber: true,
    });
    try {
      expect(node).toBeInstanceOf(Redis);
      expect((node as Redis).options).toMatchObject({ host: '127.0.0.1', port: 6379, db: 4, maxRetriesPerRequest: 1 });
      expect((sentinel as Redis).options).toMatchObject({ sentinels: [{ host: '127.0.0.1', port: 26379 }], name: 'shop' });
      expect(cluster).toBeInstanceOf(Cluster);
      // Node-level settings go to each node's connection; sharded subscribers only where asked for.
      expect((cluster as Cluster).options).toMatchObject({ enableOfflineQueue: false, shardedSubscribers: true, redisOptions: { maxRetriesPerRequest: null } });
    } finally {
      for (const client of [node, sentinel, cluster]) client.disconnect();
    }
  });
});
