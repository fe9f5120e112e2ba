/**
 * The queries and graded relevance judgements of pnpm eval:search (scripts/eval-search.ts), derived
 * from the catalogue's own products by the written rules below, so that anyone can rebuild them:
 * the same products and seed give the same queries, grades and split.
 *
 * Grades: 2 = what the query asks for, 1 = a near miss a shopper would still accept, absent = not
 * relevant. Products listed as `ignored` are taken out of a ranking before it is scored: neither
 * hits nor misses (unjudged products in rule 1, same-language products in rule 3).
 *
 * 1. category: every category name of the sources whose categories carry real names (REES46's
 *    category_code levels, the Women's clothing departments and classes), lower-cased as found,
 *    typos included, when at least MIN_CATEGORY_PRODUCTS products sit in its subtree. A name used by
 *    several nodes (`kitchen` under appliances and furniture) is one query over all of them. Grade 2:
 *    the products under a node of that name; grade 1: the other products under those nodes' parents.
 *    A root holding every product of its source (`Clothing`) is neither a query nor a parent.
 *    Amazon Beauty's categories are anonymised (`Attribute 17`) and Online Retail has one (`Home &
 *    Gifts`): neither gives names, so their products cannot be graded by this rule and are ignored
 *    (a Retail "JUMBO BAG RED RETROSPOT" is a bag, a Beauty "TIGI Bed Head" shampoo no bed; the rule
 *    cannot tell them apart, so neither counts).
 * 2. title: known-item queries from Amazon Beauty titles, "a category word + an attribute", with the
 *    brand and the product's own wording of its kind taken out. For a product P in leaf category C
 *    (C with at least MIN_TITLE_CATEGORY products):
 *    - words: the title lower-cased, split into letter/digit runs; content words have 3+ letters, no
 *      digit, and are neither STOPWORDS nor UNITS;
 *    - brand names: the words a brand (the `brand-attribute-<id>` tag) owns: in at least half of
 *      its titles, with at least half of the titles holding the word being that brand's; P's brand
 *      words: its brand's names in its title, else its first word. Neither P's brand words nor any
 *      brand name is a query word;
 *    - C's descriptors: the content words (not brand names) in at least 3 of C's titles, best first by
 *      share-of-C's-titles × ln(Beauty titles / titles holding the word), the top DESCRIPTORS;
 *    - category word: C's best descriptor that P's title does not contain (none: P gives no query);
 *    - attribute: P's content word, not a descriptor of C, in at least 2 Beauty titles (not a code
 *      unique to P), the rarest such word (ties alphabetical) (none: no query);
 *    - query `<category word> <attribute>`; grade 2: P; grade 1: the other products of C.
 *    Products are taken in seeded hash order (sha256 of seed and sku), at most TITLE_PER_CATEGORY per
 *    category, until TITLE_QUERIES queries with distinct texts.
 * 3. cross-lingual: the hand-written pairs of scripts/eval/search-queries/cross-lingual.json, each an
 *    English category (a category name of rule 1, or title phrases) and its Chinese name (the
 *    online_shopping_10_cats label where that corpus has the category, else a common Mandarin
 *    retail term). zh→en: the Chinese name as query, graded over the English products (category:
 *    as rule 1, ignoring the same products; title phrases: grade 2 for a title of any source but the
 *    Chinese one holding any phrase as consecutive words); the Chinese product of that name (the
 *    corpus's stand-in product, titled with its label) is ignored. en→zh, where that Chinese product exists: the English name as query, the Chinese
 *    product grade 2, the English products ignored. Ignoring the same-language products keeps the
 *    score on what the family measures, crossing languages, without calling them irrelevant.
 *
 * Every query also says whether its words are in its relevant products' text: `wordsInTitles` is
 * false when no word of the query occurs in the title, brand or description (the fields lexical
 * search reads) of any product graded 1 or 2. Split: within each family, queries in seeded hash
 * order, the first half (rounded up) validation, the rest test.
 */
import type { ProductDraft } from '../../tools/demo-data/src/plan';
import type { Source } from '../../tools/demo-data/src/link';
import { textHash } from '../../packages/jobs/src';

export const FAMILIES = ['category', 'title', 'cross-lingual'] as const;
export type Family = (typeof FAMILIES)[number];
export type Split = 'validation' | 'test';

export interface SourcedProduct extends ProductDraft {
  source: Source;
}

