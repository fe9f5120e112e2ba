import { metricValue } from '@serendip/testing';
import { randomBytes } from 'node:crypto';
// graphql-ws and ws are dependencies of the gateway, not of this package: borrow its test client.
import { gatewayWsClient } from '../../gateway/test/support/ws-client';
import { admin as signInAdmin, gatewayClient, signUp } from '../support/gateway';
import { SLATE_STEPS } from '../../subgraphs/recommendation/src/slate/slate-steps';
import { readStack } from '../support/stack-env';
import { waitFor } from '../support/wait';

const stack = readStack();

/** One process's `/metrics`, after checking that it answers in the text format. */
async function scrape(name: keyof typeof stack.metricsUrls): Promise<string> {
  const response = await fetch(stack.metricsUrls[name]);
  expect({ name, status: response.status, type: response.headers.get('content-type') }).toEqual({
    name,
    status: 200,
    type: expect.stringMatching(/^text\/plain; version=0\.0\.4/),
  });
  return response.text();
}

/** Fails naming the series and its value when it is missing (NaN) or not above zero. */
function expectPositive(text: string, series: string, labels: Record<string, string> = {}): void {
  const value = metricValue(text, series, labels);
  expect({ series, labels, value: value > 0 ? 'positive' : value }).toEqual({ series, labels, value: 'positive' });
}

