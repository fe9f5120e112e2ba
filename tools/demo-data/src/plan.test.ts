import { EventType } from '@serendip/subgraph-recommendation';
import { FIXTURE_FILES } from '../test/fixture-data';
import { mergePlans, planBeauty, planChinese, planClothing, planRees46, planRetail, type SourcePlan } from './plan';
import { PROFILE_LIMITS, type ProfileLimits } from './profile';
import {
  BEAUTY_FILES,
  interpretBeautyAttributes,
  parseBeautyAttributeLists,
  parseBeautySequences,
  parseBeautyTitles,
  type BeautyData,
} from './sources/amazon-beauty.source';
import { CHINESE_FILE, parseChineseReviews } from './sources/chinese-shopping.source';
import { parseRetailTransactions, RETAIL_FILE } from './sources/online-retail.source';
import { parseRees46Events, REES46_FILE } from './sources/rees46-events.source';
import { CLOTHING_FILE, parseClothingReviews } from './sources/womens-clothing.source';

const full = PROFILE_LIMITS.full;
const limited = (overrides: Partial<ProfileLimits>): ProfileLimits => ({ ...full, ...overrides });
const file = (name: string): string => FIXTURE_FILES[name] as string;

const beauty: BeautyData = {
  items: parseBeautyTitles(file(BEAUTY_FILES.titles)),
  attributes: interpretBeautyAttributes(parseBeautyAttributeLists(file(BEAUTY_FILES.attributes))),
  sequences: parseBeautySequences(file(BEAUTY_FILES.sequences)),
};
const retail = parseRetailTransactions(file(RETAIL_FILE));
const rees46 = parseRees46Events(file(REES46_FILE));
const clothing = parseClothingReviews(file(CLOTHING_FILE));
const chinese = parseChineseReviews(file(CHINESE_FILE));

const skus = (plan: SourcePlan) => plan.products.map((product) => product.sku);

describe('planBeauty', () => {
  const plan = planBeauty(beauty, full);

  it('makes every title row a product under its attribute path, priced 0 and tagged with its brand id', () => {
    expect(plan.products).toHaveLength(6);
    expect(plan.products[0]).toEqual({
      sku: 'beauty-B004756YJA',
      title: 'OPI Nail Lacquer, Simmer and Shimmer, 0.5-Fluid Ounce',
      description: '',
      categoryPath: ['Beauty', 'Attribute 17', 'Attribute 28', 'Attribute 29'],
      brand: null,
      price: 0,
      currency: 'USD',
      tags: ['amazon-beauty', 'brand-attribute-37'],
    });
    expect(plan.products[2]).toMatchObject({
      title: 'SKIN79 The Prestige Beblesh Balm BB Cream Diamond Collection ★',
      categoryPath: ['Beauty', 'Attribute 4', 'Attribute 14'],
    });
    expect(plan.products[5]).toMatchObject({ title: 'Amazon Beauty item B000GZES7A', categoryPath: ['Beauty'], tags: ['amazon-beauty', 'brand-attribute-99'] });
  });

  it('turns each sequence item into a purchase, one day apart, ending on the fixed date', () => {
    expect(plan.shoppers.map((shopper) => shopper.email)).toEqual(['beauty-1@demo.serendip.dev', 'beauty-2@demo.serendip.dev', 'beauty-3@demo.serendip.dev']);
    expect(plan.events).toHaveLength(9);
    const second = plan.events.filter((event) => event.email === 'beauty-2@demo.serendip.dev');
    expect(second.map((event) => [event.sku, event.clientEventId, event.occurredAt.toISOString()])).toEqual([
      ['beauty-7806397051', 'beauty-2-1', '2014-06-28T12:00:00.000Z'],
      ['beauty-B004756YJA', 'beauty-2-2', '2014-06-29T12:00:00.000Z'],
      ['beauty-B000ODM538', 'beauty-2-3', '2014-06-30T12:00:00.000Z'],
      ['beauty-B000GZES7A', 'beauty-2-4', '2014-07-01T12:00:00.000Z'],
    ]);
    expect(new Set(plan.events.map((event) => event.type))).toEqual(new Set([EventType.PURCHASE]));
  });

  it('with a user cap imports those users and only the products they bought', () => {
    const capped = planBeauty(beauty, limited({ beautyUsers: 1 }));
    expect(capped.shoppers).toHaveLength(1);
    expect(skus(capped)).toEqual(['beauty-B004756YJA', 'beauty-B004ZT0SSG', 'beauty-B0020YLEYK']);
    expect(capped.events).toHaveLength(3);
  });

  it('counts sequence items that have no title row instead of inventing a product', () => {
    const plan2 = planBeauty({ ...beauty, sequences: [{ userId: '9', itemIds: [1, 77] }] }, full);
    expect(plan2.events).toHaveLength(1);
    expect(plan2.skipped).toEqual({ 'sequence items without a title row': 1 });
  });
});

