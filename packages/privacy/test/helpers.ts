/** erf by Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7, far below the KS thresholds used). */
export function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const y = 1 - poly * Math.exp(-x * x);
  return x < 0 ? -y : y;
}

export function normalCdf(sigma: number): (x: number) => number {
  return (x) => 0.5 * (1 + erf(x / (sigma * Math.SQRT2)));
}

export function laplaceCdf(scale: number): (x: number) => number {
  return (x) => (x < 0 ? 0.5 * Math.exp(x / scale) : 1 - 0.5 * Math.exp(-x / scale));
}

/** Kolmogorov–Smirnov statistic: the largest gap between the empirical CDF and `cdf`. */
export function ksStatistic(samples: readonly number[], cdf: (x: number) => number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  let d = 0;
  sorted.forEach((x, i) => {
    const f = cdf(x);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  });
  return d;
}

/** 1% critical value of the one-sample KS statistic for large n. */
export function ksCritical(n: number): number {
  return 1.63 / Math.sqrt(n);
}

export function stats(samples: readonly number[]): { mean: number; meanAbs: number; variance: number } {
  const n = samples.length;
  let sum = 0;
  let abs = 0;
  for (const x of samples) {
    sum += x;
    abs += Math.abs(x);
  }
  const mean = sum / n;
  let squares = 0;
  for (const x of samples) squares += (x - mean) ** 2;
  return { mean, meanAbs: abs / n, variance: squares / n };
}

export function correlation(a: readonly number[], b: readonly number[]): number {
  const sa = stats(a);
  const sb = stats(b);
  let cov = 0;
  a.forEach((x, i) => {
    cov += (x - sa.mean) * ((b[i] ?? 0) - sb.mean);
  });
  return cov / a.length / Math.sqrt(sa.variance * sb.variance);
}

export function draws(n: number, draw: () => number): number[] {
  return Array.from({ length: n }, draw);
}
