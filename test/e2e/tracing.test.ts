import { postGraphQL } from '@serendip/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { admin as signInAdmin, signUp } from '../support/gateway';
import type { ReceivedSpan } from '../support/otlp-receiver';
import { readStack } from '../support/stack-env';
import { waitFor } from '../support/wait';

const stack = readStack();

const SPAN_KIND = { server: 2, client: 3, producer: 4, consumer: 5 } as const;

async function spans(traceId?: string): Promise<ReceivedSpan[]> {
  const response = await fetch(traceId ? `${stack.spansUrl}?traceId=${traceId}` : stack.spansUrl);
  return (await response.json()) as ReceivedSpan[];
}

/** The span named `name` from `service`, failing with what the trace holds when there is none. */
function spanOf(trace: ReceivedSpan[], service: string, name: string): ReceivedSpan {
  const found = trace.find((span) => span.service === service && span.name === name);
  if (!found) throw new Error(`no span "${name}" from ${service} in ${JSON.stringify(trace.map((span) => `${span.service}: ${span.name}`))}`);
  return found;
}

describe('one request, one trace', () => {
  it('follows submitReview from the gateway through the feedback subgraph and its queued job into the worker', async () => {
    const run = randomBytes(3).toString('hex');
    const admin = await signInAdmin();
    const category = await admin.call<{ createCategory: { id: string } }>('mutation ($name: String!) { createCategory(input: { name: $name }) { id } }', {
      name: `Traced ${run}`,
    });
    const product = await admin.call<{ createProduct: { id: string } }>('mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }', {
      input: {
        sku: `E2E-TRACE-${run}`,
        title: `Traced trail flask ${run}`,
        categoryId: category.data!.createCategory.id,
        price: 30,
        currency: 'EUR',
        tags: [],
      },
    });
    expect(product.errors).toBeUndefined();
    const shopper = await signUp();

    // The request's id, which the gateway's span records: how this test finds the trace.
    const requestId = randomUUID();
    const submitted = await postGraphQL<{ submitReview: { id: string } }>(
      stack.gatewayUrl,
      'mutation SubmitReview($input: SubmitReviewInput!) { submitReview(input: $input) { id } }',
      { input: { productId: product.data!.createProduct.id, rating: 4, text: 'Keeps water cold all day on the trail.' } },
      { authorization: `Bearer ${shopper.token}`, 'x-request-id': requestId },
    );
    expect(submitted.errors).toBeUndefined();

    const root = await waitFor(
      "the gateway's span of the request",
      async () => (await spans()).find((span) => span.service === 'gateway' && span.attributes['serendip.request_id'] === requestId),
      (span) => span !== undefined,
    );
    // Every span of the trace, once each process has exported its own: each batches on its own
    // clock, and the worker's job runs after the request answered.
    const expected = [
      ['gateway', 'subgraph feedback'],
      ['feedback', 'enqueue analyse-review'],
      ['feedback', 'graphql mutation'],
      ['worker', 'process analyse-review'],
    ];
    const trace = await waitFor(
      'the spans of every process the request reached',
      () => spans(root!.traceId),
      (found) => expected.every(([service, name]) => found.some((span) => span.service === service && span.name.startsWith(name!))),
      30_000,
    );

    expect([...new Set(trace.map((span) => span.service))]).toEqual(expect.arrayContaining(['gateway', 'feedback', 'worker']));
    expect(root).toMatchObject({ name: 'graphql mutation SubmitReview', kind: SPAN_KIND.server, parentSpanId: '' });

    // gateway request → subgraph call → feedback's request → enqueue → the worker's job: each the child of the last.
    const call = spanOf(trace, 'gateway', 'subgraph feedback');
    const served = trace.find((span) => span.service === 'feedback' && span.kind === SPAN_KIND.server && span.parentSpanId === call.spanId);
    const enqueued = spanOf(trace, 'feedback', 'enqueue analyse-review');
    const processed = spanOf(trace, 'worker', 'process analyse-review');
    expect(call).toMatchObject({ kind: SPAN_KIND.client, parentSpanId: root!.spanId });
    expect(served).toMatchObject({
      name: expect.stringMatching(/^graphql mutation /),
      attributes: expect.objectContaining({ 'serendip.request_id': requestId }),
    });
    expect(enqueued).toMatchObject({ kind: SPAN_KIND.producer, parentSpanId: served!.spanId });
    expect(processed).toMatchObject({
      kind: SPAN_KIND.consumer,
      parentSpanId: enqueued.spanId,
      attributes: expect.objectContaining({ 'messaging.system': 'bullmq', 'messaging.destination.name': 'review-analysis' }),
    });
  });
});
