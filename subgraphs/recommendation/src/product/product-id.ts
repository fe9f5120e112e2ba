/** Catalogue ids are BIGINT AUTO_INCREMENT values; 18 digits keep them inside a signed BIGINT. */
const PRODUCT_ID = /^[1-9][0-9]{0,17}$/;

export const isProductId = (value: string): boolean => PRODUCT_ID.test(value);

/** Orders decimal id strings numerically, so ties break the same way in SQL and in code. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
