import type { RedisClient } from '@serendip/config';
import { logger } from '@serendip/telemetry';

/**
 * Reports a Redis connection's outages in two lines, when it is lost and when it is back, instead
 * of ioredis's "Unhandled error event" (with a stack) on every reconnection attempt. The client
 * reconnects by itself either way; what depends on it says what it does meanwhile.
 */
export function logRedisOutages<T extends RedisClient>(client: T, label: string): T {
  let failing = false;
  client.on('error', (error: Error) => {
    if (failing) return;
    failing = true;
    logger().warn({ connection: label }, `Redis connection lost, reconnecting: ${error.message}`);
  });
  client.on('ready', () => {
    if (!failing) return;
    failing = false;
    logger().warn({ connection: label }, 'Redis connection back');
  });
  return client;
}
