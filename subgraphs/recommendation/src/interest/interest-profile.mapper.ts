import type { SavedProfile } from './interest.store';
import type { InterestProfileType } from './interest-profile.type';

export function toInterestProfile(saved: SavedProfile): InterestProfileType {
  return {
    signals: saved.signals,
    updatedAt: saved.updatedAt,
    interests: saved.profile.interests.map((interest, index) => {
      const keywords = interest.keywords.map((keyword) => keyword.term);
      return {
        label: keywords.length > 0 ? keywords.slice(0, 2).join(' · ') : `Interest ${index + 1}`,
        weight: interest.weight,
        topCategories: interest.categories.map((category) => ({ category: { id: category.id }, weight: category.weight })),
        topKeywords: keywords,
        signals: interest.signals,
      };
    }),
  };
}
