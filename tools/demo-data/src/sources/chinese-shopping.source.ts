import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readCsvRecords } from '../csv';

export const CHINESE_FILE = 'chinese_sentiment_online_shopping_10_cats/online_shopping_10_cats.csv';

/** One row of online_shopping_10_cats.csv. The corpus names a category, never a product. */
export interface ChineseReview {
  /** 书籍, 平板, 手机, 水果, 洗发水, 热水器, 蒙牛, 衣服, 计算机 or 酒店. */
  category: string;
  /** 1 positive, 0 negative. */
  label: 0 | 1;
  /** As found, including a stray U+FEFF some reviews start with. */
  review: string;
  /** 0-based position of the record in the file. */
  index: number;
  /**
   * Row key: the first 16 hex digits of SHA-256 over `category \t label \t review`, then `-n` for the
   * n-th identical row. The file has no row id and some texts repeat; a content key stays the
   * same when other rows are added or removed.
   */
  key: string;
}

export const chineseRowKey = (category: string, label: number, review: string, occurrence: number): string =>
  `${createHash('sha256').update(`${category}\t${label}\t${review}`, 'utf8').digest('hex').slice(0, 16)}-${occurrence}`;

export function parseChineseReviews(csv: string): ChineseReview[] {
  const reviews: ChineseReview[] = [];
  const seen = new Map<string, number>();
  for (const record of readCsvRecords(csv)) {
    const category = (record.cat ?? '').trim();
    const label = record.label;
    const review = record.review ?? '';
    if (!category) throw new Error(`online_shopping_10_cats: record ${reviews.length + 1} has no category`);
    if (label !== '0' && label !== '1') throw new Error(`online_shopping_10_cats: record ${reviews.length + 1} has label ${JSON.stringify(label)}`);
    const contentKey = `${category}\t${label}\t${review}`;
    const occurrence = (seen.get(contentKey) ?? 0) + 1;
    seen.set(contentKey, occurrence);
    reviews.push({
      category,
      label: label === '1' ? 1 : 0,
      review,
      index: reviews.length,
      key: chineseRowKey(category, Number(label), review, occurrence),
    });
  }
  return reviews;
}

export async function readChinese(dataDir: string): Promise<ChineseReview[]> {
  return parseChineseReviews(await readFile(join(dataDir, CHINESE_FILE), 'utf8'));
}
