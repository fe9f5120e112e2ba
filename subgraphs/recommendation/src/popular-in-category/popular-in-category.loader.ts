import DataLoader from 'dataloader';
import { personalisedShoppers, type PrivacyStateLoader } from '../privacy/consent.loader';
import type { RankedProduct } from './popular-in-category';
import type { PopularInCategoryService } from './popular-in-category.service';

/** Each shopper's full popular-in-category list (MAX_RECOMMENDATIONS); callers take the prefix they need. */
export function createPopularInCategoryLoader(popularInCategory: PopularInCategoryService, privacy: PrivacyStateLoader) {
  return new DataLoader<string, RankedProduct[]>(async (userIds) => popularInCategory.forUsers(userIds, await personalisedShoppers(privacy, userIds)));
}
