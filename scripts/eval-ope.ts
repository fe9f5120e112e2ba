/**
 * pnpm eval:ope — a sanity check of the off-policy estimators (packages/recsys estimators.ts) on the
 * Open Bandit Dataset sample: for each campaign (men, women) each logging policy's click rate is
 * estimated from the OTHER policy's log and set beside its on-policy click rate and the published one.
 *
 * Target policy: the other log's empirical item distribution per position,
 * π_e(item | position) = impressions of item at position / impressions at position in the target's
 * own log. Every row of the evaluation log is one round: reward = click, propensity = its logged
 * propensity_score, targetProbability = π_e(item | position). DR and DM use a reward model fitted on
 * the evaluation log (no cross-fitting): q̂(item, position) = (clicks + 10·ctr_position) /
 * (impressions + 10), expected = Σ_item π_e(item | position)·q̂(item, position).
 * Prints a table, writes bench-results/eval-ope.svg and, as its last line, one JSON object.
 *   SERENDIP_DATA_DIR    data folder (default <repo>/../shared/data)
 *   EVAL_OPE_BOOTSTRAP   bootstrap resamples per interval (default 1000)
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, z } from '@serendip/config';
import { directMethod, doublyRobust, ipw, snipw, type Estimate, type LoggedRound } from '../packages/recsys/src';
import { dataDirEnv, escapeXml } from './eval-sentiment';

const schema = z.object({
  ...dataDirEnv,
  EVAL_OPE_BOOTSTRAP: z.coerce.number().int().min(1).default(1000),
});

const CHART = path.resolve(__dirname, '../bench-results/eval-ope.svg');
const POLICIES = ['random', 'bts'] as const;
const CAMPAIGNS = ['men', 'women'] as const;
/** Published CTR of the full data (paper Table 1). */
const PUBLISHED: Record<Policy, Record<Campaign, number>> = { random: { men: 0.0051, women: 0.0048 }, bts: { men: 0.0067, women: 0.0064 } };
const SMOOTHING = 10;

type Policy = (typeof POLICIES)[number];
type Campaign = (typeof CAMPAIGNS)[number];

interface Row {
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
  const [item, position, click, propensity] = [at('item_id'), at('position'), at('click'), at('propensity_score')];
  return lines.map((line) => {
    const cells = line.split(',');
    return { item: Number(cells[item]), position: Number(cells[position]), click: Number(cells[click]), propensity: Number(cells[propensity]) };
  });
}

const key = (item: number, position: number) => `${item}@${position}`;

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
function empiricalPolicy(rows: readonly Row[]): Map<string, number> {
  const counts = new Map<string, number>();
  const perPosition = new Map<number, number>();
  for (const row of rows) {
    counts.set(key(row.item, row.position), (counts.get(key(row.item, row.position)) ?? 0) + 1);
    perPosition.set(row.position, (perPosition.get(row.position) ?? 0) + 1);
  }
  return new Map([...counts].map(([k, count]) => [k, count / perPosition.get(Number(k.split('@')[1]))!]));
}