describe('/metrics of every process after a short load', () => {
  it('publishes request, error, subgraph, slate, index, pool, subscription and worker series with the load counted', async () => {
    const run = randomBytes(3).toString('hex');
    const admin = await signInAdmin();
    const category = await admin.call<{ createCategory: { id: string } }>('mutation ($name: String!) { createCategory(input: { name: $name }) { id } }', {
      name: `Measured ${run}`,
    });
    const product = await admin.call<{ createProduct: { id: string } }>('mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }', {
      // A title no other e2e test searches for: the e2e files share one catalogue.
      input: {
        sku: `E2E-METRICS-${run}`,
        title: `Measured camp lantern ${run}`,
        categoryId: category.data!.createCategory.id,
        price: 120,
        currency: 'EUR',
        tags: [],
      },
    });
    expect(product.errors).toBeUndefined();
    const productId = product.data!.createProduct.id;
    const shopper = await signUp();
    const tracked = await shopper.call('mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }', {
      events: [{ type: 'VIEW', productId, sessionId: 'metrics', clientEventId: `metrics-view-${run}` }],
    });
    expect(tracked.errors).toBeUndefined();
    const slate = await shopper.call('query HomeSlate { recommendations(slot: HOME, first: 3) { recommendationId } }');
    expect(slate.errors).toBeUndefined();
    // A refusal of the feedback subgraph (BAD_USER_INPUT) and one of the gateway's own validation.
    const refused = await shopper.call('mutation ($input: SubmitReviewInput!) { submitReview(input: $input) { id } }', {
      input: { productId, rating: 9, text: 'Out of range' },
    });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await gatewayClient()('query Misspelt { noSuchField }')).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const submitted = await shopper.call<{ submitReview: { id: string } }>('mutation ($input: SubmitReviewInput!) { submitReview(input: $input) { id } }', {
      input: { productId, rating: 5, text: 'Bright, light and easy to carry on long trips.' },
    });
    expect(submitted.errors).toBeUndefined();
    // The worker's job is done once the review is no longer pending.
    await waitFor(
      'the review analysis',
      () =>
        admin.call<{ review: { analysis: { status: string } } }>('query ($id: ID!) { review(id: $id) { analysis { status } } }', {
          id: submitted.data!.submitReview.id,
        }),
      (reply) => reply.errors !== undefined || reply.data?.review.analysis.status !== 'PENDING',
    );

    // A live subscription, open while the processes are scraped, with its first slate pushed.
    const client = gatewayWsClient(stack.gatewayUrl, { authorization: `Bearer ${shopper.token}` });
    const events = client.iterate({ query: 'subscription LiveSlate { recommendationsUpdated(slot: HOME) { recommendationId } }' });
    try {
      const first = await events.next();
      expect(first.done).toBe(false);
      // A query over the same socket: counted with the HTTP ones, by transport.
      const overSocket = client.iterate({ query: 'query SocketSlate { recommendations(slot: HOME, first: 1) { recommendationId } }' });
      const answer = await overSocket.next();
      expect(answer.value?.errors).toBeUndefined();
      await overSocket.return?.(undefined);

      const gateway = await scrape('gateway');
      expectPositive(gateway, 'serendip_gateway_requests_total', { operation: 'HomeSlate', transport: 'http', outcome: 'ok' });
      expectPositive(gateway, 'serendip_gateway_requests_total', { operation: 'SocketSlate', transport: 'websocket', outcome: 'ok' });
      expectPositive(gateway, 'serendip_gateway_requests_total', { operation: 'LiveSlate', transport: 'websocket', outcome: 'stream' });
      expectPositive(gateway, 'serendip_gateway_requests_total', { operation: 'Misspelt', outcome: 'error' });
      expectPositive(gateway, 'serendip_gateway_request_duration_seconds_count', { operation: 'HomeSlate' });
      expectPositive(gateway, 'serendip_gateway_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' });
      expectPositive(gateway, 'serendip_gateway_errors_total', { code: 'BAD_USER_INPUT' });
      for (const subgraph of ['user', 'catalogue', 'recommendation', 'feedback']) {
        expectPositive(gateway, 'serendip_gateway_subgraph_duration_seconds_count', { subgraph });
      }
      expectPositive(gateway, 'serendip_gateway_subscriptions');
      expectPositive(gateway, 'serendip_gateway_subscription_pushes_total');
      expectPositive(gateway, 'process_cpu_user_seconds_total', { service: 'gateway' });
      expectPositive(gateway, 'serendip_process_memory_bytes', { service: 'gateway', process: 'gateway', kind: 'heap_used' });
      expect(metricValue(gateway, 'serendip_event_loop_lag_ms', { service: 'gateway', stat: 'p99' })).toBeGreaterThanOrEqual(0);

      for (const subgraph of ['user', 'catalogue', 'recommendation', 'feedback'] as const) {
        const text = await scrape(subgraph);
        expectPositive(text, 'serendip_graphql_request_duration_seconds_count', { service: subgraph, outcome: 'ok' });
        expectPositive(text, 'serendip_sql_queries_total', { subgraph });
        expectPositive(text, 'serendip_db_pool_connections', { service: subgraph, state: 'limit' });
        // Connections the load opened, in use or back in the pool (in_use is published, zero or not).
        expect(metricValue(text, 'serendip_db_pool_connections', { state: 'in_use' })).toBeGreaterThanOrEqual(0);
        expectPositive(text, 'serendip_db_pool_connections', { service: subgraph, state: 'idle' });
      }
      const feedback = await scrape('feedback');
      expectPositive(feedback, 'serendip_graphql_errors_total', { code: 'BAD_USER_INPUT' });
      const recommendation = await scrape('recommendation');
      expectPositive(recommendation, 'serendip_slate_duration_seconds_count', { source: 'query', slot: 'HOME', outcome: 'ok' });
      expectPositive(recommendation, 'serendip_slate_duration_seconds_count', { source: 'subscription', outcome: 'ok' });
      for (const step of SLATE_STEPS) expectPositive(recommendation, 'serendip_slate_step_seconds_count', { step });
      // The new product, embedded by the worker, reaches the index within PRODUCT_INDEX_REFRESH_MS.
      const indexed = await waitFor(
        'the product index',
        () => scrape('recommendation'),
        (text) => metricValue(text, 'serendip_product_index_size') > 0,
      );
      expectPositive(indexed, 'serendip_product_index_size');

      const worker = await scrape('worker');
      expectPositive(worker, 'serendip_worker_jobs_total', { queue: 'review-analysis', outcome: 'completed' });
      expectPositive(worker, 'serendip_worker_job_duration_seconds_count', { queue: 'review-analysis' });
      expectPositive(worker, 'serendip_inference_texts_total', { job: 'analyse-review' });
      expectPositive(worker, 'serendip_inference_batch_size_count', { job: 'analyse-review' });
      // Depth is read from Redis at each scrape; the queues may have drained, so every state is there, zero or not.
      for (const queue of ['product-embedding', 'review-analysis', 'interest-update']) {
        for (const state of ['waiting', 'active', 'delayed', 'failed']) {
          const value = metricValue(worker, 'serendip_worker_queue_jobs', { queue, state });
          expect({ queue, state, value: Number.isFinite(value) ? 'published' : value }).toEqual({ queue, state, value: 'published' });
        }
      }
      expectPositive(worker, 'process_resident_memory_bytes', { service: 'worker' });
    } finally {
      await events.return?.();
      await client.dispose();
    }
  });
});
