import type { ReviewEntity } from './review.entity';
import type { Review } from './review.type';

export function toReview(entity: ReviewEntity): Review {
  return {
    id: entity.id,
    author: { id: entity.userId },
    product: { id: entity.productId },
    rating: entity.rating,
    text: entity.text,
    language: entity.language,
    createdAt: entity.createdAt,
  };
}
