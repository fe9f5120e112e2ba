import type { Source } from '../../tools/demo-data/src/link';
import { brandWords, buildJudgements, queryWordsInTitles, words, type CrossLingualPair, type Judgement, type SourcedProduct } from './search-judgements';

const product = (source: Source, sku: string, title: string, categoryPath: string[], tags: string[] = []): SourcedProduct => ({
  source,
  sku,
  title,
  description: '',
  categoryPath,
  brand: null,
  price: 0,
  currency: 'USD',
  tags,
});

const POLISH = ['Beauty', 'Attribute 1', 'Attribute 2'];
const HAIR = ['Beauty', 'Attribute 3'];
const opi = ['brand-attribute-9'];
const essie = ['brand-attribute-7'];
const sally = ['brand-attribute-5'];

const beauty = [
  product('beauty', 'b1', 'OPI Nail Lacquer, Simmer and Shimmer', POLISH, opi),
  product('beauty', 'b2', 'OPI Nail Lacquer, Big Apple Red', POLISH, opi),
  product('beauty', 'b3', 'OPI Nail Polish, Pink Flamingo', POLISH, opi),
  product('beauty', 'b4', 'Essie Nail Polish, Ballet Slippers', POLISH, essie),
  product('beauty', 'b5', 'Essie Nail Polish, Mint Candy Apple', POLISH, essie),
  product('beauty', 'b6', 'Essie Nail Polish, Shimmer Pink', POLISH, essie),
  product('beauty', 'b7', 'Sally Hansen Hard as Nails Polish, Red', POLISH, sally),
  product('beauty', 'b8', 'Sally Hansen Nail Polish, Coral', POLISH, sally),
  product('beauty', 'b9', 'Sally Hansen Insta-Dri Nail Polish, Mint', POLISH, sally),
  product('beauty', 'b10', 'Nail Polish Remover Pads, 32 Count', POLISH),
  product('beauty', 'b11', 'Gel Nail Polish Set, Flamingo', POLISH),
  product('beauty', 'b12', 'Nail Polish Rack', POLISH),
  product('beauty', 'b13', 'Moisturizing Shampoo, Apple', HAIR),
  product('beauty', 'b14', 'Clarifying Shampoo, Mint', HAIR),
  product('beauty', 'b15', 'Shampoo and Conditioner Set', HAIR),
];
const rees46 = [
  product('rees46', 'r1', 'Smartphone by samsung #1', ['electronics', 'smartphone']),
  product('rees46', 'r2', 'Smartphone by apple #2', ['electronics', 'smartphone']),
  product('rees46', 'r3', 'Smartphone #3', ['electronics', 'smartphone']),
  product('rees46', 'r4', 'Tablet by lenovo #4', ['electronics', 'tablet']),
  product('rees46', 'r5', 'Kettle by bosch #5', ['appliances', 'kitchen', 'kettle']),
  product('rees46', 'r6', 'Kettle #6', ['appliances', 'kitchen', 'kettle']),
  product('rees46', 'r7', 'Kettle by tefal #7', ['appliances', 'kitchen', 'kettle']),
  product('rees46', 'r8', 'Table #8', ['furniture', 'kitchen', 'table']),
  product('rees46', 'r9', 'Toaster #9', ['appliances', 'kitchen', 'toaster']),
];
const clothing = [
  product('clothing', 'c1', 'Dresses #1', ['Clothing', 'Dresses', 'Dresses']),
  product('clothing', 'c2', 'Dresses #2', ['Clothing', 'Dresses', 'Dresses']),
  product('clothing', 'c3', 'Dresses #3', ['Clothing', 'Dresses', 'Dresses']),
  product('clothing', 'c4', 'Knits #4', ['Clothing', 'Tops', 'Knits']),
];
const others = [product('retail', 't1', 'JUMBO BAG RED RETROSPOT', ['Home & Gifts']), product('zh', 'zh-手机', '手机', ['手机'])];
const products = [...beauty, ...rees46, ...clothing, ...others];
const pairs: CrossLingualPair[] = [
  { en: 'mobile phone', zh: '手机', zhFrom: 'online_shopping_10_cats', products: { category: 'smartphone' } },
  { en: 'nail polish', zh: '指甲油', zhFrom: 'hand', products: { titlePhrases: ['nail polish'] } },
  { en: 'books', zh: '书籍', zhFrom: 'online_shopping_10_cats' },
];
const SEED = 7;

const judgements = buildJudgements(products, pairs, SEED);
const of = (family: string) => judgements.filter((judgement) => judgement.family === family);
const find = (query: string, family: string): Judgement => of(family).find((judgement) => judgement.query === query)!;
const sorted = (map: ReadonlyMap<string, number>) => [...map].sort(([a], [b]) => (a < b ? -1 : 1));

describe('words', () => {
  it('lower-cases letter and digit runs, keeps inner apostrophes, and keeps a CJK run whole', () => {
    expect(words("L'Oreal Paris, 3.4-Ounce")).toEqual(["l'oreal", 'paris', '3', '4', 'ounce']);
    expect(words('口红 Lipstick')).toEqual(['口红', 'lipstick']);
  });
});

