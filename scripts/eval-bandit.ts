/**
 * pnpm eval:bandit — what exploration is worth, measured in a replay simulator built from real
 * shopping sequences: Amazon Beauty (amazon_beauty_s3rec/Beauty.txt) and Amazon Games
 * (amazon_games_llmrank/Games.test.inter, history then target per user; SOURCE.md of each).
 *
 * Users are split at random (fixed seed) into a fit half and a simulate half.
 *
 * The click model (scripts/eval/bandit-click-model.ts, fitted on the fit half, each user's last
 * item held out): P(click | shopper u, item i, rank r) = examination(r)·σ(β₀ + β_aff·aff_u(i) +
 * β_pop·pop_i + β_next·next_u(i) + q_i), with examination(r) = 1/log2(r + 2); aff_u(i) the highest
 * item-kNN cosine between i and the shopper's 10 most recent items; pop_i standardised
 * log(1 + interactions); next_u(i) = 1 for the shopper's own last 3 items, held back from their
 * history; q_i ~ N(0, 1) a hidden quality drawn per seed. β_aff and β_pop are the maximum-likelihood
 * conditional logit of the held-out item over the catalogue; β₀ is calibrated so that a slate of
 * each fit user's 10 most attractive items draws as many expected clicks as it held their held-out
 * item (examination-weighted); β_next puts such an item of average popularity, no affinity and
 * quality 0 at a 0.3 click rate at the top (an assumption). The oracle serves the 10 candidates
 * with the highest click probability, best first.
 *
 * The shop (scripts/eval/bandit-simulation.ts): co-occurrence and transition tables counted on the
 * fit half with the serving settings, trending = the fit half's 60 most popular items, fresh = the
 * 30 newest released items; the interest and sequence sources are empty (no embeddings, no trained
 * sequence model). 5% of the catalogue is hidden at the start and released one item at a
 * time, evenly over the horizon; the shop has no record of these items, so they reach a slate
 * through the fresh list only. Each round a simulated-half shopper (drawn with replacement) gets
 * a slate of 10 from the fused candidates (the engine's `fuseCandidates`, 200 kept), chosen by the
 * policy with the engine's code (`policyFromConfig`, `chooseSlate`, click statistics per item,
 * LinUCB's ridge statistics, features [bias, fused score, each source]); all policies of a seed run
 * in lockstep with the same shoppers, candidates and click uniforms.
 *
 * Policies: no exploration (the fused order: Thompson at strength 0), ε-greedy, Thompson and LinUCB
 * at the strengths of a small grid, and the slot defaults of DEFAULT_SLOT_POLICIES. The grid runs on
 * Amazon Beauty with seeds 1…N; per kind the strength with the most mean clicks is chosen, then the
 * chosen strengths and the defaults are checked on seeds N+1…2N of both data sets. Reported per
 * setting: cumulative clicks (mean and 95% t interval over seeds), the paired difference from no
 * exploration, regret against the oracle (expected clicks), impressions and clicks of new items,
 * and how fast good new items (the top quarter by their click rate at the top for a shopper with
 * no affinity) reach 10 impressions: the share that does within a quarter of the horizon of their
 * release, and the median rounds it takes.
 *
 * Prints the fits and the tables, writes bench-results/eval-bandit.svg (cumulative regret over
 * rounds, check seeds) and, as its last line, one JSON object. Progress goes to stderr.
 *   SERENDIP_DATA_DIR    data folder (default <repo>/../shared/data)
 *   EVAL_BANDIT_ROUNDS   rounds per run (default 10000)
 *   EVAL_BANDIT_SEEDS    seeds per set, at least 3 (default 5: grid seeds 1–5, check seeds 6–10)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, z } from '@serendip/config';
import { seededRng, type PolicyKind } from '../packages/recsys/src';
import { DEFAULT_SLOT_POLICIES, parseSlotPolicies } from '../subgraphs/recommendation/src/slate/slot-policies';
import { beautySequences, gamesSequences } from './eval/amazon-sequences';
import { fitClickModel, NEXT_ITEM_CLICK, SLATE, type ClickModel } from './eval/bandit-click-model';
import {
  CURVE_POINTS,
  DISCOVERY_IMPRESSIONS,
  drawScenario,
  GOOD_SHARE,
  GREEDY,
  NEW_SHARE,
  ORACLE,
  shopTables,
  simulate,
  toShopper,
  type PolicySetting,
  type RunResult,
  type Shopper,
  type ShopTables,
} from './eval/bandit-simulation';
import { chooseStrengths, interval, median, pairedDifference, regretChartSvg, type Interval, type Panel } from './eval/bandit-summary';
import { dataDirEnv, printColumns, round } from './eval/report';

const schema = z.object({
  ...dataDirEnv,
  EVAL_BANDIT_ROUNDS: z.coerce.number().int().min(100).default(10_000),
  EVAL_BANDIT_SEEDS: z.coerce.number().int().min(3).default(5),
});

const CHART = path.resolve(__dirname, '../bench-results/eval-bandit.svg');
/** Fixed, so that the fit/simulate split and the calibration repeat from run to run. */
const SPLIT_SEED = 20_251_206;
/** A simulated shopper's last items, held back from their history as what they really take next. */
const HELD = 3;
/** The grid: each kind's default strength, half and twice it, and 0 (Thompson at 0 is the fused order). */
const GRID: Record<PolicyKind, number[]> = {
  'epsilon-greedy': [0, 0.05, 0.1, 0.2],
  thompson: [0, 0.15, 0.3, 0.6],
  linucb: [0, 0.1, 0.2, 0.4],
};
const KINDS = Object.keys(GRID) as PolicyKind[];

