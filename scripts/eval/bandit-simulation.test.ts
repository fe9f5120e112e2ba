import { seededRng } from '../../packages/recsys/src';
import { TRENDING } from '../../subgraphs/recommendation/src/slate/candidate-gatherer';
import { fitClickModel } from './bandit-click-model';
import { markovSequences } from './bandit-fixtures';
import {
  drawScenario,
  GOOD_SHARE,
  GREEDY,
  NEW_SHARE,
  ORACLE,
  releaseSchedule,
  simulate,
  toShopper,
  trueClickRate,
  withoutItems,
  type PolicySetting,
  type Scenario,
  shopTables,
} from './bandit-simulation';

const ITEMS = 120;
const ROUNDS = 200;
const sequences = markovSequences(800, ITEMS, 11);
const fit = sequences.slice(0, 400);
const slots = ITEMS + 1;
const tables = shopTables(fit, slots);
const model = fitClickModel(fit, slots, seededRng(1));
const catalogue = Array.from({ length: ITEMS }, (_, i) => i + 1);
const shoppers = sequences.slice(400).map((sequence) => toShopper(sequence, 3));
const scenario = drawScenario(model, tables, shoppers, catalogue, ROUNDS, 1);
const EPSILON: PolicySetting = { label: 'epsilon-greedy 0.2', kind: 'epsilon-greedy', exploration: 0.2 };
const SETTINGS: PolicySetting[] = [
  ORACLE,
  GREEDY,
  EPSILON,
  { label: 'thompson 0.3', kind: 'thompson', exploration: 0.3 },
  { label: 'linucb 0.2', kind: 'linucb', exploration: 0.2 },
];
const results = simulate(scenario, SETTINGS, ROUNDS / 4);
const resultOf = (label: string) => results[SETTINGS.findIndex((setting) => setting.label === label)]!;

describe('the catalogue', () => {
  it('hides a share of the items and releases them one at a time, evenly over the horizon', () => {
    const release = releaseSchedule(catalogue, slots, 0.1, 600, seededRng(2));
    expect(release.items).toHaveLength(12);
    expect(new Set(release.items).size).toBe(12);
    expect(Array.from(release.items, (item) => release.round[item])).toEqual(Array.from({ length: 12 }, (_, k) => 50 * k));
    expect(catalogue.filter((item) => release.isNew[item]).sort((a, b) => a - b)).toEqual([...release.items].sort((a, b) => a - b));
    expect(catalogue.filter((item) => !release.isNew[item]).every((item) => release.round[item] === 0)).toBe(true);
    expect(releaseSchedule(catalogue, slots, 0.1, 600, seededRng(2))).toEqual(release);
  });

  it('strikes items out of a table, keeps lists full from the longer count, and keeps the totals', () => {
    const graph = {
      ids: [new Int32Array(), Int32Array.from([2, 3, 4])],
      weights: [new Float32Array(), Float32Array.from([3, 2, 1])],
      totals: Float64Array.from([0, 6]),
    };
    const struck = Uint8Array.from([0, 0, 0, 1, 0]);
    const kept = withoutItems(graph, struck, 2);
    expect([...kept.ids[1]!]).toEqual([2, 4]);
    expect([...kept.weights[1]!]).toEqual([3, 1]);
    expect(kept.totals).toBe(graph.totals);
    expect([...withoutItems(graph, struck, 1).ids[1]!]).toEqual([2]);
  });

  it('draws a scenario in which the shop knows nothing of the new items and a quarter of them are good', () => {
    const fresh = [...scenario.release.items];
    expect(fresh).toHaveLength(Math.round(NEW_SHARE * ITEMS));
    for (const graph of [scenario.shop.cooccurrence, scenario.shop.transitions]) {
      for (const row of graph.ids) expect([...row].some((item) => scenario.release.isNew[item])).toBe(false);
    }
    expect(scenario.trending.length).toBeLessThanOrEqual(TRENDING);
    expect(scenario.trending.some((item) => scenario.release.isNew[item])).toBe(false);
    const good = fresh.filter((item) => scenario.good[item]);
    expect(good).toHaveLength(Math.ceil(GOOD_SHARE * fresh.length));
    const worstGood = Math.min(...good.map((item) => trueClickRate(model, scenario.quality, item)));
    for (const item of fresh.filter((candidate) => !scenario.good[candidate])) expect(trueClickRate(model, scenario.quality, item)).toBeLessThan(worstGood);
  });
});

describe('simulate', () => {
  it('gives the oracle no regret and every policy a regret that never shrinks', () => {
    expect(resultOf('oracle').regret).toBe(0);
    for (const result of results) {
      expect(result.expectedClicks).toBeLessThanOrEqual(resultOf('oracle').expectedClicks + 1e-9);
      result.curve.forEach((point, index) => expect(point).toBeGreaterThanOrEqual(index === 0 ? -1e-9 : result.curve[index - 1]! - 1e-9));
      expect(result.impressions).toBeLessThanOrEqual(ROUNDS * 10);
    }
    expect(resultOf(GREEDY.label).regret).toBeGreaterThan(0);
  });

  it('never explores without exploration, and explores with it', () => {
    expect(resultOf(GREEDY.label).explored).toBe(0);
    expect(resultOf(EPSILON.label).explored).toBeGreaterThan(0);
    expect(resultOf('thompson 0.3').explored).toBeGreaterThan(0);
  });

  it('repeats a seeded run exactly, whichever other policies run beside it', () => {
    expect(simulate(scenario, SETTINGS, ROUNDS / 4)).toEqual(results);
    expect(simulate(scenario, [EPSILON], ROUNDS / 4)).toEqual([resultOf(EPSILON.label)]);
    const other = simulate(drawScenario(model, tables, shoppers, catalogue, ROUNDS, 2), [EPSILON], ROUNDS / 4);
    expect(other).not.toEqual([resultOf(EPSILON.label)]);
  });

  it('serves a new item only once it is released', () => {
    const releasedAt = (round: (item: number) => number): Scenario => ({
      ...scenario,
      release: { ...scenario.release, round: Int32Array.from(scenario.release.round, (value, item) => (scenario.release.isNew[item] ? round(item) : value)) },
    });
    // Thompson is left out for time: which items are candidates does not depend on the policy.
    const cheap = SETTINGS.filter((setting) => setting.kind !== 'thompson');
    for (const result of simulate(
      releasedAt(() => ROUNDS),
      cheap,
      ROUNDS / 4,
    ))
      expect(result.newImpressions).toBe(0);
    const early = simulate(
      releasedAt(() => 0),
      cheap,
      ROUNDS / 4,
    );
    expect(Math.max(...early.map((result) => result.newImpressions))).toBeGreaterThan(0);
  });

  it('follows the good new items released early enough, each within the discovery window or never', () => {
    const followed = [...scenario.release.items].filter((item) => scenario.good[item] && scenario.release.round[item]! <= ROUNDS - ROUNDS / 4);
    for (const result of results) {
      expect(result.discoveryDelays).toHaveLength(followed.length);
      for (const delay of result.discoveryDelays) expect(delay === Infinity || (delay >= 0 && delay <= ROUNDS / 4)).toBe(true);
    }
  });
});
