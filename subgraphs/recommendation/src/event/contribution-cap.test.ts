import { contributionPeriod, countedFlags } from './contribution-cap';
import { EventType } from './event-type';

const cap = { events: 2, periodHours: 24 };
const purchase = (productId: string) => ({ type: EventType.PURCHASE, productId });
const view = (productId: string) => ({ type: EventType.VIEW, productId });

describe('contribution caps', () => {
  it("counts a shopper's first events of each type on each product in a period, and no more", () => {
    expect(countedFlags([purchase('1'), purchase('1'), purchase('1'), view('1'), purchase('2'), view('1'), view('1')], new Map(), cap)).toEqual([
      true,
      true,
      false,
      true,
      true,
      true,
      false,
    ]);
  });

  it('continues from what the shopper already added in the period', () => {
    const earlier = new Map([
      ['PURCHASE/1', 1],
      ['VIEW/1', 2],
    ]);
    expect(countedFlags([purchase('1'), purchase('1'), view('1'), view('2')], earlier, cap)).toEqual([true, false, false, true]);
  });

  it('500 purchases of one product count as the cap', () => {
    expect(
      countedFlags(
        Array.from({ length: 500 }, () => purchase('7')),
        new Map(),
        cap,
      ).filter(Boolean),
    ).toHaveLength(2);
  });

  it('periods are fixed windows from 1970-01-01 UTC of the time an event was received', () => {
    expect(contributionPeriod(new Date('2025-06-01T23:59:59.999Z'), cap)).toEqual({
      from: new Date('2025-06-01T00:00:00Z'),
      to: new Date('2025-06-02T00:00:00Z'),
    });
    expect(contributionPeriod(new Date('2025-06-01T13:30:00Z'), { events: 1, periodHours: 6 })).toEqual({
      from: new Date('2025-06-01T12:00:00Z'),
      to: new Date('2025-06-01T18:00:00Z'),
    });
  });
});
