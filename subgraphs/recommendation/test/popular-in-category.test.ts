import { EventType } from '../src/event/event-type';
import { EVENT_WEIGHTS } from '../src/popularity/event-weights';
import {
  categoryAffinity,
  rankPopularInCategory,
  type HistoryEvent,
  type PopularProduct,
  type RankingInput,
} from '../src/popular-in-category/popular-in-category';

const event = (type: EventType, categoryId: string | null): HistoryEvent => ({ type, categoryId });
const product = (productId: string, categoryId: string | null, score: number): PopularProduct => ({ productId, categoryId, score });

const rank = (input: Partial<RankingInput>) =>
  rankPopularInCategory({
    recentEvents: [],
    purchasedProductIds: new Set(),
    categoryCandidates: [],
    popularCandidates: [],
    limit: 10,
    ...input,
  });

describe('categoryAffinity', () => {
  it('weights events by type and ignores searches', () => {
    const affinity = categoryAffinity([
      event(EventType.VIEW, '1'),
      event(EventType.VIEW, '1'),
      event(EventType.PURCHASE, '2'),
      event(EventType.SEARCH, null),
      event(EventType.CLICK, '1'),
    ]);
    expect([...affinity.keys()].sort()).toEqual(['1', '2']);
    expect(affinity.get('1')).toEqual({ categoryId: '1', share: 4 / 9, strongest: EventType.CLICK });
    expect(affinity.get('2')).toEqual({ categoryId: '2', share: 5 / 9, strongest: EventType.PURCHASE });
  });

  it('uses the weights it is given', () => {
    const viewsOnly = { ...EVENT_WEIGHTS, [EventType.PURCHASE]: 0 };
    const affinity = categoryAffinity([event(EventType.VIEW, '1'), event(EventType.PURCHASE, '2')], viewsOnly);
    expect([...affinity.values()]).toEqual([{ categoryId: '1', share: 1, strongest: EventType.VIEW }]);
  });

  it('is empty for a shopper who only searched', () => {
    expect(categoryAffinity([event(EventType.SEARCH, null)]).size).toBe(0);
  });
});

describe('rankPopularInCategory', () => {
  const popular = [product('10', '1', 40), product('9', '2', 40), product('3', '3', 80), product('4', '1', 20)];

  it('gives a brand-new shopper the global list, ties broken by numeric product id', () => {
    const ranked = rank({ popularCandidates: popular });
    expect(ranked).toEqual([
      { productId: '3', score: 1, source: 'popular', reason: 'Popular with Serendip shoppers' },
      { productId: '9', score: 0.5, source: 'popular', reason: 'Popular with Serendip shoppers' },
      { productId: '10', score: 0.5, source: 'popular', reason: 'Popular with Serendip shoppers' },
      { productId: '4', score: 0.25, source: 'popular', reason: 'Popular with Serendip shoppers' },
    ]);
  });

  it('scores category picks by affinity share times popularity within the category and ranks them first', () => {
    const ranked = rank({
      // category 1: weight 3 (cart), category 2: weight 1 (view) -> shares 0.75 / 0.25
      recentEvents: [event(EventType.CART, '1'), event(EventType.VIEW, '2')],
      categoryCandidates: [product('10', '1', 40), product('4', '1', 20), product('9', '2', 40), product('11', '2', 10)],
      popularCandidates: popular,
    });
    expect(ranked.map(({ productId, score, source }) => ({ productId, score, source }))).toEqual([
      { productId: '10', score: 0.75, source: 'popular-in-category' },
      { productId: '4', score: 0.375, source: 'popular-in-category' },
      { productId: '9', score: 0.25, source: 'popular-in-category' },
      { productId: '11', score: 0.0625, source: 'popular-in-category' },
      { productId: '3', score: 1, source: 'popular' },
    ]);
    expect(ranked[0]!.reason).toBe('Popular in a category you added to your cart from');
    expect(ranked[2]!.reason).toBe('Popular in a category you viewed');
  });

  it('never recommends a purchased product, from a category or from the global list', () => {
    const ranked = rank({
      recentEvents: [event(EventType.PURCHASE, '1')],
      purchasedProductIds: new Set(['10', '3']),
      categoryCandidates: [product('10', '1', 40), product('4', '1', 20)],
      popularCandidates: popular,
    });
    expect(ranked.map((item) => item.productId)).toEqual(['4', '9']);
    // The purchased best seller still sets the scale of its category.
    expect(ranked[0]).toMatchObject({ score: 0.5, reason: 'Popular in a category you bought from' });
    expect(ranked[1]).toMatchObject({ source: 'popular', score: 0.5 });
  });

  it('ignores candidates from categories the shopper has no affinity for', () => {
    const ranked = rank({
      recentEvents: [event(EventType.VIEW, '2')],
      categoryCandidates: [product('10', '1', 40), product('9', '2', 40)],
      limit: 1,
    });
    expect(ranked).toEqual([{ productId: '9', score: 1, source: 'popular-in-category', reason: 'Popular in a category you viewed' }]);
  });

  it('stops at the limit and lists each product once', () => {
    const input = {
      recentEvents: [event(EventType.VIEW, '1')],
      categoryCandidates: [product('10', '1', 40), product('4', '1', 20)],
      popularCandidates: popular,
    };
    expect(rank({ ...input, limit: 3 }).map((item) => item.productId)).toEqual(['10', '4', '3']);
    expect(rank({ ...input, limit: 0 })).toEqual([]);
    const all = rank({ ...input, limit: 50 }).map((item) => item.productId);
    expect(all).toEqual(['10', '4', '3', '9']);
  });

  it('is deterministic whatever order the candidates arrive in', () => {
    const input = {
      recentEvents: [event(EventType.VIEW, '1'), event(EventType.VIEW, '2')],
      categoryCandidates: [product('12', '1', 5), product('7', '2', 5), product('30', '1', 5)],
      popularCandidates: popular,
    };
    const forward = rank(input);
    const backward = rank({
      ...input,
      categoryCandidates: [...input.categoryCandidates].reverse(),
      popularCandidates: [...popular].reverse(),
    });
    expect(backward).toEqual(forward);
    expect(forward.slice(0, 3).map((item) => item.productId)).toEqual(['7', '12', '30']);
  });
});
