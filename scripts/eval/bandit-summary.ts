/**
 * Summaries of pnpm eval:bandit's runs over seeds: t intervals, paired differences, the choice of
 * exploration strengths on the grid, and the chart of cumulative regret.
 */
import { normalQuantile, type PolicyKind } from '../../packages/recsys/src';
import { escapeXml } from './report';

export interface Interval {
  mean: number;
  lower: number;
  upper: number;
}

/**
 * Student's t quantile from the normal one by the Cornish–Fisher expansion (Abramowitz & Stegun
 * 26.7.5): 0.03 below the exact value at 2 degrees of freedom (3 seeds), within 0.005 from 3 up.
 */
export function tQuantile(p: number, df: number): number {
  const z = normalQuantile(p);
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  const g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

/** Mean and 95% t interval of the values (one per seed); a single value has a zero-width interval. */
export function interval(values: readonly number[]): Interval {
  const n = values.length;
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  if (n < 2) return { mean, lower: mean, upper: mean };
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1);
  const half = tQuantile(0.975, n - 1) * Math.sqrt(variance / n);
  return { mean, lower: mean - half, upper: mean + half };
}

/** The interval of a − b seed by seed: every policy of a seed met the same shoppers and click draws, so the pairs share their luck. */
export const pairedDifference = (a: readonly number[], b: readonly number[]): Interval => interval(a.map((value, seed) => value - b[seed]!));

/** Median of the values; Infinity counts as larger than everything. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Infinity;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/**
 * Per kind, the strength with the most mean clicks among those above 0; a tie goes to the weaker,
 * which costs less when it is wrong. Strength 0 is measured as a reference but never chosen: a
 * slot's policy must keep every candidate's probability above 0, or its logs could not evaluate
 * another policy offline (eval:ope) and a slate would never show what its scores rank low.
 */
export function chooseStrengths(meanClicks: readonly { kind: PolicyKind; exploration: number; clicks: number }[]): Record<PolicyKind, number> {
  const best = new Map<PolicyKind, { exploration: number; clicks: number }>();
  for (const { kind, exploration, clicks } of meanClicks) {
    if (exploration <= 0) continue;
    const current = best.get(kind);
    if (!current || clicks > current.clicks || (clicks === current.clicks && exploration < current.exploration)) best.set(kind, { exploration, clicks });
  }
  const strength = (kind: PolicyKind) => {
    const chosen = best.get(kind);
    if (!chosen) throw new Error(`the grid has no ${kind} setting above strength 0`);
    return chosen.exploration;
  };
  return { 'epsilon-greedy': strength('epsilon-greedy'), thompson: strength('thompson'), linucb: strength('linucb') };
}

/** One line of the chart: a policy's mean cumulative regret after each checkpoint. */
export interface Curve {
  label: string;
  points: readonly number[];
}

export interface Panel {
  title: string;
  /** Rounds per point. */
  step: number;
  curves: readonly Curve[];
}

const COLOURS = ['#555555', '#2f6db5', '#d9822b', '#3a9a4a', '#b53a3a', '#7b52ab', '#1f9aa5', '#a58a1f'];

/**
 * Line charts over rounds in a grid of `columns` panels per row (one per data set, say), one
 * colour per policy across panels, with one shared legend. A panel's scale includes 0 and any
 * negative values, so a curve that falls below its reference shows it.
 */
export function regretChartSvg(title: string, subtitle: string, panels: readonly Panel[], columns: number): string {
  const labels = [...new Set(panels.flatMap((panel) => panel.curves.map((curve) => curve.label)))];
  const colour = (label: string) => COLOURS[labels.indexOf(label) % COLOURS.length]!;
  const plotWidth = 420;
  const plotHeight = 240;
  const left = 70;
  const top = 70;
  const gapX = 90;
  const gapY = 90;
  const rows = Math.ceil(panels.length / columns);
  const width = left + columns * (plotWidth + gapX);
  const legendTop = top + rows * (plotHeight + gapY) - 20;
  const height = legendTop + labels.length * 18 + 10;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="24" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${left}" y="44" fill="#555">${escapeXml(subtitle)}</text>`,
  ];
  panels.forEach((panel, index) => {
    const x0 = left + (index % columns) * (plotWidth + gapX);
    const y0 = top + Math.floor(index / columns) * (plotHeight + gapY);
    const points = Math.max(1, ...panel.curves.map((curve) => curve.points.length));
    const values = panel.curves.flatMap((curve) => curve.points);
    const low = Math.min(0, ...values);
    const high = Math.max(1e-9, ...values);
    const margin = 0.05 * (high - low);
    const x = (point: number) => x0 + ((point + 1) / points) * plotWidth;
    const y = (value: number) => y0 + plotHeight - ((value - low + margin) / (high - low + 2 * margin)) * plotHeight;
    parts.push(`<text x="${x0}" y="${y0 - 10}" font-weight="bold">${escapeXml(panel.title)}</text>`);
    for (let tick = 0; tick <= 4; tick++) {
      const value = low + ((high - low) * tick) / 4;
      parts.push(`<line x1="${x0}" x2="${x0 + plotWidth}" y1="${y(value)}" y2="${y(value)}" stroke="#eee"/>`);
      parts.push(`<text x="${x0 - 6}" y="${y(value) + 4}" text-anchor="end" fill="#555">${value.toFixed(0)}</text>`);
      const rounds = Math.round(((points * panel.step) / 4) * tick);
      parts.push(`<text x="${x0 + (plotWidth * tick) / 4}" y="${y0 + plotHeight + 16}" text-anchor="middle" fill="#555">${rounds}</text>`);
    }
    parts.push(`<line x1="${x0}" x2="${x0 + plotWidth}" y1="${y(0)}" y2="${y(0)}" stroke="#999"/>`);
    parts.push(`<text x="${x0 + plotWidth / 2}" y="${y0 + plotHeight + 34}" text-anchor="middle" fill="#555">rounds</text>`);
    for (const curve of panel.curves) {
      const path = [`${x0},${y(0)}`, ...curve.points.map((value, point) => `${x(point).toFixed(1)},${y(value).toFixed(1)}`)].join(' ');
      parts.push(`<polyline fill="none" stroke="${colour(curve.label)}" stroke-width="1.8" points="${path}"/>`);
    }
  });
  labels.forEach((label, index) => {
    const y = legendTop + index * 18;
    parts.push(`<line x1="${left}" x2="${left + 24}" y1="${y - 4}" y2="${y - 4}" stroke="${colour(label)}" stroke-width="3"/>`);
    parts.push(`<text x="${left + 32}" y="${y}">${escapeXml(label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