interface Dataset {
  key: 'beauty' | 'games';
  name: string;
  read(dataDir: string): { items: number[] }[];
}

const DATASETS: Dataset[] = [
  { key: 'beauty', name: 'Amazon Beauty', read: beautySequences },
  { key: 'games', name: 'Amazon Games', read: gamesSequences },
];

/** A data set split, its click model fitted and the shop's tables counted. */
interface Prepared {
  dataset: Dataset;
  model: ClickModel;
  tables: ShopTables;
  shoppers: Shopper[];
  catalogue: number[];
  fitUsers: number;
}

const elapsed = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;

/** A setting by kind and strength; Thompson at 0 is exactly the fused order, so it is that one run. */
const settingOf = (kind: PolicyKind, exploration: number): PolicySetting =>
  kind === 'thompson' && exploration === 0 ? GREEDY : { label: `${kind} ${exploration}`, kind, exploration };

function prepare(dataset: Dataset, dataDir: string): Prepared {
  const started = process.hrtime.bigint();
  const rng = seededRng(SPLIT_SEED);
  const fit: number[][] = [];
  const simulated: number[][] = [];
  for (const { items } of dataset.read(dataDir)) (rng() < 0.5 ? fit : simulated).push(items);
  const items = new Set([...fit, ...simulated].flat());
  const slots = Math.max(...items) + 1;
  const model = fitClickModel(fit, slots, seededRng(SPLIT_SEED + 1));
  const tables = shopTables(fit, slots);
  console.error(`eval:bandit: ${dataset.name}: ${fit.length} fit users, ${simulated.length} simulated shoppers, fitted in ${elapsed(started).toFixed(1)} s`);
  return {
    dataset,
    model,
    tables,
    shoppers: simulated.map((sequence) => toShopper(sequence, HELD)),
    catalogue: [...items].sort((a, b) => a - b),
    fitUsers: fit.length,
  };
}

