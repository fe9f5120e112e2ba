/**
 * A shopper's products, oldest first, as the sequence model reads them in training and in serving
 * alike: a product repeated back to back (viewed, then carted, then bought) counts once, since the
 * model predicts the next product, not the next event about the same one.
 */
export function collapseRepeats(productIds: readonly string[]): string[] {
  return productIds.filter((productId, index) => index === 0 || productIds[index - 1] !== productId);
}
