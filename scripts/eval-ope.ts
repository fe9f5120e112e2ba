/**
 * pnpm eval:ope — off-policy evaluation on the Open Bandit Dataset sample, in two parts.
 *
 * 1. A sanity check of the estimators (packages/recsys estimators.ts): for each campaign (men,
 *    women) each logging policy's click rate is estimated from the OTHER policy's log and set beside
 *    its on-policy click rate and the published one. Target policy: the other log's empirical item
 *    distribution per position, π_e(item | position) = impressions of item at position / impressions
 *    at position in the target's own log. Every row of the evaluation log is one round: reward =
 *    click, propensity = its logged propensity_score, targetProbability = π_e(item | position). DR
 *    and DM use a reward model fitted on the evaluation log (no cross-fitting):
 *    q̂(item, position) = (clicks + 10·ctr_position) / (impressions + 10),
 *    expected = Σ_item π_e(item | position)·q̂(item, position).
 *
 * 2. Serendip's own serving policies (thompson, linucb, epsilon-greedy and the engine's fusion;
 *    scripts/eval/ope-policies.ts), run offline through the serving code. Protocol: the uniformly random
 *    log is split in time; its first EVAL_OPE_LEARN_SHARE of rows (up to a timestamp) is the
 *    policies' history (arm statistics, LinUCB's ridge statistics), its later rows are the evaluation
 *    rounds. A fixed split, not a learn-as-you-go replay: the state is then one per campaign, the
 *    evaluation rounds are independent given it (so the bootstrap intervals mean what they say), and
 *    a replay of a uniform log would keep only the ~1/34 of rounds where the policy agrees with the
 *    log. The random log as evaluation log keeps every weight ≤ 1 / (1/34) = 34 (men; 46 women).
 *    OBD's item choice had no per-round context beyond the user features, which the policies do not
 *    use, so a policy's P(item at position) is computed once per campaign: the average of
 *    chooseSlate's per-position distributions over EVAL_OPE_SLATES slates (ope-policies.ts
 *    `slateMarginals`). Each evaluation row is a round with targetProbability = P(its item at its
 *    position). DR's q̂ is the same smoothed click rate per (item, position), fitted on the learning
 *    rows, so it is independent of the rounds it corrects. A uniform policy (P = 1/items) runs
 *    through the same pipeline as a baseline; the BTS log over the evaluation period and the
 *    published click rates are the references.
 *
 * Prints two tables, writes bench-results/eval-ope.svg and bench-results/eval-ope-policies.svg
 * and, as its last line, one JSON object.
 *   SERENDIP_DATA_DIR      data folder (default <repo>/../shared/data)
 *   EVAL_OPE_BOOTSTRAP     bootstrap resamples per interval (default 1000)
 *   EVAL_OPE_LEARN_SHARE   share of the random log, in time order, the policies learn from (default 0.5)
 *   EVAL_OPE_SLATES        slates drawn per policy and campaign for its position probabilities (default 2000)
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, z } from '@serendip/config';
import { directMethod, doublyRobust, ipw, seededRng, snipw, type Estimate, type EstimateOptions, type LoggedRound } from '../packages/recsys/src';
import { DEFAULT_DIVERSITY, parseSlotPolicies } from '../subgraphs/recommendation/src/slate/slot-policies';
import { dataDirEnv, escapeXml } from './eval/report';
import { learnPolicies, slateMarginals, type ItemContext, type PolicySetting, type ServingPolicyName } from './eval/ope-policies';

const schema = z.object({
  ...dataDirEnv,
  EVAL_OPE_BOOTSTRAP: z.coerce.number().int().min(1).default(1000),
  EVAL_OPE_LEARN_SHARE: z.coerce.number().gt(0).lt(1).default(0.5),
  EVAL_OPE_SLATES: z.coerce.number().int().min(1).default(2000),
});
type Config = z.infer<typeof schema>;

const CHART = path.resolve(__dirname, '../bench-results/eval-ope.svg');
const POLICY_CHART = path.resolve(__dirname, '../bench-results/eval-ope-policies.svg');
const POLICIES = ['random', 'bts'] as const;
const CAMPAIGNS = ['men', 'women'] as const;
/** Published CTR of the full data (paper Table 1). */
const PUBLISHED: Record<Policy, Record<Campaign, number>> = { random: { men: 0.0051, women: 0.0048 }, bts: { men: 0.0067, women: 0.0064 } };
const SMOOTHING = 10;
/** OBD shows three items, positions 1 (left) to 3 (right). */
const SLATE_SIZE = 3;

