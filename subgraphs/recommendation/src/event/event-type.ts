import { registerEnumType } from 'type-graphql';

export enum EventType {
  VIEW = 'VIEW',
  SEARCH = 'SEARCH',
  CART = 'CART',
  PURCHASE = 'PURCHASE',
  CLICK = 'CLICK',
}

registerEnumType(EventType, {
  name: 'EventType',
  description: 'What a shopper did. Every type except SEARCH is about one product.',
  valuesConfig: {
    VIEW: { description: 'Opened a product page.' },
    SEARCH: { description: 'Ran a search; carries the query instead of a product.' },
    CART: { description: 'Added a product to the cart.' },
    PURCHASE: { description: 'Bought a product.' },
    CLICK: { description: 'Clicked a product in a list, for instance a recommendation or a search result.' },
  },
});

/** Event types that must name a product. */
export const PRODUCT_EVENT_TYPES: ReadonlySet<EventType> = new Set([EventType.VIEW, EventType.CART, EventType.PURCHASE, EventType.CLICK]);
