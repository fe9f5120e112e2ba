import fs from 'node:fs';
import path from 'node:path';
import { cutHan } from './segmenter';

/**
 * Query terms across Chinese and English with CC-CEDICT (the `cc-cedict` package's data, CC BY-SA
 * 4.0, read from its files: the package itself is ESM with a download at install, neither of which
 * a CommonJS server wants). Only short senses are kept ("lipstick", "cell phone"), since a search
 * term is a thing's name, not a dictionary explanation.
 */
export interface Dictionary {
  /** Simplified Chinese word → English senses. */
  english: ReadonlyMap<string, readonly string[]>;
  /** An English sense (lower case) → simplified Chinese words that have it. */
  chinese: ReadonlyMap<string, readonly string[]>;
}

/** Longest sense kept, in words. */
const MAX_SENSE_WORDS = 3;
/** Translations kept per term: the first senses are the dictionary's main ones. */
const PER_TERM = 3;
const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;

type Entry = [traditional: string, simplified: string, pinyin: string, senses: string | string[], ...rest: unknown[]];

/** A sense as a search term: no notes in brackets, no classifier lists, no "to " of verbs; null when too long or empty. */
export function cleanSense(sense: string): string | null {
  if (/^(CL|variant of|old variant|see |surname|abbr\.)/i.test(sense.trim())) return null;
  const cleaned = sense
    .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
    .replace(/^\s*to\s+/i, '')
    .replace(/[^\p{L}\p{N}\s'-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
  if (!cleaned || HAN.test(cleaned) || cleaned.split(' ').length > MAX_SENSE_WORDS) return null;
  return cleaned;
}

/** Builds both directions from CC-CEDICT's entry list (`all.js`'s `all`). */
export function buildDictionary(entries: readonly Entry[]): Dictionary {
  const english = new Map<string, string[]>();
  const chinese = new Map<string, string[]>();
  for (const [, simplified, , raw] of entries) {
    const senses = (Array.isArray(raw) ? raw : [raw]).flatMap((sense) => sense.split(/;\s*/)).flatMap((sense) => cleanSense(sense) ?? []);
    if (senses.length === 0) continue;
    const known = english.get(simplified) ?? [];
    for (const sense of senses) {
      if (!known.includes(sense)) known.push(sense);
      const words = chinese.get(sense) ?? [];
      if (!words.includes(simplified)) words.push(simplified);
      chinese.set(sense, words);
    }
    english.set(simplified, known);
  }
  return { english, chinese };
}

let loaded: Dictionary | null = null;

/** CC-CEDICT from the installed package, parsed once per process on first use (about half a second). */
export function cedict(): Dictionary {
  if (loaded) return loaded;
  // The folders `require` searches (NODE_PATH too, which a bundled build in dist/ relies on): the package's exports offer no path to its data.
  const folders = [...module.paths, ...(process.env.NODE_PATH ?? '').split(path.delimiter).filter(Boolean)];
  const file = folders.map((dir) => path.join(dir, 'cc-cedict', 'data', 'all.js')).find((candidate) => fs.existsSync(candidate));
  if (!file) throw new Error('cc-cedict is not installed: its data/all.js was not found');
  const text = fs.readFileSync(file, 'utf8');
  const { all } = JSON.parse(text.slice(text.indexOf('{'))) as { all: Entry[] };
  loaded = buildDictionary(all);
  return loaded;
}

/**
 * The query's terms in the other language, joined by spaces, or null when none translate: Han
 * runs are cut into words (jieba) and each word becomes its first English senses; Latin words
 * become the Chinese words that have them as a sense, two-word phrases first ("mobile phone" →
 * 手机). A mixed query translates both ways.
 */
export function translateQuery(query: string, dictionary: Dictionary = cedict()): string | null {
  const terms = new Set<string>();
  for (const run of query.match(HAN_RUN) ?? []) {
    for (const word of cutHan(run)) for (const sense of (dictionary.english.get(word) ?? []).slice(0, PER_TERM)) terms.add(sense);
  }
  const words = query
    .replace(HAN_RUN, ' ')
    .toLowerCase()
    .split(/[^\p{L}\p{N}'-]+/u)
    .filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const pair = i + 1 < words.length ? dictionary.chinese.get(`${words[i]} ${words[i + 1]}`) : undefined;
    const found = pair ?? dictionary.chinese.get(words[i]!);
    for (const word of (found ?? []).slice(0, PER_TERM)) terms.add(word);
    if (pair) i++;
  }
  return terms.size > 0 ? [...terms].join(' ') : null;
}
