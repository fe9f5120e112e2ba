import { badInput, decodeCursor, encodeCursor, pageSize } from '@serendip/federation';
import { isRowId } from '@serendip/db';
import type { FeedbackContext } from '../context';
import { toReview } from './review.mapper';
import type { ReviewConnection } from './review.type';

export const DEFAULT_REVIEW_PAGE = 20;

/** The review id a cursor points at; pages continue with strictly older (smaller) ids. */
function cursorId(after: string): string {
  const [id, ...rest] = decodeCursor(after);
  if (typeof id !== 'string' || !isRowId(id) || rest.length > 0) throw badInput('after is not a cursor this API issued', 'after');
  return id;
}

/** One page of a product's reviews, newest first; page and count both go through batched loaders. */
export async function loadReviewConnection(
  ctx: FeedbackContext,
  ownerId: string,
  first: number | null,
  after: string | null | undefined,
): Promise<ReviewConnection> {
  const request = { ownerId, first: pageSize(first ?? DEFAULT_REVIEW_PAGE), beforeId: after ? cursorId(after) : null };
  const loaders = ctx.loaders.productReviews;
  const [page, stats] = await Promise.all([loaders.page.load(request), loaders.stats.load(ownerId)]);
  const last = page.rows[page.rows.length - 1];
  return {
    nodes: page.rows.map(toReview),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: last ? encodeCursor([last.id]) : null },
    totalCount: stats.count,
  };
}
