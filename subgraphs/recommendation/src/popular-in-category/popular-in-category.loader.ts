import DataLoader from 'dataloader';
import type { RankedProduct } from './popular-in-category';
import type { PopularInCategoryService } from './popular-in-category.service';

/** Each shopper's full popular-in-category list (MAX_RECOMMENDATIONS); callers take the prefix they need. */
export function createPopularInCategoryLoader(popularInCategory: PopularInCategoryService) {
  return new DataLoader<string, RankedProduct[]>((userIds) => popularInCategory.forUsers(userIds));
}
