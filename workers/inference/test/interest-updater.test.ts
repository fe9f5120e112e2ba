import { encodeVector, type EmbedTextPayload } from '@serendip/jobs';
import { InterestUpdater } from '../src/interest/interest-updater';
import type { InterestSources, ShopperEvent, ShopperInterestProfile } from '../src/interest/interest-sources';

/**
 * The interest updater against fakes of its narrow interfaces: what it reads, what it keeps and
 * when it announces. interest-updater.integration.test.ts runs it on the subgraphs' databases.
 */
const unit = (axis: number) => Float32Array.from({ length: 4 }, (_, index) => (index === axis ? 1 : 0));
const NOW = new Date('2025-06-01T12:00:00Z');
const SETTINGS = {
  weights: { PURCHASE: 5, CART: 3, CLICK: 2, VIEW: 1, SEARCH: 1.5 },
  halfLifeDays: 14,
  maxInterests: 5,
  skippedImpressionWeight: -0.3,
  badReviewWeight: -4,
  model: { name: 'm', version: '1' },
};

function fakes(options: { consent: boolean; events: ShopperEvent[] }) {
  const saved: ShopperInterestProfile[] = [];
  const removed: string[] = [];
  const announced: [string, Date][] = [];
  const embedded: string[] = [];
  const sources: InterestSources = {
    shoppers: {
      personalisation: async () => options.consent,
      recentEvents: async () => options.events,
      skippedProducts: async () => [],
      removedDirections: async () => [],
      saveProfile: async (profile) => void saved.push(profile),
      removeProfile: async (userId) => void removed.push(userId),
    },
    products: {
      vectorsOf: async (model, version, ids) =>
        new Map(model === 'm' && version === '1' ? ids.filter((id) => id !== 'unembedded').map((id) => [id, unit(Number(id) % 4)]) : []),
      texts: async (ids) => ids.map((productId) => ({ productId, text: `Trail running shoes ${productId} | Brand | Sport` })),
    },
    reviews: { lowRated: async () => [] },
    announcer: { announce: async (userId, at) => void announced.push([userId, at]) },
  };
  const embedTexts = async (payloads: EmbedTextPayload[]) =>
    payloads.map((payload) => (embedded.push(payload.text), { embedding: encodeVector(unit(3)), model: 'm', version: '1' }));
  return { updater: new InterestUpdater(sources, embedTexts, SETTINGS), saved, removed, announced, embedded };
}

const event = (type: ShopperEvent['type'], productId: string | null, query: string | null = null): ShopperEvent => ({
  type,
  productId,
  categoryId: productId ? 'c1' : null,
  query,
  occurredAt: new Date(NOW.getTime() - 3_600_000),
});

describe('InterestUpdater (fakes)', () => {
  it('keeps the profile built from the events whose products have vectors, then announces it', async () => {
    const { updater, saved, removed, announced, embedded } = fakes({
      consent: true,
      events: [event('PURCHASE', '4'), event('VIEW', '8'), event('VIEW', 'unembedded'), event('SEARCH', null, 'running shoes')],
    });
    const result = await updater.update('u1', NOW);
    expect(saved).toHaveLength(1);
    expect(result).toEqual({ interests: saved[0]!.profile.interests.length, signals: 3 });
    expect(saved[0]).toMatchObject({ userId: 'u1', signals: 3, model: 'm', modelVersion: '1', updatedAt: NOW });
    expect(saved[0]!.profile.interests.length).toBeGreaterThan(0);
    expect(embedded).toEqual(['running shoes']);
    expect(removed).toEqual([]);
    expect(announced).toEqual([['u1', NOW]]);
  });

  it('builds nothing, removes what is left and announces nothing without consent', async () => {
    const { updater, saved, removed, announced } = fakes({ consent: false, events: [event('PURCHASE', '4')] });
    await expect(updater.update('u2', NOW)).resolves.toEqual({ interests: 0, signals: 0 });
    expect(saved).toEqual([]);
    expect(removed).toEqual(['u2']);
    expect(announced).toEqual([]);
  });
});
