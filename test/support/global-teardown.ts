import { DATABASE_OWNERS, dropDatabase } from '@serendip/db';
import { dropRedisKeys } from '@serendip/testing';
import { loadConfig, commonEnv, mysqlAdminEnv, z } from '@serendip/config';
import { rmSync } from 'node:fs';
import { readStack, STACK_FILE } from './stack-env';

export default async function globalTeardown(): Promise<void> {
  await globalThis.serendipE2eStack?.stop();
  // After the stack, whose processes send their last spans as they stop.
  await globalThis.serendipE2eTraces?.close();
  const stack = readStack();
  const settings = loadConfig('e2e teardown', z.object({ ...commonEnv, ...mysqlAdminEnv }), { ...process.env, ...stack.env });
  // The run's databases and the accounts the set-up made for them.
  for (const owner of DATABASE_OWNERS) await dropDatabase(settings, owner);
  if (stack.env.QUEUE_PREFIX) await dropRedisKeys(settings.REDIS_URL, stack.env.QUEUE_PREFIX);
  if (stack.env.SEQUENCE_MODEL_DIR) rmSync(stack.env.SEQUENCE_MODEL_DIR, { recursive: true, force: true });
  rmSync(STACK_FILE, { force: true });
}