export interface Judgement {
  query: string;
  family: Family;
  /** How the query came about, for a person checking it: the category path, the product, the pair. */
  origin: string;
  /** Grade (1 or 2) by sku; unlisted products are not relevant. */
  grades: ReadonlyMap<string, number>;
  /** Skus taken out of a ranking before it is scored (one set may serve many queries). */
  ignored: ReadonlySet<string>;
  wordsInTitles: boolean;
  split: Split;
}

/** One pair of scripts/eval/search-queries/cross-lingual.json. */
export interface CrossLingualPair {
  en: string;
  zh: string;
  /** Where the Chinese name comes from. */
  zhFrom: string;
  /** The English products: a category name (rule 1) or title phrases; absent when there are none. */
  products?: { category: string } | { titlePhrases: string[] };
}

export const MIN_CATEGORY_PRODUCTS = 3;
export const MIN_TITLE_CATEGORY = 10;
export const DESCRIPTORS = 3;
export const TITLE_PER_CATEGORY = 2;
export const TITLE_QUERIES = 150;

/** Sources whose category names are real words (rule 1). */
const NAMED_CATEGORY_SOURCES: readonly Source[] = ['rees46', 'clothing'];

/** Function words, and the sellers' praise, which says nothing about the product. */
const STOPWORDS = new Set(
  'and the for with from that this your you our all any are not its into per one two new off out via plus each only very more most best free quality guarantee money back'.split(
    ' ',
  ),
);
/** Sizes and counts, which say how much rather than what. */
const UNITS = new Set(
  'ounce ounces fluid oz fl ml mls liter liters litre gram grams pound pounds lbs inch inches count pack pcs piece pieces pair pairs set sets box size'.split(
    ' ',
  ),
);

/** Lower-cased runs of letters and digits (an inner apostrophe kept: l'oreal, burt's); a CJK run is one word. */
export const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu) ?? [];

const isContent = (word: string): boolean => word.length >= 3 && !/\p{N}/u.test(word) && !STOPWORDS.has(word) && !UNITS.has(word);

/** Seeded order: by sha256 of the seed and the key. */
const hashOrder = <T>(items: readonly T[], key: (item: T) => string, seed: number): T[] =>
  items
    .map((item) => ({ item, hash: textHash(`${seed}:${key(item)}`) }))
    .sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0))
    .map(({ item }) => item);

/** Whether a word of `query` occurs in the searchable text (title, brand, description) of a graded product. */
export function queryWordsInTitles(query: string, grades: ReadonlyMap<string, number>, bySku: ReadonlyMap<string, ProductDraft>): boolean {
  const asked = new Set(words(query));
  for (const sku of grades.keys()) {
    const product = bySku.get(sku)!;
    if (words(`${product.title} ${product.brand ?? ''} ${product.description}`).some((word) => asked.has(word))) return true;
  }
  return false;
}

type Draft = Omit<Judgement, 'wordsInTitles' | 'split'>;

/**
 * Rule 1's grades for a category name over the named-category products: 2 under a node of that
 * name, 1 under its parent unless that parent is a root holding its whole source.
 */
function categoryGrades(name: string, named: readonly SourcedProduct[]): Map<string, number> {
  const parents = new Set<string>();
  const grades = new Map<string, number>();
  for (const product of named) {
    const depth = product.categoryPath.findIndex((level) => level.toLowerCase() === name);
    if (depth < 0) continue;
    grades.set(product.sku, 2);
    if (depth > 0) parents.add(JSON.stringify(product.categoryPath.slice(0, depth)));
  }
  for (const root of wholeSourceRoots(named)) parents.delete(root);
  for (const product of named) {
    if (grades.has(product.sku)) continue;
    for (let depth = 1; depth < product.categoryPath.length; depth++) {
      if (parents.has(JSON.stringify(product.categoryPath.slice(0, depth)))) grades.set(product.sku, 1);
    }
  }
  return grades;
}

/** The category roots (as path JSON) that hold every product of their source, like `Clothing`. */
function wholeSourceRoots(named: readonly SourcedProduct[]): Set<string> {
  const roots = new Map<Source, Set<string>>();
  for (const product of named) roots.set(product.source, (roots.get(product.source) ?? new Set()).add(product.categoryPath[0] ?? ''));
  return new Set([...roots.values()].filter((set) => set.size === 1).map((set) => JSON.stringify([...set])));
}