describe('planRetail', () => {
  const plan = planRetail(retail, full);

  it('makes one product per stock code with its most common spelling and price, in GBP', () => {
    expect(plan.products).toEqual([
      {
        sku: 'retail-84879',
        title: 'ASSORTED COLOUR BIRD ORNAMENT',
        description: '',
        categoryPath: ['Home & Gifts'],
        brand: null,
        price: 1.69,
        currency: 'GBP',
        tags: ['online-retail'],
      },
      {
        sku: 'retail-22745',
        title: "POPPY'S PLAYHOUSE BEDROOM",
        description: '',
        categoryPath: ['Home & Gifts'],
        brand: null,
        price: 2.1,
        currency: 'GBP',
        tags: ['online-retail'],
      },
    ]);
  });

  it('records a purchase per product line, skipping postage and cancellations', () => {
    expect(plan.events.map((event) => [event.email, event.sku, event.sessionId, event.clientEventId, event.occurredAt.toISOString()])).toEqual([
      ['retail-13047@demo.serendip.dev', 'retail-84879', 'retail-536367', 'retail-536367-1', '2010-12-01T08:34:00.000Z'],
      ['retail-13047@demo.serendip.dev', 'retail-22745', 'retail-536367', 'retail-536367-2', '2010-12-01T08:34:00.000Z'],
      ['retail-12583@demo.serendip.dev', 'retail-84879', 'retail-536370', 'retail-536370-1', '2010-12-01T08:45:00.000Z'],
      ['retail-12583@demo.serendip.dev', 'retail-84879', 'retail-536370', 'retail-536370-2', '2010-12-01T08:45:00.000Z'],
    ]);
    expect(plan.skipped).toEqual({ 'non-product lines (postage, manual, discount, carriage, bank charges)': 1, 'cancellation lines': 1 });
    expect(plan.shoppers.map((shopper) => shopper.email)).toEqual(['retail-13047@demo.serendip.dev', 'retail-12583@demo.serendip.dev']);
  });

  it('with a customer cap keeps the first customers and all their lines', () => {
    const capped = planRetail(retail, limited({ retailCustomers: 1 }));
    expect(capped.shoppers).toHaveLength(1);
    expect(capped.events).toHaveLength(2);
  });
});

describe('planRees46', () => {
  const plan = planRees46(rees46, full);

  it('names products from category, brand and id, under the dotted category path', () => {
    expect(plan.products.map((product) => [product.sku, product.title, product.categoryPath, product.brand, product.price])).toEqual([
      ['rees46-44600062', 'Product by shiseido #44600062', ['Unlabelled', 'Category 2103807459595387724'], 'shiseido', 35.79],
      ['rees46-3900821', 'Water heater by aqua #3900821', ['appliances', 'environment', 'water heater'], 'aqua', 33.2],
      ['rees46-17200506', 'Sofa #17200506', ['furniture', 'living room', 'sofa'], null, 543.1],
    ]);
  });

  it('keeps every event with its session, giving exact repeats their own ids', () => {
    expect(plan.events.map((event) => event.type)).toEqual([
      EventType.VIEW,
      EventType.VIEW,
      EventType.VIEW,
      EventType.VIEW,
      EventType.CART,
      EventType.PURCHASE,
    ]);
    expect(plan.events[2]?.clientEventId).toBe('rees46-1569888001-view-17200506-1');
    expect(plan.events[3]?.clientEventId).toBe('rees46-1569888001-view-17200506-2');
    expect(plan.events[5]?.sessionId).toBe('9333dfbd-b87a-4708-9857-6336556b0fcc');
    expect(plan.shoppers).toHaveLength(3);
  });
});

