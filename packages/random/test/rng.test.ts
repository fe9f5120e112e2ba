import { sampleNormal, sampleWithoutReplacement, secureRng, seededRng } from '../src';
import { sampleMoments } from '@serendip/testing';

describe('secureRng', () => {
  afterEach(() => jest.restoreAllMocks());

  it('returns distinct 53-bit values in [0, 1) from the CSPRNG, never from Math.random', () => {
    const mathRandom = jest.spyOn(Math, 'random');
    const rng = secureRng();
    // Several buffer refills, so the refill path is covered too.
    const values = Array.from({ length: 10_000 }, () => rng());
    expect(mathRandom).not.toHaveBeenCalled();
    expect(values.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(values).size).toBe(values.length);
    // With only 32 bits every value would be a multiple of 2^-32; with 53 almost none are.
    expect(values.filter((x) => !Number.isInteger(x * 2 ** 32)).length).toBeGreaterThan(9_900);
    const mean = values.reduce((s, x) => s + x, 0) / values.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
  });

  it('gives independent streams per instance', () => {
    const a = secureRng();
    const b = secureRng();
    expect(Array.from({ length: 8 }, () => a())).not.toEqual(Array.from({ length: 8 }, () => b()));
  });
});

describe('seededRng', () => {
  it('is deterministic per seed, differs across seeds and stays in [0, 1)', () => {
    const first = Array.from({ length: 1000 }, seededRng(42));
    expect(Array.from({ length: 1000 }, seededRng(42))).toEqual(first);
    expect(Array.from({ length: 1000 }, seededRng(43))).not.toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    const { mean, variance } = sampleMoments(100_000, seededRng(7));
    expect(mean).toBeCloseTo(0.5, 2);
    expect(variance).toBeCloseTo(1 / 12, 2);
  });
});

describe('sampleNormal', () => {
  it('draws standard normals', () => {
    const rng = seededRng(2024);
    const { mean, variance } = sampleMoments(100_000, () => sampleNormal(rng));
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(variance).toBeGreaterThan(0.98);
    expect(variance).toBeLessThan(1.02);
  });
});

describe('sampleWithoutReplacement', () => {
  it('draws each item at most once, at most `size` of them, the same for the same seed', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const drawn = sampleWithoutReplacement(items, 8, seededRng(7));
    expect(drawn).toHaveLength(8);
    expect(new Set(drawn).size).toBe(8);
    expect(sampleWithoutReplacement(items, 8, seededRng(7))).toEqual(drawn);
    expect(sampleWithoutReplacement(items, 50, seededRng(1)).sort((a, b) => a - b)).toEqual(items);
    expect(items).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
