import { ratingTextMismatch, TextError, type Rating } from '../src';

describe('ratingTextMismatch', () => {
  it.each([
    [1, { label: 'positive', score: 0.8 }, true],
    [2, { label: 'positive', score: 0.95 }, true],
    [2, { label: 'positive', score: 0.79 }, false],
    [1, { label: 'negative', score: 0.99 }, false],
    [5, { label: 'negative', score: 0.85 }, true],
    [4, { label: 'negative', score: 0.7 }, false],
    [5, { label: 'positive', score: 0.99 }, false],
    [3, { label: 'negative', score: 0.99 }, false],
    [3, { label: 'positive', score: 0.99 }, false],
  ] as const)('%i stars, %j → %s', (rating, sentiment, expected) => {
    expect(ratingTextMismatch(rating, sentiment)).toBe(expected);
  });

  it('reads per-label probabilities when given, whatever the top label', () => {
    const mixed = { label: 'neutral' as const, score: 0.5, scores: { negative: 0.1, neutral: 0.5, positive: 0.4 } };
    expect(ratingTextMismatch(1, mixed)).toBe(false);
    expect(ratingTextMismatch(1, mixed, 0.6)).toBe(false);
    expect(ratingTextMismatch(5, { label: 'positive', score: 0.1, scores: { negative: 0.9, positive: 0.1 } })).toBe(true);
  });

  it('honours a custom threshold', () => {
    expect(ratingTextMismatch(1, { label: 'positive', score: 0.7 }, 0.65)).toBe(true);
    expect(ratingTextMismatch(1, { label: 'positive', score: 0.9 }, 0.95)).toBe(false);
  });

  it.each([
    [0, 0.9, 0.8],
    [2.5, 0.9, 0.8],
    [6, 0.9, 0.8],
    [1, 1.2, 0.8],
    [1, Number.NaN, 0.8],
    [1, 0.9, 0.5],
  ])('rejects rating %s, score %s, threshold %s', (rating, score, threshold) => {
    expect(() => ratingTextMismatch(rating as Rating, { label: 'positive', score }, threshold)).toThrow(TextError);
  });
});
