/**
 * The winner searches of Thompson sampling's Monte Carlo propensities: at each position of a
 * slate, every sample's best remaining candidate by λ·draw − MMR penalty. A plain scan reads
 * samples × candidates values a position; most candidates cannot win any sample (their best draw
 * is far below the leaders'), and `sampleWinners` passes over those after one comparison.
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
 * Each sample's winner among the `open` candidates: the index maximising λ·draw − penalty[index],
 * ties to the lower index, written to `winners`. Candidates are read by highest draw; one whose
 * highest draw less its penalty is below every sample's best so far cannot win any sample, and once
 * a candidate's highest draw alone is below that, neither can any after it (penalties are never
 * negative), so the search stops.
 */
export function sampleWinners({ samples, draws, top, order }: SampleDraws, open: Uint8Array, penalty: Float64Array, lambda: number, winners: Int32Array): void {
  const best = new Float64Array(samples).fill(-Infinity);
  winners.fill(-1);
  let floor = -Infinity;
  for (const index of order) {
    const reach = lambda * top[index]!;
    if (reach < floor) break;
    if (!open[index] || reach - penalty[index]! < floor) continue;
    const cost = penalty[index]!;
    const row = index * samples;
    floor = Infinity;
    for (let s = 0; s < samples; s++) {
      const value = lambda * draws[row + s]! - cost;
      if (value > best[s]! || (value === best[s]! && index < winners[s]!)) {
        best[s] = value;
        winners[s] = index;
      }
      if (best[s]! < floor) floor = best[s]!;
    }
  }
}

/** The remaining candidate maximising λ·values[index] − penalty[index], ties to the lower index (remaining is ascending). */
export function scanWinner(values: Float64Array, remaining: readonly number[], penalty: Float64Array, lambda: number): number {
  let best = -1;
  let bestValue = -Infinity;
  for (const index of remaining) {
    const value = lambda * values[index]! - penalty[index]!;
    if (value > bestValue) {
      best = index;
      bestValue = value;
    }
  }
  return best;
}
