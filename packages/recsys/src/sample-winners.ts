/**
 * The winner searches of Thompson sampling's Monte Carlo propensities: at each position of a
 * slate, every sample's best remaining candidate by λ·draw − MMR penalty. A full scan costs
 * samples × candidates a position; the leaders cut that to a few reads a sample.
 */

/** A sample's leaders: its LEADERS highest draws, best first, and the highest draw outside them. */
export interface Leaders {
  width: number;
  /** `samples × width` candidate indices. */
  order: Int32Array;
  /** Per sample; -Infinity when every candidate is a leader. */
  rest: Float64Array;
}

/**
 * Leaders kept per sample. A sample's winner at a position is nearly always among its few highest
 * draws (MMR lowers a value by at most 1 − λ), so the winner search reads those first and stops
 * once no later draw can win; 32 covers a 20-item slate's positions with room for the penalties.
 */
const LEADERS = 32;

/** Each sample's leaders, by insertion into a short sorted list: about n comparisons a sample. */
export function leadersOf(draws: Float64Array, samples: number, n: number): Leaders {
  const width = Math.min(LEADERS, n);
  const order = new Int32Array(samples * width);
  const rest = new Float64Array(samples).fill(-Infinity);
  const values = new Float64Array(width);
  for (let s = 0; s < samples; s++) {
    const base = s * width;
    let size = 0;
    for (let i = 0; i < n; i++) {
      const value = draws[s * n + i]!;
      if (size === width) {
        if (value <= values[width - 1]!) {
          if (value > rest[s]!) rest[s] = value;
          continue;
        }
        // The smallest leader drops out to the rest.
        if (values[width - 1]! > rest[s]!) rest[s] = values[width - 1]!;
        size -= 1;
      }
      // Equal draws keep the earlier candidate first, as the full scan's tie-break does.
      let at = size;
      while (at > 0 && values[at - 1]! < value) {
        values[at] = values[at - 1]!;
        order[base + at] = order[base + at - 1]!;
        at -= 1;
      }
      values[at] = value;
      order[base + at] = i;
      size += 1;
    }
  }
  return { width, order, rest };
}

/**
 * The candidate (index) maximising λ·draw − penalty among `open` ones in sample `s`, ties to the
 * lower index: the leaders in draw order until a draw is too low to win (every later draw is at
 * most that one and a penalty is never negative), then the rest only if one of them still could.
 */
export function sampleWinner(
  draws: Float64Array,
  s: number,
  n: number,
  leaders: Leaders,
  remaining: readonly number[],
  open: Uint8Array,
  penalty: (index: number) => number,
  lambda: number,
): number {
  const { width, order, rest } = leaders;
  let best = -1;
  let bestValue = -Infinity;
  for (let k = 0; k < width; k++) {
    const index = order[s * width + k]!;
    const top = lambda * draws[s * n + index]!;
    if (top < bestValue) return best;
    if (!open[index]) continue;
    const value = top - penalty(index);
    if (value > bestValue || (value === bestValue && index < best)) {
      best = index;
      bestValue = value;
    }
  }
  if (best !== -1 && lambda * rest[s]! < bestValue) return best;
  return scanWinner(draws, s * n, remaining, penalty, lambda);
}

/** The remaining candidate maximising λ·values[offset + index] − penalty, ties to the lower index (remaining is ascending). */
export function scanWinner(values: Float64Array, offset: number, remaining: readonly number[], penalty: (index: number) => number, lambda: number): number {
  let best = -1;
  let bestValue = -Infinity;
  for (const index of remaining) {
    const value = lambda * values[offset + index]! - penalty(index);
    if (value > bestValue) {
      best = index;
      bestValue = value;
    }
  }
  return best;
}
