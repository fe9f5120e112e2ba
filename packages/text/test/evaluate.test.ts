import {
  analyseAspects,
  ASPECT_NAMES,
  aspectVerdicts,
  evaluateAspects,
  lexiconClassifier,
  parseAspectExamples,
  TextError,
  type AspectExample,
  type AspectMention,
} from '../src';
import { loadExamples } from './helpers';

describe('the labelled fixture', () => {
  const examples = loadExamples();

  it('holds 67 reviews, 30 Chinese and 37 English, covering every aspect', () => {
    expect(examples).toHaveLength(67);
    expect(examples.filter((e) => e.language === 'zh')).toHaveLength(30);
    expect(examples.filter((e) => e.language === 'en')).toHaveLength(37);
    expect(new Set(examples.map((e) => e.id)).size).toBe(67);
    const covered = new Set(examples.flatMap((e) => e.aspects.map((a) => a.aspect)));
    expect([...covered].sort()).toEqual([...ASPECT_NAMES].sort());
  });

  // Measured with the lexicon fallback: detection P 0.960 R 0.980 F1 0.970, sentiment accuracy 0.917
  // (en F1 0.972 / 0.895). The floors leave room for lexicon edits.
  it('detects aspects and their sentiment above the floors with the lexicon fallback', async () => {
    const result = await evaluateAspects(examples, (text, language) => analyseAspects(text, language, lexiconClassifier(language)));
    expect(result.examples).toBe(67);
    expect(result.detection.precision).toBeGreaterThanOrEqual(0.88);
    expect(result.detection.recall).toBeGreaterThanOrEqual(0.9);
    expect(result.detection.f1).toBeGreaterThanOrEqual(0.9);
    expect(result.sentiment.accuracy).toBeGreaterThanOrEqual(0.85);
    for (const language of ['zh', 'en']) {
      expect(result.byLanguage[language]!.detection.f1).toBeGreaterThanOrEqual(0.88);
      expect(result.byLanguage[language]!.sentiment.accuracy).toBeGreaterThanOrEqual(0.82);
    }
  });
});

describe('evaluateAspects', () => {
  const examples: AspectExample[] = [
    {
      id: 'a',
      language: 'en',
      source: 'test',
      text: 'one',
      aspects: [
        { aspect: 'size_fit', sentiment: 'negative' },
        { aspect: 'quality', sentiment: 'positive' },
      ],
    },
    { id: 'b', language: 'zh', source: 'test', text: 'two', aspects: [{ aspect: 'logistics', sentiment: 'positive' }] },
  ];
  const mention = (aspect: AspectMention['aspect'], sentiment: AspectMention['sentiment'], score = 0.9): AspectMention => ({
    aspect,
    sentiment,
    score,
    clause: '',
  });
  const answers: Record<string, AspectMention[]> = {
    // size_fit right, quality missed, price spurious.
    one: [mention('size_fit', 'negative'), mention('price', 'neutral')],
    // logistics found twice; the confident mention (wrong) wins over the weak right one.
    two: [mention('logistics', 'positive', 0.6), mention('logistics', 'negative', 0.95)],
  };

  it('micro-averages detection and scores sentiment on the aspects found', async () => {
    const result = await evaluateAspects(examples, (text) => Promise.resolve(answers[text]!));
    expect(result.detection).toEqual({
      truePositives: 2,
      falsePositives: 1,
      falseNegatives: 1,
      precision: 2 / 3,
      recall: 2 / 3,
      f1: 2 / 3,
    });
    expect(result.sentiment).toEqual({ correct: 1, total: 2, accuracy: 0.5 });
    expect(result.byLanguage.zh!.sentiment).toEqual({ correct: 0, total: 1, accuracy: 0 });
    expect(result.byAspect.quality).toMatchObject({ truePositives: 0, falseNegatives: 1, recall: 0, f1: 0 });
    expect(result.byAspect.price).toMatchObject({ falsePositives: 1, precision: 0 });
    expect(result.byAspect.comfort).toMatchObject({ precision: 1, recall: 1 });
  });

  it('takes the most confident mention per aspect, the first on ties', () => {
    expect([...aspectVerdicts([mention('taste', 'neutral', 0.5), mention('taste', 'positive', 0.5)])]).toEqual([['taste', 'neutral']]);
  });
});

describe('parseAspectExamples', () => {
  const valid = { id: 'x', language: 'en', source: 's', text: 't', aspects: [{ aspect: 'price', sentiment: 'positive' }] };

  it('accepts valid examples and keeps optional fields', () => {
    expect(parseAspectExamples([{ ...valid, rating: 4, keywords: ['price'] }])).toEqual([{ ...valid, rating: 4, keywords: ['price'] }]);
  });

  it.each([
    ['not an array', valid],
    ['empty text', [{ ...valid, text: '' }]],
    ['unknown aspect', [{ ...valid, aspects: [{ aspect: 'smell', sentiment: 'positive' }] }]],
    ['unknown sentiment', [{ ...valid, aspects: [{ aspect: 'price', sentiment: 'mixed' }] }]],
    ['repeated aspect', [{ ...valid, aspects: [valid.aspects[0], valid.aspects[0]] }]],
    ['bad rating', [{ ...valid, rating: 7 }]],
    ['bad keywords', [{ ...valid, keywords: [1] }]],
  ])('rejects %s', (_, value) => {
    expect(() => parseAspectExamples(value)).toThrow(TextError);
  });
});
