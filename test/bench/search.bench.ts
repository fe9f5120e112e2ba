/**
 * pnpm bench:search — lexical search over a large catalogue. Chinese queries, and English words too
 * short for FULLTEXT over the fields, go through the word index (`search_tokens`;
 * `ProductService.search`, as served) and, as the baseline in the same run, through the substring
 * scan that answered them before the index (`substringSearch`, which still serves kana and hangul);
 * English queries of longer words through FULLTEXT over the fields beside them, for scale.
 *
 * Catalogue: BENCH_PRODUCTS (default 100,000) products in a throwaway database (its own
 * MYSQL_DATABASE_PREFIX, dropped at the end, also on failure or SIGINT): half Chinese, made from
 * online_shopping_10_cats reviews (title: the review's category and first 24 characters;
 * description: the review), half English from Amazon Beauty titles, each source cycled with
 * numbered skus. Written through `CatalogueImportStore` (the importer's path, which cuts the Chinese
 * words), so the write time includes the cutting; `productSearchTokens` is also timed alone.
 * Queries: the corpus' ten category names and ten words its reviews use for products; ten English
 * product words; ten English words of one or two letters from the titles. BENCH_ROUNDS (3) passes
 * over the queries, each index case and its scan alternating query by query so other load falls on
 * both; each query asks for 50 products.
 *
 * Prints a table (ms per query: p50, p95, max, mean; mean hits), MariaDB's EXPLAIN access type of
 * each case, the write cost, the machine's load, and as its last line one JSON object.
 *   SERENDIP_DATA_DIR   data folder (default <repo>/../shared/data)
 * plus the MySQL settings (the database prefix is always the run's own).
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { commonEnv, databasePasswordEnv, loadConfig, mysqlAdminEnv, z } from '@serendip/config';
import { dropDatabase, provisionDatabase } from '@serendip/db';
import { dataDirEnv } from '../../scripts/eval/report';
import { openCatalogueDataSource } from '../../subgraphs/catalogue/src/data-source';
import { CatalogueImportStore } from '../../subgraphs/catalogue/src/import/catalogue-import.store';
import { ProductService, substringSearch, type SearchHit } from '../../subgraphs/catalogue/src/product/product.service';
import { productSearchTokens, querySearchTokens } from '../../subgraphs/catalogue/src/product/search-tokens';
import { readBeauty } from '../../tools/demo-data/src/sources/amazon-beauty.source';
import { readChinese } from '../../tools/demo-data/src/sources/chinese-shopping.source';
import { cleanUpOnSignal, percentile, printColumns } from './harness';

const benchSchema = z.object({
  ...commonEnv,
  ...mysqlAdminEnv,
  ...databasePasswordEnv.catalogue,
  ...dataDirEnv,
  BENCH_PRODUCTS: z.coerce.number().int().min(1000).default(100_000),
  BENCH_ROUNDS: z.coerce.number().int().min(1).default(3),
});

const CHINESE_QUERIES = ['书籍', '平板', '手机', '水果', '洗发水', '热水器', '蒙牛', '衣服', '计算机', '酒店'].concat([
  '耳机',
  '充电器',
  '键盘',
  '鼠标',
  '硬盘',
  '牛奶',
  '苹果',
  '外套',
  '裤子',
  '屏幕',
]);
const ENGLISH_QUERIES = ['lipstick', 'shampoo', 'perfume', 'nail polish', 'eye cream', 'hair dryer', 'sunscreen', 'moisturizer', 'face mask', 'brush'];
const FIRST = 50;
const WRITE_CHUNK = 5000;
const TITLE_CHARACTERS = 24;

/** Words FULLTEXT over the fields never indexes (under three characters), as shoppers type them. */
const SHORT_QUERIES = ['uv', 'hd', 'xl', 'bb', 'cc', 'pc', '3d', 'dr', 'ph', 'mg'];

type CaseName = 'Chinese, word index' | 'Chinese, substring scan' | 'short words, word index' | 'short words, substring scan' | 'English, FULLTEXT';
/** Each index case and the scan it replaced, measured side by side. */
const PAIRS: [CaseName, CaseName][] = [
  ['Chinese, word index', 'Chinese, substring scan'],
  ['short words, word index', 'short words, substring scan'],
];

const progress = (message: string) => console.error(`bench:search: ${message}`);
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