type Policy = (typeof POLICIES)[number];
type Campaign = (typeof CAMPAIGNS)[number];

interface Row {
  /** UTC, in one fixed format, so strings compare in time order. */
  time: string;
  item: number;
  position: number;
  click: number;
  propensity: number;
}

interface OpeRound extends LoggedRound {
  item: number;
  position: number;
}

interface Result {
  campaign: Campaign;
  target: Policy;
  log: Policy;
  onPolicy: number;
  published: number;
  estimates: Estimate[];
}

function readLog(dataDir: string, policy: Policy, campaign: Campaign): Row[] {
  const file = path.join(dataDir, 'open_bandit_dataset', policy, campaign, `${campaign}.csv`);
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const columns = header!.split(',');
  const at = (name: string) => {
    const index = columns.indexOf(name);
    if (index < 0) throw new Error(`${file} has no ${name} column`);
    return index;
  };
  const [time, item, position, click, propensity] = [at('timestamp'), at('item_id'), at('position'), at('click'), at('propensity_score')];
  return lines.map((line) => {
    const cells = line.split(',');
    return {
      time: cells[time]!,
      item: Number(cells[item]),
      position: Number(cells[position]),
      click: Number(cells[click]),
      propensity: Number(cells[propensity]),
    };
  });
}

/** item_context.csv: item_feature_0 is numeric (standardised), the others hashed categories. */
function readItems(dataDir: string, policy: Policy, campaign: Campaign): ItemContext[] {
  const file = path.join(dataDir, 'open_bandit_dataset', policy, campaign, 'item_context.csv');
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const columns = header!.split(',');
  const item = columns.indexOf('item_id');
  const features = columns.flatMap((name, index) => (name.startsWith('item_feature_') ? [index] : []));
  if (item < 0 || features.length === 0) throw new Error(`${file} has no item_id or item_feature_ columns`);
  const [numeric, ...categorical] = features;
  return lines.map((line) => {
    const cells = line.split(',');
    return { item: Number(cells[item]), numeric: [Number(cells[numeric!])], categorical: categorical.map((index) => cells[index]!) };
  });
}

/** A number, not a string: the bootstrap refits the reward model a thousand times over these keys. OBD has 3 positions. */
const POSITION_STRIDE = 1024;
const key = (item: number, position: number) => item * POSITION_STRIDE + position;

interface Tally {
  clicks: number;
  shown: number;
}

function tally<K>(tallies: Map<K, Tally>, k: K, click: number): void {
  const entry = tallies.get(k) ?? { clicks: 0, shown: 0 };
  entry.clicks += click;
  entry.shown += 1;
  tallies.set(k, entry);
}

/** P(item | position) in a log. */
function empiricalPolicy(rows: readonly Row[]): Map<number, number> {
  const counts = new Map<number, number>();
  const perPosition = new Map<number, number>();
  for (const row of rows) {
    counts.set(key(row.item, row.position), (counts.get(key(row.item, row.position)) ?? 0) + 1);
    perPosition.set(row.position, (perPosition.get(row.position) ?? 0) + 1);
  }
  return new Map([...counts].map(([k, count]) => [k, count / perPosition.get(k % POSITION_STRIDE)!]));
}

/** q̂(item, position) = (clicks + 10·CTR of the position) / (impressions + 10) in `rows`. */
function rewardModel<T extends { item: number; position: number }>(
  rows: readonly T[],
  clicked: (row: T) => number,
): { q: (item: number, position: number) => number; positions: number[] } {
  const positionClicks = new Map<number, Tally>();
  const cellClicks = new Map<number, Tally>();
  for (const row of rows) {
    tally(positionClicks, row.position, clicked(row));
    tally(cellClicks, key(row.item, row.position), clicked(row));
  }
  const q = (item: number, position: number) => {
    const prior = positionClicks.get(position);
    const mean = prior ? prior.clicks / prior.shown : 0;
    const cell = cellClicks.get(key(item, position)) ?? { clicks: 0, shown: 0 };
    return (cell.clicks + SMOOTHING * mean) / (cell.shown + SMOOTHING);
  };
  return { q, positions: [...positionClicks.keys()] };
}

