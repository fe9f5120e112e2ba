/**
 * The sum of every sample of `name` in a Prometheus text exposition whose labels include `labels`
 * (label order does not matter), or NaN when no sample matches: a test can tell a missing series
 * from a zero one.
 */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = Number.NaN;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = new Map([...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [pair[1]!, pair[2]!]));
    if (Object.entries(labels).some(([label, value]) => present.get(label) !== value)) continue;
    total = (Number.isNaN(total) ? 0 : total) + Number(match[3]);
  }
  return total;
}
