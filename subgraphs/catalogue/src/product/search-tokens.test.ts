import { productSearchTokens, querySearchTokens, TOKEN_PREFIX } from './search-tokens';

const words = (tokens: string | null) => tokens?.split(' ') ?? null;

describe('productSearchTokens', () => {
  it('leaves the words of products without Han text to the FULLTEXT index over their fields, all but the ones too short for it', () => {
    expect(productSearchTokens({ title: 'Studio Headphones', brand: 'Acme', description: 'Over-ear.' })).toBeNull();
    expect(productSearchTokens({ title: '', brand: null, description: '' })).toBeNull();
    expect(productSearchTokens({ title: 'Samsung 4K TV', brand: 'LG', description: 'A UV filter for the TV.' })).toBe(
      ['w_4k', 'w_tv', 'w_4k', 'w_tv', 'w_4k', 'w_tv', 'w_lg', 'w_lg', 'w_uv', 'w_tv'].join(' '),
    );
  });

  it('writes jieba search-mode words, prefixed, a title word three times, a brand word twice, a description word once', () => {
    const tokens = words(productSearchTokens({ title: '蓝牙耳机', brand: '声学', description: '适合通勤' }))!;
    const count = (word: string) => tokens.filter((token) => token === `${TOKEN_PREFIX}${word}`).length;
    expect(tokens.every((token) => token.startsWith(TOKEN_PREFIX))).toBe(true);
    expect([count('蓝牙'), count('耳机'), count('声学'), count('通勤')]).toEqual([3, 3, 2, 1]);
  });

  it('indexes a product with Han text in any field whole, its Latin words included, stopwords left out', () => {
    const tokens = words(productSearchTokens({ title: 'The Travel Adapters', brand: null, description: '出差的好帮手' }))!;
    expect(tokens).toEqual(expect.arrayContaining(['w_travel', 'w_adapter', 'w_出差']));
    expect(tokens).not.toContain('w_the');
    expect(tokens).not.toContain('w_的');
  });
});

describe('querySearchTokens', () => {
  it('cuts a query as products are cut, each word once, so a part finds the whole', () => {
    expect(querySearchTokens('蓝牙耳机 蓝牙')).toBe('w_蓝牙 w_耳机');
    expect(querySearchTokens('洗发水')).toBe('w_洗发 w_发水 w_洗发水');
    expect(querySearchTokens('iPhone 手机壳')).toBe('w_iphone w_手机 w_壳');
  });

  it('has nothing to match in stopwords alone', () => {
    expect(querySearchTokens('的了')).toBe('');
  });
});
