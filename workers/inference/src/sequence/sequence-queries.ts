import { collapseRepeats, loadSequenceModel, type SequenceModel, type ServingVersion } from '@serendip/sequence';
import type { SequenceQuery, ShopperEvent } from '../interest/interest-sources';

/** A platform version with the lookup from product id to the model's item id. */
export interface ProductSequenceModel {
  model: SequenceModel;
  itemOf: ReadonlyMap<string, number>;
}

export async function loadProductSequenceModel(dir: string): Promise<ProductSequenceModel> {
  const model = await loadSequenceModel(dir, { requireProductIds: true });
  return { model, itemOf: new Map(model.productIds!.map((productId, index) => [productId, index + 1])) };
}

/**
 * Turns a shopper's events into the serving version's query vector (the sequence source's input
 * in the slate engine). Products the version does not know (newer than its training) are left
 * out; a shopper with none it knows gets no query, and the slate does without the source.
 */
export class SequenceQueries {
  constructor(private readonly serving: ServingVersion<ProductSequenceModel>) {}

  /** `events` newest first, as interest recognition reads them. */
  async queryFor(events: readonly ShopperEvent[]): Promise<SequenceQuery | null> {
    const served = this.serving.get();
    if (!served) return null;
    const { model, itemOf } = served.model;
    const products = collapseRepeats(events.flatMap((event) => (event.productId ? [event.productId] : [])).reverse());
    const items = products.flatMap((productId) => {
      const item = itemOf.get(productId);
      return item === undefined ? [] : [item];
    });
    if (items.length === 0) return null;
    return { version: served.version, query: await model.queries([items]) };
  }
}