async function timed(search: () => Promise<SearchHit[]>): Promise<{ ms: number; hits: number }> {
  const started = process.hrtime.bigint();
  const hits = await search();
  return { ms: seconds(started) * 1000, hits: hits.length };
}

async function main(): Promise<void> {
  const config = loadConfig('bench:search', benchSchema, process.env);
  const settings = { ...config, MYSQL_DATABASE_PREFIX: `bench_search_${randomBytes(4).toString('hex')}` };
  const [reviews, beauty] = await Promise.all([readChinese(config.SERENDIP_DATA_DIR), readBeauty(config.SERENDIP_DATA_DIR)]);
  const texts = reviews.map((review) => review.review.replace(/\ufeff/g, '').trim()).filter(Boolean);
  // What the catalogue accepts as a title (1 to 500 characters); a few Beauty items have none.
  const titles = beauty.items.map((item) => item.title.trim()).filter((title) => title.length > 0 && title.length <= 500);
  const chineseCount = Math.floor(config.BENCH_PRODUCTS / 2);
  const products = [
    ...Array.from({ length: chineseCount }, (_, index) => {
      const review = reviews[index % reviews.length]!;
      const text = texts[index % texts.length]!;
      return { sku: `zh-${index}`, title: `${review.category} ${text.slice(0, TITLE_CHARACTERS)}`, description: text };
    }),
    ...Array.from({ length: config.BENCH_PRODUCTS - chineseCount }, (_, index) => ({
      sku: `en-${index}`,
      title: titles[index % titles.length]!,
      description: '',
    })),
  ];

  let dataSource: Awaited<ReturnType<typeof openCatalogueDataSource>>['dataSource'] | null = null;
  let cleaning: Promise<void> | null = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await dataSource?.destroy().catch(() => undefined);
      await dropDatabase(settings, 'catalogue').catch((error: unknown) => progress(`could not drop the database: ${String(error)}`));
    })());
  const removeHandlers = cleanUpOnSignal(cleanup, 'the bench and dropping its catalogue database');

  try {
    const loadBefore = os.loadavg()[0]!;
    await provisionDatabase(settings, 'catalogue', settings.CATALOGUE_DB_PASSWORD);
    dataSource = (await openCatalogueDataSource(settings)).dataSource;
    const store = new CatalogueImportStore(dataSource);
    const categoryId = await store.upsertCategoryPath(['Bench']);

    // The cut alone, before any write: what the index adds to a Chinese product's write.
    const cutStarted = process.hrtime.bigint();
    for (const product of products.slice(0, chineseCount)) productSearchTokens({ ...product, brand: null });
    const cutMicros = (seconds(cutStarted) / chineseCount) * 1e6;

    const writeStarted = process.hrtime.bigint();
    for (let start = 0; start < products.length; start += WRITE_CHUNK) {
      await store.upsertProducts(products.slice(start, start + WRITE_CHUNK).map((product) => ({ ...product, categoryId, price: 1 })));
      progress(`wrote ${Math.min(start + WRITE_CHUNK, products.length)}/${products.length} products`);
    }
    const writeSeconds = seconds(writeStarted);

    const service = new ProductService(dataSource);
    const source = dataSource;
    const cases: Record<CaseName, { queries: string[]; search: (query: string) => Promise<SearchHit[]> }> = {
      'Chinese, word index': { queries: CHINESE_QUERIES, search: (query) => service.search(query, FIRST) },
      'Chinese, substring scan': { queries: CHINESE_QUERIES, search: (query) => substringSearch(source, query, FIRST) },
      'short words, word index': { queries: SHORT_QUERIES, search: (query) => service.search(query, FIRST) },
      'short words, substring scan': { queries: SHORT_QUERIES, search: (query) => substringSearch(source, query, FIRST) },
      'English, FULLTEXT': { queries: ENGLISH_QUERIES, search: (query) => service.search(query, FIRST) },
    };
    const names = Object.keys(cases) as CaseName[];
    const samples = new Map<CaseName, { ms: number; hits: number }[]>(names.map((name) => [name, []]));
    // One warm-up pass, uncounted, so the first case does not pay for loading the pages both read.
    for (const name of names) for (const query of cases[name].queries) await cases[name].search(query);
    for (let round = 0; round < config.BENCH_ROUNDS; round++) {
      for (const [indexed, scanned] of PAIRS) {
        for (const [index, query] of cases[indexed].queries.entries()) {
          // Alternate which case goes first, so neither always reads what the other just cached.
          for (const name of index % 2 === 0 ? [indexed, scanned] : [scanned, indexed]) samples.get(name)!.push(await timed(() => cases[name].search(query)));
        }
      }
      for (const query of ENGLISH_QUERIES) samples.get('English, FULLTEXT')!.push(await timed(() => cases['English, FULLTEXT'].search(query)));
      progress(`round ${round + 1}/${config.BENCH_ROUNDS}`);
    }

    const explain = async (sql: string, parameters: unknown[]) =>
      (await source.query<{ type: string; key: string | null }[]>(`EXPLAIN ${sql}`, parameters))[0] ?? { type: '?', key: null };
    const probe = CHINESE_QUERIES[0]!;
    const tokenAccess = await explain('SELECT id FROM product WHERE MATCH(search_tokens) AGAINST (? IN NATURAL LANGUAGE MODE) > 0', [querySearchTokens(probe)]);
    const scanAccess = await explain('SELECT id FROM product WHERE title LIKE ? OR brand LIKE ? OR description LIKE ?', Array(3).fill(`%${probe}%`));
    const access = {
      'Chinese, word index': tokenAccess,
      'Chinese, substring scan': scanAccess,
      'short words, word index': tokenAccess,
      'short words, substring scan': scanAccess,
      'English, FULLTEXT': await explain('SELECT id FROM product WHERE MATCH(title, brand, description) AGAINST (? IN NATURAL LANGUAGE MODE) > 0', [
        ENGLISH_QUERIES[0],
      ]),
    } satisfies Record<CaseName, { type: string; key: string | null }>;

    const rows = names.map((name) => {
      const own = samples.get(name)!;
      const ms = own.map((sample) => sample.ms).sort((a, b) => a - b);
      return {
        name,
        queries: own.length,
        p50: percentile(ms, 50),
        p95: percentile(ms, 95),
        max: ms[ms.length - 1]!,
        mean: ms.reduce((sum, value) => sum + value, 0) / ms.length,
        hits: own.reduce((sum, sample) => sum + sample.hits, 0) / own.length,
        access: `${access[name].type}${access[name].key ? ` (${access[name].key})` : ''}`,
      };
    });
    const loadAfter = os.loadavg()[0]!;
    console.log(`\nLexical search over ${products.length} products (${chineseCount} Chinese), ${FIRST} asked per query, ${config.BENCH_ROUNDS} rounds:`);
    printColumns(
      ['case', 'queries', 'p50 ms', 'p95 ms', 'max ms', 'mean ms', 'mean hits', 'EXPLAIN access'],
      rows.map((row) => [
        row.name,
        String(row.queries),
        row.p50.toFixed(2),
        row.p95.toFixed(2),
        row.max.toFixed(2),
        row.mean.toFixed(2),
        row.hits.toFixed(1),
        row.access,
      ]),
    );
    const row = (name: CaseName) => rows.find((candidate) => candidate.name === name)!;
    const ratios = Object.fromEntries(
      PAIRS.map(([indexed, scanned]) => [indexed, { p50: row(scanned).p50 / row(indexed).p50, mean: row(scanned).mean / row(indexed).mean }]),
    );
    console.log('');
    for (const [name, ratio] of Object.entries(ratios)) {
      console.log(`substring scan / ${name}: ${ratio.p50.toFixed(1)}× at p50, ${ratio.mean.toFixed(1)}× in the mean`);
    }
    console.log(
      `writes: ${products.length} products in ${writeSeconds.toFixed(1)} s through the importer (${(products.length / writeSeconds).toFixed(0)}/s); cutting a Chinese product's words alone ${cutMicros.toFixed(0)} µs`,
    );
    console.log(`machine: ${os.cpus().length} CPUs, load average ${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)}`);
    console.log(
      JSON.stringify({
        products: products.length,
        chineseProducts: chineseCount,
        first: FIRST,
        rounds: config.BENCH_ROUNDS,
        cases: rows,
        scanOverIndex: ratios,
        writes: { seconds: writeSeconds, perSecond: products.length / writeSeconds, cutMicrosPerChineseProduct: cutMicros },
        machine: { cpus: os.cpus().length, loadavg1Before: loadBefore, loadavg1After: loadAfter },
      }),
    );
  } finally {
    removeHandlers();
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
