import { bufferToVector, vectorToBuffer } from '../src/embedding/vector-bytes';

describe('vector bytes', () => {
  it('stores vectors as float32 bytes without loss', () => {
    const vector = Float32Array.from([0.125, -3.5, 1e-7, 42]);
    expect(bufferToVector(vectorToBuffer(vector))).toEqual(vector);
  });
});
