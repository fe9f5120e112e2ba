import { chooseStrengths, interval, median, pairedDifference, regretChartSvg, tQuantile } from './bandit-summary';

describe('intervals over seeds', () => {
  it("uses Student's t quantiles", () => {
    // Exact values: 4.303, 3.182, 2.776, 2.042.
    expect(Math.abs(tQuantile(0.975, 2) - 4.303)).toBeLessThan(0.04);
    expect(Math.abs(tQuantile(0.975, 3) - 3.182)).toBeLessThan(0.005);
    expect(Math.abs(tQuantile(0.975, 4) - 2.776)).toBeLessThan(0.002);
    expect(Math.abs(tQuantile(0.975, 30) - 2.042)).toBeLessThan(0.001);
  });

  it('is the mean ± t·s/√n', () => {
    const { mean, lower, upper } = interval([1, 2, 3, 4, 5]);
    expect(mean).toBe(3);
    expect(upper - mean).toBeCloseTo(tQuantile(0.975, 4) * Math.sqrt(2.5 / 5), 12);
    expect(mean - lower).toBeCloseTo(upper - mean, 12);
    expect(interval([7])).toEqual({ mean: 7, lower: 7, upper: 7 });
  });

  it('pairs differences seed by seed, so shared luck cancels', () => {
    const a = [10, 20, 30, 40];
    const b = [9, 19, 29, 39];
    expect(pairedDifference(a, b)).toEqual({ mean: 1, lower: 1, upper: 1 });
    expect(interval(a).upper - interval(a).lower).toBeGreaterThan(10);
  });

  it('takes a median with Infinity as the largest value', () => {
    expect(median([5, Infinity, 1])).toBe(5);
    expect(median([Infinity, Infinity, 2])).toBe(Infinity);
    expect(median([4, 2, 8, 6])).toBe(4);
    expect(median([])).toBe(Infinity);
  });
});

describe('chooseStrengths', () => {
  it('takes the strength above 0 with the most mean clicks per kind, the weaker on a tie', () => {
    const chosen = chooseStrengths([
      { kind: 'epsilon-greedy', exploration: 0, clicks: 10 },
      { kind: 'epsilon-greedy', exploration: 0.1, clicks: 12 },
      { kind: 'epsilon-greedy', exploration: 0.2, clicks: 11 },
      { kind: 'thompson', exploration: 0.3, clicks: 9 },
      { kind: 'thompson', exploration: 0.15, clicks: 9 },
      { kind: 'linucb', exploration: 0.4, clicks: 20 },
    ]);
    expect(chosen).toEqual({ 'epsilon-greedy': 0.1, thompson: 0.15, linucb: 0.4 });
  });

  it('never chooses strength 0, even where it has the most clicks', () => {
    const grid = (kind: 'epsilon-greedy' | 'thompson' | 'linucb') => [
      { kind, exploration: 0, clicks: 30 },
      { kind, exploration: 0.2, clicks: 10 },
      { kind, exploration: 0.1, clicks: 20 },
    ];
    expect(chooseStrengths([...grid('epsilon-greedy'), ...grid('thompson'), ...grid('linucb')])).toEqual({ 'epsilon-greedy': 0.1, thompson: 0.1, linucb: 0.1 });
    expect(() => chooseStrengths([{ kind: 'thompson', exploration: 0, clicks: 1 }])).toThrow(/above strength 0/);
  });

  it('refuses a grid that leaves a kind out', () => {
    expect(() => chooseStrengths([{ kind: 'thompson', exploration: 0, clicks: 1 }])).toThrow(/epsilon-greedy/);
  });
});

describe('regretChartSvg', () => {
  it('draws one line per policy and panel, with one legend entry per policy, escaped, negative values on the scale', () => {
    const svg = regretChartSvg(
      'Regret & more',
      'sub',
      [
        {
          title: 'A',
          step: 10,
          curves: [
            { label: 'x <1>', points: [1, 2, 3] },
            { label: 'y', points: [0, 1, 1] },
          ],
        },
        { title: 'B', step: 10, curves: [{ label: 'x <1>', points: [2, 4, 6] }] },
        { title: 'C', step: 10, curves: [{ label: 'y', points: [-2, -1, 1] }] },
      ],
      2,
    );
    expect(svg.match(/<polyline/g)).toHaveLength(4);
    expect(svg).toContain('Regret &amp; more');
    expect(svg.match(/x &lt;1&gt;/g)).toHaveLength(1);
    expect(svg).not.toContain('NaN');
    expect(svg).toContain('>-2<');
    expect(svg.startsWith('<svg')).toBe(true);
  });
});
