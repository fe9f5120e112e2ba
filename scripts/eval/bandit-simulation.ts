/**
 * The replay simulator behind pnpm eval:bandit: a shop whose catalogue grows, shoppers from a real
 * data set, and serving policies choosing slates. What the policies see comes from the slate
 * engine's own code: the candidate sources' lists at the gatherer's lengths (co-occurrence,
 * transitions, trending, fresh), `fuseCandidates` and `baseContext` for the exploit score and
 * the context, `policyFromConfig` and `chooseSlate` for the choice, and per-item click statistics
 * and LinUCB's ridge statistics added as `BanditState` adds them. The click model
 * (bandit-click-model.ts) decides the clicks and is never shown to them.
 *
 * The shop's tables are counted once, on the fit half, and do not learn during the horizon: only
 * the policies learn. So every policy meets the same candidates in a round, which lets all of them
 * run in lockstep over one scenario (common random numbers: the same shoppers, candidates, oracle
 * and click uniforms) and gives regret one reference.
 */
import {
  createLinUcbState,
  policyFromConfig,
  sampleNormal,
  seededRng,
  updateLinUcb,
  type ArmStats,
  type Policy,
  type PolicyCandidate,
  type PolicyKind,
  type SourceScore,
  type Rng,
} from '../../packages/recsys/src';
import { COOCCURRENCE_SEEDS, COOCCURRENCE_WINDOW, PER_COOCCURRENCE_SEED } from '../../subgraphs/recommendation/src/cooccurrence/cooccurrence-settings';
import { FRESH, TRENDING } from '../../subgraphs/recommendation/src/slate/candidate-gatherer';
import { FEATURE_SOURCES, LINUCB_PRIOR, type CandidateSource } from '../../subgraphs/recommendation/src/slate/candidate-sources';
import { baseContext, fuseCandidates } from '../../subgraphs/recommendation/src/slate/policy-candidates';
import {
  PER_TRANSITION_SEED,
  TRANSITION_GAP_DECAY,
  TRANSITION_RECENCY,
  TRANSITION_SEEDS,
  TRANSITION_SMOOTHING,
  TRANSITION_WINDOW,
} from '../../subgraphs/recommendation/src/transitions/transition-settings';
import { affinities, clickLogit, examination, sigmoid, SLATE, type ClickModel } from './bandit-click-model';
import { recentSeeds, scoreServed, scoreTransitions, servedCooccurrence, servedTransitions, type ItemGraph } from './topn-sources';

/** Share of the catalogue hidden at the start and released one item at a time over the horizon. */
export const NEW_SHARE = 0.05;
/** Share of the new items, by true click rate, that count as good. */
export const GOOD_SHARE = 0.25;
/** Impressions after which a new item's click rate starts to be known. */
export const DISCOVERY_IMPRESSIONS = 10;
/** Points of the cumulative regret curve kept per run. */
export const CURVE_POINTS = 100;
/**
 * LinUCB's context is `baseContext` without the per-segment copies `policyCandidates` adds: for a
 * shopper without a segment those are zeros, and zero dimensions change neither θᵀx nor xᵀA⁻¹x
 * (A stays block diagonal), only the O(d³) cost.
 */
const BASE_FEATURES = 2 + FEATURE_SOURCES.length;

/** A simulated shopper: their real history, and the items that really came next (hidden from the shop). */
export interface Shopper {
  history: readonly number[];
  next: readonly number[];
}

/** Splits a sequence into its history and its last `held` items. */
export const toShopper = (items: readonly number[], held: number): Shopper => ({ history: items.slice(0, -held), next: items.slice(-held) });

/** The new items and when each enters the catalogue. */
export interface Release {
  /** In release order. */
  items: Int32Array;
  /** Per item id: the round it is released (0 for the starting catalogue). */
  round: Int32Array;
  /** Per item id: 1 for a new item. */
  isNew: Uint8Array;
}

/** Hides round(share · catalogue) random items and releases them one at a time, evenly over `rounds`. */
export function releaseSchedule(catalogue: readonly number[], slots: number, share: number, rounds: number, rng: Rng): Release {
  const pool = [...catalogue];
  const count = Math.round(share * pool.length);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rng() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  const items = Int32Array.from(pool.slice(0, count));
  const round = new Int32Array(slots);
  const isNew = new Uint8Array(slots);
  items.forEach((item, k) => {
    round[item] = Math.floor((k * rounds) / count);
    isNew[item] = 1;
  });
  return { items, round, isNew };
}

/**
 * A table with some items struck out, as if the shop had never recorded them: each list loses
 * them and is then cut to `keep` (count the table with a larger keep so that the cut stays full).
 * Totals stay as counted, so a transition share is over everything that followed the seed.
 */
