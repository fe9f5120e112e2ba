import { rowLoader } from '@serendip/federation';
import { isRowId } from '@serendip/db';
import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { ReviewEntity } from './review.entity';

/** Whose reviews a page or a count is about. */
export type ReviewOwner = 'product' | 'user';

const OWNER_COLUMN: Record<ReviewOwner, 'product_id' | 'user_id'> = { product: 'product_id', user: 'user_id' };

/** Ids that cannot match a row are answered without asking the database (and never reach SQL). */
const isOwnerId: Record<ReviewOwner, (id: string) => boolean> = {
  product: isRowId,
  user: (id) => id.length > 0 && id.length <= 36,
};

export interface ReviewStats {
  count: number;
  average: number | null;
}

export interface ReviewPageRequest {
  ownerId: string;
  first: number;
  /** Seek position: only reviews with a smaller id. */
  beforeId: string | null;
}

export interface ReviewPage {
  rows: ReviewEntity[];
  hasNextPage: boolean;
}

interface ReviewRow {
  id: string;
  user_id: string;
  product_id: string;
  rating: number;
  text: string;
  language: string;
  created_at: Date;
  client_review_id: string | null;
}

function fromRow(row: ReviewRow): ReviewEntity {
  return Object.assign(new ReviewEntity(), {
    id: String(row.id),
    userId: row.user_id,
    productId: String(row.product_id),
    rating: Number(row.rating),
    text: row.text,
    language: row.language,
    createdAt: row.created_at,
    clientReviewId: row.client_review_id,
  });
}

const placeholders = (count: number) => Array.from({ length: count }, () => '?').join(', ');

export function createReviewLoader(dataSource: DataSource) {
  const repo = dataSource.getRepository(ReviewEntity);
  return rowLoader<string, ReviewEntity>(
    async (ids) => {
      const valid = ids.filter(isRowId);
      return valid.length === 0 ? [] : repo.findBy({ id: In(valid) });
    },
    (review) => review.id,
  );
}

/** Review count and mean rating per product (or per author), one GROUP BY per batch. */
export function createReviewStatsLoader(dataSource: DataSource, owner: ReviewOwner) {
  const column = OWNER_COLUMN[owner];
  return new DataLoader<string, ReviewStats>(async (ids) => {
    const valid = [...new Set(ids.filter(isOwnerId[owner]))];
    const rows: { owner_id: string; count: string | number; average: string | number | null }[] =
      valid.length === 0
        ? []
        : await dataSource.query(
            `SELECT \`${column}\` AS owner_id, COUNT(*) AS count, AVG(rating) AS average
               FROM review WHERE \`${column}\` IN (${placeholders(valid.length)}) GROUP BY \`${column}\``,
            valid,
          );
    const byOwner = new Map(rows.map((row) => [String(row.owner_id), row] as const));
    return ids.map((id) => {
      const row = byOwner.get(id);
      return row ? { count: Number(row.count), average: row.average === null ? null : Number(row.average) } : { count: 0, average: null };
    });
  });
}

/**
 * Pages of reviews for many owners at once. Requests with the same page arguments (the usual case:
 * one field over a list of products) share one query that numbers each owner's reviews with a
 * window function and keeps the first `first + 1` (the extra row tells whether a next page exists).
 */
export function createReviewPageLoader(dataSource: DataSource, owner: ReviewOwner) {
  const column = OWNER_COLUMN[owner];
  const argsKey = (request: ReviewPageRequest) => `${request.first}:${request.beforeId ?? ''}`;

  const fetchGroup = async (first: number, beforeId: string | null, ownerIds: string[]): Promise<ReviewEntity[]> => {
    const valid = ownerIds.filter(isOwnerId[owner]);
    if (valid.length === 0) return [];
    const seek = beforeId === null ? '' : 'AND id < ?';
    // Rows are numbered on the (owner, id) index alone; only the rows kept are read in full.
    const rows: ReviewRow[] = await dataSource.query(
      `SELECT r.id, r.user_id, r.product_id, r.rating, r.text, r.language, r.created_at, r.client_review_id
         FROM (
           SELECT id, ROW_NUMBER() OVER (PARTITION BY \`${column}\` ORDER BY id DESC) AS position
             FROM review
            WHERE \`${column}\` IN (${placeholders(valid.length)}) ${seek}
         ) AS ranked
         JOIN review AS r ON r.id = ranked.id
        WHERE ranked.position <= ?
        ORDER BY r.\`${column}\`, r.id DESC`,
      [...valid, ...(beforeId === null ? [] : [beforeId]), first + 1],
    );
    return rows.map(fromRow);
  };

  return new DataLoader<ReviewPageRequest, ReviewPage, string>(
    async (requests) => {
      const groups = new Map<string, { first: number; beforeId: string | null; ownerIds: Set<string> }>();
      for (const request of requests) {
        const key = argsKey(request);
        const group = groups.get(key) ?? { first: request.first, beforeId: request.beforeId, ownerIds: new Set<string>() };
        group.ownerIds.add(request.ownerId);
        groups.set(key, group);
      }
      const pages = new Map<string, ReviewEntity[]>();
      await Promise.all(
        [...groups].map(async ([key, group]) => {
          for (const row of await fetchGroup(group.first, group.beforeId, [...group.ownerIds])) {
            const pageKey = `${key}|${owner === 'product' ? row.productId : row.userId}`;
            const page = pages.get(pageKey);
            if (page) page.push(row);
            else pages.set(pageKey, [row]);
          }
        }),
      );
      return requests.map((request) => {
        const rows = pages.get(`${argsKey(request)}|${request.ownerId}`) ?? [];
        return { rows: rows.slice(0, request.first), hasNextPage: rows.length > request.first };
      });
    },
    { cacheKeyFn: (request) => `${argsKey(request)}|${request.ownerId}` },
  );
}
