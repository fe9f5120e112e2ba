import { RecsysError } from './errors';
import { requireFinite } from './validate';

/** One candidate source's raw score for an item (ANN similarity, co-occurrence weight, trend count…). */
export interface SourceScore {
  id: string;
  score: number;
}

export interface FusedCandidate {
  id: string;
  /** Weighted mean of the normalised source scores, in [0, 1], times the item's `multiplier` when one is given. */
  score: number;
  /** The item's normalised score in each source that returned it. */
  sources: Record<string, number>;
  /** The source contributing most (weight × normalised score): what the item is "because of". */
  primary: string;
}

/**
 * - `min-max`: (s − min) / (max − min); keeps the gaps between scores.
 * - `rank`: 1 − rank / n with ties sharing the best rank; immune to heavy-tailed scores such as counts.
 * Either way a list with one item, or with all scores equal, gives every item 1: being in a
 * source's list is itself the signal.
 */
export type Normalisation = 'min-max' | 'rank';

export interface FusionOptions {
  /** @default 'min-max' */
  normalisation?: Normalisation;
  /**
   * A per-item factor ≥ 0 applied to the fused score before sorting: what the sources cannot see
   * about an item (its review quality, see `qualityMultiplier`). Scores may then exceed 1.
   */
  multiplier?: (id: string) => number;
}

/** Normalises one source's scores to [0, 1]; an id listed twice keeps its higher score. */
export function normaliseSource(list: readonly SourceScore[], normalisation: Normalisation = 'min-max'): Map<string, number> {
  const raw = new Map<string, number>();
  for (const { id, score } of list) {
    requireFinite(score, 'score');
    const previous = raw.get(id);
    if (previous === undefined || score > previous) raw.set(id, score);
  }
  const result = new Map<string, number>();
  if (normalisation === 'rank') {
    const sorted = [...raw].sort((a, b) => b[1] - a[1]);
    let rank = 0;
    sorted.forEach(([id, score], position) => {
      if (position > 0 && score < sorted[position - 1]![1]) rank = position;
      result.set(id, 1 - rank / sorted.length);
    });
    return result;
  }
  let min = Infinity;
  let max = -Infinity;
  for (const score of raw.values()) {
    min = Math.min(min, score);
    max = Math.max(max, score);
  }
  for (const [id, score] of raw) result.set(id, max > min ? (score - min) / (max - min) : 1);
  return result;
}

/**
 * Fuses per-source candidate lists into one exploit score: each source is normalised on its own,
 * then score = Σ weight_s · normalised_s / Σ weight_s, where the total runs over the sources that
 * returned anything (an empty source should not deflate everyone's score). A source without a
 * weight counts 0: its items stay candidates, for exploration, without adding to the score.
 * Sorted by score, ties by id.
 */
export function fuseScores(
  sources: Readonly<Record<string, readonly SourceScore[]>>,
  weights: Readonly<Record<string, number>>,
  options: FusionOptions = {},
): FusedCandidate[] {
  const normalisation = options.normalisation ?? 'min-max';
  if (normalisation !== 'min-max' && normalisation !== 'rank') throw new RecsysError(`unknown normalisation ${String(normalisation)}`, 'normalisation');
  for (const [source, weight] of Object.entries(weights)) {
    if (!(weight >= 0) || !Number.isFinite(weight)) throw new RecsysError(`weight of ${source} must be a finite number >= 0, got ${weight}`, 'weights');
  }
  const names = Object.keys(sources).sort();
  const normalised = new Map<string, Map<string, number>>();
  let totalWeight = 0;
  for (const name of names) {
    const list = sources[name]!;
    if (list.length === 0) continue;
    normalised.set(name, normaliseSource(list, normalisation));
    totalWeight += weights[name] ?? 0;
  }

  const byId = new Map<string, FusedCandidate & { best: number; bestNormalised: number }>();
  for (const [name, scores] of normalised) {
    const weight = weights[name] ?? 0;
    for (const [id, value] of scores) {
      let candidate = byId.get(id);
      if (!candidate) {
        candidate = { id, score: 0, sources: {}, primary: name, best: -1, bestNormalised: -1 };
        byId.set(id, candidate);
      }
      candidate.sources[name] = value;
      candidate.score += weight * value;
      const contribution = weight * value;
      // Sources are visited in name order, so equal contributions and values keep the first name.
      if (contribution > candidate.best || (contribution === candidate.best && value > candidate.bestNormalised)) {
        candidate.best = contribution;
        candidate.bestNormalised = value;
        candidate.primary = name;
      }
    }
  }
  const factor = (id: string): number => {
    if (!options.multiplier) return 1;
    const value = options.multiplier(id);
    if (!(value >= 0) || !Number.isFinite(value)) throw new RecsysError(`multiplier of ${id} must be a finite number >= 0, got ${value}`, 'multiplier');
    return value;
  };
  return [...byId.values()]
    .map(({ id, score, sources: perSource, primary }) => ({
      id,
      score: (totalWeight > 0 ? Math.min(1, score / totalWeight) : 0) * factor(id),
      sources: perSource,
      primary,
    }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
