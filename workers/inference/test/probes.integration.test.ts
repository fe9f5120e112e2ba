import { Probes, startProbeServer } from '@serendip/federation';
import { QueueName } from '@serendip/jobs';
import { dropRedisKeys, OutageRelay, testSecrets } from '@serendip/testing';
import { loadWorkerConfig, startWorker, type RunningWorker } from '../src';
import { FAKE_HANDLERS, REDIS_URL, uniquePrefix, waitFor } from './queue-helpers';

/**
 * The worker's probe server, as `main.ts` starts it on WORKER_HEALTH_PORT: liveness while the
 * process answers, readiness while its queues are served and Redis answers. Redis is cut through
 * a relay of the test's own, so the shared server is never touched.
 */
describe('worker probes', () => {
  const prefix = uniquePrefix();
  let relay: OutageRelay;
  let worker: RunningWorker;
  let probes: Probes;
  let server: Awaited<ReturnType<typeof startProbeServer>>;

  beforeAll(async () => {
    relay = await OutageRelay.start(REDIS_URL);
    worker = await startWorker(
      loadWorkerConfig({
        ...testSecrets(),
        REDIS_URL: relay.url,
        QUEUE_PREFIX: prefix,
        WORKER_PRODUCT_EMBEDDINGS: 'off',
        LOG_LEVEL: 'error',
        WORKER_QUEUES: QueueName.ProductEmbedding,
        WORKER_HANDLER_MODULE: FAKE_HANDLERS,
      }),
    );
    probes = new Probes('worker', worker.readiness);
    server = await startProbeServer(probes, '127.0.0.1', 0);
  });

  afterAll(async () => {
    await server.stop();
    await worker.stop();
    await relay.stop();
    await dropRedisKeys(REDIS_URL, prefix);
  });

  const status = async (path: '/healthz' | '/readyz') => (await fetch(`${server.url}${path}`)).status;

  it('is live and ready while it serves its queues, unready while Redis is cut and ready again once it is back', async () => {
    expect(await status('/healthz')).toBe(200);
    expect(await status('/readyz')).toBe(200);

    await relay.cut();
    await waitFor('readiness to fail without Redis', async () => ((await status('/readyz')) === 503 ? true : undefined));
    expect(await status('/healthz')).toBe(200);

    await relay.restore();
    await waitFor('readiness to come back with Redis', async () => ((await status('/readyz')) === 200 ? true : undefined));
  }, 60_000);

  it('is unready once it starts draining, while still live', async () => {
    probes.drain();
    expect(await status('/readyz')).toBe(503);
    expect(await status('/healthz')).toBe(200);
  });
});
