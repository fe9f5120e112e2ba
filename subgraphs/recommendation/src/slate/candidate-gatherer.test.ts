import { COOCCURRENCE_SEEDS } from '../cooccurrence/cooccurrence-settings';
import { EventType } from '../event/event-type';
import type { InterestEvent } from '../event/event.store';
import { excludedProducts, recentProducts } from './candidate-gatherer';

const event = (type: EventType, productId: string | null): InterestEvent => ({ type, productId, categoryId: null, query: null, occurredAt: new Date(0) });

describe('candidate gathering', () => {
  it("never serves what the shopper saw or bought, nor the caller's exclusions", () => {
    const excluded = excludedProducts([event(EventType.VIEW, '1'), event(EventType.PURCHASE, '2'), event(EventType.SEARCH, null)], ['3']);
    expect([...excluded].sort()).toEqual(['1', '2', '3']);
  });

  it('reads item-to-item sources for the most recent distinct products, newest first', () => {
    const events = [event(EventType.VIEW, '1'), event(EventType.CART, '1'), event(EventType.SEARCH, null), event(EventType.VIEW, '2')];
    expect(recentProducts(events, COOCCURRENCE_SEEDS)).toEqual(['1', '2']);
    const many = Array.from({ length: COOCCURRENCE_SEEDS + 5 }, (_, i) => event(EventType.VIEW, String(i)));
    expect(recentProducts(many, COOCCURRENCE_SEEDS)).toEqual(many.slice(0, COOCCURRENCE_SEEDS).map((e) => e.productId));
  });
});
