import { ServingVersion } from '@serendip/sequence';
import type { ShopperEvent } from '../src/interest/interest-sources';
import { SequenceQueries, type ProductSequenceModel } from '../src/sequence/sequence-queries';

const view = (productId: string): ShopperEvent => ({ type: 'VIEW', productId, categoryId: null, query: null, occurredAt: new Date(0) });

/** A served version whose graph answers with `answer` and records the histories it was asked for. */
async function served(answer: (histories: readonly (readonly number[])[]) => Promise<Float32Array>) {
  const asked: number[][][] = [];
  const model: ProductSequenceModel = {
    model: {
      card: {
        model: 'm',
        items: 3,
        dim: 2,
        layers: 1,
        maxLen: 5,
        parameters: 1,
        bestEpoch: 1,
        trainingSeconds: 0,
        validation: { hr10: 0, ndcg10: 0, users: 0 },
      },
      vectors: new Float32Array(8),
      queries: (histories) => (asked.push(histories.map((history) => [...history])), answer(histories)),
      release: () => Promise.resolve(),
    },
    itemOf: new Map([
      ['101', 1],
      ['102', 2],
      ['103', 3],
    ]),
  };
  const serving = new ServingVersion<ProductSequenceModel>({
    current: async () => 'v1',
    load: async () => model,
    intervalMs: 60_000,
    log: { info: () => undefined, error: () => undefined },
  });
  await serving.refresh();
  return { serving, asked };
}

describe('SequenceQueries', () => {
  it("asks the version for the shopper's known products, oldest first, a product repeated back to back once", async () => {
    const { serving, asked } = await served(async () => new Float32Array([0.5, -0.5]));
    const errors: string[] = [];
    // Newest first, as interest recognition reads events; 999 is newer than the version.
    const query = await new SequenceQueries(serving, (message) => errors.push(message)).queryFor([
      view('103'),
      view('999'),
      view('102'),
      view('102'),
      view('101'),
    ]);
    expect(asked).toEqual([[[1, 2, 3]]]);
    expect(query).toEqual({ version: 'v1', query: new Float32Array([0.5, -0.5]) });
    expect(errors).toEqual([]);
  });

  it('gives no query, and says why, when the graph fails, so the profile is still saved', async () => {
    const { serving } = await served(async () => {
      throw new Error('/models/v1/sequence.onnx: missing');
    });
    const errors: string[] = [];
    const queries = new SequenceQueries(serving, (message) => errors.push(message));
    expect(await queries.queryFor([view('101')])).toBeNull();
    expect(errors).toEqual(['sequence query with v1 failed, profile saved without one: /models/v1/sequence.onnx: missing']);
    expect(await queries.queryFor([view('999')])).toBeNull();
    expect(errors).toHaveLength(1);
  });
});