/** Logged rows as rounds under a target policy. */
function toRounds(rows: readonly Row[], targetProbability: (item: number, position: number) => number): OpeRound[] {
  return rows.map((row) => ({
    action: String(row.item),
    item: row.item,
    position: row.position,
    reward: row.click,
    propensity: row.propensity,
    targetProbability: targetProbability(row.item, row.position),
  }));
}

function evaluate(target: Policy, log: Policy, campaign: Campaign, logs: Map<string, Row[]>, bootstrap: number): Result {
  const evaluation = logs.get(`${log}/${campaign}`)!;
  const targetRows = logs.get(`${target}/${campaign}`)!;
  const policy = empiricalPolicy(targetRows);
  const items = [...new Set([...evaluation, ...targetRows].map((row) => row.item))];
  const probability = (item: number, position: number) => policy.get(key(item, position)) ?? 0;
  // q̂ is fitted on the rounds it corrects, so it is refitted on every bootstrap resample: DM's
  // interval then carries the model's own error rather than only the rows' sampling.
  const fitRewardModel = (sample: readonly OpeRound[]) => {
    const { q, positions } = rewardModel(sample, (round) => round.reward);
    const expected = new Map(positions.map((position) => [position, items.reduce((sum, item) => sum + probability(item, position) * q(item, position), 0)]));
    return (round: OpeRound) => ({ logged: q(round.item, round.position), expected: expected.get(round.position)! });
  };
  const rounds = toRounds(evaluation, probability);
  const options = { bootstrap, seed: 1, fitRewardModel };
  return {
    campaign,
    target,
    log,
    onPolicy: targetRows.reduce((sum, row) => sum + row.click, 0) / targetRows.length,
    published: PUBLISHED[target][campaign],
    estimates: [ipw(rounds, options), snipw(rounds, options), directMethod(rounds, options), doublyRobust(rounds, options)],
  };
}

type EvaluatedPolicy = ServingPolicyName | 'uniform';

interface PolicyResult {
  campaign: Campaign;
  policy: EvaluatedPolicy;
  /** The kind, exploration strength and the parameters it maps to, as served. */
  setting: string;
  estimates: Estimate[];
}

interface Reference {
  campaign: Campaign;
  reference: string;
  value: number;
  /** Bootstrap interval of a click rate measured here; none for a published one. */
  lower?: number;
  upper?: number;
}

interface PolicyEvaluation {
  campaign: Campaign;
  splitAt: string;
  learnRows: number;
  learnClicks: number;
  evaluationRows: number;
  evaluationClicks: number;
  results: PolicyResult[];
  references: Reference[];
}

/** Each kind at the exploration strength of the slot that serves it by default; fusion as the HOME slot. */
function servingSettings(): Record<ServingPolicyName, PolicySetting> {
  const slots = parseSlotPolicies('');
  const byKind = (kind: PolicySetting['kind']): PolicySetting => {
    const slot = Object.values(slots).find((policy) => policy.kind === kind);
    if (!slot) throw new Error(`no slot serves ${kind} by default, so it has no exploration strength to evaluate at`);
    return { kind, exploration: slot.exploration };
  };
  return { thompson: byKind('thompson'), linucb: byKind('linucb'), 'epsilon-greedy': byKind('epsilon-greedy'), fusion: { ...slots.HOME } };
}

/** The click rate of a log's own rows with its bootstrap interval: IPW with every weight 1. */
function onPolicy(rows: readonly Row[], bootstrap: number): Estimate {
  return ipw(
    rows.map((row) => ({ action: String(row.item), reward: row.click, propensity: row.propensity, targetProbability: row.propensity })),
    { bootstrap, seed: 1 },
  );
}

