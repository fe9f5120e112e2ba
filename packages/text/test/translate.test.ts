import { buildDictionary, cedict, cleanSense, translateQuery } from '../src';

describe('cleanSense', () => {
  it('keeps a short name and drops notes, classifiers, cross-references and explanations', () => {
    expect(cleanSense('(old) icebox')).toBe('icebox');
    expect(cleanSense('to apply (lipstick, lotion etc)')).toBe('apply');
    expect(cleanSense('CL:部[bu4],支[zhi1]')).toBeNull();
    expect(cleanSense('variant of 口紅')).toBeNull();
    expect(cleanSense('bitten-lips look darker lipstick applied on the inner part')).toBeNull();
  });
});

describe('translateQuery', () => {
  const dictionary = buildDictionary([
    ['口紅', '口红', 'kou3 hong2', 'lipstick'],
    ['唇膏', '唇膏', 'chun2 gao1', ['lip balm', 'lipstick']],
    ['手機', '手机', 'shou3 ji1', 'cell phone; mobile phone'],
    ['冰箱', '冰箱', 'bing1 xiang1', ['refrigerator', '(old) icebox']],
  ]);

  it('turns Chinese words into their English senses and English words or phrases into Chinese words', () => {
    expect(translateQuery('口红', dictionary)).toBe('lipstick');
    expect(translateQuery('冰箱', dictionary)).toBe('refrigerator icebox');
    expect(translateQuery('Lipstick', dictionary)).toBe('口红 唇膏');
    expect(translateQuery('new mobile phone', dictionary)).toBe('手机');
    expect(translateQuery('手机 lipstick', dictionary)).toBe('cell phone mobile phone 口红 唇膏');
    expect(translateQuery('kettle', dictionary)).toBeNull();
  });

  it('reads the installed CC-CEDICT', () => {
    const full = cedict();
    expect(full.english.get('口红')).toEqual(['lipstick']);
    expect(translateQuery('冰箱', full)).toContain('refrigerator');
    expect(translateQuery('mobile phone', full)?.split(' ')).toContain('手机');
  });
});
