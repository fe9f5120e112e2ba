import { IDENTITY_HEADER, signIdentity, type Identity } from '@serendip/federation';
import { Topic } from '@serendip/jobs';
import { createTestDatabases, dropTestDatabases, errorCodes, sqlStatements, subgraphClient, TEST_GATEWAY_SECRET, testEnv } from '@serendip/testing';
import { createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { EventStore, EventType, InterestStore, type EventRow, type SavedProfile } from '../src';
import { startRecommendationSubgraph } from '../src/app';
import { loadRecommendationConfig } from '../src/config';

/**
 * Consent in every field that personalises, on MariaDB and Redis: a shopper with a history, an
 * interest profile and slates withdraws consent, and a racing worker writes their profile back
 * (as one that was mid-job could); every field must then answer as for a shopper nobody knows.
 * No catalogue runs: events are stored directly, as the importer stores them.
 */
const env = testEnv({ RECOMMENDATION_PORT: '0', REVIEW_QUALITY_WEIGHT: '0', SEGMENT_REFRESH_MS: '0' });
const config = loadRecommendationConfig(env);
let subgraph: Awaited<ReturnType<typeof startRecommendationSubgraph>>;
let call: ReturnType<typeof subgraphClient>;

const ADMIN: Identity = { userId: randomUUID(), roles: ['admin'] };
/** The user subgraph, which carries consent here (ServiceClient). */
const SERVICE: Identity = { userId: null, roles: ['service'], service: 'user' };
const shopper = (userId: string): Identity => ({ userId, roles: ['shopper'] });
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

/** Category 7 holds the shopper's history; category 8 is what everybody else buys. */
const event = (userId: string, type: EventType, productId: string, categoryId: string, minutes: number): EventRow => ({
  userId,
  type,
  productId,
  categoryId,
  query: null,
  sessionId: 's',
  clientEventId: randomUUID(),
  occurredAt: minutesAgo(minutes),
});

const profileOf = (userId: string): SavedProfile => ({
  userId,
  profile: {
    interests: [
      {
        centroid: new Float32Array([1, 0, 0, 0]),
        weight: 1,
        strength: 5,
        categories: [{ id: '7', weight: 1 }],
        keywords: [{ term: 'lanterns', weight: 1 }],
        signals: 2,
      },
    ],
    avoid: [],
  },
  signals: 2,
  model: 'test',
  modelVersion: '1',
  updatedAt: new Date(),
  sequenceQueries: [],
});

const USER_FIELDS = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on User {
  id recommendations(first: 50) { product { id } source reason }
  interestProfile { interests { label } }
  segment { segment }
  behaviourSummary { personalisation interests { label } profileUpdatedAt segment { segment } signals { events { type count } } }
} } }`;
interface UserFields {
  id: string;
  recommendations: { product: { id: string }; source: string; reason: string }[];
  interestProfile: { interests: { label: string }[] } | null;
  segment: { segment: number } | null;
  behaviourSummary: {
    personalisation: boolean;
    interests: { label: string }[];
    profileUpdatedAt: string | null;
    segment: { segment: number } | null;
    signals: { events: { type: string; count: number }[] };
  };
}
const userFields = async (userIds: string[], identity: Identity): Promise<UserFields[]> => {
  const reply = await call<{ _entities: UserFields[] }>(USER_FIELDS, { reps: userIds.map((id) => ({ __typename: 'User', id })) }, identity);
  expect(reply.errors).toBeUndefined();
  return reply.data!._entities;
};

const SLATE = 'query { recommendations(slot: HOME, first: 10) { personalised items { source reason } } }';
type Slate = { personalised: boolean; items: { source: string; reason: string }[] };

const setConsent = async (userId: string, personalisation: boolean) => {
  const reply = await call(
    'mutation ($userId: ID!, $on: Boolean!) { recordConsent(userId: $userId, personalisation: $on) }',
    { userId, on: personalisation },
    SERVICE,
  );
  expect(reply.errors).toBeUndefined();
};

const countRows = async (table: string, userId: string): Promise<number> => {
  const [row]: { n: string | number }[] = await subgraph.dataSource.query(`SELECT COUNT(*) AS n FROM \`${table}\` WHERE user_id = ?`, [userId]);
  return Number(row!.n);
};

beforeAll(async () => {
  await createTestDatabases(config, ['recommendation']);
  subgraph = await startRecommendationSubgraph(config);
  call = subgraphClient(subgraph.url);
  const crowd = [randomUUID(), randomUUID(), randomUUID()];
  await new EventStore(subgraph.dataSource).insertEvents(
    crowd.flatMap((userId, index) => [
      event(userId, EventType.PURCHASE, '801', '8', 30 + index),
      event(userId, EventType.PURCHASE, '802', '8', 20 + index),
      event(userId, EventType.VIEW, '701', '7', 10 + index),
    ]),
  );
});

afterAll(async () => {
  await subgraph?.stop();
  await dropTestDatabases(config, ['recommendation']);
});

