import { seededRng } from '../src';
import { leadersOf, sampleWinner, scanWinner } from '../src/sample-winners';

describe('sampleWinner', () => {
  it('finds what a full scan finds, for any open set, penalties and λ', () => {
    const rng = seededRng(7);
    let outsideLeaders = 0;
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(rng() * 120);
      const samples = 1 + Math.floor(rng() * 8);
      // Coarse draws make exact ties common, so the tie-break is exercised too.
      const draws = Float64Array.from({ length: samples * n }, () => Math.round(rng() * 20) / 20);
      const leaders = leadersOf(draws, samples, n);
      const share = [0.6, 0.1, 0.02][trial % 3]!;
      const remaining = [...Array(n).keys()].filter(() => rng() < share);
      if (remaining.length === 0) continue;
      const open = new Uint8Array(n);
      for (const index of remaining) open[index] = 1;
      const similarity = Float64Array.from({ length: n }, () => (rng() < 0.5 ? 0 : Math.round(rng() * 10) / 10));
      const lambda = [1, 0.8, 0.5, 0.1][trial % 4]!;
      const penalty = (index: number) => (1 - lambda) * similarity[index]!;
      for (let s = 0; s < samples; s++) {
        const expected = scanWinner(draws, s * n, remaining, penalty, lambda);
        const found = sampleWinner(draws, s, n, leaders, remaining, open, penalty, lambda);
        expect(found).toBe(expected);
        if (!leaders.order.subarray(s * leaders.width, (s + 1) * leaders.width).includes(expected)) outsideLeaders += 1;
      }
    }
    // The scan behind the leaders ran too: some winners were not among their sample's leaders.
    expect(outsideLeaders).toBeGreaterThan(0);
  });

  it('keeps each sample\'s highest draws best first, and the highest of the others apart', () => {
    const draws = Float64Array.from([0.1, 0.9, 0.4, 0.9, 0.7]);
    const leaders = leadersOf(draws, 1, 5);
    expect(leaders.width).toBe(5);
    expect([...leaders.order]).toEqual([1, 3, 4, 2, 0]);
    expect(leaders.rest[0]).toBe(-Infinity);
    const wide = Float64Array.from({ length: 40 }, (_, i) => i / 40);
    const top = leadersOf(wide, 1, 40);
    expect([...top.order]).toEqual([...Array(32).keys()].map((k) => 39 - k));
    expect(top.rest[0]).toBe(7 / 40);
  });
});