export function withoutItems(graph: ItemGraph, struck: Uint8Array, keep: number): ItemGraph {
  const ids: Int32Array[] = [];
  const weights: Float32Array[] = [];
  graph.ids.forEach((row, item) => {
    const kept: number[] = [];
    for (let n = 0; n < row.length && kept.length < keep; n++) if (!struck[row[n]!]) kept.push(n);
    ids.push(Int32Array.from(kept, (n) => row[n]!));
    weights.push(Float32Array.from(kept, (n) => graph.weights[item]![n]!));
  });
  return { ids, weights, totals: graph.totals };
}

/** What the shop has counted on the fit half: its item-to-item tables and interactions per item. */
export interface ShopTables {
  cooccurrence: ItemGraph;
  transitions: ItemGraph;
  popularity: Float64Array;
}

/**
 * The shop's tables counted on the fit half as the platform counts them, lists twice the serving
 * lengths so that striking a seed's new items out still leaves full lists.
 */
export function shopTables(fit: readonly (readonly number[])[], slots: number): ShopTables {
  const popularity = new Float64Array(slots);
  for (const sequence of fit) for (const item of sequence) popularity[item]!++;
  return {
    cooccurrence: servedCooccurrence(fit, slots, COOCCURRENCE_WINDOW, 2 * PER_COOCCURRENCE_SEED),
    transitions: servedTransitions(fit, slots, TRANSITION_WINDOW, TRANSITION_GAP_DECAY, 2 * PER_TRANSITION_SEED),
    popularity,
  };
}

/** One data set under one seed: everything its runs share. */
export interface Scenario {
  model: ClickModel;
  /** The tables with the seed's new items struck out. */
  shop: ShopTables;
  /** The TRENDING most popular items of the fit half that are not new, most popular first. */
  trending: readonly number[];
  release: Release;
  /** q_i per item id. */
  quality: Float64Array;
  shoppers: readonly Shopper[];
  /** The shopper of each round. */
  order: Int32Array;
  /** Per item id: 1 for a good new item (the top GOOD_SHARE of the new items by true click rate). */
  good: Uint8Array;
  /** Seed of the click draws. */
  clickSeed: number;
  /** Seed the policies' own draws derive from. */
  policySeed: number;
}

/**
 * A new item's true click rate: at the top of a slate, for a shopper with no affinity to it who is
 * not about to take it anyway (almost every shopper).
 */
export const trueClickRate = (model: ClickModel, quality: Float64Array, item: number): number =>
  examination(0) * sigmoid(clickLogit(model, item, 0, false, quality[item]!));

/**
 * Draws a seed's scenario: hidden qualities, the release schedule, the shopper of each round, and
 * the shop's tables with the new items struck out. `tables` were counted on the fit half with
 * every item and 2 × PER_*_SEED kept per item.
 */
export function drawScenario(
  model: ClickModel,
  tables: ShopTables,
  shoppers: readonly Shopper[],
  catalogue: readonly number[],
  rounds: number,
  seed: number,
): Scenario {
  const slots = model.popularity.length;
  const rng = seededRng(seed);
  const quality = Float64Array.from({ length: slots }, () => model.coefficients.qualitySd * sampleNormal(rng));
  const release = releaseSchedule(catalogue, slots, NEW_SHARE, rounds, rng);
  const order = Int32Array.from({ length: rounds }, () => Math.floor(rng() * shoppers.length));
  const rate = (item: number) => trueClickRate(model, quality, item);
  const rates = Array.from(release.items, rate).sort((a, b) => b - a);
  const threshold = rates[Math.max(0, Math.ceil(GOOD_SHARE * rates.length) - 1)] ?? Infinity;
  const good = new Uint8Array(slots);
  for (const item of release.items) if (rate(item) >= threshold) good[item] = 1;
  const trending = catalogue
    .filter((item) => !release.isNew[item] && tables.popularity[item]! > 0)
    .sort((a, b) => tables.popularity[b]! - tables.popularity[a]! || a - b)
    .slice(0, TRENDING);
  return {
    model,
    shop: {
      cooccurrence: withoutItems(tables.cooccurrence, release.isNew, PER_COOCCURRENCE_SEED),
      transitions: withoutItems(tables.transitions, release.isNew, PER_TRANSITION_SEED),
      popularity: tables.popularity,
    },
    trending,
    release,
    quality,
    shoppers,
    order,
    good,
    clickSeed: Math.floor(rng() * 2 ** 31),
    policySeed: Math.floor(rng() * 2 ** 31),
  };
}

