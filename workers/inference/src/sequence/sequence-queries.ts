import { collapseRepeats, loadSequenceModel, readSequenceVectors, type SequenceModel, type ServedVersions } from '@serendip/sequence';
import type { SequenceQuery, ShopperEvent } from '../interest/interest-sources';

/** A platform version with the lookup from product id to the model's item id. */
export interface ProductSequenceModel {
  model: Pick<SequenceModel, 'card' | 'vectors' | 'queries' | 'release'>;
  itemOf: ReadonlyMap<string, number>;
}

/** Runs versions' ONNX graphs somewhere else (the worker's inference thread), which holds each from open to release. */
export interface RemoteQueries {
  open(dir: string): Promise<void>;
  /** `dim` floats per history. */
  queries(dir: string, histories: number[][]): Promise<Float32Array>;
  release(dir: string): Promise<void>;
}

/**
 * Loads a platform version. With `remote`, its files are read here and its graph runs wherever
 * `remote` runs it: in a worker process that is the inference thread, since ONNX Runtime's binding
 * serves one thread per process. Without, the graph is loaded here (a CLI process).
 */
export async function loadProductSequenceModel(dir: string, remote?: RemoteQueries): Promise<ProductSequenceModel> {
  let model: ProductSequenceModel['model'] & { productIds: string[] | null };
  if (remote) {
    const files = await readSequenceVectors(dir, { requireProductIds: true });
    // Opening loads the graph, as loadSequenceModel does: a graph that does not load is refused now, naming its file.
    await remote.open(dir);
    const queries = (histories: readonly (readonly number[])[]) =>
      remote.queries(
        dir,
        histories.map((history) => [...history]),
      );
    model = { ...files, queries, release: () => remote.release(dir) };
  } else {
    model = await loadSequenceModel(dir, { requireProductIds: true });
  }
  return { model, itemOf: new Map(model.productIds!.map((productId, index) => [productId, index + 1])) };
}

/**
 * Turns a shopper's events into a query vector for each served version (the serving one and those
 * running experiments pin: the sequence source's input in the slate engine, whichever version the
 * shopper's arm reads). Products a version does not know (newer than its training) are left out;
 * a shopper with none it knows gets no query from it, and the slate does without the source.
 */
export class SequenceQueries {
  constructor(
    private readonly served: ServedVersions<ProductSequenceModel>,
    /** Told when a query fails; the update goes on without it, since the sequence source is one of several. */
    private readonly onError: (message: string) => void,
  ) {}

  /** `events` newest first, as interest recognition reads them. */
  async queriesFor(events: readonly ShopperEvent[]): Promise<SequenceQuery[]> {
    const products = collapseRepeats(events.flatMap((event) => (event.productId ? [event.productId] : [])).reverse());
    const queries = await Promise.all(this.served.all().map(({ version, model }) => this.queryFor(version, model, products)));
    return queries.filter((query): query is SequenceQuery => query !== null);
  }

  private async queryFor(version: string, { model, itemOf }: ProductSequenceModel, products: readonly string[]): Promise<SequenceQuery | null> {
    const items = products.flatMap((productId) => {
      const item = itemOf.get(productId);
      return item === undefined ? [] : [item];
    });
    if (items.length === 0) return null;
    try {
      return { version, query: await model.queries([items]) };
    } catch (error) {
      // A version whose files went missing after it loaded must not stop interest profiles.
      this.onError(`sequence query with ${version} failed, profile saved without it: ${(error as Error).message}`);
      return null;
    }
  }
}
