import { TextError } from './errors';
import { requireText } from './validate';
import { ASPECT_LEXICON, ASPECT_NAMES, type AspectName } from './lexicon';
import { lexiconPolarity, type Sentiment, type SentimentLabel } from './polarity';
import { splitClauses } from './clauses';
import { cutHan } from './segmenter';
import { englishRules, normaliseEnglish, words, type Language } from './tokenize';

const HAN = /\p{Script=Han}/u;

interface CompiledAspect {
  name: AspectName;
  /** Multi-character Chinese terms, matched as substrings of Han runs. */
  zhTerms: readonly string[];
  zhWords: ReadonlySet<string>;
  /** Normalised English terms, space-joined; phrases up to {@link maxPhrase} words. */
  en: ReadonlySet<string>;
}

const COMPILED: CompiledAspect[] = ASPECT_NAMES.map((name) => {
  const { zh, en } = ASPECT_LEXICON[name];
  return {
    name,
    zhTerms: zh.filter((term) => [...term].length > 1),
    zhWords: new Set(zh.filter((term) => [...term].length === 1)),
    en: new Set(en.map((term) => term.split(/\s+/).map(normaliseEnglish).join(' '))),
  };
});
const maxPhrase = Math.max(...COMPILED.flatMap((aspect) => [...aspect.en].map((term) => term.split(' ').length)));

/** Every contiguous English n-gram of the clause up to {@link maxPhrase} words. */
function englishGrams(tokens: string[]): Set<string> {
  const latin = tokens.map((token) => (HAN.test(token) ? undefined : token));
  const grams = new Set<string>();
  latin.forEach((_, start) => {
    const span: string[] = [];
    for (let i = start; i < Math.min(latin.length, start + maxPhrase); i += 1) {
      const token = latin[i];
      if (token === undefined) break;
      span.push(token);
      grams.add(span.join(' '));
    }
  });
  return grams;
}

/** A Han run and, for each of its UTF-16 offsets, the index of the jieba word it falls in. */
interface HanRun {
  text: string;
  wordAt: number[];
}

function hanRuns(clause: string): HanRun[] {
  return [...clause.matchAll(/\p{Script=Han}+/gu)].map(([text]) => {
    const wordAt: number[] = [];
    cutHan(text).forEach((word, index) => wordAt.push(...Array.from({ length: word.length }, () => index)));
    return { text, wordAt };
  });
}

/**
 * Whether `term` occurs in the run without cutting a jieba word on one side only: it may lie
 * inside one word (服务 in 服务态度) or span whole words (送餐 over 送/餐), but not straddle a
 * word edge (到货 in 收到/货, 大小 in 一大/小盒), which is how most false substring hits look.
 */
function occursIn(run: HanRun, term: string): boolean {
  for (let start = run.text.indexOf(term); start >= 0; start = run.text.indexOf(term, start + 1)) {
    const end = start + term.length;
    const first = run.wordAt[start]!;
    const last = run.wordAt[end - 1]!;
    const startsWord = start === 0 || run.wordAt[start - 1] !== first;
    const endsWord = end === run.text.length || run.wordAt[end] !== last;
    if (first === last || (startsWord && endsWord)) return true;
  }
  return false;
}

/**
 * Aspects a clause talks about, in {@link ASPECT_NAMES} order, from {@link ASPECT_LEXICON}:
 * multi-character Chinese terms as substrings aligned with jieba words (see {@link occursIn}),
 * one-character Chinese terms as whole jieba words, English terms and phrases on normalised words (only where English rules apply; see
 * `englishRules`). A clause may name several aspects; mention is enough (negation does not remove
 * an aspect: 没有包装 is still about packaging).
 */
