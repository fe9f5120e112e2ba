import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig, z } from '@serendip/config';
import { postGraphQL, testSecrets } from '@serendip/testing';
import { loadDbSetupConfig, setUpDatabases } from '../../scripts/db-setup';
import { LOOPBACK_CLIENT_LIMITS, startStack, stackEnv, type StackPorts, type RunningStack } from '../../scripts/stack';
import { adminRolesEnv, withAdminRoles } from '../../subgraphs/user/src';
import { E2E_ADMINS, STACK_FILE, type E2eStack } from './stack-env';
import { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver';

declare global {
  var serendipE2eStack: RunningStack | undefined;
  var serendipE2eTraces: OtlpReceiver | undefined;
}

/**
 * Starts the whole platform once for the e2e project: every subgraph and the gateway as real
 * processes, on their own ports and a throwaway database prefix, so a demo on the default ports
 * keeps running beside the tests.
 */
export default async function globalSetup(): Promise<void> {
  const base = 14000 + (process.pid % 500) * 10;
  const ports: StackPorts = { gateway: base, user: base + 1, catalogue: base + 2, recommendation: base + 3, feedback: base + 4, worker: base + 5 };
  // Every process exports its spans to an in-memory receiver here (test/e2e/tracing.test.ts reads them).
  const traces = await startOtlpReceiver();
  globalThis.serendipE2eTraces = traces;
  const extra = {
    ...LOOPBACK_CLIENT_LIMITS,
    NODE_ENV: 'test',
    // Secrets of this run alone: tests that sign tokens themselves read them from the stack file.
    ...testSecrets(),
    MYSQL_DATABASE_PREFIX: `e2e_${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: 'warn',
    OTEL_EXPORTER_OTLP_ENDPOINT: traces.endpoint,
    // Spans reach the receiver within half a second of ending rather than five.
    OTEL_BSP_SCHEDULE_DELAY: '500',
    QUEUE_PREFIX: `e2e_${randomBytes(4).toString('hex')}`,
    // Pub/sub channels too: user ids repeat between runs, so parallel runs would hear each other.
    PUBSUB_PREFIX: `e2e_${randomBytes(4).toString('hex')}`,
    // Products created by a test become searchable by meaning within half a second.
    SEMANTIC_INDEX_REFRESH_MS: '500',
    // And reach the recommendation index as quickly.
    PRODUCT_INDEX_REFRESH_MS: '500',
    // Sequence models: a folder of this run's own, a new version reaching every process within a
    // second (not faster: each registry read is SQL that tests counting a request's statements see), no daily schedule (tests start retrains themselves), and a model small
    // enough to train in seconds on the few shoppers a test creates.
    SEQUENCE_MODEL_DIR: join(dirname(STACK_FILE), `e2e-sequence-models-${randomBytes(4).toString('hex')}`),
    SEQUENCE_MODEL_POLL_MS: '1000',
    SEQUENCE_RETRAIN_EVERY_MS: '0',
    SEQUENCE_MIN_SHOPPERS: '5',
    SEQUENCE_MIN_EVENTS: '20',
    // The epoch cap in SEQUENCE_TRAINER_ARGS ends training, not this budget: a budget that binds
    // trains fewer epochs on a busy machine, and tests that rank by the model's scores then vary.
    SEQUENCE_TRAIN_MINUTES: '3',
    SEQUENCE_TRAINER_ARGS: '--dim 16 --layers 1 --max-len 10 --dropout 0.1 --lr 0.01 --batch 16 --max-epochs 30 --patience 30',
  };
  // The databases and their accounts, made as `pnpm db:setup` makes them; the processes never get the admin account.
  await setUpDatabases(loadDbSetupConfig({ ...process.env, ...extra }));
  const env = stackEnv(ports, extra);
  const log: string[] = [];
  const stack = await startStack({ env, ports, onOutput: (name, line) => log.push(`[${name}] ${line}`) }).catch(async (error: unknown) => {
    console.error(log.slice(-50).join('\n'));
    await traces.close();
    throw error;
  });
  globalThis.serendipE2eStack = stack;
  const url = (port: number) => `http://127.0.0.1:${port}/graphql`;
  try {
    // The e2e admins sign up like anyone, then get the role the operator's way (pnpm admin:grant's code).
    for (const account of E2E_ADMINS) {
      const signedUp = await postGraphQL(url(ports.gateway), 'mutation ($input: SignUpInput!) { signUp(input: $input) { token } }', {
        input: { ...account, displayName: 'E2E Admin' },
      });
      if (signedUp.errors) throw new Error(`the e2e admin ${account.email} could not sign up: ${JSON.stringify(signedUp.errors)}`);
      await withAdminRoles(loadConfig('e2e setup', z.object(adminRolesEnv), env), (roles) => roles.grant(account.email));
    }
  } catch (error) {
    await stack.stop();
    await traces.close();
    throw error;
  }
  const description: E2eStack = {
    gatewayUrl: url(ports.gateway),
    subgraphUrls: { user: url(ports.user), catalogue: url(ports.catalogue), recommendation: url(ports.recommendation), feedback: url(ports.feedback) },
    metricsUrls: Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, `http://127.0.0.1:${port}/metrics`])) as E2eStack['metricsUrls'],
    env: { ...extra, ...Object.fromEntries(Object.entries(stackEnv(ports)).filter(([key]) => /_(PORT|URL)$/.test(key))) },
    pids: [...stack.children.values()].map((child) => child.pid ?? 0),
    spansUrl: traces.spansUrl,
  };
  mkdirSync(dirname(STACK_FILE), { recursive: true });
  // Owner-only, as it holds the run's secrets.
  writeFileSync(STACK_FILE, JSON.stringify(description, null, 2), { mode: 0o600 });
}
