import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';

let shared: Jieba | undefined;

/**
 * The one jieba instance of the process, built on first use: loading the bundled dictionary
 * takes ~150 ms and ~50 MB, so every caller shares it.
 */
export function segmenter(): Jieba {
  shared ??= Jieba.withDict(dict);
  return shared;
}

/**
 * Cuts a run of Han characters into words. HMM is off: with it jieba glues degree words onto
 * adjectives (太透, 还脆), which hides the modifiers the polarity rules need, and its guesses vary
 * with context; lexicon terms jieba splits are caught by substring matching instead.
 */
export function cutHan(run: string): string[] {
  return segmenter().cut(run, false);
}

/**
 * Cuts a run of Han characters as a search engine indexes it: every word of {@link cutHan} and
 * the dictionary words inside the longer ones too (蓝牙耳机 → 蓝牙 耳机; 洗发水 → 洗发 发水 洗发水),
 * so a query for a part finds the whole. HMM off, as in {@link cutHan}, so the same text always
 * cuts the same way, in the index and in the query.
 */
export function cutHanForSearch(run: string): string[] {
  return segmenter().cutForSearch(run, false);
}
