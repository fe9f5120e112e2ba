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
