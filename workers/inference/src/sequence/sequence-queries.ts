import { collapseRepeats, loadSequenceModel, readSequenceVectors, type SequenceModel, type ServingVersion } from '@serendip/sequence';
import type { SequenceQuery, ShopperEvent } from '../interest/interest-sources';

/** A platform version with the lookup from product id to the model's item id. */
export interface ProductSequenceModel {
  model: Pick<SequenceModel, 'card' | 'vectors' | 'queries' | 'release'>;
  itemOf: ReadonlyMap<string, number>;
}

/** Runs a version's ONNX graph somewhere else (the worker's inference thread): `dim` floats per history. */
export type RemoteQueries = (dir: string, histories: number[][]) => Promise<Float32Array>;

/**
 * Loads a platform version. With `remote`, its files are read here and its graph runs wherever
 * `remote` runs it: in a worker process that is the inference thread, since ONNX Runtime's binding
 * serves one thread per process. Without, the graph is loaded here (a CLI process).
 */
export async function loadProductSequenceModel(dir: string, remote?: RemoteQueries): Promise<ProductSequenceModel> {
  let model: ProductSequenceModel['model'] & { productIds: string[] | null };
  if (remote) {
    const files = await readSequenceVectors(dir, { requireProductIds: true });
    const queries = (histories: readonly (readonly number[])[]) =>
      remote(
        dir,
        histories.map((history) => [...history]),
      );
    // One query at load, as loadSequenceModel does: a graph that does not load is refused now, naming its file.
    await queries([[1]]);
    // The inference thread owns the session (and releases old versions itself).
    model = { ...files, queries, release: () => Promise.resolve() };
  } else {
    model = await loadSequenceModel(dir, { requireProductIds: true });
  }
  return { model, itemOf: new Map(model.productIds!.map((productId, index) => [productId, index + 1])) };
}

/**
 * Turns a shopper's events into the serving version's query vector (the sequence source's input
 * in the slate engine). Products the version does not know (newer than its training) are left
 * out; a shopper with none it knows gets no query, and the slate does without the source.
 */
export class SequenceQueries {
  constructor(
    private readonly serving: ServingVersion<ProductSequenceModel>,
    /** Told when a query fails; the update goes on without one, since the sequence source is one of several. */
    private readonly onError: (message: string) => void,
  ) {}

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
    try {
      return { version: served.version, query: await model.queries([items]) };
    } catch (error) {
      // A version whose files went missing after it loaded must not stop interest profiles.
      this.onError(`sequence query with ${served.version} failed, profile saved without one: ${(error as Error).message}`);
      return null;
    }
  }
}
