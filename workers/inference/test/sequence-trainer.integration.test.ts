/** @jest-environment ./packages/inference/test/support/onnx-runtime.environment.ts */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readSequenceVectors, type WantedVersions } from '@serendip/sequence';
import { InnerProductIndex } from '@serendip/vectors';
import {
  SequenceTrainer,
  type ItemFeatureSource,
  type SequenceModelRecord,
  type SequenceTrainingSettings,
  type SequenceTrainingStore,
} from '../src/sequence/sequence-trainer';

/** The registry and behaviour as a map and a list, so each test sees exactly what training wrote. */
class MemoryStore implements SequenceTrainingStore {
  promoted: SequenceModelRecord[] = [];
  rejected: SequenceModelRecord[] = [];
  /** Versions that experiments pin. */
  pinned: string[] = [];

  constructor(public sequences: Map<string, string[]>) {}

  async productSequences(): Promise<Map<string, string[]>> {
    return this.sequences;
  }

  async servingSequenceModel(): Promise<{ version: string } | null> {
    const last = this.promoted.at(-1);
    return last ? { version: last.version } : null;
  }

  async servedSequenceModels(): Promise<WantedVersions> {
    return { serving: (await this.servingSequenceModel())?.version ?? null, pinned: this.pinned };
  }

  async pinnedSequenceModels(): Promise<string[]> {
    return this.pinned;
  }

  async promoteSequenceModel(record: SequenceModelRecord): Promise<void> {
    this.promoted.push(record);
  }

  async rejectSequenceModel(record: SequenceModelRecord): Promise<void> {
    this.rejected.push(record);
  }

  async recentSequenceModels(): Promise<never[]> {
    throw new Error('training never lists the registry');
  }
}

/** 60 shoppers walking 8 steps of a 40-product cycle (product ids 501…540), each from their own start. */
function walks(shoppers = 60, steps = 8): Map<string, string[]> {
  return new Map(
    Array.from({ length: shoppers }, (_, shopper) => [
      `shopper-${shopper}`,
      Array.from({ length: steps }, (_, step) => String(501 + ((shopper * 7 + step) % 40))),
    ]),
  );
}

/** A model that learns the cycle in a few seconds, and one that cannot learn it in one tiny step. */
const QUICK = [
  '--dim',
  '16',
  '--layers',
  '1',
  '--max-len',
  '10',
  '--dropout',
  '0.1',
  '--lr',
  '0.01',
  '--batch',
  '16',
  '--max-epochs',
  '40',
  '--patience',
  '40',
];
const UNTRAINED = ['--dim', '16', '--layers', '1', '--max-len', '10', '--lr', '0.000001', '--max-epochs', '1'];

let modelDir: string;
let lines: string[];
const settings = (overrides: Partial<SequenceTrainingSettings> = {}): SequenceTrainingSettings => ({
  modelDir,
  python: '/usr/bin/python3',
  minutes: 1,
  threads: 1,
  minShoppers: 20,
  minEvents: 100,
  keep: 2,
  gateShoppers: 1000,
  trainerArgs: QUICK,
  ...overrides,
});
const trainer = (store: SequenceTrainingStore, overrides: Partial<SequenceTrainingSettings> = {}) =>
  new SequenceTrainer(store, settings(overrides), (line) => lines.push(line));

beforeEach(async () => {
  modelDir = await fs.mkdtemp(path.join(os.tmpdir(), 'serendip-sequence-models-'));
  lines = [];
});

afterEach(async () => {
  await fs.rm(modelDir, { recursive: true, force: true });
});