describe('consent in every personalised field', () => {
  it('answers a shopper who withdrew consent as it answers a stranger, even when a racing worker wrote their profile back', async () => {
    const userId = randomUUID();
    const stranger = randomUUID();
    await new EventStore(subgraph.dataSource).insertEvents([event(userId, EventType.VIEW, '701', '7', 5), event(userId, EventType.PURCHASE, '702', '7', 4)]);
    const interests = new InterestStore(subgraph.dataSource);
    await interests.save(profileOf(userId));

    // With consent every field reads the shopper: the setting below is one where leaks would show.
    const [before] = await userFields([userId], shopper(userId));
    expect(before!.recommendations[0]).toMatchObject({ source: 'popular-in-category', reason: 'Popular in a category you bought from' });
    expect(before!.recommendations.map((item) => item.product.id)).not.toContain('702');
    expect(before!.interestProfile?.interests).toEqual([{ label: 'lanterns' }]);
    expect(before!.behaviourSummary).toMatchObject({ personalisation: true, interests: [{ label: 'lanterns' }] });
    expect((await call<{ recommendations: Slate }>(SLATE, {}, shopper(userId))).data!.recommendations.personalised).toBe(true);

    await setConsent(userId, false);
    expect(await countRows('interest_profile', userId)).toBe(0);
    await interests.save(profileOf(userId));

    // Both in one request, so both rankings read the same popularity.
    const [mine, strangers] = await userFields([userId, stranger], ADMIN);
    expect(mine!.recommendations).toEqual(strangers!.recommendations);
    expect(mine!.recommendations.length).toBeGreaterThan(0);
    expect(mine!.recommendations.every((item) => item.source === 'popular' && item.reason === 'Popular with Serendip shoppers')).toBe(true);
    expect(mine!.interestProfile).toBeNull();
    expect(mine!.segment).toBeNull();
    expect(mine!.behaviourSummary).toMatchObject({ personalisation: false, interests: [], profileUpdatedAt: null, segment: null });
    // What is stored stays visible to its owner: it is their data, not a personalisation.
    expect(mine!.behaviourSummary.signals.events).toEqual(
      expect.arrayContaining([
        { type: 'VIEW', count: 1 },
        { type: 'PURCHASE', count: 1 },
      ]),
    );
    const [self] = await userFields([userId], shopper(userId));
    expect(self!.recommendations).toEqual(strangers!.recommendations);

    const slate = (await call<{ recommendations: Slate }>(SLATE, {}, shopper(userId))).data!.recommendations;
    expect(slate.personalised).toBe(false);
    for (const item of slate.items) expect(['trending', 'fresh']).toContain(item.source);

    // Nothing to remove without consent, and the refusal writes nothing.
    const suppressions = await countRows('interest_suppression', userId);
    const removed = await call('mutation { removeInterest(index: 0) { interests { label } } }', {}, shopper(userId));
    expect(removed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'index' });
    expect(await countRows('interest_suppression', userId)).toBe(suppressions);
    expect((await interests.load([userId])).get(userId)?.profile.interests).toHaveLength(1);

    // Consent given again: the shopper's own data shapes their answers once more.
    await setConsent(userId, true);
    const [again] = await userFields([userId], shopper(userId));
    expect(again!.recommendations[0]?.source).toBe('popular-in-category');
    expect(again!.interestProfile).not.toBeNull();
  });

  it('reads consent for a whole request at once, however many shoppers and personalised fields it holds', async () => {
    const userIds = Array.from({ length: 12 }, () => randomUUID());
    await new EventStore(subgraph.dataSource).insertEvents(userIds.map((userId, index) => event(userId, EventType.VIEW, '701', '7', index)));
    for (const userId of userIds.slice(0, 6)) await setConsent(userId, false);
    const query = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { recommendations { source } interestProfile { signals } segment { segment } } } }`;
    const ask = async (ids: string[]) => {
      const reply = await call<{ _entities: { recommendations: { source: string }[] }[] }>(
        query,
        { reps: ids.map((id) => ({ __typename: 'User', id })) },
        ADMIN,
      );
      expect(reply.errors).toBeUndefined();
      return { statements: sqlStatements(reply), sources: reply.data!._entities.map((user) => user.recommendations[0]?.source) };
    };
    const two = await ask([userIds[0]!, userIds[11]!]);
    const twelve = await ask(userIds);
    expect(twelve.statements).toBe(two.statements);
    expect(twelve.sources).toEqual([...Array<string>(6).fill('popular'), ...Array<string>(6).fill('popular-in-category')]);
  });

  it('has open live subscriptions push a non-personalised slate as soon as consent is withdrawn', async () => {
    const userId = randomUUID();
    const client = createClient({
      url: subgraph.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { [IDENTITY_HEADER]: signIdentity(TEST_GATEWAY_SECRET, shopper(userId), 'recommendation') },
    });
    const listener = new Redis(config.REDIS_URL);
    const notices: string[] = [];
    listener.on('message', (channel: string) => notices.push(channel));
    await listener.subscribe(Topic.recommendationsUpdated(userId, config.PUBSUB_PREFIX));
    const events = client.iterate<{ recommendationsUpdated: { personalised: boolean } }>({
      query: 'subscription { recommendationsUpdated { personalised } }',
    });
    try {
      expect((await events.next()).value).toEqual({ data: { recommendationsUpdated: { personalised: true } } });
      await setConsent(userId, false);
      expect((await events.next()).value).toEqual({ data: { recommendationsUpdated: { personalised: false } } });
      expect(notices).toEqual([Topic.recommendationsUpdated(userId, config.PUBSUB_PREFIX)]);
    } finally {
      await events.return?.();
      await client.dispose();
      listener.disconnect();
    }
  });

  it('refuses consent records from anyone but a service, writing nothing', async () => {
    const userId = randomUUID();
    const reply = await call('mutation ($userId: ID!) { recordConsent(userId: $userId, personalisation: false) }', { userId }, shopper(userId));
    expect(errorCodes(reply)).toEqual(['FORBIDDEN']);
    expect(await countRows('shopper_privacy', userId)).toBe(0);
  });
});
