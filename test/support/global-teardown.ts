import { dropDatabase, databaseName } from '@serendip/db';
import { dropRedisKeys } from '@serendip/testing';
import { loadConfig, commonEnv, z } from '@serendip/config';
import { rmSync } from 'node:fs';
import { readStack, STACK_FILE } from './stack-env';

export default async function globalTeardown(): Promise<void> {
  await globalThis.serendipE2eStack?.stop();
  const stack = readStack();
  const settings = loadConfig('e2e teardown', z.object(commonEnv), { ...process.env, ...stack.env });
  for (const owner of ['user', 'catalogue', 'recommendation', 'feedback'] as const) {
    await dropDatabase(settings, databaseName(settings, owner));
  }
  if (stack.env.QUEUE_PREFIX) await dropRedisKeys(settings.REDIS_URL, stack.env.QUEUE_PREFIX);
  if (stack.env.SEQUENCE_MODEL_DIR) rmSync(stack.env.SEQUENCE_MODEL_DIR, { recursive: true, force: true });
  rmSync(STACK_FILE, { force: true });
}
