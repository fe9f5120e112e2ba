import { suggestSentimentLabels } from '../src';

describe('suggestSentimentLabels', () => {
  it('needs no mapping when the model already uses our names', () => {
    expect(suggestSentimentLabels({ 0: 'NEGATIVE', 1: 'POSITIVE' })).toEqual({ mapping: '', guessed: false });
  });

  it('maps star ratings in class order: 1-2 negative, 3 neutral, 4-5 positive', () => {
    expect(suggestSentimentLabels({ 4: '5 stars', 0: '1 star', 1: '2 stars', 2: '3 stars', 3: '4 stars' })).toEqual({
      mapping: '1 star=negative,2 stars=negative,3 stars=neutral,4 stars=positive,5 stars=positive',
      guessed: false,
    });
  });

  it('marks a LABEL_0/LABEL_1 mapping as a guess', () => {
    expect(suggestSentimentLabels({ 0: 'LABEL_0', 1: 'LABEL_1' })).toEqual({ mapping: 'LABEL_0=negative,LABEL_1=positive', guessed: true });
  });

  it('proposes nothing for labels it cannot read', () => {
    expect(suggestSentimentLabels({ 0: 'anger', 1: 'joy', 2: 'sadness' })).toBeUndefined();
  });
});
