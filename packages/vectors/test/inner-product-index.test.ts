import { InnerProductIndex } from '../src';

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
});
