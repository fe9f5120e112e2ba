export type Profile = 'demo' | 'full';

export const PROFILES: readonly Profile[] = ['demo', 'full'];

/** How much of each source a profile imports; null means everything. */
export interface ProfileLimits {
  /** Beauty.txt users, first in file order; with a cap only the products they bought are imported. */
  beautyUsers: number | null;
  /** Online Retail customers, in order of their first invoice line. */
  retailCustomers: number | null;
  /** REES46 events, first in file (time) order. */
  rees46Events: number | null;
  /** Women's clothing reviews with text, first in file order. */
  clothingReviews: number | null;
  /** Chinese reviews per category: up to half positive and half negative, first in file order. */
  chineseReviewsPerCategory: number | null;
}

/**
 * `demo` is what `npm start` imports into an empty stack, so it is sized to finish well within a
 * minute on two cores while keeping every source and every kind of link present.
 */
export const PROFILE_LIMITS: Readonly<Record<Profile, ProfileLimits>> = {
  demo: {
    beautyUsers: 2000,
    retailCustomers: null,
    rees46Events: null,
    clothingReviews: 5000,
    chineseReviewsPerCategory: 300,
  },
  full: {
    beautyUsers: null,
    retailCustomers: null,
    rees46Events: null,
    clothingReviews: null,
    chineseReviewsPerCategory: null,
  },
};

export const isProfile = (value: string): value is Profile => (PROFILES as readonly string[]).includes(value);
