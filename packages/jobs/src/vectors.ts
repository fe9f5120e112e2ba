import { endianness } from 'node:os';
import type { EmbeddingResult } from './payloads';

// Vectors are read and written through views of their bytes, which follow the host's byte order;
// a big-endian host would encode vectors no other host reads, and read every stored one wrong.
if (endianness() !== 'LE') throw new Error(`vectors are encoded as little-endian float32, and this host is ${endianness()}: it cannot read or write them`);

/**
 * Vectors in job results travel as base64 of little-endian float32: a quarter of the size of
 * JSON numbers, and no float printing or parsing on either side.
 */
export function encodeVector(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}

export function decodeVector(encoded: string): Float32Array {
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length % 4 !== 0) throw new Error('encoded vector length is not a multiple of 4 bytes');
  // A copy, not a view of `bytes`: short strings decode into Node's shared Buffer pool, at offsets
  // a Float32Array cannot start at, and a view would keep the pool alive and share its buffer.
  const vector = new Float32Array(bytes.length / 4);
  new Uint8Array(vector.buffer).set(bytes);
  return vector;
}

/**
 * The vector of an embed-text or analyse-review result. A worker from before results were
 * encoded wrote a JSON number array, and such results stay in Redis while a rolling upgrade
 * replaces those workers.
 */
export function embeddingVector(result: EmbeddingResult): Float32Array {
  const embedding: unknown = result.embedding;
  if (typeof embedding === 'string') return decodeVector(embedding);
  if (Array.isArray(embedding) && embedding.every((value): value is number => typeof value === 'number')) return Float32Array.from(embedding);
  throw new Error('embedding is neither an encoded vector nor a number array');
}
