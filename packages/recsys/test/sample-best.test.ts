import { seededRng } from '../src';
import { sampleBest, sampleDraws } from '../src/sample-best';

describe('sampleBest', () => {
  it('finds what a full scan of every sample finds, for any open set, penalties and λ', () => {
    const rng = seededRng(7);
    let passedOver = 0;
    for (let trial = 0; trial < 400; trial++) {
      const n = 1 + Math.floor(rng() * 150);
      const samples = 1 + Math.floor(rng() * 16);
      // Coarse draws make exact ties common, so equal values are exercised too.
      const drawn = Float64Array.from({ length: samples * n }, () => Math.round(rng() * 20) / 20);
      const draws = sampleDraws(drawn, samples);
      const share = [0.6, 0.1, 0.02][trial % 3]!;
      const remaining = [...Array(n).keys()].filter(() => rng() < share);
      const open = new Uint8Array(n);
      const lambda = [1, 0.8, 0.5, 0.1][trial % 4]!;
      const penalty = new Float64Array(n);
      for (const index of remaining) {
        open[index] = 1;
        penalty[index] = (1 - lambda) * (rng() < 0.5 ? 0 : Math.round(rng() * 10) / 10);
      }
      const best = new Float64Array(samples);
      const asked = new Set<number>();
      sampleBest(
        draws,
        open,
        (index) => {
          asked.add(index);
          return penalty[index]!;
        },
        lambda,
        best,
      );
      for (let s = 0; s < samples; s++) {
        // The full scan: every open candidate's value in this sample.
        const values = remaining.map((index) => lambda * drawn[index * samples + s]! - penalty[index]!);
        expect(best[s]).toBe(Math.max(-Infinity, ...values));
      }
      expect([...asked].every((index) => open[index] === 1)).toBe(true);
      // Candidates whose penalty the search never asked for: open ones it passed over by their highest draw alone.
      passedOver += remaining.filter((index) => !asked.has(index)).length;
    }
    expect(passedOver).toBeGreaterThan(0);
  });

  it('orders candidates by their highest draw, ties to the lower index', () => {
    // Three candidates, two samples each (candidate-major).
    const draws = sampleDraws(Float64Array.from([0.1, 0.9, 0.4, 0.2, 0.9, 0.3]), 2);
    expect([...draws.top]).toEqual([0.9, 0.4, 0.9]);
    expect([...draws.order]).toEqual([0, 2, 1]);
  });
});
