import { ErrorCode } from '@serendip/federation';
import { createTestDatabases, dropTestDatabases, testEnv } from '@serendip/testing';
import { randomUUID } from 'node:crypto';
import { EventStore, EventType, InterestStore, openRecommendationDataSource, ShopperPrivacyStore, type EventRow, type SavedProfile } from '../src';
import { loadRecommendationConfig } from '../src/config';
import { SegmentStore } from '../src/segments/segment.store';
import { ShopperSignalStore } from '../src/slate/shopper-signals';

/**
 * What a slate reads of the shopper, on MariaDB: consent, forgetting, profile and segment in one
 * statement beside the newest events, and the privacy gate over them.
 */
const config = loadRecommendationConfig(testEnv());
let database: Awaited<ReturnType<typeof openRecommendationDataSource>>;
let signals: ShopperSignalStore;
let interests: InterestStore;
let privacy: ShopperPrivacyStore;

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
const event = (userId: string, productId: string, minutes: number): EventRow => ({
  userId,
  type: EventType.VIEW,
  productId,
  categoryId: '7',
  query: null,
  sessionId: 's',
  clientEventId: randomUUID(),
  occurredAt: minutesAgo(minutes),
});
const profileOf = (userId: string): SavedProfile => ({
  userId,
  profile: {
    interests: [{ centroid: new Float32Array([1, 0, 0.5]), weight: 1, strength: 3, categories: [{ id: '7', weight: 1 }], keywords: [], signals: 3 }],
    avoid: [{ centroid: new Float32Array([0, 1, 0]), strength: 0.5 }],
  },
  signals: 3,
  model: 'test',
  modelVersion: '1',
  updatedAt: new Date(Math.floor(Date.now() / 1000) * 1000),
  sequenceQueries: [{ version: 'v1', query: new Float32Array([0.25, -1]) }],
});

/** A shopper with three events, a profile and segment 2; the profile as saved, so a later second boundary cannot change its time. */
async function knownShopper(): Promise<{ userId: string; saved: SavedProfile }> {
  const userId = randomUUID();
  const saved = profileOf(userId);
  await new EventStore(database.dataSource).insertEvents([event(userId, '11', 30), event(userId, '12', 20), event(userId, '13', 10)]);
  await interests.save(saved);
  await database.dataSource.query('INSERT INTO shopper_segment (user_id, segment, assigned_at) VALUES (?, 2, NOW())', [userId]);
  return { userId, saved };
}

beforeAll(async () => {
  await createTestDatabases(config, ['recommendation']);
  database = await openRecommendationDataSource(config);
  interests = new InterestStore(database.dataSource);
  privacy = new ShopperPrivacyStore(database.dataSource);
  signals = new ShopperSignalStore(database.dataSource, interests);
});

afterAll(async () => {
  await database?.dataSource.destroy();
  await dropTestDatabases(config, ['recommendation']);
});

describe('ShopperSignalStore', () => {
  it("reads a shopper's events newest first, profile and segment as their own stores do", async () => {
    const { userId, saved } = await knownShopper();
    const read = await signals.read(userId);
    expect(read).toEqual({
      personalisation: true,
      events: await interests.recentEvents(userId),
      profile: (await interests.load([userId])).get(userId),
      segment: (await new SegmentStore(database.dataSource).segmentsOf([userId])).get(userId),
    });
    expect(read.events.map((row) => row.productId)).toEqual(['13', '12', '11']);
    expect(read.profile).toEqual(saved);
    expect(read.segment).toBe(2);
  });

  it('gives a shopper nobody knows the account default: personalised, with nothing to personalise from', async () => {
    expect(await signals.read(randomUUID())).toEqual({ personalisation: true, events: [], profile: undefined, segment: null });
  });

  it('gives nothing of the shopper once consent is withdrawn, and the whole again once it is given', async () => {
    const { userId } = await knownShopper();
    await privacy.setConsent(userId, false, new Date());
    // Withdrawal deletes the profile and segment; a racing worker may write a profile back, which must not be read.
    const racing = profileOf(userId);
    await interests.save(racing);
    expect(await signals.read(userId)).toEqual({ personalisation: false, events: [], profile: undefined, segment: null });
    await privacy.setConsent(userId, true, new Date());
    expect(await signals.read(userId)).toMatchObject({ personalisation: true, profile: racing, segment: null });
  });

  it('refuses a forgotten shopper as the API does: the account has been deleted', async () => {
    const { userId } = await knownShopper();
    await privacy.forget(userId, new Date());
    await expect(signals.read(userId)).rejects.toMatchObject({ code: ErrorCode.Forbidden });
  });
});
