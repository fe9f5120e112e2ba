import { seededRng } from '../src';
import { sampleDraws, sampleWinners, scanWinner } from '../src/sample-winners';

describe('sampleWinners', () => {
  it('finds what a full scan of every sample finds, for any open set, penalties and λ', () => {
    const rng = seededRng(7);
    let passedOver = 0;
    for (let trial = 0; trial < 400; trial++) {
      const n = 1 + Math.floor(rng() * 150);
      const samples = 1 + Math.floor(rng() * 16);
      // Coarse draws make exact ties common, so the tie-break is exercised too.
      const drawn = Float64Array.from({ length: samples * n }, () => Math.round(rng() * 20) / 20);
      const draws = sampleDraws(drawn, samples);
      const share = [0.6, 0.1, 0.02][trial % 3]!;
      const remaining = [...Array(n).keys()].filter(() => rng() < share);
      if (remaining.length === 0) continue;
      const open = new Uint8Array(n);
      const lambda = [1, 0.8, 0.5, 0.1][trial % 4]!;
      const penalty = new Float64Array(n);
      for (const index of remaining) {
        open[index] = 1;
        penalty[index] = (1 - lambda) * (rng() < 0.5 ? 0 : Math.round(rng() * 10) / 10);
      }
      const winners = new Int32Array(samples);
      sampleWinners(draws, open, penalty, lambda, winners);
      for (let s = 0; s < samples; s++) {
        const column = Float64Array.from({ length: n }, (_, i) => drawn[i * samples + s]!);
        expect(winners[s]).toBe(scanWinner(column, remaining, penalty, lambda));
      }
      // Candidates the search never read: open ones below the winners by their highest draw.
      const floor = Math.min(...[...winners].map((winner, s) => lambda * drawn[winner * samples + s]! - penalty[winner]!));
      passedOver += remaining.filter((index) => lambda * draws.top[index]! - penalty[index]! < floor).length;
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
