/** Mean and (population) variance of `n` draws, for checking a sampler against its distribution's moments. */
export function sampleMoments(n: number, draw: () => number): { mean: number; variance: number } {
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    squares += x * x;
  }
  const mean = sum / n;
  return { mean, variance: squares / n - mean * mean };
}
