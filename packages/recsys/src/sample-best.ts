/**
 * The searches behind Thompson sampling's Monte Carlo propensities: at each position of a slate,
 * every sample's best value among the other remaining candidates, λ·draw − MMR penalty. A plain
 * scan reads samples × candidates values a position; most candidates cannot lead any sample (their
 * best draw is far below the leaders'), and `sampleBest` passes over those after one comparison.
 */

/** One slate's Monte Carlo draws, candidate-major, with what the winner search reads first. */
export interface SampleDraws {
  samples: number;
  /** `candidates × samples`: row i holds candidate i's draws. */
  draws: Float64Array;
  /** Each candidate's highest draw. */
  top: Float64Array;
  /** Candidate indices by highest draw, highest first. */
  order: Int32Array;
}

export function sampleDraws(draws: Float64Array, samples: number): SampleDraws {
  const n = draws.length / samples;
  const top = new Float64Array(n).fill(-Infinity);
  for (let i = 0; i < n; i++) for (let s = 0; s < samples; s++) if (draws[i * samples + s]! > top[i]!) top[i] = draws[i * samples + s]!;
  const order = Int32Array.from(top.keys()).sort((x, y) => top[y]! - top[x]! || x - y);
  return { samples, draws, top, order };
}

/**
 * Each sample's best value among the `open` candidates, λ·draw − penalty[index], written to
 * `best` (−Infinity where none is open). Candidates are read by highest draw; one whose highest
 * draw less its penalty is below every sample's best so far cannot raise any, and once a
 * candidate's highest draw alone is below that, neither can any after it (penalties are never
 * negative), so the search stops.
 */
export function sampleBest(
  { samples, draws, top, order }: SampleDraws,
  open: Uint8Array,
  penalty: (index: number) => number,
  lambda: number,
  best: Float64Array,
): void {
  best.fill(-Infinity);
  let floor = -Infinity;
  for (const index of order) {
    const reach = lambda * top[index]!;
    if (reach < floor) break;
    if (!open[index]) continue;
    // Asked only here, past the cheaper tests: a penalty can cost a similarity computation.
    const cost = penalty(index);
    if (reach - cost < floor) continue;
    const row = index * samples;
    floor = Infinity;
    for (let s = 0; s < samples; s++) {
      const value = lambda * draws[row + s]! - cost;
      if (value > best[s]!) best[s] = value;
      if (best[s]! < floor) floor = best[s]!;
    }
  }
}
