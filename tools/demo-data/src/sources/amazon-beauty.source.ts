import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readTsvRows } from '../csv';

export const BEAUTY_FILES = {
  titles: 'amazon_beauty_item_titles/item_titles.tsv',
  attributes: 'amazon_beauty_s3rec/Beauty_item2attributes.json',
  sequences: 'amazon_beauty_s3rec/Beauty.txt',
} as const;

/** One row of item_titles.tsv: an S3-Rec item id with its Amazon ASIN and title (may be empty). */
export interface BeautyItem {
  itemId: number;
  asin: string;
  title: string;
}

/** One line of Beauty.txt: a user's items in chronological order (no timestamps exist). */
export interface BeautySequence {
  userId: string;
  itemIds: number[];
}

/**
 * What an item's anonymised attribute ids mean. S3-Rec's preprocessing appends the brand first
 * (when it is frequent enough) and then every level of each category path below the root
 * "Beauty", so the list is `[brand?, level1, level2, …, level1', …]`.
 */
export interface BeautyItemAttributes {
  brand: number | null;
  /** The item's first category path below "Beauty", as attribute ids from the top down. */
  categoryPath: number[];
}

export interface BeautyData {
  items: BeautyItem[];
  attributes: Map<number, BeautyItemAttributes>;
  sequences: BeautySequence[];
}

const POSITIVE_INT = /^[1-9][0-9]*$/;

function positiveInt(value: string | undefined, what: string): number {
  if (value === undefined || !POSITIVE_INT.test(value)) throw new Error(`${what}: expected a positive integer, got ${JSON.stringify(value)}`);
  return Number(value);
}

export function parseBeautyTitles(tsv: string): BeautyItem[] {
  const items: BeautyItem[] = [];
  let header = true;
  for (const row of readTsvRows(tsv)) {
    if (header) {
      if (row.join('\t') !== 'item_id\tasin\ttitle') throw new Error(`item_titles.tsv: unexpected header ${row.join(',')}`);
      header = false;
      continue;
    }
    if (row.length !== 3) throw new Error(`item_titles.tsv: item ${row[0]} has ${row.length} fields`);
    const [itemId, asin, title] = row as [string, string, string];
    items.push({ itemId: positiveInt(itemId, 'item_titles.tsv item_id'), asin, title });
  }
  return items;
}

/** Beauty_item2attributes.json: `{"item id": [attribute id, …]}`. */
export function parseBeautyAttributeLists(json: string): Map<number, number[]> {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('Beauty_item2attributes.json: expected an object');
  const lists = new Map<number, number[]>();
  for (const [key, value] of Object.entries(parsed)) {
    if (!Array.isArray(value) || !value.every((id) => Number.isInteger(id) && id > 0)) {
      throw new Error(`Beauty_item2attributes.json: item ${key} has no list of attribute ids`);
    }
    lists.set(positiveInt(key, 'Beauty_item2attributes.json item id'), value as number[]);
  }
  return lists;
}

/**
 * Splits each attribute list into brand and category path. An id that ever appears after the
 * first position is a category level. A top-level category is one that directly follows a
 * first element that is never a category, i.e. a brand. A first element is then the brand unless
 * it is itself a top-level category; this also catches a brand whose name equals a category name
 * (S3-Rec gives equal strings one id), since it is followed by a top-level category. A second
 * path starts at the next top-level id; only the first path is kept.
 */
export function interpretBeautyAttributes(lists: Map<number, number[]>): Map<number, BeautyItemAttributes> {
  const categoryLevels = new Set<number>();
  for (const list of lists.values()) for (const id of list.slice(1)) categoryLevels.add(id);
  const topLevel = new Set<number>();
  for (const list of lists.values()) {
    const [first, second] = list;
    if (first !== undefined && second !== undefined && !categoryLevels.has(first)) topLevel.add(second);
  }
  const result = new Map<number, BeautyItemAttributes>();
  for (const [itemId, list] of lists) {
    const [first] = list;
    const hasBrand = first !== undefined && !topLevel.has(first) && (!categoryLevels.has(first) || topLevel.has(list[1] ?? -1));
    const categories = hasBrand ? list.slice(1) : list;
    const categoryPath: number[] = [];
    for (const id of categories) {
      if (categoryPath.length > 0 && topLevel.has(id)) break;
      categoryPath.push(id);
    }
    result.set(itemId, { brand: hasBrand ? (first ?? null) : null, categoryPath });
  }
  return result;
}

export function parseBeautySequences(text: string): BeautySequence[] {
  const sequences: BeautySequence[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim().length === 0) continue;
    const [userId, ...items] = line.trim().split(/\s+/);
    positiveInt(userId, 'Beauty.txt user id');
    sequences.push({ userId: userId as string, itemIds: items.map((item) => positiveInt(item, `Beauty.txt user ${userId}`)) });
  }
  return sequences;
}

export async function readBeauty(dataDir: string): Promise<BeautyData> {
  const [titles, attributes, sequences] = await Promise.all(
    [BEAUTY_FILES.titles, BEAUTY_FILES.attributes, BEAUTY_FILES.sequences].map((file) => readFile(join(dataDir, file), 'utf8')),
  );
  return {
    items: parseBeautyTitles(titles as string),
    attributes: interpretBeautyAttributes(parseBeautyAttributeLists(attributes as string)),
    sequences: parseBeautySequences(sequences as string),
  };
}