function categoryQueries(named: readonly SourcedProduct[], unjudged: ReadonlySet<string>): Draft[] {
  const whole = wholeSourceRoots(named);
  const nodes = new Map<string, { name: string; path: string; size: number }>();
  for (const product of named) {
    product.categoryPath.forEach((level, depth) => {
      const key = JSON.stringify(product.categoryPath.slice(0, depth + 1));
      if (whole.has(key)) return;
      const node = nodes.get(key) ?? { name: level.toLowerCase(), path: product.categoryPath.slice(0, depth + 1).join(' > '), size: 0 };
      node.size++;
      nodes.set(key, node);
    });
  }
  const byName = new Map<string, { paths: string[]; size: number }>();
  for (const node of nodes.values()) {
    const entry = byName.get(node.name) ?? { paths: [], size: 0 };
    entry.paths.push(node.path);
    entry.size += node.size;
    byName.set(node.name, entry);
  }
  return [...byName]
    .filter(([, entry]) => entry.size >= MIN_CATEGORY_PRODUCTS)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, entry]) => ({
      query: name,
      family: 'category',
      origin: entry.paths.sort().join('; '),
      grades: categoryGrades(name, named),
      ignored: unjudged,
    }));
}

/**
 * Rule 2's brand words: each Beauty product's own (by sku), and the vocabulary of brand names, the
 * words a brand owns: in at least half of its titles, and at least half of the titles holding the
 * word are that brand's. A product without a brand tag, or whose brand owns no word of its title,
 * has its first word as brand word, for itself only (as often a kind, "Nail", as a name).
 */
export function brandWords(beauty: readonly ProductDraft[]): { own: Map<string, string[]>; vocabulary: Set<string> } {
  const brandOf = (product: ProductDraft) => product.tags.find((tag) => tag.startsWith('brand-attribute-')) ?? null;
  const titles = new Map(beauty.map((product) => [product.sku, new Set(words(product.title))]));
  const frequency = new Map<string, number>();
  for (const title of titles.values()) for (const word of title) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  const byBrand = new Map<string, ProductDraft[]>();
  for (const product of beauty) {
    const brand = brandOf(product);
    if (brand) byBrand.set(brand, [...(byBrand.get(brand) ?? []), product]);
  }
  const owned = new Map<string, Set<string>>();
  for (const [brand, members] of byBrand) {
    const counts = new Map<string, number>();
    for (const member of members) for (const word of titles.get(member.sku)!) counts.set(word, (counts.get(word) ?? 0) + 1);
    owned.set(
      brand,
      new Set(
        [...counts].filter(([word, count]) => members.length > 1 && count * 2 >= members.length && count * 2 >= frequency.get(word)!).map(([word]) => word),
      ),
    );
  }
  const own = new Map(
    beauty.map((product) => {
      const brand = brandOf(product);
      const mine = brand ? [...titles.get(product.sku)!].filter((word) => owned.get(brand)!.has(word)) : [];
      return [product.sku, mine.length > 0 ? mine : words(product.title).slice(0, 1)];
    }),
  );
  return { own, vocabulary: new Set([...owned.values()].flatMap((set) => [...set])) };
}

