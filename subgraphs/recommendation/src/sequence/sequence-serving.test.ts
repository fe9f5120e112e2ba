import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MODEL_FILES, readSequenceVectors } from '@serendip/sequence';
import { logger } from '@serendip/telemetry';
import { InnerProductIndex, ITEM_INDEX_FILES } from '@serendip/vectors';
import { loadItemIndex } from './sequence-serving';

/** A trained version of 12 items and 8 values (the sequence package's fixture). */
const FIXTURE = resolve(__dirname, '../../../../packages/sequence/test/fixtures/cycle-12');

let dir: string;
let warned: string[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sequence-serving-test-'));
  await cp(FIXTURE, dir, { recursive: true });
  warned = [];
  jest.spyOn(logger(), 'warn').mockImplementation((message: unknown) => void warned.push(String(message)));
});
afterEach(async () => {
  jest.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

/** What an index answers for each item's own vector as the query. */
async function answers(index: InnerProductIndex): Promise<string[][]> {
  const { card, vectors } = await readSequenceVectors(dir);
  return Array.from({ length: card.items }, (_, item) =>
    index.search(vectors.subarray((item + 1) * card.dim, (item + 2) * card.dim), 5, () => true).map((hit) => hit.id),
  );
}

describe("a replica's sequence item index", () => {
  it('reads the index training saved instead of building one, without the item vectors', async () => {
    const { card, vectors, productIds } = await readSequenceVectors(dir, { requireProductIds: true });
    const built = await InnerProductIndex.build(productIds!, vectors, card.dim, card.dim);
    await built.save(dir);
    const expected = await answers(built);
    const queries = await readFile(join(dir, MODEL_FILES.vectors));
    // Gone while loading: the saved index must not need them.
    await rm(join(dir, MODEL_FILES.vectors));
    const building = jest.spyOn(InnerProductIndex, 'build');
    const index = await loadItemIndex(dir);
    expect(building).not.toHaveBeenCalled();
    await writeFile(join(dir, MODEL_FILES.vectors), queries);
    expect(await answers(index)).toEqual(expected);
    expect(warned).toEqual([]);
  });

  it('builds it from the item vectors for a version saved without one, and for one whose saved index is damaged, saying why', async () => {
    const building = jest.spyOn(InnerProductIndex, 'build');
    const fresh = await loadItemIndex(dir);
    expect(fresh.size).toBe(12);
    expect(building).toHaveBeenCalledTimes(1);
    expect(warned).toEqual([]);

    await fresh.save(dir);
    const graph = await readFile(join(dir, ITEM_INDEX_FILES.graph));
    graph[graph.length - 1]! ^= 0x01;
    await writeFile(join(dir, ITEM_INDEX_FILES.graph), graph);
    const rebuilt = await loadItemIndex(dir);
    expect(building).toHaveBeenCalledTimes(2);
    expect(await answers(rebuilt)).toEqual(await answers(fresh));
    expect(warned).toEqual([
      expect.stringMatching(/the item index saved in .* is unusable \(item-graph.bin does not match its checksum\): building it from the item vectors/),
    ]);
  });
});
