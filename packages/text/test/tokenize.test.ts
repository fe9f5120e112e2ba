import { normaliseEnglish, searchWords, TextError, tokenize, words } from '../src';

describe('tokenize', () => {
  it('cuts Chinese with jieba and drops punctuation, digits, stopwords and function characters', () => {
    expect(tokenize('卖家服务态度很好，穿上很舒服，大小刚好', 'zh')).toEqual(['卖家', '服务态度', '舒服', '大小', '刚好']);
    expect(tokenize('用了10天，电池不耐用！！', 'zh')).toEqual(['电池', '耐用']);
  });

  it('keeps single characters that name an attribute and strips glued degree adverbs', () => {
    expect(tokenize('物流很快，但是尺码偏小', 'zh')).toEqual(['物流', '快', '尺码', '小']);
    expect(tokenize('颜色很漂亮，饭菜都凉了', 'zh')).toEqual(['颜色', '漂亮', '饭菜', '凉']);
    expect(tokenize('太阳很大', 'zh')).toEqual(['太阳', '大']);
  });

  it('lowercases English, removes stopwords and strips safe plurals only', () => {
    expect(tokenize("The sleeves are too long and it's NOT my colour!", 'en')).toEqual(['sleeve', 'long', 'colour']);
    expect(tokenize('Love these jeans, leggings and dresses', 'en')).toEqual(['love', 'jeans', 'leggings', 'dress']);
  });

  it('handles Han and Latin runs of mixed text in one pass', () => {
    expect(tokenize('iPhone的屏幕很好 but the battery drains fast', 'zh')).toEqual(['iphone', '屏幕', 'battery', 'drain', 'fast']);
    expect(tokenize('ＸＰ系统安装麻烦', 'zh')).toEqual(['xp', '系统', '安装', '麻烦']);
  });

  it('only lowercases Latin words of another named language', () => {
    expect(tokenize('Die Hosen sind zu klein', 'de')).toEqual(['die', 'hosen', 'sind', 'zu', 'klein']);
    expect(tokenize('The pants', 'en-GB')).toEqual(['pants']);
  });

  it('returns nothing for empty or symbol-only text and rejects non-strings', () => {
    expect(tokenize('', 'zh')).toEqual([]);
    expect(tokenize('!!! 123 ...', 'en')).toEqual([]);
    expect(() => tokenize(undefined as unknown as string, 'en')).toThrow(TextError);
  });
});

describe('normaliseEnglish', () => {
  it.each([
    ['Sleeves', 'sleeve'],
    ['dresses', 'dress'],
    ['inches', 'inch'],
    ["dress's", 'dress'],
    ['pants', 'pants'],
    ['shorts', 'shorts'],
    ['berries', 'berries'],
    ['gorgeous', 'gorgeous'],
    ['less', 'less'],
    ['bus', 'bus'],
    ['fits', 'fit'],
    ['its', 'its'],
  ])('%s → %s', (word, expected) => {
    expect(normaliseEnglish(word)).toBe(expected);
  });
});

describe('words', () => {
  it('keeps negators and degree words for the polarity rules', () => {
    expect(words("It isn't too small, 不太合适", 'en')).toEqual(['it', "isn't", 'too', 'small', '不', '太', '合适']);
  });
});

describe('searchWords', () => {
  it('cuts Han text in search mode, so the words inside a long one are there too, and keeps single characters that name things', () => {
    expect(searchWords('无线蓝牙耳机')).toEqual(['无线', '蓝牙', '耳机']);
    expect(searchWords('洗发水')).toEqual(['洗发', '发水', '洗发水']);
    expect(searchWords('手机壳')).toEqual(['手机', '壳']);
  });

  it('keeps repeats, normalises Latin words as words() does, and leaves out the stopwords of both languages', () => {
    expect(searchWords('The iPhones 的 手机 手机')).toEqual(['iphone', '手机', '手机']);
    expect(searchWords('的 the of')).toEqual([]);
  });
});
