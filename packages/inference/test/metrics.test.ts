import { classificationMetrics } from '../src/metrics';

describe('classificationMetrics', () => {
  it('computes accuracy, per-class F1, macro-F1 and the majority baseline', () => {
    const gold = ['pos', 'pos', 'pos', 'neg', 'neg', 'neu'] as const;
    const predicted = ['pos', 'pos', 'neg', 'neg', 'pos', 'pos'] as const;
    const metrics = classificationMetrics([...gold], [...predicted], ['neg', 'neu', 'pos']);
    expect(metrics.n).toBe(6);
    expect(metrics.accuracy).toBeCloseTo(3 / 6, 12);
    // pos: P 2/4, R 2/3 → F1 4/7; neg: P 1/2, R 1/2 → 1/2; neu: never predicted → 0.
    expect(metrics.perClass.pos!.f1).toBeCloseTo(4 / 7, 12);
    expect(metrics.perClass.neg).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(metrics.perClass.neu).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(metrics.macroF1).toBeCloseTo((4 / 7 + 0.5 + 0) / 3, 12);
    expect(metrics.majorityAccuracy).toBeCloseTo(3 / 6, 12);
  });

  it('is perfect for perfect predictions and refuses mismatched lengths', () => {
    expect(classificationMetrics(['a', 'b'], ['a', 'b'], ['a', 'b'])).toMatchObject({ accuracy: 1, macroF1: 1, majorityAccuracy: 0.5 });
    expect(() => classificationMetrics(['a'], [], ['a'])).toThrow('1 labels but 0 predictions');
  });
});
