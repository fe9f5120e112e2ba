import { buildAudience, DEFAULT_AUDIENCE_WEIGHTS, RecsysError, type AudienceCandidate } from '../src';

const candidate = (userId: string, products: string[], overrides: Partial<AudienceCandidate> = {}): AudienceCandidate => ({
  userId,
  segment: null,
  products: new Set(products),
  affinity: null,
  events: 5,
  ...overrides,
});
const target = new Map([['p', 1]]);
const none = { partners: new Map<string, number>(), reach: new Map<number, { size: number; reached: number }>() };

describe('buildAudience', () => {
  it('ranks a shopper who bought what co-occurs with the target above one who bought something unrelated', () => {
    const audience = buildAudience(
      target,
      [candidate('unrelated', ['x']), candidate('related', ['q']), candidate('closer', ['q', 'r'])],
      {
        ...none,
        partners: new Map([
          ['q', 4],
          ['r', 2],
        ]),
      },
      3,
    );
    expect(audience.shoppers.map((shopper) => shopper.userId)).toEqual(['closer', 'related', 'unrelated']);
    expect(audience.shoppers[1]!.score - audience.shoppers[2]!.score).toBeCloseTo(DEFAULT_AUDIENCE_WEIGHTS.related * (1 - Math.exp(-1)), 12);
  });

  it('counts having touched the target, interest affinity (never below 0) and activity, by their weights', () => {
    const weights = { owned: 1, related: 0, interest: 0, segment: 0, activity: 0 };
    const owners = buildAudience(target, [candidate('a', ['x']), candidate('b', ['p'])], none, 1, weights);
    expect(owners.shoppers.map((shopper) => [shopper.userId, shopper.score])).toEqual([['b', 1]]);
    const interested = buildAudience(target, [candidate('a', [], { affinity: -0.9 }), candidate('b', [], { affinity: 0.4 }), candidate('c', [])], none, 3, {
      ...weights,
      owned: 0,
      interest: 2,
    });
    expect(interested.shoppers.map((shopper) => [shopper.userId, shopper.score])).toEqual([
      ['b', 0.8],
      ['a', 0],
      ['c', 0],
    ]);
    const active = buildAudience(target, [candidate('a', [], { events: 3 }), candidate('b', [], { events: 15 })], none, 2, {
      ...weights,
      owned: 0,
      activity: 1,
    });
    expect(active.shoppers.map((shopper) => [shopper.userId, shopper.score])).toEqual([
      ['b', 1],
      ['a', Math.log1p(3) / Math.log1p(15)],
    ]);
  });

  it("lifts the members of segments the target over-indexes in, and estimates reach from the segments' rates", () => {
    // Segment 0: 4 of 10 members reached the target; segment 1: 0 of 10.
    const reach = new Map([
      [0, { size: 10, reached: 4 }],
      [1, { size: 10, reached: 0 }],
    ]);
    const candidates = [
      ...Array.from({ length: 10 }, (_, i) => candidate(`zero${i}`, [], { segment: 0 })),
      ...Array.from({ length: 10 }, (_, i) => candidate(`one${i}`, [], { segment: 1 })),
    ];
    const audience = buildAudience(target, candidates, { partners: new Map(), reach }, 5, { owned: 0, related: 0, interest: 0, segment: 1, activity: 0 });
    expect(audience.shoppers.every((shopper) => shopper.segment === 0)).toBe(true);
    expect(audience.shoppers[0]!.probability).toBeCloseTo(4.5 / 11, 12);
    expect(audience.expectedReach).toBeCloseTo((5 * 4.5) / 11, 12);
    expect(audience.segments).toEqual([
      { segment: 0, size: 10, inAudience: 5, index: 200, responseRate: 4.5 / 11, expectedResponders: (10 * 4.5) / 11 },
      { segment: 1, size: 10, inAudience: 0, index: 0, responseRate: 0.5 / 11, expectedResponders: expect.closeTo((10 * 0.5) / 11, 12) },
    ]);
  });

  it('breaks ties by user id and returns at most size shoppers', () => {
    const audience = buildAudience(target, [candidate('b', []), candidate('a', []), candidate('c', [])], none, 2);
    expect(audience.shoppers.map((shopper) => shopper.userId)).toEqual(['a', 'b']);
    expect(buildAudience(target, [], none, 10)).toEqual({ shoppers: [], expectedReach: 0, segments: [] });
  });

  it('names what is wrong', () => {
    expect(() => buildAudience(new Map(), [], none, 1)).toThrow(expect.objectContaining({ field: 'target' }));
    expect(() => buildAudience(new Map([['p', 0]]), [], none, 1)).toThrow(RecsysError);
    expect(() => buildAudience(target, [], none, -1)).toThrow(expect.objectContaining({ field: 'size' }));
    expect(() => buildAudience(target, [], none, 1, { ...DEFAULT_AUDIENCE_WEIGHTS, owned: Number.NaN })).toThrow(expect.objectContaining({ field: 'weights' }));
  });
});