/** Every setting's runs over the seeds, seed by seed. */
function runSeeds(prepared: Prepared, settings: readonly PolicySetting[], seeds: readonly number[], rounds: number): Map<string, RunResult[]> {
  const runs = new Map(settings.map((setting) => [setting.label, [] as RunResult[]]));
  for (const seed of seeds) {
    const started = process.hrtime.bigint();
    const scenario = drawScenario(prepared.model, prepared.tables, prepared.shoppers, prepared.catalogue, rounds, seed);
    simulate(scenario, settings, rounds / 4).forEach((result, index) => runs.get(settings[index]!.label)!.push(result));
    console.error(`eval:bandit: ${prepared.dataset.name} seed ${seed}: ${settings.length} policies × ${rounds} rounds in ${elapsed(started).toFixed(1)} s`);
  }
  return runs;
}

interface Row {
  setting: PolicySetting;
  note: string;
  clicks: Interval;
  vsGreedy: Interval;
  regret: Interval;
  newImpressions: Interval;
  newClicks: Interval;
  /** Share of followed good new items with DISCOVERY_IMPRESSIONS impressions within the window. */
  discovered: Interval;
  discoveredVsGreedy: Interval;
  /** Over the followed good new items of all seeds. */
  medianRoundsToDiscovery: number;
  ctr: number;
  curve: number[];
}

function summarise(setting: PolicySetting, note: string, runs: Map<string, RunResult[]>): Row {
  const own = runs.get(setting.label)!;
  const greedy = runs.get(GREEDY.label)!;
  const clicks = own.map((run) => run.clicks);
  const discovered = (run: RunResult) => run.discoveryDelays.filter(Number.isFinite).length / Math.max(1, run.discoveryDelays.length);
  return {
    setting,
    note,
    clicks: interval(clicks),
    vsGreedy: pairedDifference(
      clicks,
      greedy.map((run) => run.clicks),
    ),
    regret: interval(own.map((run) => run.regret)),
    newImpressions: interval(own.map((run) => run.newImpressions)),
    newClicks: interval(own.map((run) => run.newClicks)),
    discovered: interval(own.map(discovered)),
    discoveredVsGreedy: pairedDifference(own.map(discovered), greedy.map(discovered)),
    medianRoundsToDiscovery: median(own.flatMap((run) => run.discoveryDelays)),
    ctr:
      own.reduce((sum, run) => sum + run.clicks, 0) /
      Math.max(
        1,
        own.reduce((sum, run) => sum + run.impressions, 0),
      ),
    curve: own[0]!.curve.map((_, point) => own.reduce((sum, run) => sum + run.curve[point]!, 0) / own.length),
  };
}