describe('rule 1: category names', () => {
  it('asks every named category with 3+ products, a shared name once, never a root holding its whole source', () => {
    expect(of('category').map((judgement) => judgement.query)).toEqual(
      expect.arrayContaining(['appliances', 'dresses', 'electronics', 'kettle', 'kitchen', 'smartphone']),
    );
    expect(of('category')).toHaveLength(6);
    expect(find('kitchen', 'category').origin).toBe('appliances > kitchen; furniture > kitchen');
  });

  it('grades the name 2 and its parent 1, with no parent grade from a whole-source root', () => {
    expect(sorted(find('smartphone', 'category').grades)).toEqual([
      ['r1', 2],
      ['r2', 2],
      ['r3', 2],
      ['r4', 1],
    ]);
    expect(sorted(find('kettle', 'category').grades)).toEqual([
      ['r5', 2],
      ['r6', 2],
      ['r7', 2],
      ['r9', 1],
    ]);
    expect(sorted(find('dresses', 'category').grades)).toEqual([
      ['c1', 2],
      ['c2', 2],
      ['c3', 2],
    ]);
  });

  it('leaves the products of sources without category names unjudged', () => {
    const ignored = find('electronics', 'category').ignored;
    expect(ignored.has('b1') && ignored.has('t1') && ignored.has('zh-手机')).toBe(true);
    expect(ignored.has('r1') || ignored.has('c1')).toBe(false);
  });

  it("flags the names that are in none of their products' titles", () => {
    expect(find('smartphone', 'category').wordsInTitles).toBe(true);
    expect(find('dresses', 'category').wordsInTitles).toBe(true);
    expect(find('electronics', 'category').wordsInTitles).toBe(false);
    expect(find('kitchen', 'category').wordsInTitles).toBe(false);
  });
});

describe('rule 2: title-derived queries', () => {
  it('names as brands the words a brand owns, and a lone product its first word for itself only', () => {
    const { own, vocabulary } = brandWords(beauty);
    // "nail" is in every OPI title but most "nail" titles are other brands'; "lacquer" is OPI's alone.
    expect([...vocabulary].sort()).toEqual(['essie', 'hansen', 'lacquer', 'opi', 'sally']);
    expect(own.get('b1')).toEqual(['opi', 'lacquer']);
    expect(own.get('b11')).toEqual(['gel']);
  });

  it('puts the category word the title lacks before the rarest shared attribute, brand and codes left out', () => {
    // Descriptors of the polish category: polish, nail. b1 lacks "polish"; "simmer" is b1's alone, "shimmer" also b6's.
    // b2: "red" (2 titles) is rarer than "apple" (3). b7 has "polish" but not "nail". The others hold both words.
    const expected = new Map([
      ['b1', 'polish shimmer'],
      ['b2', 'polish red'],
      ['b7', 'nail red'],
    ]);
    const titles = of('title');
    expect(titles).toHaveLength(2); // two per category
    for (const judgement of titles) {
      const [sku] = [...judgement.grades].find(([, grade]) => grade === 2)!;
      expect(judgement.query).toBe(expected.get(sku));
      expect(judgement.grades.size).toBe(12);
      expect([...judgement.grades].filter(([, grade]) => grade === 1)).toHaveLength(11);
      expect(judgement.grades.has('b13')).toBe(false);
      expect(judgement.wordsInTitles).toBe(true);
    }
  });
});

describe('rule 3: cross-lingual pairs', () => {
  it('asks the Chinese name over the English products, leaving the Chinese product and the unjudged out', () => {
    const phone = find('手机', 'cross-lingual');
    expect(sorted(phone.grades)).toEqual([
      ['r1', 2],
      ['r2', 2],
      ['r3', 2],
      ['r4', 1],
    ]);
    expect(phone.ignored.has('zh-手机') && phone.ignored.has('b1')).toBe(true);
    expect(phone.wordsInTitles).toBe(false);
  });

  it('asks the English name over the Chinese product where there is one, leaving the English products out', () => {
    const phone = find('mobile phone', 'cross-lingual');
    expect(sorted(phone.grades)).toEqual([['zh-手机', 2]]);
    expect([...phone.ignored].sort()).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(of('cross-lingual').map((judgement) => judgement.query)).not.toContain('nail polish');
  });

  it('grades title phrases as consecutive words, and skips a pair with products on neither side', () => {
    const polish = find('指甲油', 'cross-lingual');
    expect([...polish.grades.keys()].sort()).toEqual(['b10', 'b11', 'b12', 'b3', 'b4', 'b5', 'b6', 'b8', 'b9']);
    expect(polish.ignored.size).toBe(0);
    expect(of('cross-lingual')).toHaveLength(3);
  });
});

describe('split and reproducibility', () => {
  it('halves each family, validation rounded up, the same way on every build', () => {
    for (const [family, validation] of [
      ['category', 3],
      ['title', 1],
      ['cross-lingual', 2],
    ] as const) {
      expect(of(family).filter((judgement) => judgement.split === 'validation')).toHaveLength(validation);
    }
    const again = buildJudgements(products, pairs, SEED);
    expect(again.map((judgement) => [judgement.query, judgement.split, sorted(judgement.grades)])).toEqual(
      judgements.map((judgement) => [judgement.query, judgement.split, sorted(judgement.grades)]),
    );
  });

  it('reads the title, brand and description for the words-in-titles flag', () => {
    const bySku = new Map(products.map((item) => [item.sku, item.sku === 'r8' ? { ...item, brand: 'ikea', description: 'Solid oak' } : item]));
    expect(queryWordsInTitles('oak', new Map([['r8', 2]]), bySku)).toBe(true);
    expect(queryWordsInTitles('IKEA', new Map([['r8', 1]]), bySku)).toBe(true);
    expect(queryWordsInTitles('pine table', new Map([['r1', 2]]), bySku)).toBe(false);
  });
});
