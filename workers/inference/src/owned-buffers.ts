import { types } from 'node:util';

/**
 * The buffers of the typed arrays in `results` that the inference thread moves to the main
 * thread instead of copying: only those a single array covers whole. Moving detaches a buffer on
 * the sending side, so a view into a larger buffer (the torch backend's rows of one batch), or a
 * buffer two arrays share, is copied, lest something else that reads it find it empty.
 */
export function ownedBuffers(results: readonly unknown[]): ArrayBuffer[] {
  const owned = new Map<ArrayBufferLike, boolean>();
  const visited = new Set<object>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || visited.has(value)) return;
    visited.add(value);
    if (ArrayBuffer.isView(value)) {
      const { buffer } = value;
      // isArrayBuffer, not instanceof: it holds across realms, and a SharedArrayBuffer cannot be moved.
      const whole = types.isArrayBuffer(buffer) && value.byteOffset === 0 && value.byteLength === buffer.byteLength;
      owned.set(buffer, whole && !owned.has(buffer));
      return;
    }
    for (const item of Array.isArray(value) ? value : Object.values(value)) visit(item);
  };
  results.forEach(visit);
  return [...owned].flatMap(([buffer, alone]) => (alone ? [buffer as ArrayBuffer] : []));
}
