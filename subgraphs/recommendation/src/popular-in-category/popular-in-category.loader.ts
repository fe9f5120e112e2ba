import DataLoader from 'dataloader';
import type { RankedProduct } from './popular-in-category';
import type { RecommendationService } from './recommendation.service';

/** Each shopper's full ranked list (MAX_RECOMMENDATIONS); callers take the prefix they need. */
export function createRecommendationsLoader(recommendations: RecommendationService) {
  return new DataLoader<string, RankedProduct[]>((userIds) => recommendations.forUsers(userIds));
}
