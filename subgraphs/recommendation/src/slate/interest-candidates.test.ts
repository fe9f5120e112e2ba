import { normalise, sampleNormal, seededRng, type InterestProfile } from '@serendip/recsys';
import { InnerProductIndex, ProductIndex } from '@serendip/vectors';
import type { CooccurrenceStore } from '../cooccurrence/cooccurrence.store';
import { EventType } from '../event/event-type';
import type { SavedProfile } from '../interest/interest.store';
import type { PopularityStore } from '../popularity/popularity.store';
import type { TransitionStore } from '../transitions/transition.store';
import { CandidateGatherer } from './candidate-gatherer';

const DIMENSION = 16;
const rng = seededRng(31);
const unit = () => normalise(Array.from({ length: DIMENSION }, () => sampleNormal(rng)));

function indexOf(count: number): ProductIndex {
  const index = new ProductIndex({ dimension: DIMENSION });
  index.upsert(Array.from({ length: count }, (_, i) => ({ productId: String(i + 1), categoryId: 'c', createdAt: new Date(i), vector: unit() })));
  return index;
}

function saved(updatedAt: Date): SavedProfile {
  const profile: InterestProfile = {
    interests: [0.6, 0.4].map((weight) => ({ centroid: unit(), weight, strength: weight, categories: [], keywords: [], signals: 3 })),
    avoid: [],
  };
  return { userId: 'shopper-1', profile, signals: 6, model: 'm', modelVersion: '1', updatedAt, sequenceQueries: [] };
}

/** Item-to-item and trending sources answer nothing here: this is about the interest searches. */
function gatherer(cacheMs: number): CandidateGatherer {
  const cooccurrence = { partners: () => Promise.resolve([]) } as unknown as CooccurrenceStore;
  const transitions = { followers: () => Promise.resolve([]) } as unknown as TransitionStore;
  const popularity = { trending: () => Promise.resolve([]) } as unknown as PopularityStore;
  return new CandidateGatherer(cooccurrence, transitions, popularity, cacheMs);
}

describe("a shopper's kept interest candidates", () => {
  const view = (productId: string) => ({ type: EventType.VIEW, productId, categoryId: null, query: null, occurredAt: new Date(0) });

  it('are what a new search finds, and are searched again when the profile, the index or the exclusions change', async () => {
    const index = indexOf(300);
    const searches = jest.spyOn(index, 'search');
    const kept = gatherer(60_000);
    const fresh = gatherer(0);
    let profile = saved(new Date(1000));
    let events = [view('1')];
    let excludeIds: string[] = [];
    const gather = async (from: CandidateGatherer) => (await from.gather({ index, events, profile, sequence: null, excludeIds })).sources.interest;
    const expectKeptToMatch = async (searchesIfKept: number) => {
      const before = searches.mock.calls.length;
      const got = await gather(kept);
      expect(searches.mock.calls.length - before).toBe(searchesIfKept);
      expect(got).toEqual(await gather(fresh));
      expect(got.length).toBeGreaterThan(0);
    };

    await expectKeptToMatch(2);
    // The same shopper, profile, index and exclusions: no search.
    await expectKeptToMatch(0);
    profile = saved(new Date(2000));
    await expectKeptToMatch(2);
    events = [view('2'), view('1')];
    await expectKeptToMatch(2);
    excludeIds = ['3'];
    await expectKeptToMatch(2);
    index.upsert([{ productId: '301', categoryId: 'c', createdAt: new Date(301), vector: profile.profile.interests[0]!.centroid }]);
    await expectKeptToMatch(2);
    expect((await gather(kept)).some((candidate) => candidate.id === '301')).toBe(true);
  });

  it("keep the sequence model's items per version, and search again for another version or a new profile", async () => {
    const ids = Array.from({ length: 300 }, (_, i) => String(i + 1));
    const vectors = new Float32Array(ids.length * DIMENSION);
    ids.forEach((_, i) => vectors.set(unit(), i * DIMENSION));
    const model = await InnerProductIndex.build(ids, vectors, DIMENSION);
    const searches = jest.spyOn(model, 'search');
    const index = indexOf(10);
    const query = unit();
    const withQuery = (updatedAt: Date, version: string): SavedProfile => ({ ...saved(updatedAt), sequenceQueries: [{ version, query }] });
    const kept = gatherer(60_000);
    const fresh = gatherer(0);
    const gather = async (from: CandidateGatherer, profile: SavedProfile, version: string) =>
      (await from.gather({ index, events: [view('1')], profile, sequence: { version, model }, excludeIds: [] })).sources.sequence;

    const first = await gather(kept, withQuery(new Date(1000), 'v1'), 'v1');
    expect(first).toHaveLength(200);
    expect(first.some((item) => item.id === '1')).toBe(false);
    expect(await gather(kept, withQuery(new Date(1000), 'v1'), 'v1')).toEqual(first);
    expect(searches).toHaveBeenCalledTimes(1);
    expect(await gather(kept, withQuery(new Date(1000), 'v2'), 'v2')).toEqual(await gather(fresh, withQuery(new Date(1000), 'v2'), 'v2'));
    expect(await gather(kept, withQuery(new Date(2000), 'v1'), 'v1')).toEqual(first);
    // v2 for the kept and the fresh gatherer, then a new profile: four searches.
    expect(searches).toHaveBeenCalledTimes(4);
  });
});
