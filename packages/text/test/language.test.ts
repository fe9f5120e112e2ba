import { detectLanguage } from '../src/language';

describe('detectLanguage', () => {
  it.each([
    ['Great phone, the battery lasts two days.', 'en'],
    ['Très bien, je recommande.', 'en'],
    ['这款手机的电池很耐用，推荐购买！', 'zh'],
    ['質量很好，物流也快', 'zh'],
    ['屏幕很好 but a bit heavy', 'en'],
    ['这个 iPhone 壳很好用，手感不错', 'zh'],
    ['12345 !!! 👍👍', 'und'],
    ['', 'und'],
    ['Отличный телефон, рекомендую', 'und'],
    ['とても良い商品です', 'und'],
    ['good 好', 'en'],
    ['ok 很好', 'und'],
  ])('%j -> %s', (text, expected) => {
    expect(detectLanguage(text)).toBe(expected);
  });

  it('counts characters beyond the Basic Multilingual Plane once each', () => {
    // U+20BB7 is a Han character outside the BMP: two UTF-16 units, one character.
    expect(detectLanguage('𠮷𠮷 a')).toBe('zh');
  });
});
