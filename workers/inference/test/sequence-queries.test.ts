import { ServedVersions } from '@serendip/sequence';
import type { ShopperEvent } from '../src/interest/interest-sources';
import { SequenceQueries, type ProductSequenceModel } from '../src/sequence/sequence-queries';

const view = (productId: string): ShopperEvent => ({ type: 'VIEW', productId, categoryId: null, query: null, occurredAt: new Date(0) });

/** Served versions (v1 serving, and `pinned`) whose graphs answer with `answer` and record the histories they were asked for. */
async function served(answer: (version: string, histories: readonly (readonly number[])[]) => Promise<Float32Array>, pinned: string[] = []) {
  const asked: number[][][] = [];
  const model = (version: string): ProductSequenceModel => ({
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
      queries: (histories) => (asked.push(histories.map((history) => [...history])), answer(version, histories)),
      release: () => Promise.resolve(),
    },
    itemOf: new Map([
      ['101', 1],
      ['102', 2],
      // Only v1 knows product 103.
      ...(version === 'v1' ? [['103', 3] as const] : []),
    ]),
  });
  const serving = new ServedVersions<ProductSequenceModel>({
    wanted: async () => ({ serving: 'v1', pinned }),
    load: async (version) => model(version),
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
    const queries = await new SequenceQueries(serving, (message) => errors.push(message)).queriesFor([
      view('103'),
      view('999'),
      view('102'),
      view('102'),
      view('101'),
    ]);
    expect(asked).toEqual([[[1, 2, 3]]]);
    expect(queries).toEqual([{ version: 'v1', query: new Float32Array([0.5, -0.5]) }]);
    expect(errors).toEqual([]);
  });

  it('gives a query per served version, each from the products that version knows', async () => {
    const { serving, asked } = await served(async (version) => new Float32Array(version === 'v1' ? [1, 0] : [0, 1]), ['v2']);
    const queries = await new SequenceQueries(serving, () => undefined).queriesFor([view('103'), view('101')]);
    expect(queries).toEqual([
      { version: 'v1', query: new Float32Array([1, 0]) },
      { version: 'v2', query: new Float32Array([0, 1]) },
    ]);
    expect(asked).toEqual([[[1, 3]], [[1]]]);
  });

  it('gives no query, and says why, when the graph fails, so the profile is still saved', async () => {
    const { serving } = await served(async () => {
      throw new Error('/models/v1/sequence.onnx: missing');
    });
    const errors: string[] = [];
    const queries = new SequenceQueries(serving, (message) => errors.push(message));
    expect(await queries.queriesFor([view('101')])).toEqual([]);
    expect(errors).toEqual(['sequence query with v1 failed, profile saved without it: /models/v1/sequence.onnx: missing']);
    expect(await queries.queriesFor([view('999')])).toEqual([]);
    expect(errors).toHaveLength(1);
  });
});
