import { sampleNormal, seededRng } from '../../packages/recsys/src';
import {
  AFFINITY_SEEDS,
  affinities,
  calibrateIntercept,
  calibrationSlates,
  clickLogit,
  examination,
  fitChoice,
  fitClickModel,
  NEXT_ITEM_CLICK,
  sigmoid,
  SLATE,
  standardisedPopularity,
  type Choice,
} from './bandit-click-model';
import { markovSequences } from './bandit-fixtures';

const expectedClicks = (logits: readonly Float64Array[], intercept: number) =>
  logits.reduce((total, slate) => total + slate.reduce((sum, logit, rank) => sum + examination(rank) * sigmoid(intercept + logit), 0), 0);

describe('the click model', () => {
  it('discounts rank like DCG: 1 at the top, falling', () => {
    expect(examination(0)).toBe(1);
    expect(examination(2)).toBeCloseTo(0.5, 12);
    for (let rank = 1; rank < SLATE; rank++) expect(examination(rank)).toBeLessThan(examination(rank - 1));
  });

  it("reads affinity as the best cosine to any of the shopper's most recent distinct items", () => {
    const ids = Array.from({ length: 200 }, () => new Int32Array());
    const sims = Array.from({ length: 200 }, () => new Float32Array());
    ids[1] = Int32Array.from([3, 4]);
    sims[1] = Float32Array.from([0.5, 0.25]);
    ids[2] = Int32Array.from([3]);
    sims[2] = Float32Array.from([0.75]);
    expect(affinities({ ids, sims }, [1, 2])).toEqual(
      new Map([
        [3, 0.75],
        [4, 0.25],
      ]),
    );
    // Item 1 stays a seed while fewer than AFFINITY_SEEDS distinct items follow it, repeats counting once.
    const newer = (count: number) => Array.from({ length: count }, (_, i) => 100 + i);
    expect(affinities({ ids, sims }, [1, ...newer(AFFINITY_SEEDS - 1), 100]).get(4)).toBe(0.25);
    expect(affinities({ ids, sims }, [1, ...newer(AFFINITY_SEEDS)]).size).toBe(0);
  });

  it('recovers the coefficients of a conditional logit it is given data from', () => {
    const rng = seededRng(3);
    const items = 40;
    const popularity = Float64Array.from({ length: items + 1 }, (_, item) => (item === 0 ? 0 : sampleNormal(rng)));
    const truth = { affinity: 3, popularity: 0.8 };
    const choices: Choice[] = Array.from({ length: 4000 }, () => {
      const related = [...new Set(Array.from({ length: 5 }, () => 1 + Math.floor(rng() * items)))];
      const affinity = Float64Array.from(related, () => rng());
      const weight = (item: number) => Math.exp(truth.affinity * (affinity[related.indexOf(item)] ?? 0) + truth.popularity * popularity[item]!);
      const total = Array.from({ length: items }, (_, i) => weight(i + 1)).reduce((sum, w) => sum + w, 0);
      let u = rng() * total;
      let target = 1;
      while (target < items && (u -= weight(target)) > 0) target++;
      return { items: Int32Array.from(related), affinity, target };
    });
    const fitted = fitChoice(popularity, choices);
    expect(Math.abs(fitted.affinity - truth.affinity)).toBeLessThan(0.3);
    expect(Math.abs(fitted.popularity - truth.popularity)).toBeLessThan(0.1);
  });

  it('calibrates the intercept so that the slates draw exactly the clicks asked for', () => {
    const rng = seededRng(4);
    const logits = Array.from({ length: 200 }, () => Float64Array.from({ length: SLATE }, () => 3 * sampleNormal(rng)));
    for (const clicks of [1, 20, 150]) expect(expectedClicks(logits, calibrateIntercept(logits, clicks))).toBeCloseTo(clicks, 6);
  });

  it("builds each calibration slate from the best-scored items outside the history and counts the held-out item at its rank's examination", () => {
    const popularity = Float64Array.from([0, 3, 2, 1, 0, -1, -2, -3, -4, -5, -6, -7, -8, -9]);
    const choices: Choice[] = [
      // Item 9 has the affinity to beat the most popular items; item 1 is in the history.
      { items: Int32Array.from([9]), affinity: Float64Array.from([1]), target: 2 },
      { items: Int32Array.from([]), affinity: Float64Array.from([]), target: 13 },
    ];
    const { logits, clicks } = calibrationSlates(choices, [[1], [4]], popularity, { affinity: 20, popularity: 1 }, () => 0.5);
    expect(logits.map((slate) => slate.length)).toEqual([SLATE, SLATE]);
    // User 0: slate 9, 2, 3, …; the held-out item 2 is second. User 1's item 13 is too unpopular to be in a slate.
    expect(clicks).toBeCloseTo(examination(1), 12);
  });

  it('is fitted on the fit half: probabilities in [0, 1], calibrated to its hit rate, next items at NEXT_ITEM_CLICK', () => {
    const sequences = markovSequences(400, 30, 5);
    const model = fitClickModel(sequences, 31, seededRng(6));
    expect(model.fit.users).toBe(400);
    expect(model.coefficients.affinity).toBeGreaterThan(0);
    // The calibration's own slates, drawn again with the same qualities, draw the fit half's rate.
    const histories = sequences.map((sequence) => sequence.slice(0, -1));
    const choices = histories.map((history, user): Choice => {
      const affinity = affinities(model.neighbours, history);
      return { items: Int32Array.from(affinity.keys()), affinity: Float64Array.from(affinity.values()), target: sequences[user]!.at(-1)! };
    });
    const { logits, clicks } = calibrationSlates(choices, histories, standardisedPopularity(histories, 31), model.coefficients, seededRng(6));
    expect(clicks / 400).toBeCloseTo(model.fit.hitRate, 12);
    expect(model.fit.hitRate).toBeGreaterThan(0);
    expect(expectedClicks(logits, model.coefficients.intercept) / 400).toBeCloseTo(model.fit.hitRate, 6);
    const rng = seededRng(7);
    for (let item = 1; item <= 30; item++) {
      for (const next of [false, true]) {
        const p = examination(Math.floor(rng() * SLATE)) * sigmoid(clickLogit(model, item, rng(), next, 3 * sampleNormal(rng)));
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }
    }
    expect(sigmoid(model.coefficients.intercept + model.coefficients.next)).toBeCloseTo(NEXT_ITEM_CLICK, 12);
  });
});
