/** float32 little-endian bytes, the storage format of `product_embedding.vector`. */
export function vectorToBuffer(vector: Float32Array): Buffer {
  const buffer = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => buffer.writeFloatLE(value, index * 4));
  return buffer;
}

export function bufferToVector(buffer: Buffer): Float32Array {
  const vector = new Float32Array(buffer.length / 4);
  for (let index = 0; index < vector.length; index += 1) vector[index] = buffer.readFloatLE(index * 4);
  return vector;
}