describe('planClothing', () => {
  const plan = planClothing(clothing, full);

  it('makes one product per Clothing ID under Clothing > Department > Class, divisions as tags', () => {
    expect(plan.products).toEqual([
      {
        sku: 'clothing-767',
        title: 'Intimates #767',
        description: '',
        categoryPath: ['Clothing', 'Intimate', 'Intimates'],
        brand: null,
        price: 0,
        currency: 'USD',
        tags: ['womens-clothing', 'initmates'],
      },
      {
        sku: 'clothing-1077',
        title: 'Dresses #1077',
        description: '',
        categoryPath: ['Clothing', 'Dresses', 'Dresses'],
        brand: null,
        price: 0,
        currency: 'USD',
        tags: ['womens-clothing', 'general', 'general petite'],
      },
    ]);
  });

  it('gives each review its own reviewer, a synthetic minute-spaced date and a row-key id', () => {
    expect(plan.reviews[1]).toEqual({
      email: 'reviewer-clothing-2@demo.serendip.dev',
      sku: 'clothing-1077',
      rating: 3,
      text: 'Some major design flaws\n\nI had such high hopes for this dress, really.\r\nBut "no".',
      language: 'en',
      createdAt: new Date('2018-01-01T00:02:00.000Z'),
      clientReviewId: 'clothing-2',
    });
    expect(plan.shoppers.map((shopper) => shopper.email)).toEqual([
      'reviewer-clothing-0@demo.serendip.dev',
      'reviewer-clothing-2@demo.serendip.dev',
      'reviewer-clothing-5@demo.serendip.dev',
    ]);
    expect(plan.skipped).toEqual({ 'reviews without title or text': 1 });
  });

  it('with a review cap keeps the first reviews that have text', () => {
    const capped = planClothing(clothing, limited({ clothingReviews: 2 }));
    expect(capped.reviews.map((review) => review.clientReviewId)).toEqual(['clothing-0', 'clothing-2']);
    expect(skus(capped)).toEqual(['clothing-767', 'clothing-1077']);
  });
});

describe('planChinese', () => {
  const plan = planChinese(chinese, full);

  it('makes one product per category, titled after it, under a root category of that name', () => {
    expect(plan.products.map((product) => [product.sku, product.title, product.categoryPath, product.currency])).toEqual([
      ['zh-书籍', '书籍', ['书籍'], 'CNY'],
      ['zh-酒店', '酒店', ['酒店'], 'CNY'],
    ]);
    expect(plan.products[0]?.description).toContain('never a product');
  });

  it('turns labels into 5 or 1 stars, strips byte-order marks and keeps repeated texts apart', () => {
    expect(plan.reviews.map((review) => [review.sku, review.rating, review.language])).toEqual([
      ['zh-书籍', 5, 'zh'],
      ['zh-书籍', 5, 'zh'],
      ['zh-书籍', 1, 'zh'],
      ['zh-酒店', 5, 'zh'],
      ['zh-酒店', 5, 'zh'],
    ]);
    expect(plan.reviews[0]?.text.startsWith('做父母')).toBe(true);
    expect(plan.reviews[2]?.createdAt).toEqual(new Date('2018-03-01T00:02:00.000Z'));
    expect(new Set(plan.reviews.map((review) => review.clientReviewId)).size).toBe(5);
    expect(new Set(plan.shoppers.map((shopper) => shopper.email)).size).toBe(5);
  });

  it('with a per-category cap takes half from each label', () => {
    const capped = planChinese(chinese, limited({ chineseReviewsPerCategory: 2 }));
    expect(capped.reviews.map((review) => [review.sku, review.rating])).toEqual([
      ['zh-书籍', 5],
      ['zh-书籍', 1],
      ['zh-酒店', 5],
    ]);
  });
});

describe('mergePlans', () => {
  it('concatenates the sources and prefixes skipped-row reasons with the source', () => {
    const merged = mergePlans([planRetail(retail, full), planChinese(chinese, full)]);
    expect(merged.products).toHaveLength(4);
    expect(merged.events).toHaveLength(4);
    expect(merged.reviews).toHaveLength(5);
    expect(merged.skipped['retail: cancellation lines']).toBe(1);
  });

  it('refuses a sku or email planned by two sources', () => {
    const retailPlan = planRetail(retail, full);
    expect(() => mergePlans([retailPlan, retailPlan])).toThrow('sku retail-84879 is planned twice');
    expect(() => mergePlans([retailPlan, { ...retailPlan, products: [] }])).toThrow('shopper retail-13047@demo.serendip.dev is planned twice');
  });
});
