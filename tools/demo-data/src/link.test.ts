import { EventType } from '@serendip/subgraph-recommendation';
import {
  beautyCategoryPath,
  beautyEventTime,
  beautyShopper,
  beautySku,
  beautyTitle,
  chineseCategoryPath,
  chineseRating,
  chineseReviewText,
  chineseSku,
  clothingCategoryPath,
  clothingReviewText,
  clothingSku,
  clothingTitle,
  decodeHtmlEntities,
  fitTitle,
  isRetailProductCode,
  isRetailPurchase,
  MAX_TITLE_LENGTH,
  modalPrice,
  mostFrequent,
  rees46CategoryPath,
  rees46EventId,
  rees46EventType,
  rees46Shopper,
  rees46Sku,
  rees46Title,
  RETAIL_CATEGORY_PATH,
  retailEventId,
  retailShopper,
  retailSku,
  reviewer,
} from './link';

describe('ids', () => {
  it('derives skus from each source key', () => {
    expect(beautySku('B004756YJA')).toBe('beauty-B004756YJA');
    expect(retailSku('85123A')).toBe('retail-85123A');
    expect(rees46Sku('1004856')).toBe('rees46-1004856');
    expect(clothingSku('1077')).toBe('clothing-1077');
    expect(chineseSku('书籍')).toBe('zh-书籍');
  });

  it('derives demo shopper and reviewer emails', () => {
    expect(beautyShopper('2')).toEqual({ email: 'beauty-2@demo.serendip.dev', displayName: 'Beauty shopper 2', locale: 'en-US' });
    expect(retailShopper('17850')).toEqual({ email: 'retail-17850@demo.serendip.dev', displayName: 'Retail customer 17850', locale: 'en-GB' });
    expect(rees46Shopper('541312140').email).toBe('rees46-541312140@demo.serendip.dev');
    expect(reviewer('clothing', '0')).toEqual({ email: 'reviewer-clothing-0@demo.serendip.dev', displayName: 'Clothing reviewer 0', locale: 'en' });
    expect(reviewer('zh', '5af90ef14b5f12ef-1')).toMatchObject({ email: 'reviewer-zh-5af90ef14b5f12ef-1@demo.serendip.dev', locale: 'zh-CN' });
  });

  it('derives event ids from row keys, within the 64-character column', () => {
    expect(retailEventId('536367', 3)).toBe('retail-536367-3');
    const id = rees46EventId(new Date('2019-10-01T00:00:01Z'), 'view', '17200506', 2);
    expect(id).toBe('rees46-1569888001-view-17200506-2');
    expect(rees46EventId(new Date('2019-10-01T00:00:01Z'), 'purchase', '9'.repeat(20), 99).length).toBeLessThanOrEqual(64);
  });
});

describe('categories', () => {
  it('puts Beauty under its anonymised attribute levels, or at the root without any', () => {
    expect(beautyCategoryPath([17, 28, 29])).toEqual(['Beauty', 'Attribute 17', 'Attribute 28', 'Attribute 29']);
    expect(beautyCategoryPath([])).toEqual(['Beauty']);
  });

  it('files all of Online Retail under Home & Gifts', () => {
    expect(RETAIL_CATEGORY_PATH).toEqual(['Home & Gifts']);
  });

  it('splits REES46 category codes on dots, and groups rows without one by category id', () => {
    expect(rees46CategoryPath('appliances.environment.water_heater', '1')).toEqual(['appliances', 'environment', 'water heater']);
    expect(rees46CategoryPath('', '2103807459595387724')).toEqual(['Unlabelled', 'Category 2103807459595387724']);
  });

  it('files clothing as Clothing > Department > Class, shortening when a level is missing', () => {
    expect(clothingCategoryPath('Dresses', 'Dresses')).toEqual(['Clothing', 'Dresses', 'Dresses']);
    expect(clothingCategoryPath('Tops', '')).toEqual(['Clothing', 'Tops']);
    expect(clothingCategoryPath('', '')).toEqual(['Clothing']);
  });

  it('gives each Chinese label its own root category', () => {
    expect(chineseCategoryPath('平板')).toEqual(['平板']);
  });
});

