import { ANONYMOUS, IDENTITY_HEADER, signIdentity, type Identity } from '@serendip/federation';
import { Topic } from '@serendip/jobs';
import { createTestDatabases, dropTestDatabases, PubSubProbe, TEST_GATEWAY_SECRET, testEnv } from '@serendip/testing';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startCatalogueSubgraph } from '../../catalogue/src/app';
import { loadCatalogueConfig } from '../../catalogue/src/config';
import { startRecommendationSubgraph } from '../src/app';
import { loadRecommendationConfig } from '../src/config';

// The subgraph as the gateway sees it: graphql-ws on /graphql, the caller's signed identity in the
// connection init payload.
// No feedback subgraph here: review quality (which reads it) is off.
const env = testEnv({ CATALOGUE_PORT: '0', RECOMMENDATION_PORT: '0', REVIEW_QUALITY_WEIGHT: '0' });
const catalogueConfig = loadCatalogueConfig(env);
let config = loadRecommendationConfig(env);
let catalogue: Awaited<ReturnType<typeof startCatalogueSubgraph>> | undefined;
let subgraph: Awaited<ReturnType<typeof startRecommendationSubgraph>> | undefined;
let probe: PubSubProbe;

const SLATE = 'subscription { recommendationsUpdated(slot: PRODUCT) { recommendationId slot items { product { id } } } }';
const shopper: Identity = { userId: '42', roles: ['shopper'] };

function connect(connectionParams: Record<string, unknown>): Client {
  return createClient({ url: subgraph!.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams });
}

beforeAll(async () => {
  await createTestDatabases(catalogueConfig, ['catalogue', 'recommendation']);
  catalogue = await startCatalogueSubgraph(catalogueConfig);
  config = loadRecommendationConfig({ ...env, CATALOGUE_URL: catalogue.url });
  subgraph = await startRecommendationSubgraph(config);
  probe = new PubSubProbe(config.REDIS_URL);
});

afterAll(async () => {
  await subgraph?.stop();
  await catalogue?.stop();
  await probe?.close();
  await dropTestDatabases(catalogueConfig, ['catalogue', 'recommendation']);
});

describe('recommendation subgraph subscriptions over graphql-ws', () => {
  it('refuses connections without an identity signed with the gateway secret', async () => {
    for (const params of [{}, { [IDENTITY_HEADER]: signIdentity('not-the-gateway-secret-at-all', shopper, 'recommendation') }]) {
      const client = connect(params);
      try {
        await expect(client.iterate({ query: SLATE }).next()).rejects.toMatchObject({ code: 4401 });
      } finally {
        await client.dispose();
      }
    }
  });

  it('refuses an anonymous caller with UNAUTHENTICATED', async () => {
    const client = connect({ [IDENTITY_HEADER]: signIdentity(TEST_GATEWAY_SECRET, ANONYMOUS, 'recommendation') });
    try {
      const result = await client.iterate({ query: SLATE }).next();
      expect(result.value).toEqual({
        errors: [expect.objectContaining({ message: 'Sign in to do this', path: ['recommendationsUpdated'], extensions: { code: 'UNAUTHENTICATED' } })],
      });
    } finally {
      await client.dispose();
    }
  });

  it('streams the shopper’s slates and, on shutdown, closes the socket and leaves the channel', async () => {
    const channel = Topic.recommendationsUpdated(shopper.userId!, config.PUBSUB_PREFIX);
    let closed: (event: unknown) => void = () => {};
    const closedWith = new Promise((resolve) => (closed = resolve));
    const client = createClient({
      url: subgraph!.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { [IDENTITY_HEADER]: signIdentity(TEST_GATEWAY_SECRET, shopper, 'recommendation') },
      on: { closed: (event) => closed(event) },
    });
    const events = client.iterate<{ recommendationsUpdated: { recommendationId: string; slot: string } }>({ query: SLATE });
    try {
      const first = await events.next();
      expect(first.value).toMatchObject({ data: { recommendationsUpdated: { slot: 'PRODUCT' } } });
      expect(await probe.publish(channel)).toBe(1);
      const second = await events.next();
      expect(second.value?.data?.recommendationsUpdated.recommendationId).not.toBe(first.value?.data?.recommendationsUpdated.recommendationId);

      await subgraph!.stop();
      subgraph = undefined;
      expect(await closedWith).toMatchObject({ code: 1001 });
      expect(await probe.subscribers(channel)).toBe(0);
    } finally {
      await client.dispose();
    }
  });
});
