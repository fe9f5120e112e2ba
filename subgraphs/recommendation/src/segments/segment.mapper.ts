import type { StoredSegment } from './segment.store';
import type { ShopperSegment } from './segment.type';

export const toSegment = (description: StoredSegment): ShopperSegment => ({
  ...description,
  topCategories: description.topCategories.map((category) => ({ category: { id: category.categoryId }, share: category.share })),
  differences: description.differences.slice(0, 5),
  overIndexedProducts: description.products.map(({ productId, ...figures }) => ({ product: { id: productId }, ...figures })),
});
