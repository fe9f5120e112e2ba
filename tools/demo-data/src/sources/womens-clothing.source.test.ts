import { parseClothingReviews } from './womens-clothing.source';

const CSV = [
  ',Clothing ID,Age,Title,Review Text,Rating,Recommended IND,Positive Feedback Count,Division Name,Department Name,Class Name',
  '0,767,33,,Absolutely wonderful - silky and sexy and comfortable,4,1,0,Initmates,Intimate,Intimates',
  '2,1077,60,Some major design flaws,"I had such high hopes for this dress, really.\r\nBut ""no"".",3,0,0,General,Dresses,Dresses',
  '9,1065,,Great pants,,5,1,0,,,',
].join('\n');

describe('parseClothingReviews', () => {
  const reviews = parseClothingReviews(CSV);

  it('reads reviews with quoted, multi-line text and the product hierarchy', () => {
    expect(reviews[1]).toEqual({
      rowId: '2',
      clothingId: '1077',
      age: 60,
      title: 'Some major design flaws',
      text: 'I had such high hopes for this dress, really.\r\nBut "no".',
      rating: 3,
      recommended: false,
      division: 'General',
      department: 'Dresses',
      className: 'Dresses',
    });
  });

  it('keeps empty titles, texts and hierarchy as empty strings', () => {
    expect(reviews[0]).toMatchObject({ rowId: '0', title: '', rating: 4, recommended: true, department: 'Intimate' });
    expect(reviews[2]).toMatchObject({ rowId: '9', age: null, text: '', department: '', className: '' });
  });

  it('refuses a rating outside 1 to 5', () => {
    expect(() => parseClothingReviews(CSV.replace(',4,1,0,Initmates', ',6,1,0,Initmates'))).toThrow('row 0 has rating "6"');
  });
});
