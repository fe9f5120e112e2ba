import { decodeVector, embeddingVector, encodeVector } from '../src';

describe('vector encoding', () => {
  it('round-trips float32 vectors exactly, in a quarter of the bytes of JSON', () => {
    const vector = Float32Array.from({ length: 192 }, (_, index) => Math.sin(index) / 7);
    const encoded = encodeVector(vector);
    expect(decodeVector(encoded)).toEqual(vector);
    expect(encoded.length).toBe(Math.ceil((192 * 4) / 3) * 4);
    expect(encoded.length).toBeLessThan(JSON.stringify(Array.from(vector)).length / 3);
    expect(() => decodeVector(Buffer.from([1, 2, 3]).toString('base64'))).toThrow('multiple of 4');
  });

  it('writes little-endian float32', () => {
    expect(encodeVector(Float32Array.of(1, -2))).toBe(Buffer.from([0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]).toString('base64'));
    expect(Array.from(decodeVector(Buffer.from([0x00, 0x00, 0x80, 0x3f]).toString('base64')))).toEqual([1]);
  });

  it('encodes only the elements of a view into a larger buffer', () => {
    const whole = Float32Array.from({ length: 10 }, (_, index) => index + 0.5);
    const view = whole.subarray(3, 7);
    expect(view.byteOffset).toBe(12);
    expect(encodeVector(view)).toBe(encodeVector(Float32Array.from(view)));
    expect(Array.from(decodeVector(encodeVector(view)))).toEqual([3.5, 4.5, 5.5, 6.5]);
  });

  it('round-trips the empty vector', () => {
    expect(encodeVector(new Float32Array(0))).toBe('');
    expect(decodeVector('')).toEqual(new Float32Array(0));
  });

  it('decodes into a buffer of the vector alone, whatever the length', () => {
    // Short results decode into Node's shared Buffer pool; the vector must not be a view into it.
    for (const length of [1, 3, 384, 2048]) {
      const decoded = decodeVector(encodeVector(Float32Array.from({ length }, (_, index) => index)));
      expect(decoded).toHaveLength(length);
      expect(decoded.byteOffset).toBe(0);
      expect(decoded.buffer.byteLength).toBe(length * 4);
      expect(decoded[length - 1]).toBe(length - 1);
    }
  });

  it('refuses to load on a big-endian host rather than read vectors wrong', () => {
    jest.isolateModules(() => {
      jest.doMock('node:os', () => ({ ...jest.requireActual<typeof import('node:os')>('node:os'), endianness: () => 'BE' }));
      expect(() => jest.requireActual('../src/vectors')).toThrow('little-endian');
    });
  });
});

describe('embeddingVector', () => {
  const stamp = { model: 'm', version: '1' };

  it('reads an encoded embedding', () => {
    const vector = Float32Array.of(0.6, 0.8);
    expect(embeddingVector({ embedding: encodeVector(vector), ...stamp })).toEqual(vector);
  });

  it('reads the number array of a result written by an older worker', () => {
    // As a result from Redis would be typed: the legacy shape is no longer the declared one.
    const legacy = JSON.parse(JSON.stringify({ embedding: [0.6, 0.8], ...stamp })) as Parameters<typeof embeddingVector>[0];
    expect(embeddingVector(legacy)).toEqual(Float32Array.of(0.6, 0.8));
  });

  it('refuses an embedding of neither shape', () => {
    const broken = JSON.parse(JSON.stringify({ embedding: ['0.6'], ...stamp })) as Parameters<typeof embeddingVector>[0];
    expect(() => embeddingVector(broken)).toThrow('neither an encoded vector nor a number array');
  });
});
