import { interpretBeautyAttributes, parseBeautyAttributeLists, parseBeautySequences, parseBeautyTitles } from './amazon-beauty.source';

describe('parseBeautyTitles', () => {
  it('reads item id, ASIN and title, with quotes and empty titles as found', () => {
    const tsv =
      'item_id\tasin\ttitle\n1\tB004756YJA\tOPI Nail Lacquer, Simmer and Shimmer, 0.5-Fluid Ounce\n495\tB000000495\t\n7\tB0000000X7\tMirror 12" &#9733; Round\n';
    expect(parseBeautyTitles(tsv)).toEqual([
      { itemId: 1, asin: 'B004756YJA', title: 'OPI Nail Lacquer, Simmer and Shimmer, 0.5-Fluid Ounce' },
      { itemId: 495, asin: 'B000000495', title: '' },
      { itemId: 7, asin: 'B0000000X7', title: 'Mirror 12" &#9733; Round' },
    ]);
  });

  it('refuses another header or a malformed row', () => {
    expect(() => parseBeautyTitles('id\tasin\ttitle\n')).toThrow('unexpected header');
    expect(() => parseBeautyTitles('item_id\tasin\ttitle\n1\tB0\n')).toThrow('has 2 fields');
    expect(() => parseBeautyTitles('item_id\tasin\ttitle\nx\tB0\tt\n')).toThrow('positive integer');
  });
});

describe('parseBeautySequences', () => {
  it('reads one user per line with items in order', () => {
    expect(parseBeautySequences('2 6 7 8 9 10 4 11\n5 4 25 26\n')).toEqual([
      { userId: '2', itemIds: [6, 7, 8, 9, 10, 4, 11] },
      { userId: '5', itemIds: [4, 25, 26] },
    ]);
  });

  it('refuses a non-numeric item', () => {
    expect(() => parseBeautySequences('2 6 x\n')).toThrow('Beauty.txt user 2');
  });
});

describe('interpretBeautyAttributes', () => {
  // Shapes taken from the real file: brand first when present, then category levels.
  const lists = parseBeautyAttributeLists(
    JSON.stringify({
      '4': [1, 2, 3],
      '5964': [522, 17, 2, 39],
      '1011': [17, 2, 39, 184, 522],
      '3770': [37, 17, 28, 29, 34],
      '900': [17, 18, 19],
      '460': [13, 1, 14, 17, 28],
      '12': [99],
    }),
  );
  const meaning = interpretBeautyAttributes(lists);

  it('takes the first id as brand only when it is not a top-level category', () => {
    expect(meaning.get(3770)).toEqual({ brand: 37, categoryPath: [17, 28, 29, 34] });
    expect(meaning.get(900)).toEqual({ brand: null, categoryPath: [17, 18, 19] });
    expect(meaning.get(4)).toEqual({ brand: null, categoryPath: [1, 2, 3] });
  });

  it('recognises a brand whose id doubles as a category level', () => {
    expect(meaning.get(5964)).toEqual({ brand: 522, categoryPath: [17, 2, 39] });
    expect(meaning.get(1011)).toEqual({ brand: null, categoryPath: [17, 2, 39, 184, 522] });
  });

  it('keeps only the first category path', () => {
    expect(meaning.get(460)).toEqual({ brand: 13, categoryPath: [1, 14] });
  });

  it('reads a lone brand as an item without categories', () => {
    expect(meaning.get(12)).toEqual({ brand: 99, categoryPath: [] });
  });

  it('refuses lists that are not attribute ids', () => {
    expect(() => parseBeautyAttributeLists('{"1": ["a"]}')).toThrow('item 1');
    expect(() => parseBeautyAttributeLists('[]')).toThrow('expected an object');
  });
});