function evaluate(target: Policy, log: Policy, campaign: Campaign, logs: Map<string, Row[]>, bootstrap: number): Result {
  const evaluation = logs.get(`${log}/${campaign}`)!;
  const targetRows = logs.get(`${target}/${campaign}`)!;
  const policy = empiricalPolicy(targetRows);
  const items = [...new Set([...evaluation, ...targetRows].map((row) => row.item))];
  const positionClicks = new Map<number, Tally>();
  const cellClicks = new Map<string, Tally>();
  for (const row of evaluation) {
    tally(positionClicks, row.position, row.click);
    tally(cellClicks, key(row.item, row.position), row.click);
  }
  const q = (item: number, position: number) => {
    const prior = positionClicks.get(position);
    const mean = prior ? prior.clicks / prior.shown : 0;
    const cell = cellClicks.get(key(item, position)) ?? { clicks: 0, shown: 0 };
    return (cell.clicks + SMOOTHING * mean) / (cell.shown + SMOOTHING);
  };
  const expected = new Map<number, number>();
  for (const position of positionClicks.keys()) {
    expected.set(position, items.reduce((sum, item) => sum + (policy.get(key(item, position)) ?? 0) * q(item, position), 0));
  }
  const rounds: OpeRound[] = evaluation.map((row) => ({
    action: String(row.item),
    item: row.item,
    position: row.position,
    reward: row.click,
    propensity: row.propensity,
    targetProbability: policy.get(key(row.item, row.position)) ?? 0,
  }));
  const options = {
    bootstrap,
    seed: 1,
    rewardModel: (round: OpeRound) => ({ logged: q(round.item, round.position), expected: expected.get(round.position)! }),
  };
  return {
    campaign,
    target,
    log,
    onPolicy: targetRows.reduce((sum, row) => sum + row.click, 0) / targetRows.length,
    published: PUBLISHED[target][campaign],
    estimates: [ipw(rounds, options), snipw(rounds, options), directMethod(rounds, options), doublyRobust(rounds, options)],
  };
}

const pct = (value: number) => `${(value * 100).toFixed(2)}%`;
const inside = (estimate: Estimate, value: number) => estimate.lower <= value && value <= estimate.upper;

function printResults(results: readonly Result[]): void {
  const header = ['campaign', 'target (log)', 'on-policy', 'published', 'estimator', 'estimate', '95% interval', 'on-policy inside'];
  const lines = results.flatMap((result) =>
    result.estimates.map((estimate) => [
      result.campaign,
      `${result.target} (${result.log} log)`,
      pct(result.onPolicy),
      pct(result.published),
      estimate.estimator,
      pct(estimate.value),
      `[${pct(estimate.lower)}, ${pct(estimate.upper)}]`,
      inside(estimate, result.onPolicy) ? 'yes' : 'no',
    ]),
  );
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(format(header));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const line of lines) console.log(format(line));
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
      const x = x0 + i * bar;
      const mid = x + bar / 2 - 2;
      parts.push(`<rect x="${x}" y="${y(estimate.value)}" width="${bar - 4}" height="${top + height - y(estimate.value)}" fill="${fills[estimate.estimator]}"/>`);
      parts.push(`<line x1="${mid}" x2="${mid}" y1="${y(estimate.lower)}" y2="${y(estimate.upper)}" stroke="black"/>`);
      for (const value of [estimate.lower, estimate.upper]) parts.push(`<line x1="${mid - 4}" x2="${mid + 4}" y1="${y(value)}" y2="${y(value)}" stroke="black"/>`);
    });
    const x1 = x0 + 4 * bar - 4;
    parts.push(`<line x1="${x0 - 4}" x2="${x1}" y1="${y(result.onPolicy)}" y2="${y(result.onPolicy)}" stroke="black" stroke-width="2" stroke-dasharray="5 3"/>`);
    parts.push(`<line x1="${x0 - 4}" x2="${x1}" y1="${y(result.published)}" y2="${y(result.published)}" stroke="#e67e22" stroke-width="2"/>`);
    parts.push(`<text x="${x0 + 2 * bar}" y="${top + height + 16}" text-anchor="middle">${escapeXml(`${result.campaign}: ${result.target}`)}</text>`);
    parts.push(`<text x="${x0 + 2 * bar}" y="${top + height + 30}" text-anchor="middle" fill="#555">${escapeXml(`from ${result.log} log`)}</text>`);
  });
  const legendEntries: [string, string][] = [...Object.entries(fills), ['on-policy (dashed)', 'black'], ['published', '#e67e22']];
  const legend = legendEntries.map(
    ([label, fill], i) => `<rect x="${60 + i * 120}" y="${top + height + 44}" width="12" height="12" fill="${fill}"/><text x="${76 + i * 120}" y="${top + height + 54}">${escapeXml(label)}</text>`,
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
    }),
  );
}

main();
