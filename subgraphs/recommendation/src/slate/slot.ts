import { registerEnumType } from 'type-graphql';

/** Where on the storefront a slate is shown; exploration strength and logging are per slot. */
export enum RecommendationSlot {
  HOME = 'HOME',
  PRODUCT = 'PRODUCT',
  CART = 'CART',
}

registerEnumType(RecommendationSlot, {
  name: 'RecommendationSlot',
  description: 'Where a slate is shown. Each slot has its own exploration strength and its own logged impressions.',
  valuesConfig: {
    HOME: { description: 'The home page or a landing page.' },
    PRODUCT: { description: 'A product page ("you may also like").' },
    CART: { description: 'The cart or checkout ("complete your order").' },
  },
});
