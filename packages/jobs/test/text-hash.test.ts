import { textHash } from '../src';

describe('textHash', () => {
  it('is the hex SHA-256 of the UTF-8 text, the form stored beside product vectors', () => {
    expect(textHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(textHash('润肤霜 | Moisturising cream')).toMatch(/^[0-9a-f]{64}$/);
    expect(textHash('a')).not.toBe(textHash('a '));
  });
});
