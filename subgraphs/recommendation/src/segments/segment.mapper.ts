import type { SegmentDescription } from '@serendip/recsys';
import type { ShopperSegment } from './segment.type';

export const toSegment = (description: SegmentDescription): ShopperSegment => ({
  ...description,
  topCategories: description.topCategories.map((category) => ({ category: { id: category.categoryId }, share: category.share })),
  differences: description.differences.slice(0, 5),
});