function titleQueries(beauty: readonly ProductDraft[], seed: number): Draft[] {
  const brands = brandWords(beauty);
  const brandVocabulary = brands.vocabulary;
  const titleWords = new Map(beauty.map((product) => [product.sku, new Set(words(product.title))]));
  const documentFrequency = new Map<string, number>();
  for (const set of titleWords.values()) for (const word of set) documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
  const byCategory = new Map<string, ProductDraft[]>();
  for (const product of beauty) {
    const key = product.categoryPath.join(' > ');
    byCategory.set(key, [...(byCategory.get(key) ?? []), product]);
  }
  const descriptors = new Map<string, string[]>();
  for (const [category, members] of byCategory) {
    if (members.length < MIN_TITLE_CATEGORY) continue;
    const counts = new Map<string, number>();
    for (const member of members)
      for (const word of titleWords.get(member.sku)!) if (isContent(word) && !brandVocabulary.has(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
    const scored = [...counts]
      .filter(([, count]) => count >= 3)
      .map(([word, count]) => ({ word, score: (count / members.length) * Math.log(beauty.length / documentFrequency.get(word)!) }))
      .sort((a, b) => b.score - a.score || (a.word < b.word ? -1 : 1));
    descriptors.set(
      category,
      scored.slice(0, DESCRIPTORS).map(({ word }) => word),
    );
  }
  const drafts: Draft[] = [];
  const perCategory = new Map<string, number>();
  const texts = new Set<string>();
  for (const product of hashOrder(beauty, (item) => `title:${item.sku}`, seed)) {
    if (drafts.length >= TITLE_QUERIES) break;
    const category = product.categoryPath.join(' > ');
    const described = descriptors.get(category);
    if (!described || (perCategory.get(category) ?? 0) >= TITLE_PER_CATEGORY) continue;
    const own = titleWords.get(product.sku)!;
    const ownBrand = brands.own.get(product.sku)!;
    const categoryWord = described.find((word) => !own.has(word));
    const attribute = [...own]
      .filter(
        (word) => isContent(word) && !ownBrand.includes(word) && !brandVocabulary.has(word) && !described.includes(word) && documentFrequency.get(word)! >= 2,
      )
      .sort((a, b) => documentFrequency.get(a)! - documentFrequency.get(b)! || (a < b ? -1 : 1))[0];
    if (!categoryWord || !attribute) continue;
    const query = `${categoryWord} ${attribute}`;
    if (texts.has(query)) continue;
    texts.add(query);
    perCategory.set(category, (perCategory.get(category) ?? 0) + 1);
    const grades = new Map(byCategory.get(category)!.map((member) => [member.sku, 1]));
    grades.set(product.sku, 2);
    drafts.push({ query, family: 'title', origin: `${product.title} (${category})`, grades, ignored: new Set() });
  }
  return drafts;
}

/** Whether `phrase`'s words occur one after another in `title`'s. */
function holdsPhrase(title: readonly string[], phrase: readonly string[]): boolean {
  for (let start = 0; start + phrase.length <= title.length; start++) {
    if (phrase.every((word, offset) => title[start + offset] === word)) return true;
  }
  return false;
}

function crossLingualQueries(
  pairs: readonly CrossLingualPair[],
  products: readonly SourcedProduct[],
  named: readonly SourcedProduct[],
  unjudged: ReadonlySet<string>,
): Draft[] {
  const chineseByTitle = new Map(products.filter((product) => product.source === 'zh').map((product) => [product.title, product.sku]));
  const drafts: Draft[] = [];
  for (const pair of pairs) {
    let english = new Map<string, number>();
    // Graded as rule 1, so left unjudged outside the named-category sources as there.
    let unjudgedHere: ReadonlySet<string> = new Set();
    if (pair.products && 'category' in pair.products) {
      english = categoryGrades(pair.products.category, named);
      unjudgedHere = unjudged;
    } else if (pair.products) {
      const phrases = pair.products.titlePhrases.map(words);
      for (const product of products) {
        const title = words(product.title);
        if (product.source !== 'zh' && phrases.some((phrase) => holdsPhrase(title, phrase))) english.set(product.sku, 2);
      }
    }
    const chinese = chineseByTitle.get(pair.zh);
    const englishName = pair.products ? ('category' in pair.products ? pair.products.category : pair.products.titlePhrases.join(' | ')) : 'none';
    if (english.size > 0) {
      drafts.push({
        query: pair.zh,
        family: 'cross-lingual',
        origin: `zh→en: ${englishName}`,
        grades: english,
        ignored: new Set([...unjudgedHere, ...(chinese ? [chinese] : [])]),
      });
    }
    if (chinese) {
      drafts.push({ query: pair.en, family: 'cross-lingual', origin: `en→zh: ${pair.zh}`, grades: new Map([[chinese, 2]]), ignored: new Set(english.keys()) });
    }
  }
  return drafts;
}

/** Every query of the three rules, with its grades, its words-in-titles flag and its half. */
export function buildJudgements(products: readonly SourcedProduct[], pairs: readonly CrossLingualPair[], seed: number): Judgement[] {
  const named = products.filter((product) => NAMED_CATEGORY_SOURCES.includes(product.source));
  const beauty = products.filter((product) => product.source === 'beauty');
  const bySku = new Map(products.map((product) => [product.sku, product]));
  // Category grades cover the named-category sources only: another source's products are left unjudged.
  const unjudged = new Set(products.filter((product) => !NAMED_CATEGORY_SOURCES.includes(product.source)).map((product) => product.sku));
  const drafts = [...categoryQueries(named, unjudged), ...titleQueries(beauty, seed), ...crossLingualQueries(pairs, products, named, unjudged)];
  const judgements: Judgement[] = [];
  for (const family of FAMILIES) {
    const ordered = hashOrder(
      drafts.filter((draft) => draft.family === family),
      (draft) => `split:${family}:${draft.query}`,
      seed,
    );
    const validation = Math.ceil(ordered.length / 2);
    ordered.forEach((draft, index) =>
      judgements.push({ ...draft, wordsInTitles: queryWordsInTitles(draft.query, draft.grades, bySku), split: index < validation ? 'validation' : 'test' }),
    );
  }
  return judgements;
}
