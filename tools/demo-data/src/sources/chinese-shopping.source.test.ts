import { chineseRowKey, parseChineseReviews } from './chinese-shopping.source';

const CSV = 'cat,label,review\n书籍,1,\ufeff做父母一定要有刘墉这样的心态\n书籍,0,"不好，太贵了\n不推荐"\n酒店,1,干净\n酒店,1,干净\n';

describe('parseChineseReviews', () => {
  const reviews = parseChineseReviews(CSV);

  it('reads category, label and text as found', () => {
    expect(reviews.map(({ category, label, review, index }) => ({ category, label, review, index }))).toEqual([
      { category: '书籍', label: 1, review: '\ufeff做父母一定要有刘墉这样的心态', index: 0 },
      { category: '书籍', label: 0, review: '不好，太贵了\n不推荐', index: 1 },
      { category: '酒店', label: 1, review: '干净', index: 2 },
      { category: '酒店', label: 1, review: '干净', index: 3 },
    ]);
  });

  it('keys rows by content, numbering identical rows', () => {
    expect(reviews[0]?.key).toMatch(/^[0-9a-f]{16}-1$/);
    expect(reviews[2]?.key).toBe(chineseRowKey('酒店', 1, '干净', 1));
    expect(reviews[3]?.key).toBe(chineseRowKey('酒店', 1, '干净', 2));
    expect(chineseRowKey('酒店', 0, '干净', 1)).not.toBe(reviews[2]?.key);
  });

  it('refuses a label other than 0 or 1', () => {
    expect(() => parseChineseReviews('cat,label,review\n书籍,2,好\n')).toThrow('label "2"');
  });
});
