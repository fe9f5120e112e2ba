import { sampleNormal, seededRng } from '@serendip/recsys';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InnerProductIndex, ITEM_INDEX_FILES } from '../src';

const folder = mkdtempSync(join(tmpdir(), 'inner-product-index-test-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('InnerProductIndex', () => {
  it('ranks by dot product, not cosine, so a longer vector in the same direction wins', async () => {
    // Rows after one leading padding row (offset 2), as the sequence model stores its items.
    const vectors = new Float32Array([0, 0, 1, 0, 3, 0.1, 0, 1, -2, 0]);
    const index = await InnerProductIndex.build(['a', 'b', 'c', 'd'], vectors, 2, 2);
    expect(index.size).toBe(4);
    const hits = index.search(new Float32Array([1, 0]), 3, () => true);
    expect(hits.map((hit) => hit.id)).toEqual(['b', 'a', 'c']);
    expect(hits[0]!.score).toBeCloseTo(3, 5);
    expect(index.search(new Float32Array([1, 0]), 2, (id) => id !== 'b').map((hit) => hit.id)).toEqual(['a', 'c']);
    expect(index.search(new Float32Array([1, 0, 0]), 2, () => true)).toEqual([]);
  });

  it('refuses fewer floats than ids need', async () => {
    await expect(InnerProductIndex.build(['a', 'b'], new Float32Array(3), 2)).rejects.toThrow('2 ids need 4 floats after 0');
  });

  describe('saved', () => {
    const dimension = 16;
    const count = 3000;
    const ids = Array.from({ length: count }, (_, i) => `p${i}`);
    const next = seededRng(7);
    // Unnormalised, after one padding row, as the sequence model stores its items.
    const vectors = Float32Array.from({ length: (count + 1) * dimension }, () => sampleNormal(next) * 0.5);
    const queries = Array.from({ length: 20 }, () => Float32Array.from({ length: dimension }, () => sampleNormal(next)));

    it('reads back an index that answers every search as the one built', async () => {
      const built = await InnerProductIndex.build(ids, vectors, dimension, dimension);
      const dir = mkdtempSync(join(folder, 'whole-'));
      await built.save(dir);
      const loaded = (await InnerProductIndex.load(dir, ids, dimension))!;
      expect(loaded.size).toBe(count);
      expect(loaded.dimension).toBe(dimension);
      const odd = (id: string) => Number(id.slice(1)) % 2 === 1;
      for (const query of queries) {
        expect(loaded.search(query, 30, () => true)).toEqual(built.search(query, 30, () => true));
        expect(loaded.search(query, 10, odd)).toEqual(built.search(query, 10, odd));
      }
    });

    it('gives null for a folder without one, and refuses a damaged one or one of other items', async () => {
      expect(await InnerProductIndex.load(mkdtempSync(join(folder, 'none-')), ids, dimension)).toBeNull();
      const dir = mkdtempSync(join(folder, 'damaged-'));
      await (await InnerProductIndex.build(ids, vectors, dimension, dimension)).save(dir);
      await expect(InnerProductIndex.load(dir, ids.slice(1), dimension)).rejects.toThrow(
        `item-index.json holds ${count} items of ${dimension} values, the model ${count - 1} of ${dimension}`,
      );
      await expect(InnerProductIndex.load(dir, ids, 8)).rejects.toThrow(`the model ${count} of 8`);
      const codes = readFileSync(join(dir, ITEM_INDEX_FILES.codes));
      codes[codes.length - 5]! ^= 0x40;
      writeFileSync(join(dir, ITEM_INDEX_FILES.codes), codes);
      await expect(InnerProductIndex.load(dir, ids, dimension)).rejects.toThrow('item-codes.bin does not match its checksum');
    });
  });
});
