import { RecsysError } from './errors';

/** An embedding: typed arrays from the embedder, plain arrays from JSON columns. */
export type Vector = Float32Array | readonly number[];

function sameLength(a: Vector, b: Vector): void {
  if (a.length !== b.length) throw new RecsysError(`vectors differ in dimension (${a.length} vs ${b.length})`, 'vector');
}

export function dot(a: Vector, b: Vector): number {
  sameLength(a, b);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

export function norm(v: Vector): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  return Math.sqrt(sum);
}

/** A unit-length copy of `v`; the zero vector stays zero (it has no direction to keep). */
export function normalise(v: Vector): Float32Array {
  const out = Float32Array.from(v);
  const length = norm(v);
  if (length > 0) for (let i = 0; i < out.length; i++) out[i] = out[i]! / length;
  return out;
}

/** Cosine similarity in [-1, 1]; 0 when either vector is zero. */
export function cosine(a: Vector, b: Vector): number {
  const product = dot(a, b);
  const lengths = norm(a) * norm(b);
  if (lengths === 0) return 0;
  return Math.max(-1, Math.min(1, product / lengths));
}

/** target += scale · v, in place. */
export function addScaled(target: Float32Array, v: Vector, scale: number): void {
  sameLength(target, v);
  for (let i = 0; i < target.length; i++) target[i] = target[i]! + scale * v[i]!;
}

/**
 * Dot product of two float32 vectors of the same length (not checked: for hot loops whose
 * callers have checked once). Typed arrays only, so the engine keeps it monomorphic; four
 * accumulators break the add dependency chain, about twice as fast at d = 384.
 */
export function dotUnrolled(a: Float32Array, b: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const tail = a.length - (a.length % 4);
  for (let i = 0; i < tail; i += 4) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
    s2 += a[i + 2]! * b[i + 2]!;
    s3 += a[i + 3]! * b[i + 3]!;
  }
  for (let i = tail; i < a.length; i++) s0 += a[i]! * b[i]!;
  return s0 + s1 + s2 + s3;
}
