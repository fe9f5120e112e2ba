import { TextError } from './errors';
import type { AspectMention } from './aspects';
import { ASPECT_NAMES, type AspectName } from './lexicon';
import type { SentimentLabel } from './polarity';
import type { Language } from './tokenize';

const LABELS: readonly SentimentLabel[] = ['negative', 'neutral', 'positive'];

/** A hand-labelled review. */
export interface AspectExample {
  id: string;
  language: Language;
  /** Where its style comes from (corpus and category). */
  source: string;
  text: string;
  rating?: number;
  /** Every aspect the review talks about, once, with the sentiment expressed about it. */
  aspects: { aspect: AspectName; sentiment: SentimentLabel }[];
  /** Terms a reader would pick as its keywords, where obvious, in `tokenize` form. */
  keywords?: string[];
}

export interface DetectionScore {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface AspectEvaluation {
  examples: number;
  detection: DetectionScore;
  /** Over correctly detected aspects: share whose sentiment matches the label. */
  sentiment: { correct: number; total: number; accuracy: number };
  byLanguage: Record<string, { detection: DetectionScore; sentiment: { correct: number; total: number; accuracy: number } }>;
  byAspect: Record<AspectName, DetectionScore>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Validates labelled examples read from JSON; throws `TextError` naming the first bad field. */
export function parseAspectExamples(value: unknown): AspectExample[] {
  if (!Array.isArray(value)) throw new TextError('examples must be an array', 'examples');
  return value.map((raw: unknown, i): AspectExample => {
    const at = `examples[${i}]`;
    if (!isRecord(raw)) throw new TextError(`${at} must be an object`, at);
    const { id, language, source, text, rating, aspects, keywords } = raw;
    for (const [field, v] of Object.entries({ id, language, source, text })) {
      if (typeof v !== 'string' || v === '') throw new TextError(`${at}.${field} must be a non-empty string`, `${at}.${field}`);
    }
    if (rating !== undefined && (typeof rating !== 'number' || !Number.isInteger(rating) || rating < 1 || rating > 5)) {
      throw new TextError(`${at}.rating must be an integer 1..5`, `${at}.rating`);
    }
    if (!Array.isArray(aspects)) throw new TextError(`${at}.aspects must be an array`, `${at}.aspects`);
    const labelled = aspects.map((a: unknown, j) => {
      if (!isRecord(a) || !ASPECT_NAMES.includes(a.aspect as AspectName) || !LABELS.includes(a.sentiment as SentimentLabel)) {
        throw new TextError(`${at}.aspects[${j}] needs a known aspect and sentiment`, `${at}.aspects[${j}]`);
      }
      return { aspect: a.aspect as AspectName, sentiment: a.sentiment as SentimentLabel };
    });
    if (new Set(labelled.map((a) => a.aspect)).size !== labelled.length) {
      throw new TextError(`${at}.aspects lists an aspect twice`, `${at}.aspects`);
    }
    if (keywords !== undefined && !(Array.isArray(keywords) && keywords.every((k) => typeof k === 'string'))) {
      throw new TextError(`${at}.keywords must be an array of strings`, `${at}.keywords`);
    }
    return {
      id: id as string,
      language: language as string,
      source: source as string,
      text: text as string,
      ...(rating === undefined ? {} : { rating: rating }),
      aspects: labelled,
      ...(keywords === undefined ? {} : { keywords: keywords }),
    };
  });
}

/**
 * One sentiment per aspect from a review's mentions: the most confident mention wins (the first
 * on ties), so a clear complaint outweighs a neutral aside about the same aspect.
 */
export function aspectVerdicts(mentions: readonly AspectMention[]): Map<AspectName, SentimentLabel> {
  const best = new Map<AspectName, AspectMention>();
  for (const mention of mentions) {
    const current = best.get(mention.aspect);
    if (!current || mention.score > current.score) best.set(mention.aspect, mention);
  }
  return new Map([...best].map(([aspect, mention]) => [aspect, mention.sentiment]));
}

class Tally {
  tp = 0;
  fp = 0;
  fn = 0;
  correct = 0;

  score(): DetectionScore {
    const precision = this.tp + this.fp === 0 ? 1 : this.tp / (this.tp + this.fp);
    const recall = this.tp + this.fn === 0 ? 1 : this.tp / (this.tp + this.fn);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { truePositives: this.tp, falsePositives: this.fp, falseNegatives: this.fn, precision, recall, f1 };
  }

  sentiment() {
    return { correct: this.correct, total: this.tp, accuracy: this.tp === 0 ? 1 : this.correct / this.tp };
  }
}

/**
 * Scores an aspect analyser against labelled examples: precision, recall and F1 of the detected
 * aspect set per review (micro-averaged, also per language and per aspect), and the accuracy of
 * the sentiment given to correctly detected aspects (see {@link aspectVerdicts}). Examples run
 * one after another, so a classifier sees one review's batch at a time as in the worker.
 */
export async function evaluateAspects(
  examples: readonly AspectExample[],
  analyse: (text: string, language: Language) => Promise<AspectMention[]>,
): Promise<AspectEvaluation> {
  const overall = new Tally();
  const byLanguage = new Map<string, Tally>();
  const byAspect = new Map<AspectName, Tally>(ASPECT_NAMES.map((name) => [name, new Tally()]));
  for (const example of examples) {
    const found = aspectVerdicts(await analyse(example.text, example.language));
    const expected = new Map(example.aspects.map((a) => [a.aspect, a.sentiment]));
    const language = byLanguage.get(example.language) ?? new Tally();
    byLanguage.set(example.language, language);
    const tallies = (aspect: AspectName) => [overall, language, byAspect.get(aspect)!];
    for (const [aspect, sentiment] of expected) {
      const got = found.get(aspect);
      for (const tally of tallies(aspect)) {
        if (got === undefined) tally.fn += 1;
        else {
          tally.tp += 1;
          if (got === sentiment) tally.correct += 1;
        }
      }
    }
    for (const aspect of found.keys()) if (!expected.has(aspect)) for (const tally of tallies(aspect)) tally.fp += 1;
  }
  return {
    examples: examples.length,
    detection: overall.score(),
    sentiment: overall.sentiment(),
    byLanguage: Object.fromEntries([...byLanguage].map(([code, tally]) => [code, { detection: tally.score(), sentiment: tally.sentiment() }])),
    byAspect: Object.fromEntries([...byAspect].map(([name, tally]) => [name, tally.score()])) as Record<AspectName, DetectionScore>,
  };
}
