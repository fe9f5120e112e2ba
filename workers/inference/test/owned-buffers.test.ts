import { MessageChannel } from 'node:worker_threads';
import { ownedBuffers } from '../src/owned-buffers';

describe('ownedBuffers', () => {
  it('lists the buffers of typed arrays that cover them whole, wherever they sit in the results', () => {
    const products = [0, 1].map((index) => ({ productId: String(index), model: 'm', version: '1', vector: Float32Array.of(index, 1) }));
    const queries = new Float32Array(6);
    expect(ownedBuffers([...products, queries])).toEqual([products[0]!.vector.buffer, products[1]!.vector.buffer, queries.buffer]);
    expect(ownedBuffers([{ nested: [{ deeper: queries }] }])).toEqual([queries.buffer]);
    // Empty vectors are moved too: their buffers belong to them alone.
    expect(ownedBuffers([new Float32Array(0)])).toHaveLength(1);
    expect(ownedBuffers([])).toEqual([]);
    expect(ownedBuffers(['an encoded vector', 3, null, { terms: { a: 1 } }])).toEqual([]);
  });

  it('leaves out views into a larger buffer and buffers that two arrays share', () => {
    const batch = new Float32Array(8);
    expect(ownedBuffers([batch.subarray(0, 4), batch.subarray(4)])).toEqual([]);
    expect(ownedBuffers([batch.subarray(0, 4)])).toEqual([]);
    expect(ownedBuffers([batch, batch.subarray(4)])).toEqual([]);
    expect(ownedBuffers([batch.subarray(4), batch])).toEqual([]);
    expect(ownedBuffers([batch, new Uint8Array(batch.buffer)])).toEqual([]);
    expect(ownedBuffers([new Float32Array(new SharedArrayBuffer(16))])).toEqual([]);
  });

  it('lists an array met twice once, and survives results that refer to themselves', () => {
    const vector = Float32Array.of(1, 2);
    const cyclic: { vector: Float32Array; self?: unknown } = { vector };
    cyclic.self = cyclic;
    expect(ownedBuffers([vector, { vector }, cyclic])).toEqual([vector.buffer]);
  });

  it('moves what it lists: the sender keeps an empty array, the receiver gets the values; views are copied', async () => {
    const { port1, port2 } = new MessageChannel();
    try {
      const owned = Float32Array.of(0.25, 0.5);
      const batch = Float32Array.of(1, 2, 3, 4);
      const results = [owned, batch.subarray(0, 2), batch.subarray(2)];
      const received = new Promise<Float32Array[]>((resolve) => port2.once('message', resolve));
      port1.postMessage(results, ownedBuffers(results));
      expect(owned.byteLength).toBe(0);
      expect(Array.from(batch)).toEqual([1, 2, 3, 4]);
      expect((await received).map((array) => Array.from(array))).toEqual([
        [0.25, 0.5],
        [1, 2],
        [3, 4],
      ]);
    } finally {
      port1.close();
    }
  });
});
