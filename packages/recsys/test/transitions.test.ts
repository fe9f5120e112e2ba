import { transitionPairs, transitionScores, type CooccurrenceEvent } from '../src';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
const event = (productId: string, minute: number, weight = 1): CooccurrenceEvent => ({ productId, weight, occurredAt: at(minute) });
const options = { windowSize: 3, maxGapMs: 60 * 60_000, gapDecay: 0.5 };

describe('transitionPairs', () => {
  it('points from earlier products to each fresh one, nearer steps weighing more', () => {
    const pairs = transitionPairs([event('a', 0), event('b', 1)], [event('c', 2)], options);
    expect(pairs).toEqual([
      { a: 'a', b: 'c', weight: 0.5 },
      { a: 'b', b: 'c', weight: 1 },
    ]);
  });

  it('never points backwards: the history gets no pairs towards it', () => {
    const pairs = transitionPairs([], [event('a', 0), event('b', 1)], options);
    expect(pairs).toEqual([{ a: 'a', b: 'b', weight: 1 }]);
  });

  it('multiplies the two event weights, and counts a repeated product once at its nearest occurrence', () => {
    const pairs = transitionPairs([event('a', 0, 3), event('x', 1), event('a', 2, 1)], [event('b', 3, 5)], options);
    expect(pairs).toEqual([
      { a: 'a', b: 'b', weight: 5 },
      { a: 'x', b: 'b', weight: 2.5 },
    ]);
  });

  it('stops at the window, at the time gap, and skips events that weigh nothing and self pairs', () => {
    const far = transitionPairs([event('old', 0)], [event('new', 120)], options);
    expect(far).toEqual([]);
    const window = transitionPairs([event('p', 0), event('q', 1), event('r', 2), event('s', 3)], [event('t', 4)], options);
    expect(window.map((pair) => pair.a)).toEqual(['q', 'r', 's']);
    const zero = transitionPairs([event('a', 0), event('search', 1, 0), event('a', 2)], [event('a', 3), event('b', 4)], options);
    expect(zero).toEqual([{ a: 'a', b: 'b', weight: 1 }]);
  });

  it('counts each transition once when every event is added once as fresh', () => {
    const events = [event('a', 0), event('b', 1), event('a', 2), event('c', 3)];
    const all = transitionPairs([], events, options);
    const stepwise = new Map<string, number>();
    events.forEach((fresh, index) => {
      for (const pair of transitionPairs(events.slice(0, index), [fresh], options)) {
        stepwise.set(`${pair.a}>${pair.b}`, (stepwise.get(`${pair.a}>${pair.b}`) ?? 0) + pair.weight);
      }
    });
    expect(new Map(all.map((pair) => [`${pair.a}>${pair.b}`, pair.weight]))).toEqual(stepwise);
  });

  it('refuses bad settings and dates', () => {
    expect(() => transitionPairs([], [], { ...options, windowSize: 0 })).toThrow(/windowSize/);
    expect(() => transitionPairs([], [], { ...options, gapDecay: 1.5 })).toThrow(/gapDecay/);
    expect(() => transitionPairs([], [{ productId: 'a', weight: 1, occurredAt: new Date('nope') }], options)).toThrow(/invalid date/);
  });
});

describe('transitionScores', () => {
  it('sums shares of each seed’s followers, older seeds counting less', () => {
    const scores = transitionScores(
      ['s1', 's2'],
      [
        { seed: 's1', next: 'x', weight: 2, total: 3 },
        { seed: 's1', next: 'y', weight: 1, total: 3 },
        { seed: 's2', next: 'x', weight: 10, total: 10 },
        { seed: 'other', next: 'z', weight: 5, total: 5 },
      ],
      { recency: 0.5, smoothing: 1 },
    );
    expect(scores.get('x')).toBeCloseTo(2 / 4 + (0.5 * 10) / 11, 12);
    expect(scores.get('y')).toBeCloseTo(1 / 4, 12);
    expect(scores.has('z')).toBe(false);
  });

  it('lets a popular seed speak no louder than a rare one', () => {
    const scores = transitionScores(
      ['rare', 'popular'],
      [
        { seed: 'rare', next: 'a', weight: 1, total: 1 },
        { seed: 'popular', next: 'b', weight: 1000, total: 1000 },
      ],
      { recency: 1, smoothing: 0 },
    );
    expect(scores.get('a')).toBe(1);
    expect(scores.get('b')).toBe(1);
  });

  it('refuses a recency outside [0, 1] and a negative smoothing', () => {
    expect(() => transitionScores([], [], { recency: 2, smoothing: 0 })).toThrow(/recency/);
    expect(() => transitionScores([], [], { recency: 1, smoothing: -1 })).toThrow(/smoothing/);
  });
});
