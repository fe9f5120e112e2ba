import fs from 'node:fs';
import path from 'node:path';
import { sampleWithoutReplacement, seededRng } from '../../packages/recsys/src';
import { ASPECT_NAMES, type AspectExample } from '../../packages/text/src';
import { chineseReviewText, clothingReviewText } from '../../tools/demo-data/src/link';
import { readChinese } from '../../tools/demo-data/src/sources/chinese-shopping.source';
import { readClothing } from '../../tools/demo-data/src/sources/womens-clothing.source';

/**
 * The blind aspect set: real reviews drawn at random from the data folder and labelled by a reader
 * before the lexicon ever read them (docs/reviews.md, "Blind aspect set"). Unlike the fixture, whose
 * labels follow the lexicon's own rules, it says how detection fares on reviews nobody chose or
 * wrote for it. The labels file names rows by their keys (online_shopping_10_cats: the content
 * key; womens_clothing: the row id), never their text: texts are read from the data folder.
 */
export const BLIND_SAMPLE = {
  seed: 20261205,
  zh: 60,
  en: 40,
  /** Longer reviews were left out so that one reader could label every review with care. */
  maxZhCharacters: 80,
  maxEnCharacters: 300,
} as const;

export const BLIND_LABELS = path.resolve(__dirname, '../../packages/text/fixtures/aspect-blind-labels.json');

export interface BlindReview {
  /** `online_shopping_10_cats:<content key>` or `womens_clothing:<row id>`. */
  ref: string;
  language: 'zh' | 'en';
  /** The corpus's category (zh) or class (en). */
  category: string;
  /** As the demo import stores it. */
  text: string;
}

/** The seeded sample the labels were made on, in the order they were labelled. */
export async function sampleBlindReviews(dataDir: string, exclude: ReadonlySet<string>): Promise<BlindReview[]> {
  const zh = (await readChinese(dataDir)).flatMap((row): BlindReview[] => {
    const text = chineseReviewText(row.review);
    return text && [...text].length <= BLIND_SAMPLE.maxZhCharacters && !exclude.has(text)
      ? [{ ref: `online_shopping_10_cats:${row.key}`, language: 'zh', category: row.category, text }]
      : [];
  });
  const en = (await readClothing(dataDir)).flatMap((row): BlindReview[] => {
    const text = clothingReviewText(row.title, row.text);
    return text && text.length <= BLIND_SAMPLE.maxEnCharacters && !exclude.has(text)
      ? [{ ref: `womens_clothing:${row.rowId}`, language: 'en', category: row.className, text }]
      : [];
  });
  const rng = seededRng(BLIND_SAMPLE.seed);
  return [...sampleWithoutReplacement(zh, BLIND_SAMPLE.zh, rng), ...sampleWithoutReplacement(en, BLIND_SAMPLE.en, rng)];
}

interface BlindLabels {
  procedure: string;
  labels: { ref: string; aspects: AspectExample['aspects'] }[];
}

/** The labelled reviews as aspect examples (texts from the data folder); fails naming a row the data no longer has. */
export async function blindAspectExamples(dataDir: string, exclude: ReadonlySet<string>): Promise<AspectExample[]> {
  const { labels } = JSON.parse(fs.readFileSync(BLIND_LABELS, 'utf8')) as BlindLabels;
  const reviews = new Map((await sampleBlindReviews(dataDir, exclude)).map((review) => [review.ref, review]));
  return labels.map(({ ref, aspects }) => {
    const review = reviews.get(ref);
    if (!review) throw new Error(`${path.basename(BLIND_LABELS)}: ${ref} is not in the seeded sample of ${dataDir}`);
    for (const { aspect } of aspects) if (!(ASPECT_NAMES as readonly string[]).includes(aspect)) throw new Error(`${ref}: unknown aspect ${aspect}`);
    return { id: ref, language: review.language, source: `${ref.split(':')[0]}/${review.category}`, text: review.text, aspects };
  });
}