describe('SequenceTrainer', () => {
  it('refuses too little behaviour with the numbers, writing nothing and leaving the serving version', async () => {
    const store = new MemoryStore(walks(10, 3));
    const result = await trainer(store).train();
    expect(result).toEqual({
      status: 'REFUSED',
      version: null,
      hr10: null,
      baselineHr10: null,
      byHistory: [],
      note: 'not enough behaviour to train: 10 shoppers with at least 3 products (at least 20 needed) and 30 product events (at least 100 needed); the serving version stays',
    });
    expect(await fs.readdir(modelDir)).toEqual([]);
    expect(store.promoted).toEqual([]);
    expect(lines).toEqual([`sequence training refused: ${result.note}`]);
  });

  it('serves a first version that learned the order, then refuses a worse one on the same validation items', async () => {
    const store = new MemoryStore(walks());
    const first = await trainer(store).train({ now: new Date('2026-12-05T01:00:00Z') });
    expect(first).toMatchObject({ status: 'SERVING', baselineHr10: null });
    expect(first.version).toMatch(/^seq-20261205-010000-[0-9a-f]{6}$/);
    expect(first.hr10).toBeGreaterThan(0.9);
    // Every validation shopper has seven products before the last one.
    expect(first.byHistory.map((bucket) => [bucket.history, bucket.cases])).toEqual([
      ['1', 0],
      ['2-4', 0],
      ['5-9', 60],
      ['10+', 0],
    ]);
    const dir = path.join(modelDir, first.version!);
    const files = await fs.readdir(dir);
    expect(files.sort()).toEqual(['item-codes.bin', 'item-graph.bin', 'item-index.json', 'item-vectors.f32', 'items.json', 'model.json', 'sequence.onnx']);
    expect(JSON.parse(await fs.readFile(path.join(dir, 'items.json'), 'utf8'))).toHaveLength(40);
    // The item index was built once, before promotion, and answers as one built from the version's vectors does.
    const { card, vectors, productIds } = await readSequenceVectors(dir, { requireProductIds: true });
    const saved = (await InnerProductIndex.load(dir, productIds!, card.dim))!;
    const built = await InnerProductIndex.build(productIds!, vectors, card.dim, card.dim);
    for (let item = 1; item <= 5; item += 1) {
      const query = vectors.subarray(item * card.dim, (item + 1) * card.dim);
      expect(saved.search(query, 10, () => true)).toEqual(built.search(query, 10, () => true));
    }
    expect(lines.some((line) => line.startsWith(`sequence model ${first.version}: item index of 40 items built in`))).toBe(true);
    expect(store.promoted[0]).toMatchObject({ version: first.version, shoppers: 60, events: 480, items: 40, baselineVersion: null });
    // The trainer's epochs were passed on as progress.
    expect(lines.some((line) => /^epoch \d+: loss/.test(line))).toBe(true);

    const second = await trainer(store, { trainerArgs: UNTRAINED }).train({ now: new Date('2026-12-05T02:00:00Z') });
    expect(second).toMatchObject({ status: 'REJECTED', baselineHr10: first.hr10 });
    expect(second.hr10!).toBeLessThan(first.hr10!);
    expect(second.byHistory[2]).toMatchObject({ cases: 60, baselineHr10: first.hr10 });
    expect(store.rejected[0]).toMatchObject({ version: second.version, baselineVersion: first.version });
    expect(store.rejected[0]!.note).toContain('worse, so it does not serve');
    expect((await store.servingSequenceModel())?.version).toBe(first.version);
  }, 120_000);

  it("hands the products' text vectors to the trainer as side information, and trains on ids alone when there are none", async () => {
    const store = new MemoryStore(walks());
    // Products 501…530 have an 8-wide vector (a one-hot of their id modulo 8); 531…540 have none yet.
    const asked: string[][] = [];
    const features: ItemFeatureSource = {
      name: 'test-embedder 1',
      vectorsOf: async (productIds) => {
        asked.push([...productIds]);
        return new Map(
          productIds.filter((id) => Number(id) <= 530).map((id) => [id, Float32Array.from({ length: 8 }, (_, d) => (d === Number(id) % 8 ? 1 : 0))]),
        );
      },
    };
    const withText = await trainer(store, { features }).train({ now: new Date('2026-12-05T01:00:00Z') });
    expect(withText.status).toBe('SERVING');
    expect(asked).toEqual([Array.from({ length: 40 }, (_, index) => String(501 + index))]);
    const card = JSON.parse(await fs.readFile(path.join(modelDir, withText.version!, 'model.json'), 'utf8'));
    expect(card.itemFeatures).toMatchObject({ dim: 8, itemsWithText: 30 });
    expect(card.architecture).toContain('item text vectors as side information');
    expect(lines).toContain('sequence training: side information from test-embedder 1 for 30 of 40 products');

    const none: ItemFeatureSource = { name: 'test-embedder 1', vectorsOf: async () => new Map() };
    const idsAlone = await trainer(store, { features: none }).train({ now: new Date('2026-12-05T02:00:00Z') });
    const plain = JSON.parse(await fs.readFile(path.join(modelDir, idsAlone.version!, 'model.json'), 'utf8'));
    expect(plain.itemFeatures).toBeNull();
    expect(lines).toContain('sequence training: no product has a test-embedder 1 vector yet; training on product ids alone');
  }, 120_000);

  it('replaces a serving version whose files are broken, and keeps only the newest folders and those experiments pin', async () => {
    const store = new MemoryStore(walks());
    const first = await trainer(store).train({ now: new Date('2026-12-05T01:00:00Z') });
    await fs.rm(path.join(modelDir, first.version!, 'sequence.onnx'));
    const second = await trainer(store).train({ now: new Date('2026-12-05T02:00:00Z') });
    expect(second.status).toBe('SERVING');
    expect(second.note).toContain(`serving ${first.version} could not be scored (${path.join(modelDir, first.version!, 'sequence.onnx')}: missing)`);
    await trainer(store).train({ now: new Date('2026-12-05T03:00:00Z') });
    // keep = 2: the oldest folder went.
    expect((await fs.readdir(modelDir)).sort()).toEqual(store.promoted.slice(1).map((record) => record.version));
    store.pinned = [second.version!];
    await trainer(store).train({ now: new Date('2026-12-05T04:00:00Z') });
    expect((await fs.readdir(modelDir)).sort()).toEqual(store.promoted.slice(1).map((record) => record.version));
  }, 120_000);

  it('fails with the reason when the trainer cannot run, leaving no half-written version', async () => {
    const store = new MemoryStore(walks());
    await expect(trainer(store, { python: '/nonexistent/python3' }).train()).rejects.toThrow(
      'could not run /nonexistent/python3 (spawn /nonexistent/python3 ENOENT); training needs Python 3 with PyTorch (Debian: apt install python3-torch)',
    );
    await expect(trainer(store, { trainerArgs: ['--dim', 'many'] }).train()).rejects.toThrow(
      /sequence_model\.py exited with 2: .*--dim: invalid int value: 'many'/,
    );
    expect(await fs.readdir(modelDir)).toEqual([]);
    expect(store.promoted).toEqual([]);
  }, 60_000);
});
