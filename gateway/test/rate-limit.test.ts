import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { RedisRateCounter } from '../src/rate-limit.plugin';

describe('RedisRateCounter', () => {
  it('counts per key and window, refusing past the limit with the seconds left in the window', async () => {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const prefix = `t_${randomBytes(4).toString('hex')}`;
    const counter = new RedisRateCounter(redis, prefix, 'a key secret of some length', () => undefined);
    try {
      const start = 1_800_000_000_000; // a window boundary for 60 s windows
      expect(await counter.hit('auth:1.2.3.4', 2, 60, start + 15_000)).toBeNull();
      expect(await counter.hit('auth:1.2.3.4', 2, 60, start + 16_000)).toBeNull();
      expect(await counter.hit('auth:1.2.3.4', 2, 60, start + 17_500)).toEqual({ limit: 'auth', retryAfter: 43 });
      // Another key, and the next window, start again.
      expect(await counter.hit('auth:5.6.7.8', 2, 60, start + 18_000)).toBeNull();
      expect(await counter.hit('auth:1.2.3.4', 2, 60, start + 60_000)).toBeNull();
      // Whom a count is about is an HMAC, never the address, id or email itself.
      expect(await counter.hit('account:victim@example.test', 5, 60, start)).toBeNull();
      const keys = await redis.keys(`${prefix}:*`);
      expect(keys).toHaveLength(4);
      expect(keys.every((key) => /^t_[0-9a-f]{8}:rate:(auth|account):[0-9a-f]{24}:\d+$/.test(key))).toBe(true);
    } finally {
      redis.disconnect();
    }
  });

  it('lets requests through, and says so once, while Redis is unreachable', async () => {
    const redis = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => null });
    const messages: string[] = [];
    const counter = new RedisRateCounter(redis, 't_down', 'a key secret of some length', (message) => messages.push(message));
    try {
      expect(await counter.hit('address:1.2.3.4', 0, 60)).toBeNull();
      expect(await counter.hit('address:1.2.3.4', 0, 60)).toBeNull();
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(/^rate limits not enforced, Redis unavailable: /);
    } finally {
      redis.disconnect();
    }
  });
});