function evaluatePolicies(campaign: Campaign, logs: Map<string, Row[]>, items: readonly ItemContext[], config: Config): PolicyEvaluation {
  const random = logs.get(`random/${campaign}`)!;
  const splitAt = random[Math.floor(random.length * config.EVAL_OPE_LEARN_SHARE)]!.time;
  const learn = random.filter((row) => row.time < splitAt);
  const evaluation = random.filter((row) => row.time >= splitAt);
  const clicks = (rows: readonly Row[]) => rows.reduce((sum, row) => sum + row.click, 0);
  process.stderr.write(
    `${campaign}: learning from ${learn.length} random-log rows before ${splitAt} (${clicks(learn)} clicks), evaluating on ${evaluation.length} (${clicks(evaluation)} clicks)\n`,
  );

  const { q } = rewardModel(learn, (row) => row.click);
  const ids = items.map((item) => item.item);
  const estimateWith = (marginals: readonly Float64Array[]): Estimate[] => {
    const at = new Map(ids.map((item, i) => [item, i]));
    const probability = (item: number, position: number) => {
      const index = at.get(item);
      if (index === undefined) throw new Error(`item ${item} of the ${campaign} log has no context`);
      return marginals[position - 1]![index]!;
    };
    const expected = marginals.map((row, rank) => ids.reduce((sum, item, i) => sum + row[i]! * q(item, rank + 1), 0));
    const rounds = toRounds(evaluation, probability);
    // q̂ was fitted on the learning rows, independent of these: fixed, the intervals are conditional on it.
    const options: EstimateOptions<OpeRound> = {
      bootstrap: config.EVAL_OPE_BOOTSTRAP,
      seed: 1,
      rewardModel: (round) => ({ logged: q(round.item, round.position), expected: expected[round.position - 1]! }),
    };
    return [ipw(rounds, options), snipw(rounds, options), doublyRobust(rounds, options)];
  };

  const uniform = Array.from({ length: SLATE_SIZE }, () => new Float64Array(ids.length).fill(1 / ids.length));
  const results: PolicyResult[] = [{ campaign, policy: 'uniform', setting: `P = 1/${ids.length} per position`, estimates: estimateWith(uniform) }];
  learnPolicies(learn, items, servingSettings()).forEach((serving, index) => {
    const started = Date.now();
    const marginals = slateMarginals(serving.policy, serving.candidates, SLATE_SIZE, {
      rng: seededRng(CAMPAIGNS.indexOf(campaign) * 100 + index + 1),
      stats: serving.stats,
      diversity: DEFAULT_DIVERSITY,
      slates: config.EVAL_OPE_SLATES,
    });
    // Candidates come in the policy's own order (fusion sorts them by score); the rounds look items up by id.
    const byItem = marginals.map((row) => {
      const aligned = new Float64Array(ids.length);
      serving.candidates.forEach((candidate, i) => (aligned[ids.indexOf(Number(candidate.id))] = row[i]!));
      return aligned;
    });
    const params = Object.entries(serving.policy.params)
      .map(([name, value]) => `${name} ${Number.isInteger(value) ? value : value.toFixed(2)}`)
      .join(', ');
    results.push({
      campaign,
      policy: serving.name,
      setting: `${serving.setting.kind} s=${serving.setting.exploration} (${params})`,
      estimates: estimateWith(byItem),
    });
    process.stderr.write(`${campaign}: ${serving.name}: ${config.EVAL_OPE_SLATES} slates in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  });

  const bts = logs.get(`bts/${campaign}`)!.filter((row) => row.time >= splitAt);
  const measured = (reference: string, estimate: Estimate): Reference => ({
    campaign,
    reference,
    value: estimate.value,
    lower: estimate.lower,
    upper: estimate.upper,
  });
  return {
    campaign,
    splitAt,
    learnRows: learn.length,
    learnClicks: clicks(learn),
    evaluationRows: evaluation.length,
    evaluationClicks: clicks(evaluation),
    results,
    references: [
      { campaign, reference: 'published random (full data)', value: PUBLISHED.random[campaign] },
      { campaign, reference: 'published BTS (full data)', value: PUBLISHED.bts[campaign] },
      measured(`random log from ${splitAt.slice(0, 16)} (on-policy)`, onPolicy(evaluation, config.EVAL_OPE_BOOTSTRAP)),
      measured(`BTS log from ${splitAt.slice(0, 16)} (on-policy)`, onPolicy(bts, config.EVAL_OPE_BOOTSTRAP)),
    ],
  };
}

const pct = (value: number) => `${(value * 100).toFixed(2)}%`;
const inside = (estimate: Estimate, value: number) => estimate.lower <= value && value <= estimate.upper;
const interval = (estimate: { lower: number; upper: number }) => `[${pct(estimate.lower)}, ${pct(estimate.upper)}]`;
const versus = (estimate: Estimate, value: number) => (estimate.lower > value ? 'above' : estimate.upper < value ? 'below' : 'inside');

function printTable(header: readonly string[], lines: readonly string[][]): void {
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: readonly string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(format(header));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const line of lines) console.log(format(line));
}

function printResults(results: readonly Result[]): void {
  printTable(
    ['campaign', 'target (log)', 'on-policy', 'published', 'estimator', 'estimate', '95% interval', 'on-policy inside'],
    results.flatMap((result) =>
      result.estimates.map((estimate) => [
        result.campaign,
        `${result.target} (${result.log} log)`,
        pct(result.onPolicy),
        pct(result.published),
        estimate.estimator,
        pct(estimate.value),
        interval(estimate),
        inside(estimate, result.onPolicy) ? 'yes' : 'no',
      ]),
    ),
  );
}

/** One estimate as a bar from `baseline` up to its value, with its interval as a capped whisker through the middle. */
function intervalBar(x: number, width: number, estimate: Estimate, y: (value: number) => number, baseline: number, fill: string, cap: number): string[] {
  const mid = x + width / 2;
  return [
    `<rect x="${x}" y="${y(estimate.value)}" width="${width}" height="${baseline - y(estimate.value)}" fill="${fill}"/>`,
    `<line x1="${mid}" x2="${mid}" y1="${y(estimate.lower)}" y2="${y(estimate.upper)}" stroke="black"/>`,
    ...[estimate.lower, estimate.upper].map((value) => `<line x1="${mid - cap}" x2="${mid + cap}" y1="${y(value)}" y2="${y(value)}" stroke="black"/>`),
  ];
}

function chart(results: readonly Result[]): string {
  const fills: Record<Estimate['estimator'], string> = { IPW: '#2f6db5', SNIPW: '#27ae60', DM: '#8e44ad', DR: '#c0392b' };
  const top = 50;
  const height = 300;
  const bar = 22;
  const groupWidth = 4 * bar + 40;
  const max = Math.max(...results.flatMap((result) => [result.onPolicy, result.published, ...result.estimates.map((e) => e.upper)])) * 1.1;
  const y = (value: number) => top + height - (Math.max(0, value) / max) * height;
  const parts: string[] = [];
  for (let tick = 0; tick <= max; tick += 0.0025) {
    parts.push(`<line x1="60" x2="${60 + results.length * groupWidth}" y1="${y(tick)}" y2="${y(tick)}" stroke="#ddd"/>`);
    parts.push(`<text x="55" y="${y(tick) + 4}" text-anchor="end">${pct(tick)}</text>`);
  }
  results.forEach((result, g) => {
    const x0 = 60 + g * groupWidth + 20;
    result.estimates.forEach((estimate, i) => {
      parts.push(...intervalBar(x0 + i * bar, bar - 4, estimate, y, top + height, fills[estimate.estimator], 4));
    });
    const x1 = x0 + 4 * bar - 4;
    parts.push(
      `<line x1="${x0 - 4}" x2="${x1}" y1="${y(result.onPolicy)}" y2="${y(result.onPolicy)}" stroke="black" stroke-width="2" stroke-dasharray="5 3"/>`,
    );
    parts.push(`<line x1="${x0 - 4}" x2="${x1}" y1="${y(result.published)}" y2="${y(result.published)}" stroke="#e67e22" stroke-width="2"/>`);
    parts.push(`<text x="${x0 + 2 * bar}" y="${top + height + 16}" text-anchor="middle">${escapeXml(`${result.campaign}: ${result.target}`)}</text>`);
    parts.push(`<text x="${x0 + 2 * bar}" y="${top + height + 30}" text-anchor="middle" fill="#555">${escapeXml(`from ${result.log} log`)}</text>`);
  });
  const legendEntries: [string, string][] = [...Object.entries(fills), ['on-policy (dashed)', 'black'], ['published', '#e67e22']];
  const legend = legendEntries.map(
    ([label, fill], i) =>
      `<rect x="${60 + i * 120}" y="${top + height + 44}" width="12" height="12" fill="${fill}"/><text x="${76 + i * 120}" y="${top + height + 54}">${escapeXml(label)}</text>`,
  );
  const width = 60 + results.length * groupWidth + 40;
  const total = top + height + 70;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.max(width, 800)}" height="${total}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="60" y="24" font-size="16" font-weight="bold">Open Bandit Dataset: each policy's CTR estimated off-policy from the other's log (95% bootstrap)</text>`,
    ...parts,
    ...legend,
    '</svg>',
  ].join('\n');
}

function printPolicyResults(evaluations: readonly PolicyEvaluation[]): void {
  printTable(
    ['campaign', 'policy', 'setting', 'IPW', 'SNIPW', 'DR', 'DR interval vs published random / BTS'],
    evaluations.flatMap((evaluation) =>
      evaluation.results.map((result) => {
        const dr = result.estimates.find((estimate) => estimate.estimator === 'DR')!;
        return [
          result.campaign,
          result.policy,
          result.setting,
          ...result.estimates.map((estimate) => `${pct(estimate.value)} ${interval(estimate)}`),
          `${versus(dr, PUBLISHED.random[result.campaign])} / ${versus(dr, PUBLISHED.bts[result.campaign])}`,
        ];
      }),
    ),
  );
  console.log('');
  printTable(
    ['campaign', 'reference', 'click rate', '95% interval'],
    evaluations.flatMap((evaluation) =>
      evaluation.references.map((reference) => [
        reference.campaign,
        reference.reference,
        pct(reference.value),
        reference.lower !== undefined && reference.upper !== undefined ? interval({ lower: reference.lower, upper: reference.upper }) : '',
      ]),
    ),
  );
}

function policyChart(evaluations: readonly PolicyEvaluation[]): string {
  const fills: Partial<Record<Estimate['estimator'], string>> = { IPW: '#2f6db5', SNIPW: '#27ae60', DR: '#c0392b' };
  const lines: [string, string, string][] = [
    ['published random', '#e67e22', ''],
    ['published BTS', '#8e44ad', ''],
    ['BTS log, same period', '#555', '4 4'],
  ];
  // Room above the plot for the labels of whiskers past the axis.
  const top = 120;
  const height = 300;
  const bar = 16;
  const groupWidth = 3 * bar + 24;
  const campaignGap = 40;
  // A policy that bets on a few items can have an upper bound ten times the published rates; past
  // three times the highest of those the axis stops and the whisker is labelled instead.
  const highest = Math.max(
    ...evaluations.flatMap((evaluation) => [
      ...evaluation.references.map((reference) => reference.upper ?? reference.value),
      ...evaluation.results.flatMap((result) => result.estimates.map((estimate) => estimate.upper)),
    ]),
  );
  const max = Math.min(highest * 1.1, 3 * Math.max(...Object.values(PUBLISHED).flatMap((rates) => Object.values(rates))));
  const y = (value: number) => top + height - (Math.min(max, Math.max(0, value)) / max) * height;
  const parts: string[] = [];
  let x = 80;
  const left = x;
  for (const evaluation of evaluations) {
    const start = x;
    for (const result of evaluation.results) {
      result.estimates.forEach((estimate, i) => {
        const bx = x + i * bar;
        const mid = bx + bar / 2 - 2;
        parts.push(...intervalBar(bx, bar - 4, estimate, y, top + height, fills[estimate.estimator] ?? '#999', 3));
        if (estimate.upper > max) {
          parts.push(
            `<text transform="translate(${mid + 4} ${top - 4}) rotate(-90)" font-size="10">${escapeXml(`${pct(estimate.value)} (↑${pct(estimate.upper)})`)}</text>`,
          );
        }
      });
      parts.push(`<text x="${x + 1.5 * bar}" y="${top + height + 16}" text-anchor="middle">${escapeXml(result.policy)}</text>`);
      x += groupWidth;
    }
    const end = x - groupWidth + 3 * bar;
    const [publishedRandom, publishedBts, , btsLog] = evaluation.references;
    [publishedRandom, publishedBts, btsLog].forEach((reference, i) => {
      const [, stroke, dash] = lines[i]!;
      parts.push(
        `<line x1="${start - 6}" x2="${end + 2}" y1="${y(reference!.value)}" y2="${y(reference!.value)}" stroke="${stroke}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
      );
    });
    parts.push(`<text x="${(start + end) / 2}" y="${top + height + 34}" text-anchor="middle" font-weight="bold">${escapeXml(evaluation.campaign)}</text>`);
    x += campaignGap;
  }
  const right = x - campaignGap + 10;
  const ticks: string[] = [];
  for (let tick = 0; tick <= max; tick += max > 0.02 ? 0.005 : 0.0025) {
    ticks.push(`<line x1="${left - 10}" x2="${right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#ddd"/>`);
    ticks.push(`<text x="${left - 15}" y="${y(tick) + 4}" text-anchor="end">${pct(tick)}</text>`);
  }
  const legendEntries: [string, string][] = [
    ...Object.entries(fills).map(([label, fill]): [string, string] => [label, fill]),
    ...lines.map(([label, fill]): [string, string] => [label, fill]),
  ];
  const legend = legendEntries.map(
    ([label, fill], i) =>
      `<rect x="${left + i * 130}" y="${top + height + 48}" width="12" height="12" fill="${fill}"/><text x="${left + 16 + i * 130}" y="${top + height + 58}">${escapeXml(label)}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.max(right + 20, left + legendEntries.length * 130, 900)}" height="${top + height + 80}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left - 10}" y="24" font-size="16" font-weight="bold">Open Bandit Dataset: serving policies evaluated offline (95% bootstrap)</text>`,
    ...ticks,
    ...parts,
    ...legend,
    '</svg>',
  ].join('\n');
}

function main(): void {
  const config = loadConfig('eval-ope', schema);
  const logs = new Map<string, Row[]>();
  for (const policy of POLICIES) {
    for (const campaign of CAMPAIGNS) {
      logs.set(`${policy}/${campaign}`, readLog(config.SERENDIP_DATA_DIR, policy, campaign));
      process.stderr.write(`read ${policy}/${campaign}: ${logs.get(`${policy}/${campaign}`)!.length} rows\n`);
    }
  }
  const results: Result[] = [];
  for (const campaign of CAMPAIGNS) {
    for (const target of POLICIES) {
      const log = target === 'random' ? 'bts' : 'random';
      process.stderr.write(`estimating ${target}/${campaign} from the ${log} log\n`);
      results.push(evaluate(target, log, campaign, logs, config.EVAL_OPE_BOOTSTRAP));
    }
  }
  printResults(results);
  fs.mkdirSync(path.dirname(CHART), { recursive: true });
  fs.writeFileSync(CHART, chart(results));
  process.stderr.write(`wrote ${path.relative(process.cwd(), CHART)}\n`);

  const evaluations = CAMPAIGNS.map((campaign) => evaluatePolicies(campaign, logs, readItems(config.SERENDIP_DATA_DIR, 'random', campaign), config));
  console.log('');
  printPolicyResults(evaluations);
  fs.writeFileSync(POLICY_CHART, policyChart(evaluations));
  process.stderr.write(`wrote ${path.relative(process.cwd(), POLICY_CHART)}\n`);
  console.log(
    JSON.stringify({
      dataset: 'open_bandit_dataset (shared sample)',
      bootstrap: config.EVAL_OPE_BOOTSTRAP,
      results: results.map((result) => ({
        campaign: result.campaign,
        target: result.target,
        log: result.log,
        onPolicy: result.onPolicy,
        published: result.published,
        estimates: Object.fromEntries(
          result.estimates.map((e) => [e.estimator, { value: e.value, lower: e.lower, upper: e.upper, onPolicyInside: inside(e, result.onPolicy) }]),
        ),
      })),
      protocol: {
        learn: `random log, first ${config.EVAL_OPE_LEARN_SHARE} of rows in time`,
        evaluate: 'random log, the rows after',
        slates: config.EVAL_OPE_SLATES,
        split: evaluations.map(({ campaign, splitAt, learnRows, learnClicks, evaluationRows, evaluationClicks }) => ({
          campaign,
          splitAt,
          learnRows,
          learnClicks,
          evaluationRows,
          evaluationClicks,
        })),
      },
      policies: evaluations.flatMap((evaluation) =>
        evaluation.results.map((result) => ({
          campaign: result.campaign,
          policy: result.policy,
          setting: result.setting,
          estimates: Object.fromEntries(result.estimates.map((e) => [e.estimator, { value: e.value, lower: e.lower, upper: e.upper }])),
        })),
      ),
      references: evaluations.flatMap((evaluation) => evaluation.references),
    }),
  );
}

try {
  main();
} catch (error: unknown) {
  // A missing data folder is the usual failure: say which file, without a stack trace.
  console.error(`eval:ope: ${error instanceof Error ? error.message : String(error)}`);
  if ((error as { code?: string }).code === 'ENOENT') console.error('eval:ope: set SERENDIP_DATA_DIR to the folder that holds open_bandit_dataset/');
  process.exit(1);
}
