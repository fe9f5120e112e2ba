import { requireText } from './validate';
import { cutHan, cutHanForSearch } from './segmenter';
import { EN_STOPWORDS, ZH_CONTENT_CHARS, ZH_STOPWORDS } from './stopwords';

/** 'zh', 'en', or any BCP 47 tag ('zh-CN', 'en-GB', 'de'); see {@link tokenize}. */
export type Language = 'zh' | 'en' | (string & {});

const HAN = /\p{Script=Han}/u;
/** A Han run, or a Latin word: letters and digits with at least one letter, apostrophes inside. */
const RUN = /(\p{Script=Han}+)|([0-9a-z\u00c0-\u024f]*[a-z\u00c0-\u024f][0-9a-z\u00c0-\u024f]*(?:'[a-z\u00c0-\u024f]+)*)/gu;

/**
 * Plurals whose singular is another word (shorts/short), has no singular in use (jeans, leggings),
 * or is not a plural at all; the 's' stays on these.
 */
const KEEP_S = new Set(
  (
    'pants jeans shorts leggings tights trousers overalls clothes glasses sweatpants joggers slacks pajamas ' +
    'pyjamas capris khakis culottes undies briefs boxers thanks news series species always perhaps sometimes ' +
    'canvas lens bias gas yes plus less thus various gorgeous famous fabulous previous obvious serious ridiculous ' +
    'generous nervous curvaceous luxurious bus status chaos does whereas'
  ).split(' '),
);

/**
 * Whether English stopwords, plural stripping, and the English lexicons apply to Latin words.
 * They do for English, for Chinese (whose reviews mix in English: iPhone, wifi, XL), and when the
 * language is unknown ('' or 'und'); for another named language they would misfire (German
 * 'die', French 'pieces'), so its Latin words are only lowercased.
 */
export function englishRules(language: Language): boolean {
  const primary = language.toLowerCase().split(/[-_]/)[0] ?? '';
  return primary === 'en' || primary === 'zh' || primary === '' || primary === 'und';
}

/**
 * Lowercase, drop a possessive 's, and strip a plural 's' (or 'es' after s/sh/ch/x/z) where that
 * is safe without a dictionary: words of three letters or fewer, words ending in ss/us/is, -ies
 * words (berries/berry but series, movies) and {@link KEEP_S} stay as they are. No verb or other
 * suffix stemming: fitted/fit and washing/wash differ in meaning in reviews.
 */
export function normaliseEnglish(word: string): string {
  let w = word.toLowerCase().replace(/\u2019/g, "'");
  if (w.endsWith("'s") && !EN_STOPWORDS.has(w)) w = w.slice(0, -2);
  if (w.length <= 3 || w.includes("'") || KEEP_S.has(w) || !w.endsWith('s')) return w;
  if (/(?:ss|us|is|ies)$/.test(w)) return w;
  if (/(?:sses|shes|ches|xes|zzes)$/.test(w)) return w.slice(0, -2);
  return w.slice(0, -1);
}

/**
 * Every word of `text` in order, nothing removed: Han runs cut by jieba, Latin words normalised
 * (see {@link normaliseEnglish}) or only lowercased (see {@link englishRules}). Punctuation,
 * digits-only runs and other scripts are dropped. NFKC first turns full-width Latin letters and
 * digits (ＸＰ, ２０) into ASCII.
 */
export function words(text: string, language: Language): string[] {
  return wordsCut(text, language, cutHan);
}

function wordsCut(text: string, language: Language, cut: (run: string) => string[]): string[] {
  const english = englishRules(language);
  const out: string[] = [];
  for (const match of text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\u2019/g, "'")
    .matchAll(RUN)) {
    if (match[1] !== undefined) out.push(...cut(match[1]));
    else if (match[2] !== undefined) out.push(english ? normaliseEnglish(match[2]) : match[2]);
  }
  return out;
}

/**
 * The words a search matches a text on, in order, each as often as it occurs: Han runs cut in
 * jieba's search mode ({@link cutHanForSearch}: 耳机 finds 蓝牙耳机), Latin words as in
 * {@link words} (English rules, so a query's plural finds a title's singular), stopwords of both
 * languages left out (they would match nearly every text). Single Han characters stay: 鞋, 包 and
 * 壳 name products.
 */
export function searchWords(text: string): string[] {
  return wordsCut(text, 'zh', cutHanForSearch).filter((word) => !ZH_STOPWORDS.has(word) && !EN_STOPWORDS.has(word));
}

function keepHan(word: string): boolean {
  if (ZH_STOPWORDS.has(word)) return false;
  return [...word].length > 1 || ZH_CONTENT_CHARS.has(word);
}

/** Degree adverbs jieba keeps glued to an adjective (很快, 很漂亮, 太慢). */
const DEGREE_PREFIXES = ['非常', '比较', '有点', '很', '挺', '太', '蛮'];

/**
 * 很漂亮 → 漂亮, so one attribute is one term whatever the degree. Only when the rest would be kept
 * by itself: 太阳 and 很好 stay whole (阳 and 好 would not be).
 */
function stripDegree(word: string): string {
  for (const prefix of DEGREE_PREFIXES) {
    if (word.length > prefix.length && word.startsWith(prefix)) {
      const rest = word.slice(prefix.length);
      if (keepHan(rest)) return rest;
    }
  }
  return word;
}

/**
 * Content words of a review, for keywords and term statistics.
 *
 * - Han runs: jieba words minus {@link ZH_STOPWORDS}; single characters are dropped except the
 *   attribute characters of {@link ZH_CONTENT_CHARS} (小, 凉, 贵…); a glued degree adverb is
 *   removed (很漂亮 → 漂亮).
 * - Latin words: lowercased; for English (and Chinese, and unknown languages) minus
 *   {@link EN_STOPWORDS} and with plurals stripped by {@link normaliseEnglish}; single letters dropped.
 * - Both scripts are handled in one pass, so mixed text ('iPhone屏幕很好') needs no detection.
 */
export function tokenize(text: string, language: Language): string[] {
  requireText(text, 'text');
  requireText(language, 'language');
  const english = englishRules(language);
  return words(text, language)
    .map((word) => (HAN.test(word) ? stripDegree(word) : word))
    .filter((word) => {
      if (HAN.test(word)) return keepHan(word);
      if (word.length < 2) return false;
      return !english || !EN_STOPWORDS.has(word);
    });
}