/** A policy as a slot configures it, or one of the two references: the fused order and the oracle. */
export interface PolicySetting {
  label: string;
  kind: PolicyKind | 'greedy' | 'oracle';
  /** Exploration strength in [0, 1]; greedy and oracle have none. */
  exploration: number;
}

/** The fused order (Thompson at strength 0). */
export const GREEDY: PolicySetting = { label: 'no exploration', kind: 'greedy', exploration: 0 };
export const ORACLE: PolicySetting = { label: 'oracle', kind: 'oracle', exploration: 0 };

export interface RunResult {
  clicks: number;
  /** Σ of the click probabilities of what was served. */
  expectedClicks: number;
  /** Σ over rounds of the oracle's expected clicks minus the served slate's. */
  regret: number;
  /** Cumulative regret after each CURVE_POINTS-th of the horizon. */
  curve: number[];
  /** Slate positions filled with something other than the policy's exploit choice. */
  explored: number;
  impressions: number;
  newImpressions: number;
  newClicks: number;
  /**
   * Per good new item released early enough to be followed for the whole discovery window: rounds
   * from its release to its DISCOVERY_IMPRESSIONS-th impression, Infinity when not within the window.
   */
  discoveryDelays: number[];
}

/** One policy's state in a run. */
interface Runner {
  policy: Policy | null;
  /** LinUCB's ridge update for one impression; nothing for the others. */
  learn: (features: readonly number[], click: number) => void;
  rng: Rng;
  stats: Map<string, ArmStats>;
  shown: Int32Array;
  discoveredAt: Int32Array;
  result: RunResult;
}

/** A stable number per label, so that a policy's draws do not depend on which others run beside it. */
const labelSeed = (label: string): number => [...label].reduce((hash, char) => Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0, 2166136261);

function runner(setting: PolicySetting, slots: number, seed: number): Runner {
  const base = {
    rng: seededRng((seed ^ labelSeed(setting.label)) >>> 0),
    stats: new Map<string, ArmStats>(),
    shown: new Int32Array(slots),
    discoveredAt: new Int32Array(slots).fill(-1),
    result: {
      clicks: 0,
      expectedClicks: 0,
      regret: 0,
      curve: [],
      explored: 0,
      impressions: 0,
      newImpressions: 0,
      newClicks: 0,
      discoveryDelays: [],
    },
  };
  if (setting.kind === 'oracle') return { ...base, policy: null, learn: () => undefined };
  // Thompson at strength 0 is a point mass on the fused score: the fused order, clicks ignored.
  if (setting.kind === 'greedy') return { ...base, policy: policyFromConfig({ kind: 'thompson', explorationStrength: 0 }), learn: () => undefined };
  const state = createLinUcbState(BASE_FEATURES, 1, LINUCB_PRIOR.slice(0, BASE_FEATURES));
  return {
    ...base,
    // One Monte Carlo draw: Thompson's samples only refine the logged propensity, which nothing here reads.
    policy: policyFromConfig({ kind: setting.kind, explorationStrength: setting.exploration, linUcbState: state, samples: 1 }),
    learn: setting.kind === 'linucb' ? (features, click) => updateLinUcb(state, features, click) : () => undefined,
  };
}

/** The round's candidates as the slate engine would gather and fuse them for this shopper. */
function gather(scenario: Scenario, shopper: Shopper, round: number, released: number, scratch: Float32Array): PolicyCandidate[] {
  const { shop, release } = scenario;
  const seen = new Set(shopper.history);
  const allowed = (item: number) => !seen.has(item);
  // The shop knows a shopper's items only once they are in its catalogue.
  const known = shopper.history.filter((item) => release.round[item]! <= round);
  const fresh: SourceScore[] = [];
  for (let k = released - 1; k >= 0 && fresh.length < FRESH; k--) {
    const item = release.items[k]!;
    if (allowed(item)) fresh.push({ id: String(item), score: FRESH - fresh.length });
  }
  const sources: Record<CandidateSource, SourceScore[]> = {
    // No titles or embeddings are simulated and no sequence model serves (training one is beyond a
    // run's budget), so these two sources are empty; fusion then weighs the others only.
    interest: [],
    sequence: [],
    'co-occurrence': listed(shop.cooccurrence, recentSeeds(known, COOCCURRENCE_SEEDS), allowed, scratch, (seeds) =>
      scoreServed(shop.cooccurrence, seeds, scratch),
    ),
    transitions: listed(shop.transitions, recentSeeds(known, TRANSITION_SEEDS), allowed, scratch, (seeds) =>
      scoreTransitions(shop.transitions, seeds, { recency: TRANSITION_RECENCY, smoothing: TRANSITION_SMOOTHING }, scratch),
    ),
    trending: scenario.trending.filter(allowed).map((item) => ({ id: String(item), score: shop.popularity[item]! })),
    fresh,
  };
  // Nothing here has a vector, so MMR has nothing to weigh: the candidates are id, score and context.
  return fuseCandidates(sources).map((candidate) => ({ id: candidate.id, score: candidate.score, features: baseContext(candidate) }));
}

