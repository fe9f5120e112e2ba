import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readCsvRecords } from '../csv';

export const CLOTHING_FILE = 'english_reviews_womens_clothing/womens_clothing_ecommerce_reviews.csv';

/** One review of the Women's E-Commerce Clothing Reviews file. */
export interface ClothingReview {
  /** The unnamed first column (0…23485): the row key. */
  rowId: string;
  clothingId: string;
  age: number | null;
  title: string;
  text: string;
  rating: number;
  recommended: boolean;
  division: string;
  department: string;
  className: string;
}

const DIGITS = /^\d+$/;
const RATING = /^[1-5]$/;

export function parseClothingReviews(csv: string): ClothingReview[] {
  const reviews: ClothingReview[] = [];
  for (const record of readCsvRecords(csv)) {
    const rowId = record[''] ?? '';
    const clothingId = record['Clothing ID'] ?? '';
    const rating = record.Rating ?? '';
    const age = record.Age ?? '';
    if (!DIGITS.test(rowId) || !DIGITS.test(clothingId)) throw new Error(`clothing reviews: row ${rowId} has a bad row id or Clothing ID`);
    if (!RATING.test(rating)) throw new Error(`clothing reviews: row ${rowId} has rating ${JSON.stringify(rating)}`);
    reviews.push({
      rowId,
      clothingId,
      age: DIGITS.test(age) ? Number(age) : null,
      title: record.Title ?? '',
      text: record['Review Text'] ?? '',
      rating: Number(rating),
      recommended: record['Recommended IND'] === '1',
      division: (record['Division Name'] ?? '').trim(),
      department: (record['Department Name'] ?? '').trim(),
      className: (record['Class Name'] ?? '').trim(),
    });
  }
  return reviews;
}

export async function readClothing(dataDir: string): Promise<ClothingReview[]> {
  return parseClothingReviews(await readFile(join(dataDir, CLOTHING_FILE), 'utf8'));
}
