/**
 * P(X ≥ successes) for X ~ Binomial(trials, p): the one-sided p-value of seeing at least that many
 * successes when the true rate is p. Exact, summed in log space so hundreds of trials neither
 * underflow nor lose precision.
 */
export function binomialUpperTail(successes: number, trials: number, p: number): number {
  if (!(Number.isInteger(successes) && Number.isInteger(trials) && successes >= 0 && trials >= 0)) {
    throw new RangeError(`successes and trials must be integers >= 0, got ${successes} and ${trials}`);
  }
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
  if (successes === 0) return 1;
  if (successes > trials || p === 0) return 0;
  if (p === 1) return 1;
  let logChoose = 0;
  for (let i = 0; i < successes; i += 1) logChoose += Math.log(trials - i) - Math.log(i + 1);
  const ratio = Math.log(p) - Math.log(1 - p);
  let logTerm = logChoose + successes * Math.log(p) + (trials - successes) * Math.log(1 - p);
  let tail = 0;
  for (let x = successes; x <= trials; x += 1) {
    tail += Math.exp(logTerm);
    logTerm += Math.log(trials - x) - Math.log(x + 1) + ratio;
  }
  return Math.min(1, tail);
}
