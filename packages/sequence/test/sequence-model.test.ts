/** @jest-environment ./packages/inference/test/support/onnx-runtime.environment.ts */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadSequenceModel, nextItemMetrics, readSequenceVectors, scoreItems, SequenceModelError, sequenceVersionDir } from '../src';

const FIXTURE = path.join(__dirname, 'fixtures', 'cycle-12');

/** A copy of the fixture to break one file of. */
async function copyFixture(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'serendip-sequence-'));
  for (const file of await fs.readdir(FIXTURE)) await fs.copyFile(path.join(FIXTURE, file), path.join(dir, file));
  return dir;
}

describe('loadSequenceModel', () => {
  it('turns a history into a query whose best item is the one that follows it in training', async () => {
    const model = await loadSequenceModel(FIXTURE);
    try {
      expect(model.card).toMatchObject({ items: 12, dim: 8, maxLen: 6 });
      expect(model.productIds).toEqual(Array.from({ length: 12 }, (_, i) => String(1001 + i)));
      const queries = await model.queries([[3], [1, 2, 3, 4], [12]]);
      expect(queries).toHaveLength(3 * 8);
      const scores = new Float32Array(13);
      const best = (row: number) => {
        scoreItems(model, queries.subarray(row * 8, (row + 1) * 8), scores);
        return scores.indexOf(Math.max(...scores.subarray(1)));
      };
      expect([best(0), best(1), best(2)]).toEqual([4, 5, 1]);
    } finally {
      await model.release();
    }
  });

  it('measures next-item HR@10 and NDCG@10 under full ranking, an unknown or already seen target a miss', async () => {
    const model = await loadSequenceModel(FIXTURE);
    try {
      const known = await nextItemMetrics(model, [
        { history: [5], target: 6 },
        { history: [7, 8], target: 9 },
      ]);
      expect(known).toMatchObject({ hr10: 1, ndcg10: 1, cases: 2 });
      expect(known.byHistory).toEqual([
        { history: '1', hr10: 1, ndcg10: 1, cases: 1 },
        { history: '2-4', hr10: 1, ndcg10: 1, cases: 1 },
        { history: '5-9', hr10: 0, ndcg10: 0, cases: 0 },
        { history: '10+', hr10: 0, ndcg10: 0, cases: 0 },
      ]);
      const withUnknown = await nextItemMetrics(model, [
        { history: [5], target: 6 },
        { history: [5], target: 0 },
      ]);
      expect(withUnknown).toMatchObject({ hr10: 0.5, ndcg10: 0.5, cases: 2 });
      const seenBefore = await nextItemMetrics(model, [{ history: [6, 5], target: 6 }]);
      expect(seenBefore).toMatchObject({ hr10: 0, ndcg10: 0, cases: 1 });
    } finally {
      await model.release();
    }
  });

  it.each([
    ['model.json', 'missing', async (dir: string) => fs.rm(path.join(dir, 'model.json'))],
    ['model.json', 'not valid JSON', async (dir: string) => fs.writeFile(path.join(dir, 'model.json'), '{"items": 12,')],
    [
      'model.json',
      'not a sequence model card (dim, layers',
      async (dir: string) => fs.writeFile(path.join(dir, 'model.json'), JSON.stringify({ model: 'x', items: 12 })),
    ],
    ['item-vectors.f32', 'holds 400 bytes, not 13 items × 8 floats', async (dir: string) => fs.truncate(path.join(dir, 'item-vectors.f32'), 400)],
    ['items.json', 'expected 12 product ids', async (dir: string) => fs.writeFile(path.join(dir, 'items.json'), '["1001"]')],
    ['sequence.onnx', 'missing', async (dir: string) => fs.rm(path.join(dir, 'sequence.onnx'))],
    ['sequence.onnx', 'does not load', async (dir: string) => fs.writeFile(path.join(dir, 'sequence.onnx'), 'not a graph')],
  ])('refuses a version whose %s is broken (%s), naming the file', async (file, problem, breakIt) => {
    const dir = await copyFixture();
    try {
      await breakIt(dir);
      const error = await loadSequenceModel(dir).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(SequenceModelError);
      expect((error as SequenceModelError).file).toBe(path.join(dir, file));
      expect((error as Error).message).toContain(problem);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('reads vectors without ONNX, and requires product ids where asked', async () => {
    const dir = await copyFixture();
    try {
      await fs.rm(path.join(dir, 'items.json'));
      expect((await readSequenceVectors(dir)).productIds).toBeNull();
      await expect(readSequenceVectors(dir, { requireProductIds: true })).rejects.toThrow(`${path.join(dir, 'items.json')}: missing`);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('sequenceVersionDir', () => {
  it('keeps versions inside the model folder', () => {
    expect(sequenceVersionDir('/models', 'seq-20261205-0001')).toBe('/models/seq-20261205-0001');
    for (const bad of ['../etc', 'a/b', '', '.hidden', 'x'.repeat(41)])
      expect(() => sequenceVersionDir('/models', bad)).toThrow('not a sequence model version name');
  });
});
