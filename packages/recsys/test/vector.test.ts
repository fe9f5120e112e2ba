import { addScaled, cosine, dot, norm, normalise } from '../src';

describe('vector', () => {
  it('computes dot, norm and cosine on typed and plain arrays', () => {
    expect(dot(Float32Array.from([1, 2, 3]), [4, 5, 6])).toBe(32);
    expect(norm([3, 4])).toBe(5);
    expect(cosine([1, 0], [1, 1])).toBeCloseTo(Math.SQRT1_2, 6);
    expect(cosine([0, 0], [1, 1])).toBe(0);
  });

  it('normalises to unit length and leaves the zero vector zero', () => {
    expect(norm(normalise([3, 4]))).toBeCloseTo(1, 6);
    expect(Array.from(normalise([0, 0, 0]))).toEqual([0, 0, 0]);
  });

  it('adds a scaled vector in place', () => {
    const target = Float32Array.from([1, 1]);
    addScaled(target, [2, -4], 0.5);
    expect(Array.from(target)).toEqual([2, -1]);
  });

  it('refuses vectors of different dimensions', () => {
    expect(() => dot([1, 2], [1, 2, 3])).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});