/** A source's list for the seeds: `score` fills `scratch` for the seeds' partners, which are read back and cleared. */
function listed(
  graph: ItemGraph,
  seeds: readonly number[],
  allowed: (item: number) => boolean,
  scratch: Float32Array,
  score: (seeds: readonly number[]) => void,
): SourceScore[] {
  score(seeds);
  const list: SourceScore[] = [];
  for (const seed of seeds) {
    for (const item of graph.ids[seed]!) {
      if (scratch[item] === 0) continue;
      if (allowed(item)) list.push({ id: String(item), score: scratch[item]! });
      scratch[item] = 0;
    }
  }
  return list;
}

/**
 * Runs every setting over the scenario's rounds in lockstep. Each round: release what is due,
 * gather and fuse the shopper's candidates, compute every candidate's click probability and the
 * oracle slate (the SLATE most attractive, best first, which maximises expected clicks under a
 * decreasing examination), let each policy choose its slate, draw the clicks with one uniform per
 * position shared by all policies, and feed each policy its own clicks.
 */
export function simulate(scenario: Scenario, settings: readonly PolicySetting[], discoveryRounds: number): RunResult[] {
  const { model, release, quality, shoppers, order, good } = scenario;
  const slots = model.popularity.length;
  const rounds = order.length;
  const clickRng = seededRng(scenario.clickSeed);
  const runners = settings.map((setting) => runner(setting, slots, scenario.policySeed));
  const scratch = new Float32Array(slots);
  const uniforms = new Float64Array(SLATE);
  const checkpoint = Math.max(1, Math.floor(rounds / CURVE_POINTS));
  let released = 0;

  for (let round = 0; round < rounds; round++) {
    while (released < release.items.length && release.round[release.items[released]!]! <= round) released++;
    const shopper = shoppers[order[round]!]!;
    const candidates = gather(scenario, shopper, round, released, scratch);
    const indexOf = new Map(candidates.map((candidate, index) => [candidate.id, index]));
    const affinity = affinities(model.neighbours, shopper.history);
    const attractiveness = Float64Array.from(candidates, (candidate) => {
      const item = Number(candidate.id);
      return sigmoid(clickLogit(model, item, affinity.get(item) ?? 0, shopper.next.includes(item), quality[item]!));
    });
    const oracle = Array.from(attractiveness.keys())
      .sort((a, b) => attractiveness[b]! - attractiveness[a]! || a - b)
      .slice(0, SLATE);
    const oracleExpected = oracle.reduce((sum, index, rank) => sum + examination(rank) * attractiveness[index]!, 0);
    for (let rank = 0; rank < SLATE; rank++) uniforms[rank] = clickRng();

    for (const run of runners) {
      const { result } = run;
      const served = run.policy
        ? run.policy.chooseSlate(candidates, SLATE, { rng: run.rng, stats: run.stats }).map((item) => {
            if (item.explored) result.explored++;
            return indexOf.get(item.id)!;
          })
        : oracle;
      let expected = 0;
      served.forEach((index, rank) => {
        const candidate = candidates[index]!;
        const item = Number(candidate.id);
        const p = examination(rank) * attractiveness[index]!;
        const click = uniforms[rank]! < p ? 1 : 0;
        expected += p;
        const arm = run.stats.get(candidate.id) ?? { impressions: 0, clicks: 0 };
        arm.impressions++;
        arm.clicks += click;
        run.stats.set(candidate.id, arm);
        run.learn(candidate.features, click);
        result.impressions++;
        result.clicks += click;
        if (release.isNew[item]) {
          result.newImpressions++;
          result.newClicks += click;
          run.shown[item]!++;
          if (run.shown[item] === DISCOVERY_IMPRESSIONS) run.discoveredAt[item] = round;
        }
      });
      result.expectedClicks += expected;
      result.regret += oracleExpected - expected;
      if ((round + 1) % checkpoint === 0) result.curve.push(result.regret);
    }
  }

  return runners.map(({ result, discoveredAt }) => {
    for (const item of release.items) {
      if (!good[item] || release.round[item]! > rounds - discoveryRounds) continue;
      const delay = discoveredAt[item]! < 0 ? Infinity : discoveredAt[item]! - release.round[item]!;
      result.discoveryDelays.push(delay <= discoveryRounds ? delay : Infinity);
    }
    return result;
  });
}