export function aspectsOf(clause: string, language: Language): AspectName[] {
  requireText(clause, 'clause');
  requireText(language, 'language');
  const tokens = words(clause, language);
  const runs = hanRuns(clause.normalize('NFKC'));
  const hanWords = new Set(tokens.filter((token) => HAN.test(token)));
  const grams = englishRules(language) ? englishGrams(tokens) : new Set<string>();
  return COMPILED.filter(
    (aspect) =>
      aspect.zhTerms.some((term) => runs.some((run) => occursIn(run, term))) ||
      [...aspect.zhWords].some((term) => hanWords.has(term)) ||
      [...grams].some((gram) => aspect.en.has(gram)),
  ).map((aspect) => aspect.name);
}

/** One aspect mention: the aspect, its clause, and the clause's sentiment. */
export interface AspectMention {
  aspect: AspectName;
  sentiment: SentimentLabel;
  /** The classifier's confidence in `sentiment`. */
  score: number;
  clause: string;
}

/** Classifies clauses in one call, one result per clause in order (a model's batch call). */
export type ClauseClassifier = (clauses: string[]) => Promise<Sentiment[]>;

/**
 * Aspect-level sentiment of a review: splits it into clauses, keeps those that mention an aspect,
 * classifies them in ONE `classify` call (none when no clause mentions an aspect), and gives each
 * aspect its clause's sentiment. An aspect named in several clauses appears once per clause (物流快…
 * 物流态度差), in clause order, so summaries can weigh and quote each mention.
 */
export async function analyseAspects(text: string, language: Language, classify: ClauseClassifier): Promise<AspectMention[]> {
  const clauses = aspectClauses(text, language);
  if (clauses.length === 0) return [];
  const sentiments = await classify(clauses.map((mention) => mention.clause));
  if (!Array.isArray(sentiments) || sentiments.length !== clauses.length) {
    throw new TextError(
      `classifier returned ${Array.isArray(sentiments) ? sentiments.length : 'no'} results for ${clauses.length} clauses`,
      'classify',
      'INTERNAL_SERVER_ERROR',
    );
  }
  return aspectMentions(clauses, sentiments);
}

/** A clause that names at least one aspect. */
export interface AspectClause {
  clause: string;
  aspects: AspectName[];
}

/**
 * The first half of {@link analyseAspects}: the clauses that name an aspect, in order. A caller
 * analysing many reviews at once classifies all their clauses in one model call and completes
 * each review with {@link aspectMentions}.
 */
export function aspectClauses(text: string, language: Language): AspectClause[] {
  requireText(text, 'text');
  requireText(language, 'language');
  return splitClauses(text)
    .map((clause) => ({ clause, aspects: aspectsOf(clause, language) }))
    .filter((mention) => mention.aspects.length > 0);
}

/**
 * The sentiment served for an aspect clause: the model's, except that where it answers neutral
 * the rule-based reading decides (neutral again when it sees no evaluative cue). A model trained
 * on whole reviews, where three stars mean neutral, calls many short complaints neutral ("runs
 * small", "but very boxy"); forcing every clause to positive or negative instead turns narrative
 * clauses ("as soon as I opened the package") into complaints. Measured by `pnpm eval:feedback`.
 */
export function clauseOpinion(model: Sentiment, clause: string, language: Language): Sentiment {
  if (model.label !== 'neutral') return model;
  const rules = lexiconPolarity(clause, language);
  return rules.label === 'neutral' ? model : rules;
}

/** The second half of {@link analyseAspects}: each clause's aspects with the clause's sentiment (one per clause, in order). */
export function aspectMentions(clauses: readonly AspectClause[], sentiments: readonly Sentiment[]): AspectMention[] {
  return clauses.flatMap(({ clause, aspects }, i) => {
    const { label, score } = sentiments[i]!;
    return aspects.map((aspect) => ({ aspect, sentiment: label, score, clause }));
  });
}

/** {@link lexiconPolarity} in the shape of a {@link ClauseClassifier}: the fallback when no model is loaded. */
export function lexiconClassifier(language: Language): ClauseClassifier {
  return (clauses) => Promise.resolve(clauses.map((clause) => lexiconPolarity(clause, language)));
}