describe('titles', () => {
  it('decodes the entities left in Amazon titles, Windows-1252 references included', () => {
    expect(decodeHtmlEntities('5 &#9733; Cr&egrave;me &frac12; oz &#153; &#x41; &amp; co')).toBe('5 ★ Crème ½ oz ™ A & co');
    expect(decodeHtmlEntities('&unknown; &#0; AT&T')).toBe('&unknown; &#0; AT&T');
  });

  it('names untitled Beauty items by ASIN and shortens overlong titles with an ellipsis', () => {
    expect(beautyTitle('  ', 'B000GZES7A')).toBe('Amazon Beauty item B000GZES7A');
    const long = fitTitle('x'.repeat(900));
    expect(long).toHaveLength(MAX_TITLE_LENGTH);
    expect(long.endsWith('x…')).toBe(true);
    expect(fitTitle(`${'a'.repeat(498)}😀tail`)).toBe(`${'a'.repeat(498)}…`);
  });

  it('builds REES46 and clothing titles from the fields the rows have', () => {
    expect(rees46Title('electronics.smartphone', 'samsung', '1004856')).toBe('Smartphone by samsung #1004856');
    expect(rees46Title('appliances.environment.water_heater', '', '3900821')).toBe('Water heater #3900821');
    expect(rees46Title('', 'shiseido', '44600062')).toBe('Product by shiseido #44600062');
    expect(clothingTitle('Dresses', '1077')).toBe('Dresses #1077');
    expect(clothingTitle('', '72')).toBe('Clothing #72');
  });
});

describe('prices', () => {
  it('lists the most frequent non-zero price, ties to the latest', () => {
    expect(modalPrice([2.55, 2.95, 2.55, 0])).toBe(2.55);
    expect(modalPrice([1.25, 1.45])).toBe(1.45);
    expect(modalPrice([0, 0])).toBe(0);
    expect(modalPrice([])).toBe(0);
  });

  it('picks the most frequent value, ties to the first seen', () => {
    expect(mostFrequent(['A', 'B', 'B'])).toBe('B');
    expect(mostFrequent(['A', 'B'])).toBe('A');
    expect(mostFrequent([])).toBeUndefined();
  });
});

describe('events', () => {
  it('spaces a Beauty sequence one day apart, ending on the fixed date', () => {
    expect(beautyEventTime(3, 3).toISOString()).toBe('2014-07-01T12:00:00.000Z');
    expect(beautyEventTime(1, 3).toISOString()).toBe('2014-06-29T12:00:00.000Z');
  });

  it('keeps only Online Retail product purchases', () => {
    expect(['85123A', '22745', 'POST', 'M', 'D', 'C2', 'BANK CHARGES'].map(isRetailProductCode)).toEqual([true, true, false, false, false, false, false]);
    expect(isRetailPurchase('536367', 6)).toBe(true);
    expect(isRetailPurchase('C536379', -1)).toBe(false);
    expect(isRetailPurchase('536367', 0)).toBe(false);
  });

  it('maps REES46 event types and drops remove_from_cart', () => {
    expect(['view', 'cart', 'purchase', 'remove_from_cart'].map(rees46EventType)).toEqual([EventType.VIEW, EventType.CART, EventType.PURCHASE, null]);
  });
});

describe('reviews', () => {
  it('joins clothing title and text, and drops reviews with neither', () => {
    expect(clothingReviewText('Love it', ' Fits well ')).toBe('Love it\n\nFits well');
    expect(clothingReviewText('', 'Fits well')).toBe('Fits well');
    expect(clothingReviewText('Great pants', '')).toBe('Great pants');
    expect(clothingReviewText(' ', '')).toBeNull();
  });

  it('turns Chinese sentiment labels into 5 or 1 stars and strips stray byte-order marks', () => {
    expect(chineseRating(1)).toBe(5);
    expect(chineseRating(0)).toBe(1);
    expect(chineseReviewText('\ufeff 很好 ')).toBe('很好');
    expect(chineseReviewText('\ufeff')).toBeNull();
    expect(chineseReviewText('好'.repeat(5001))).toBeNull();
  });
});