const labelOf = (row: Row) => `${row.setting.label}${row.note ? ` (${row.note})` : ''}`;
const ci = (value: Interval, digits = 0) => `${value.mean.toFixed(digits)} [${value.lower.toFixed(digits)}, ${value.upper.toFixed(digits)}]`;
const signed = (value: Interval, digits = 0) => {
  const f = (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(digits)}`;
  return `${f(value.mean)} [${f(value.lower)}, ${f(value.upper)}]`;
};
/** A share in percent; the t interval is cut to [0, 100], which a share cannot leave. */
const share = (value: Interval) => {
  const percent = (x: number) => (100 * Math.min(1, Math.max(0, x))).toFixed(0);
  return `${percent(value.mean)}% [${percent(value.lower)}, ${percent(value.upper)}]`;
};

function printRows(rows: readonly Row[], discoveryRounds: number): void {
  printColumns(
    [
      'policy',
      'clicks [95% CI]',
      'vs no exploration',
      'regret [95% CI]',
      'new-item impr.',
      'new-item clicks',
      `good new ≥${DISCOVERY_IMPRESSIONS}× in ${discoveryRounds}`,
      `median rounds to ${DISCOVERY_IMPRESSIONS}×`,
    ],
    rows.map((row) => [
      labelOf(row),
      ci(row.clicks),
      row.setting === GREEDY || row.setting === ORACLE ? '' : signed(row.vsGreedy),
      ci(row.regret),
      row.newImpressions.mean.toFixed(0),
      row.newClicks.mean.toFixed(1),
      share(row.discovered),
      Number.isFinite(row.medianRoundsToDiscovery) ? String(row.medianRoundsToDiscovery) : `>${discoveryRounds}`,
    ]),
  );
}

/** What a difference from no exploration says, from its interval. */
const verdict = (difference: Interval) => (difference.lower > 0 ? 'more' : difference.upper < 0 ? 'fewer' : 'no detectable difference in');

const rowJson = (row: Row) => ({
  kind: row.setting.kind,
  exploration: row.setting.exploration,
  note: row.note,
  clicks: roundInterval(row.clicks),
  clicksVsNoExploration: roundInterval(row.vsGreedy),
  regret: roundInterval(row.regret),
  newItemImpressions: round(row.newImpressions.mean),
  newItemClicks: round(row.newClicks.mean),
  goodNewDiscovered: roundInterval(row.discovered),
  goodNewDiscoveredVsNoExploration: roundInterval(row.discoveredVsGreedy),
  medianRoundsToDiscovery: Number.isFinite(row.medianRoundsToDiscovery) ? row.medianRoundsToDiscovery : null,
  ctr: round(row.ctr),
});
const roundInterval = (value: Interval) => ({ mean: round(value.mean), lower: round(value.lower), upper: round(value.upper) });

function main(): void {
  const started = process.hrtime.bigint();
  const config = loadConfig('eval:bandit', schema, process.env);
  const rounds = config.EVAL_BANDIT_ROUNDS;
  const discoveryRounds = Math.floor(rounds / 4);
  const gridSeeds = Array.from({ length: config.EVAL_BANDIT_SEEDS }, (_, i) => i + 1);
  const checkSeeds = gridSeeds.map((seed) => seed + config.EVAL_BANDIT_SEEDS);
  const defaults = Object.entries(parseSlotPolicies(DEFAULT_SLOT_POLICIES)).map(([slot, policy]) => ({ slot, ...policy }));

  // ---- grid: Amazon Beauty, first seed set ----------------------------------------------------------
  const [gridDataset, ...otherDatasets] = DATASETS;
  const gridPrepared = prepare(gridDataset!, config.SERENDIP_DATA_DIR);
  const gridSettings = [ORACLE, GREEDY, ...KINDS.flatMap((kind) => GRID[kind].map((s) => settingOf(kind, s)).filter((setting) => setting !== GREEDY))];
  const gridRuns = runSeeds(gridPrepared, gridSettings, gridSeeds, rounds);
  const isDefault = (kind: PolicyKind, exploration: number) => defaults.find((policy) => policy.kind === kind && policy.exploration === exploration);
  const gridRows = gridSettings.map((setting) => {
    const slot = setting.kind === 'greedy' || setting.kind === 'oracle' ? undefined : isDefault(setting.kind, setting.exploration);
    return summarise(setting, slot ? `${slot.slot} default` : '', gridRuns);
  });
  const meanClicks = KINDS.flatMap((kind) =>
    GRID[kind].map((exploration) => ({
      kind,
      exploration,
      clicks: gridRows.find((row) => row.setting.label === settingOf(kind, exploration).label)!.clicks.mean,
    })),
  );
  const chosen = chooseStrengths(meanClicks);

  // ---- check: chosen strengths and defaults, second seed set, every data set -------------------------
  const checkSettings: { setting: PolicySetting; notes: string[] }[] = [
    { setting: ORACLE, notes: [] },
    { setting: GREEDY, notes: [] },
  ];
  const note = (setting: PolicySetting, text: string) => {
    const entry = checkSettings.find((candidate) => candidate.setting.label === setting.label);
    if (entry) entry.notes.push(text);
    else checkSettings.push({ setting, notes: [text] });
  };
  for (const policy of defaults) note(settingOf(policy.kind, policy.exploration), `${policy.slot} default`);
  for (const kind of KINDS) note(settingOf(kind, chosen[kind]), `chosen for ${kind}`);
  const checks = [gridPrepared, ...otherDatasets.map((dataset) => prepare(dataset, config.SERENDIP_DATA_DIR))].map((prepared) => {
    const runs = runSeeds(
      prepared,
      checkSettings.map(({ setting }) => setting),
      checkSeeds,
      rounds,
    );
    return { prepared, rows: checkSettings.map(({ setting, notes }) => summarise(setting, notes.join(', '), runs)) };
  });

  // ---- report -------------------------------------------------------------------------------------
  const seedRange = (seeds: readonly number[]) => `seeds ${seeds[0]}–${seeds[seeds.length - 1]}`;
  console.log(`\n== Bandit replay simulation: ${rounds} rounds per run, slates of ${SLATE}, ${config.EVAL_BANDIT_SEEDS} seeds per set`);
  console.log(
    `   ${100 * NEW_SHARE}% of the catalogue released one item at a time over the horizon; good new items = the top ${100 * GOOD_SHARE}% of them by click rate at the top;`,
  );
  console.log(
    `   a shopper's own next ${HELD} items are clicked at the top with probability ${NEXT_ITEM_CLICK} (average popularity, no affinity, quality 0)\n`,
  );
  console.log('click models (fitted on the fit half, last item held out):\n');
  printColumns(
    ['data set', 'fit users', 'shoppers', 'β₀', 'β_aff', 'β_pop', 'β_next', 'fit hit rate', 'CTR no exploration', 'CTR oracle'],
    checks.map(({ prepared, rows }) => {
      const { coefficients, fit } = prepared.model;
      return [
        prepared.dataset.name,
        String(prepared.fitUsers),
        String(prepared.shoppers.length),
        coefficients.intercept.toFixed(2),
        coefficients.affinity.toFixed(2),
        coefficients.popularity.toFixed(2),
        coefficients.next.toFixed(2),
        fit.hitRate.toFixed(4),
        rows.find((row) => row.setting === GREEDY)!.ctr.toFixed(4),
        rows.find((row) => row.setting === ORACLE)!.ctr.toFixed(4),
      ];
    }),
  );
  console.log(`\n-- grid on ${gridDataset!.name}, ${seedRange(gridSeeds)} (clicks and regret per run of ${rounds} rounds; intervals over seeds):\n`);
  printRows(gridRows, discoveryRounds);
  console.log(`\nchosen (most mean clicks on the grid): ${KINDS.map((kind) => `${kind} ${chosen[kind]}`).join(', ')}`);
  for (const { prepared, rows } of checks) {
    console.log(`\n-- check on ${prepared.dataset.name}, ${seedRange(checkSeeds)}:\n`);
    printRows(rows, discoveryRounds);
  }

  const policies = (rows: readonly Row[]) => rows.filter((row) => row.setting !== ORACLE);
  const winners = checks.map(({ prepared, rows }) => {
    const best = policies(rows).reduce((top, row) => (row.clicks.mean > top.clicks.mean ? row : top));
    return { dataset: prepared.dataset, best };
  });
  console.log('\nwinner (most mean clicks on the check seeds):');
  for (const { dataset, best } of winners) {
    console.log(`  ${dataset.name}: ${labelOf(best)}, ${ci(best.clicks)} clicks`);
  }
  console.log('\ngoal: do the slot defaults beat no exploration on clicks, and reach good new items faster? (check seeds, paired by seed)');
  for (const { prepared, rows } of checks) {
    for (const policy of defaults) {
      const row = rows.find((candidate) => candidate.setting.label === settingOf(policy.kind, policy.exploration).label)!;
      console.log(
        `  ${prepared.dataset.name}, ${policy.slot} ${row.setting.label}: ${verdict(row.vsGreedy)} clicks (${signed(row.vsGreedy)}); ${verdict(row.discoveredVsGreedy)} good new items reached (${signed({ mean: 100 * row.discoveredVsGreedy.mean, lower: 100 * row.discoveredVsGreedy.lower, upper: 100 * row.discoveredVsGreedy.upper })} points)`,
      );
    }
  }

  // Top row: the regret itself; bottom row: less no exploration's, where a policy whose exploration
  // pays back would turn down.
  const step = Math.max(1, Math.floor(rounds / CURVE_POINTS));
  const panels: Panel[] = [
    ...checks.map(({ prepared, rows }) => ({
      title: `${prepared.dataset.name}, ${seedRange(checkSeeds)}: cumulative regret`,
      step,
      curves: policies(rows).map((row) => ({ label: labelOf(row), points: row.curve })),
    })),
    ...checks.map(({ prepared, rows }) => {
      const greedy = rows.find((row) => row.setting === GREEDY)!.curve;
      return {
        title: `${prepared.dataset.name}: minus no exploration's`,
        step,
        curves: policies(rows).map((row) => ({ label: labelOf(row), points: row.curve.map((value, point) => value - greedy[point]!) })),
      };
    }),
  ];
  fs.mkdirSync(path.dirname(CHART), { recursive: true });
  fs.writeFileSync(
    CHART,
    regretChartSvg(
      'Cumulative regret against the oracle over rounds',
      `mean over ${config.EVAL_BANDIT_SEEDS} seeds; expected clicks the oracle's slate would have drawn and the policy's did not`,
      panels,
      checks.length,
    ),
  );
  console.log(`\nchart: ${path.relative(process.cwd(), CHART)}`);
  const totalSeconds = elapsed(started);
  // CPU time beside wall time: on a shared machine the wall clock says more about the neighbours.
  const cpuSeconds = process.cpuUsage().user / 1e6;
  console.log(`total ${totalSeconds.toFixed(1)} s, ${cpuSeconds.toFixed(1)} s of CPU (${os.cpus().length} CPUs)`);
  console.log(
    JSON.stringify({
      protocol: {
        rounds,
        slate: SLATE,
        gridSeeds,
        checkSeeds,
        gridDataset: gridDataset!.key,
        held: HELD,
        newShare: NEW_SHARE,
        goodShare: GOOD_SHARE,
        discoveryImpressions: DISCOVERY_IMPRESSIONS,
        discoveryRounds,
        grid: GRID,
        defaults: DEFAULT_SLOT_POLICIES,
      },
      clickModels: Object.fromEntries(
        checks.map(({ prepared }) => [
          prepared.dataset.key,
          {
            fitUsers: prepared.fitUsers,
            shoppers: prepared.shoppers.length,
            coefficients: Object.fromEntries(
              (['intercept', 'affinity', 'popularity', 'next', 'qualitySd'] as const).map((key) => [key, round(prepared.model.coefficients[key])]),
            ),
            fitHitRate: round(prepared.model.fit.hitRate),
          },
        ]),
      ),
      grid: Object.fromEntries(gridRows.map((row) => [row.setting.label, rowJson(row)])),
      chosen,
      check: Object.fromEntries(
        checks.map(({ prepared, rows }) => [prepared.dataset.key, Object.fromEntries(rows.map((row) => [row.setting.label, rowJson(row)]))]),
      ),
      winner: Object.fromEntries(winners.map(({ dataset, best }) => [dataset.key, best.setting.label])),
      seconds: round(totalSeconds),
      cpuSeconds: round(cpuSeconds),
    }),
  );
}

try {
  main();
} catch (error: unknown) {
  console.error(`eval:bandit: ${error instanceof Error ? error.message : String(error)}`);
  if ((error as { code?: string }).code === 'ENOENT')
    console.error('eval:bandit: set SERENDIP_DATA_DIR to the folder that holds amazon_beauty_s3rec/ and amazon_games_llmrank/');
  process.exit(1);
}
