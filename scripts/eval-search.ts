/**
 * pnpm eval:search — search relevance of searchProducts' three modes on a catalogue of real products,
 * with queries and graded judgements derived by written rules, nDCG@10 and recall@50 per mode,
 * overall and per query family, and HYBRID's fusion setting chosen on validation queries only.
 *
 * Catalogue: a throwaway catalogue database (its own MYSQL_DATABASE_PREFIX, dropped at the end, also
 * on failure or SIGINT) holding the products of the demo import's planners (tools/demo-data, the
 * `full` profile): Amazon Beauty titles, Online Retail stock items, REES46 products with a
 * category_code (those without one are titled "Product by <brand>": no product text, left out),
 * Women's clothing garments and the ten Chinese category products of online_shopping_10_cats.
 * Amazon Games is left out: its titles carry no category, so no judgement below could use them.
 * Each product's vector is the platform's embedder's (in this process) on the text the worker embeds
 * (`productEmbeddingText`), stored with `ProductEmbeddingStore` under the model name and version
 * the catalogue serves; vectors are cached in .run/eval-search/embeddings.jsonl (git-ignored).
 *
 * Modes, through the served code: LEXICAL is `ProductService.search` (FULLTEXT; Chinese through
 * its jieba words), SEMANTIC the real `SemanticSearch` over the stored vectors, HYBRID the real
 * `ProductSearch` over those two. The one stand-in: SemanticSearch's EmbeddingJobs, whose
 * `embedQuery` embeds the text in this process with the same embedder and returns what the worker's
 * embed-text handler returns (`toEmbeddingResult`), instead of a round trip through the queue and a
 * worker. Each mode is asked for the first DEPTH (50) products; every HYBRID setting fuses the same
 * two lists (each asked once per query), as the served code would receive them.
 *
 * Queries (rules in full in scripts/eval/search-judgements.ts and docs/evaluation.md), seeded:
 *  1. category: the real category names (REES46 category levels, Women's clothing departments and
 *     classes); grade 2 the products under that name, 1 those under its parent;
 *  2. title: "<category word> <attribute>" from Amazon Beauty titles, the brand and the title's own
 *     word for its kind taken out; grade 2 the product, 1 the rest of its category;
 *  3. cross-lingual: the hand-written pairs of scripts/eval/search-queries/cross-lingual.json, the
 *     Chinese name over the English products and, where the Chinese product exists, the English
 *     name over it; the same-language products of the pair are left out of the scoring.
 * A query is "not in titles" when none of its words is in the title, brand or description of any
 * product it grades. Each family is split into validation and test halves by seeded hash.
 *
 * Metrics: nDCG@10 (gain 2^grade − 1) and recall@50 (relevant found over min(50, relevant)),
 * averaged over queries. HYBRID's fusion (convex combination or RRF, and its weights) is chosen on validation
 * nDCG@10 over all validation queries (the served setting wins ties); test reports the served
 * setting and the chosen one. Goals (issue): HYBRID nDCG@10 at least 10% above the better of
 * LEXICAL and SEMANTIC, and SEMANTIC above LEXICAL on the queries not in titles.
 *
 * Prints a sample of the judgements and the tables to stdout, writes bench-results/eval-search.svg,
 * and ends with one JSON object on stdout; progress on stderr.
 *   SERENDIP_DATA_DIR   data folder (default <repo>/../shared/data)
 * plus the MySQL settings (the database prefix is always the run's own) and the inference settings
 * (docs/inference.md).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commonEnv, databasePasswordEnv, loadConfig, mysqlAdminEnv, z } from '@serendip/config';
import { databaseName, dropDatabase, provisionDatabase } from '@serendip/db';
import { createEmbedder, inferenceEnv, isCropHeldOut, resolveEmbeddingModel } from '../packages/inference/src';
import { openCatalogueDataSource } from '../subgraphs/catalogue/src/data-source';
import { translateQuery } from '@serendip/text';
import { FEED_SETTLE_MS, ProductEmbeddingStore } from '../subgraphs/catalogue/src/embedding/product-embedding.store';
import { SemanticSearch } from '../subgraphs/catalogue/src/embedding/semantic-search';
import { StoreVectorFeed } from '../subgraphs/catalogue/src/embedding/store-vector-feed';
import { ProductService } from '../subgraphs/catalogue/src/product/product.service';
import { SearchMode } from '../subgraphs/catalogue/src/product/search-mode';
import { HYBRID_FUSION, ProductSearch, SEMANTIC_TRANSLATES, type HybridFusion } from '../subgraphs/catalogue/src/search/product-search';
import { REES46_UNLABELLED_ROOT } from '../tools/demo-data/src/link';
import { planBeauty, planChinese, planClothing, planRees46, planRetail } from '../tools/demo-data/src/plan';
import { PROFILE_LIMITS } from '../tools/demo-data/src/profile';
import { readBeauty } from '../tools/demo-data/src/sources/amazon-beauty.source';
import { readChinese } from '../tools/demo-data/src/sources/chinese-shopping.source';
import { readRees46 } from '../tools/demo-data/src/sources/rees46-events.source';
import { readRetail } from '../tools/demo-data/src/sources/online-retail.source';
import { readClothing } from '../tools/demo-data/src/sources/womens-clothing.source';
import { toEmbeddingResult } from '../workers/inference/src/handlers/embedding';
import { EmbeddingCache, writeProducts, type CatalogueDataSource } from './catalogue-seed';
import { cleanUpOnSignal } from './clean-up-on-signal';
import { dataDirEnv, escapeXml, printColumns, round } from './eval/report';
import { buildJudgements, FAMILIES, type CrossLingualPair, type Judgement, type SourcedProduct } from './eval/search-judgements';
import { pairedBootstrap } from './eval/bootstrap';
import { mean, ndcgAt, recallAt, withoutIgnored } from './eval/search-metrics';

const searchSchema = z.object({ ...commonEnv, ...mysqlAdminEnv, ...databasePasswordEnv.catalogue, ...inferenceEnv, ...dataDirEnv });
type SearchConfig = z.infer<typeof searchSchema>;

/** Fixed, so that the queries, their split and the sample repeat from run to run. */
const SEED = 20_260_301;
const ROOT = path.resolve(__dirname, '..');
const PAIRS_FILE = path.join(__dirname, 'eval/search-queries/cross-lingual.json');
const CACHE_FILE = path.join(ROOT, '.run/eval-search/embeddings.jsonl');
const CHART = path.join(ROOT, 'bench-results/eval-search.svg');
/** Products asked of each mode: recall@50's depth, and HYBRID's own candidate depth. */
const DEPTH = 50;
const NDCG_K = 10;
const RECALL_K = 50;
/**
 * HYBRID settings tried on validation: the semantic side with or without the query's translation ×
 * (the convex combination's lexical weights + RRF's lexical:semantic weights × k).
 */
const TRANSLATION_GRID = [false, true];
const WEIGHT_GRID = [
  { lexical: 4, semantic: 1 },
  { lexical: 2, semantic: 1 },
  { lexical: 1, semantic: 1 },
  { lexical: 1, semantic: 2 },
  { lexical: 1, semantic: 4 },
];
const K_GRID = [5, 20, 60, 120];
const CONVEX_GRID = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
const FUSION_GRID: HybridFusion[] = [
  ...CONVEX_GRID.map((lexical): HybridFusion => ({ kind: 'convex', lexical })),
  ...WEIGHT_GRID.flatMap((weights) => K_GRID.map((k): HybridFusion => ({ kind: 'rrf', ...weights, k }))),
];
const SERVED: Setting = { translated: SEMANTIC_TRANSLATES, fusion: HYBRID_FUSION };
const SAMPLE_PER_FAMILY: Record<(typeof FAMILIES)[number], number> = { category: 4, title: 3, 'cross-lingual': 3 };
const PROGRESS_EVERY = 50;
const BOOTSTRAP_RESAMPLES = 2000;

const SYSTEMS = ['LEXICAL', 'SEMANTIC', 'HYBRID', 'SEMANTIC chosen', 'HYBRID chosen'] as const;
type System = (typeof SYSTEMS)[number];
/** The cross-lingual queries are never in the titles; without them, "not in titles" asks whether a mode finds what a shopper words otherwise than the titles. */
/** "title, product never cropped": known-item queries for products the embedder's query-crop source never trained on (isCropHeldOut). */
const GROUPS = ['all', ...FAMILIES, 'title, product never cropped', 'not in titles', 'not in titles, one language'] as const;
type Group = (typeof GROUPS)[number];
const SPLITS = ['validation', 'test'] as const;

interface Setting {
  /** The semantic side also searches the query's translation (SEMANTIC_TRANSLATES). */
  translated: boolean;
  fusion: HybridFusion;
}
interface Scores {
  ndcg: number;
  recall: number;
}
type Figures = Record<Group, Record<System, Scores> & { queries: number }>;

const progress = (message: string) => console.error(`eval:search: ${message}`);
const elapsed = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;
const fusionLabel = (fusion: HybridFusion) =>
  fusion.kind === 'convex'
    ? `convex ${fusion.lexical}·lexical + ${round(1 - fusion.lexical)}·cosine`
    : `RRF ${fusion.lexical}:${fusion.semantic}, k ${fusion.k}`;
const settingLabel = (setting: Setting) => `${fusionLabel(setting.fusion)}, semantic ${setting.translated ? 'with' : 'without'} the translation`;
const sameFusion = (a: HybridFusion, b: HybridFusion) =>
  a.kind === 'convex' && b.kind === 'convex'
    ? a.lexical === b.lexical
    : a.kind === 'rrf' && b.kind === 'rrf' && a.lexical === b.lexical && a.semantic === b.semantic && a.k === b.k;
const isServed = (setting: Setting) => setting.translated === SERVED.translated && sameFusion(setting.fusion, SERVED.fusion);

/** The demo import's products of every source with product text, each with its source. */
async function readCatalogue(dataDir: string): Promise<{ products: SourcedProduct[]; unlabelled: number }> {
  const plans = [
    planBeauty(await readBeauty(dataDir), PROFILE_LIMITS.full),
    planRetail(await readRetail(dataDir), PROFILE_LIMITS.full),
    planRees46(await readRees46(dataDir), PROFILE_LIMITS.full),
    planClothing(await readClothing(dataDir), PROFILE_LIMITS.full),
    planChinese(await readChinese(dataDir), PROFILE_LIMITS.full),
  ];
  const all = plans.flatMap((plan) => plan.products.map((product): SourcedProduct => ({ ...product, source: plan.source })));
  const unlabelled = (product: SourcedProduct) => product.source === 'rees46' && product.categoryPath[0] === REES46_UNLABELLED_ROOT;
  return { products: all.filter((product) => !unlabelled(product)), unlabelled: all.filter(unlabelled).length };
}

/** A search asked once per text and depth, however many HYBRID settings fuse its answer; `seconds` sums the real calls. */
function once<T>(search: (text: string, k: number) => Promise<T>) {
  const answers = new Map<string, Promise<T>>();
  const timing = { calls: 0, seconds: 0 };
  return {
    timing,
    search(text: string, k: number): Promise<T> {
      const key = `${k}\n${text}`;
      let answer = answers.get(key);
      if (!answer) {
        const started = process.hrtime.bigint();
        answer = search(text, k).then((result) => {
          timing.calls++;
          timing.seconds += elapsed(started);
          return result;
        });
        answers.set(key, answer);
      }
      return answer;
    },
  };
}

function printSample(judgements: readonly Judgement[], bySku: ReadonlyMap<string, SourcedProduct>): void {
  console.log('Sample judgements (the first queries of each family in seeded order; grade: title):');
  for (const family of FAMILIES) {
    for (const judgement of judgements.filter((item) => item.family === family).slice(0, SAMPLE_PER_FAMILY[family])) {
      const graded = [...judgement.grades].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      const twos = graded.filter(([, grade]) => grade === 2);
      const ones = graded.filter(([, grade]) => grade === 1);
      console.log(
        `\n  [${family}, ${judgement.split}] "${judgement.query}" — ${judgement.origin}\n    ${twos.length} grade 2, ${ones.length} grade 1, ${judgement.ignored.size} ignored; words ${judgement.wordsInTitles ? 'in' : 'not in'} titles`,
      );
      for (const [sku, grade] of [...twos.slice(0, 3), ...ones.slice(0, 2)]) console.log(`    ${grade}: ${bySku.get(sku)!.title.slice(0, 90)}`);
    }
  }
  console.log('');
}

function inGroup(judgement: Judgement, group: Group): boolean {
  if (group === 'all') return true;
  if (group === 'title, product never cropped') {
    return judgement.family === 'title' && [...judgement.grades].every(([sku, grade]) => grade !== 2 || isCropHeldOut(sku));
  }
  if (group === 'not in titles') return !judgement.wordsInTitles;
  if (group === 'not in titles, one language') return !judgement.wordsInTitles && judgement.family !== 'cross-lingual';
  return judgement.family === group;
}

/** The indices of the split's queries in the group. */
const membersOf = (judgements: readonly Judgement[], split: (typeof SPLITS)[number], group: Group): number[] =>
  judgements.flatMap((judgement, index) => (judgement.split === split && inGroup(judgement, group) ? [index] : []));

function figuresOf(judgements: readonly Judgement[], scores: ReadonlyMap<System, Scores[]>, split: (typeof SPLITS)[number]): Figures {
  const figures = {} as Figures;
  for (const group of GROUPS) {
    const members = membersOf(judgements, split, group);
    const row = { queries: members.length } as Figures[Group];
    for (const system of SYSTEMS) {
      const own = scores.get(system)!;
      row[system] = { ndcg: mean(members.map((index) => own[index]!.ndcg)), recall: mean(members.map((index) => own[index]!.recall)) };
    }
    figures[group] = row;
  }
  return figures;
}

function printFigures(title: string, figures: Figures): void {
  console.log(`\n${title}`);
  const value = (number: number) => (Number.isNaN(number) ? '—' : number.toFixed(3));
  printColumns(
    ['queries', 'n', ...SYSTEMS.map((system) => `${system} nDCG@${NDCG_K}`), ...SYSTEMS.map((system) => `${system} R@${RECALL_K}`)],
    GROUPS.map((group) => [
      group,
      String(figures[group].queries),
      ...SYSTEMS.map((system) => value(figures[group][system].ndcg)),
      ...SYSTEMS.map((system) => value(figures[group][system].recall)),
    ]),
  );
}

function chartSvg(figures: Figures, chosen: Setting, queries: number): string {
  const colours: Record<System, string> = {
    LEXICAL: '#8c8c8c',
    SEMANTIC: '#e0a040',
    HYBRID: '#2f6db5',
    'SEMANTIC chosen': '#f0cf90',
    'HYBRID chosen': '#8fb3e0',
  };
  const left = 60;
  const top = 80;
  const plotHeight = 260;
  const bar = 26;
  const group = SYSTEMS.length * bar + 30;
  const width = left + GROUPS.length * group + 30;
  const height = top + plotHeight + 70;
  const y = (value: number) => top + plotHeight - value * plotHeight;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="24" font-size="16" font-weight="bold">Search relevance, test queries (${queries}): nDCG@${NDCG_K} per mode and query family</text>`,
    `<text x="${left}" y="44" fill="#555">HYBRID: served ${escapeXml(settingLabel(SERVED))}; HYBRID chosen: ${escapeXml(settingLabel(chosen))} (chosen on validation queries)</text>`,
    ...SYSTEMS.map(
      (system, index) =>
        `<rect x="${left + index * 150}" y="52" width="10" height="10" fill="${colours[system]}"/><text x="${left + index * 150 + 14}" y="61">${system}</text>`,
    ),
  ];
  for (let tick = 0; tick <= 1.0001; tick += 0.2) {
    parts.push(`<line x1="${left}" x2="${width - 20}" y1="${y(tick)}" y2="${y(tick)}" stroke="#eee"/>`);
    parts.push(`<text x="${left - 6}" y="${y(tick) + 4}" text-anchor="end" fill="#555">${tick.toFixed(1)}</text>`);
  }
  GROUPS.forEach((name, index) => {
    const x = left + 12 + index * group;
    SYSTEMS.forEach((system, offset) => {
      const value = figures[name][system].ndcg;
      const shown = Number.isNaN(value) ? 0 : value;
      parts.push(`<rect x="${x + offset * bar}" y="${y(shown)}" width="${bar - 3}" height="${y(0) - y(shown)}" fill="${colours[system]}"/>`);
      parts.push(
        `<text x="${x + offset * bar + (bar - 3) / 2}" y="${y(shown) - 3}" text-anchor="middle" font-size="9">${Number.isNaN(value) ? '—' : value.toFixed(2)}</text>`,
      );
    });
    // One line per comma-separated part, then the query count, so long group names stay under their bars.
    [...name.split(', '), `(${figures[name].queries} queries)`].forEach((line, row) =>
      parts.push(`<text x="${x + (SYSTEMS.length * bar) / 2}" y="${y(0) + 16 + row * 14}" text-anchor="middle">${escapeXml(line)}</text>`),
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

const jsonFigures = (figures: Figures) =>
  Object.fromEntries(
    GROUPS.map((group) => [
      group,
      {
        queries: figures[group].queries,
        ...Object.fromEntries(
          SYSTEMS.map((system) => [system, { ndcg10: round(figures[group][system].ndcg), recall50: round(figures[group][system].recall) }]),
        ),
      },
    ]),
  );

async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  const loadBefore = os.loadavg()[0]!;
  const config: SearchConfig = loadConfig('eval:search', searchSchema, process.env);
  const model = resolveEmbeddingModel(config);
  const modelKey = `${model.name}@${model.version}`;

  const { products, unlabelled } = await readCatalogue(config.SERENDIP_DATA_DIR);
  const bySku = new Map(products.map((product) => [product.sku, product]));
  const bySource = products.reduce<Record<string, number>>((counts, product) => ({ ...counts, [product.source]: (counts[product.source] ?? 0) + 1 }), {});
  progress(`${products.length} products: ${JSON.stringify(bySource)}; ${unlabelled} REES46 products without a category_code left out`);
  const pairs = (JSON.parse(fs.readFileSync(PAIRS_FILE, 'utf8')) as { pairs: CrossLingualPair[] }).pairs;
  const judgements = buildJudgements(products, pairs, SEED);
  const counts = (split: string) =>
    Object.fromEntries(FAMILIES.map((family) => [family, judgements.filter((judgement) => judgement.split === split && judgement.family === family).length]));
  progress(`${judgements.length} queries: validation ${JSON.stringify(counts('validation'))}, test ${JSON.stringify(counts('test'))}`);
  printSample(judgements, bySku);

  // The run's own database, whatever prefix the environment names: it is dropped at the end.
  const settings = { ...config, MYSQL_DATABASE_PREFIX: `eval_search_${randomBytes(4).toString('hex')}` };
  const held: {
    dataSource: CatalogueDataSource | null;
    cache: EmbeddingCache | null;
    dispose: (() => Promise<void>) | null;
    stopIndex: (() => Promise<void>) | null;
  } = {
    dataSource: null,
    cache: null,
    dispose: null,
    stopIndex: null,
  };
  let cleaning: Promise<void> | null = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await held.stopIndex?.();
      await held.dataSource?.destroy().catch(() => undefined);
      await dropDatabase(settings, 'catalogue').catch((error: unknown) => progress(`could not drop the database: ${String(error)}`));
      await held.cache?.close();
      await held.dispose?.();
    })());
  const removeHandlers = cleanUpOnSignal(cleanup, 'eval:search', 'dropping the catalogue database');

  try {
    const writeStarted = process.hrtime.bigint();
    await provisionDatabase(settings, 'catalogue', settings.CATALOGUE_DB_PASSWORD);
    held.dataSource = (await openCatalogueDataSource(settings)).dataSource;
    held.cache = await EmbeddingCache.open(CACHE_FILE, modelKey, progress);
    progress(
      `${held.cache.size} vectors cached in ${path.relative(process.cwd(), CACHE_FILE)}; writing the catalogue (${databaseName(settings, 'catalogue')})…`,
    );
    const written = await writeProducts(held.dataSource, products, held.cache, model);
    const writeSeconds = elapsed(writeStarted);
    progress(`wrote ${written.ids.size} products and their vectors in ${writeSeconds.toFixed(1)} s`);
    const skuOf = new Map([...written.ids].map(([sku, id]) => [id, sku]));

    const embedder = await createEmbedder(config);
    held.dispose = () => embedder.dispose();
    if (`${embedder.model}@${embedder.version}` !== modelKey)
      throw new Error(`the embedder loaded ${embedder.model}@${embedder.version}, the catalogue serves ${modelKey}`);
    // The worker's embed-text handler without the queue hop: the same embedder, the same result shape.
    const jobs = { embedQuery: async (text: string) => toEmbeddingResult((await embedder.embed([text]))[0]!, embedder) };
    // The feed leaves out vectors written within its settle time; wait it out so the index reads every one.
    await new Promise((resolve) => setTimeout(resolve, FEED_SETTLE_MS + 100));
    // The catalogue does not change during the run, so the index reads the feed once (no refresh).
    const feed = new StoreVectorFeed(new ProductEmbeddingStore(held.dataSource), model.name, () => model.version);
    const semanticSearch = new SemanticSearch(feed, jobs, { refreshMs: 2 ** 31 - 1 });
    await semanticSearch.ready;
    held.stopIndex = () => semanticSearch.stop();
    const productService = new ProductService(held.dataSource);
    const lexical = once((text, k) => productService.search(text, k));
    const semantic = once((text, k) => semanticSearch.search(text, k));
    // As served: the lexical side also searches the query's translation.
    const translate = (query: string) => translateQuery(query);
    const served = new ProductSearch(lexical, semantic, { translate });
    // SEMANTIC as each HYBRID setting's semantic side has it.
    const semanticModes = TRANSLATION_GRID.map((translated) => new ProductSearch(lexical, semantic, { translate, translateSemantic: translated }));
    const grid: Setting[] = TRANSLATION_GRID.flatMap((translated) => FUSION_GRID.map((fusion) => ({ translated, fusion })));
    const fused = grid.map((setting) => new ProductSearch(lexical, semantic, { fusion: setting.fusion, translate, translateSemantic: setting.translated }));

    const searchStarted = process.hrtime.bigint();
    const score = (judgement: Judgement, productIds: string[]): Scores => {
      const ranked = withoutIgnored(
        productIds.map((id) => skuOf.get(id)!),
        judgement.ignored,
      );
      return { ndcg: ndcgAt(ranked, judgement.grades, NDCG_K), recall: recallAt(ranked, judgement.grades, RECALL_K) };
    };
    const ids = async (search: ProductSearch, text: string, mode: SearchMode) => (await search.search(text, mode, DEPTH)).hits.map((hit) => hit.productId);
    const scores = new Map<System, Scores[]>(SYSTEMS.map((system) => [system, []]));
    const gridScores: Scores[][] = grid.map(() => []);
    const semanticScores: Scores[][] = semanticModes.map(() => []);
    for (const [index, judgement] of judgements.entries()) {
      scores.get('LEXICAL')!.push(score(judgement, await ids(served, judgement.query, SearchMode.LEXICAL)));
      scores.get('SEMANTIC')!.push(score(judgement, await ids(served, judgement.query, SearchMode.SEMANTIC)));
      scores.get('HYBRID')!.push(score(judgement, await ids(served, judgement.query, SearchMode.HYBRID)));
      for (const [at, search] of fused.entries()) gridScores[at]!.push(score(judgement, await ids(search, judgement.query, SearchMode.HYBRID)));
      for (const [at, search] of semanticModes.entries()) semanticScores[at]!.push(score(judgement, await ids(search, judgement.query, SearchMode.SEMANTIC)));
      if ((index + 1) % PROGRESS_EVERY === 0) progress(`searched ${index + 1}/${judgements.length} queries`);
    }
    const searchSeconds = elapsed(searchStarted);

    // The setting is chosen on validation queries only; the served one wins a tie.
    const validation = judgements.flatMap((judgement, index) => (judgement.split === 'validation' ? [index] : []));
    const validationNdcg = gridScores.map((own) => mean(validation.map((index) => own[index]!.ndcg)));
    const servedAt = grid.findIndex(isServed);
    let chosenAt = servedAt;
    validationNdcg.forEach((value, at) => {
      if (value > validationNdcg[chosenAt]!) chosenAt = at;
    });
    const chosen = grid[chosenAt]!;
    scores.set('HYBRID chosen', gridScores[chosenAt]!);
    scores.set('SEMANTIC chosen', semanticScores[TRANSLATION_GRID.indexOf(chosen.translated)]!);

    const cell = (translated: boolean, fusion: HybridFusion) => {
      const at = grid.findIndex((setting) => setting.translated === translated && sameFusion(setting.fusion, fusion));
      return `${validationNdcg[at]!.toFixed(3)}${at === chosenAt ? ' *' : ''}${at === servedAt ? ' (served)' : ''}`;
    };
    const sides = TRANSLATION_GRID.map((translated) => [translated, translated ? 'with translation' : 'query only'] as const);
    console.log(`HYBRID settings on the ${validation.length} validation queries (nDCG@${NDCG_K}, all families); convex combination by lexical weight:`);
    printColumns(
      ['semantic side', ...CONVEX_GRID.map((lexical) => `lexical ${lexical}`)],
      sides.map(([translated, label]) => [label, ...CONVEX_GRID.map((lexical) => cell(translated, { kind: 'convex', lexical }))]),
    );
    console.log('reciprocal-rank fusion:');
    printColumns(
      ['semantic side', 'lexical:semantic', ...K_GRID.map((k) => `k ${k}`)],
      sides.flatMap(([translated, label]) =>
        WEIGHT_GRID.map((weights) => [label, `${weights.lexical}:${weights.semantic}`, ...K_GRID.map((k) => cell(translated, { kind: 'rrf', ...weights, k }))]),
      ),
    );
    const beatsServed = chosenAt !== servedAt;
    console.log(
      beatsServed
        ? `chosen: ${settingLabel(chosen)}, validation nDCG@${NDCG_K} ${validationNdcg[chosenAt]!.toFixed(3)} against the served ${settingLabel(SERVED)}'s ${validationNdcg[servedAt]!.toFixed(3)}`
        : `chosen: the served ${settingLabel(SERVED)} (no setting beats it on validation)`,
    );

    const figures = Object.fromEntries(SPLITS.map((split) => [split, figuresOf(judgements, scores, split)])) as Record<(typeof SPLITS)[number], Figures>;
    for (const split of SPLITS) {
      printFigures(`${split} queries: HYBRID = served ${settingLabel(SERVED)}; HYBRID chosen = ${settingLabel(chosen)} (chosen on validation)`, figures[split]);
    }

    const goals = Object.fromEntries(
      SPLITS.map((split) => {
        const all = figures[split].all;
        const better = Math.max(all.LEXICAL.ndcg, all.SEMANTIC.ndcg);
        const unseen = figures[split]['not in titles'];
        const oneLanguage = figures[split]['not in titles, one language'];
        // Paired over the split's queries: how far the sample of queries alone could move each comparison.
        const ndcgs = (group: Group, systems: System[]) => {
          const members = membersOf(judgements, split, group);
          return systems.map((system) => members.map((index) => scores.get(system)![index]!.ndcg));
        };
        const hybridInterval = pairedBootstrap(
          ndcgs('all', ['HYBRID', 'LEXICAL', 'SEMANTIC']),
          ([hybrid, lexicalMean, semanticMean]) => hybrid! / Math.max(lexicalMean!, semanticMean!) - 1,
          {
            resamples: BOOTSTRAP_RESAMPLES,
            seed: SEED,
          },
        );
        const semanticInterval = pairedBootstrap(
          ndcgs('not in titles', ['SEMANTIC', 'LEXICAL']),
          ([semanticMean, lexicalMean]) => semanticMean! - lexicalMean!,
          {
            resamples: BOOTSTRAP_RESAMPLES,
            seed: SEED,
          },
        );
        return [
          split,
          {
            hybridOverBetter: round(all.HYBRID.ndcg / better - 1),
            hybridChosenOverBetter: round(all['HYBRID chosen'].ndcg / better - 1),
            hybridOverBetterInterval95: [round(hybridInterval.low), round(hybridInterval.high)],
            hybridGoalMet: all.HYBRID.ndcg >= 1.1 * better,
            semanticOverLexicalNotInTitles: round(unseen.SEMANTIC.ndcg - unseen.LEXICAL.ndcg),
            semanticOverLexicalNotInTitlesInterval95: [round(semanticInterval.low), round(semanticInterval.high)],
            semanticGoalMet: unseen.SEMANTIC.ndcg > unseen.LEXICAL.ndcg,
            semanticOverLexicalNotInTitlesOneLanguage: round(oneLanguage.SEMANTIC.ndcg - oneLanguage.LEXICAL.ndcg),
          },
        ];
      }),
    );
    console.log(
      `\nGoals (issue): HYBRID nDCG@10 ≥ 1.10 × the better of LEXICAL and SEMANTIC; SEMANTIC > LEXICAL on queries not in titles. [95% intervals: paired bootstrap over the split's queries, ${BOOTSTRAP_RESAMPLES} resamples]`,
    );
    const signed = (value: number, digits: number, scale = 1) => `${value >= 0 ? '+' : ''}${(value * scale).toFixed(digits)}`;
    for (const split of SPLITS) {
      const goal = goals[split]!;
      const [hybridLow, hybridHigh] = goal.hybridOverBetterInterval95;
      const [semanticLow, semanticHigh] = goal.semanticOverLexicalNotInTitlesInterval95;
      console.log(
        `  ${split}: HYBRID ${signed(goal.hybridOverBetter, 1, 100)}% [${signed(hybridLow!, 1, 100)}%, ${signed(hybridHigh!, 1, 100)}%] over the better mode (${goal.hybridGoalMet ? 'met' : 'NOT met'}; chosen setting ${signed(goal.hybridChosenOverBetter, 1, 100)}%); SEMANTIC − LEXICAL on not-in-titles ${signed(goal.semanticOverLexicalNotInTitles, 3)} [${signed(semanticLow!, 3)}, ${signed(semanticHigh!, 3)}] (${goal.semanticGoalMet ? 'met' : 'NOT met'}; ${signed(goal.semanticOverLexicalNotInTitlesOneLanguage, 3)} without the cross-lingual queries)`,
      );
    }

    fs.mkdirSync(path.dirname(CHART), { recursive: true });
    fs.writeFileSync(CHART, chartSvg(figures.test, chosen, figures.test.all.queries));
    console.log(`\nchart: ${path.relative(process.cwd(), CHART)}`);
    const loadAfter = os.loadavg()[0]!;
    const totalSeconds = elapsed(started);
    const perQuery = (timing: { calls: number; seconds: number }) => (timing.calls > 0 ? (timing.seconds / timing.calls) * 1000 : Number.NaN);
    console.log(
      `catalogue ${products.length} products written in ${writeSeconds.toFixed(1)} s; ${judgements.length} queries searched in ${searchSeconds.toFixed(1)} s (lexical ${perQuery(lexical.timing).toFixed(0)} ms, semantic ${perQuery(semantic.timing).toFixed(0)} ms a query); total ${totalSeconds.toFixed(1)} s on ${os.cpus().length} CPUs, load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`,
    );
    console.log(
      JSON.stringify({
        model: modelKey,
        catalogue: { products: products.length, bySource, rees46WithoutCategoryLeftOut: unlabelled },
        queries: { validation: counts('validation'), test: counts('test') },
        served: SERVED,
        chosen,
        chosenBeatsServedOnValidation: beatsServed,
        grid: grid.map((setting, at) => ({ ...setting, validationNdcg10: round(validationNdcg[at]!) })),
        validation: jsonFigures(figures.validation),
        test: jsonFigures(figures.test),
        goals,
        chart: path.relative(process.cwd(), CHART),
        machine: { cpus: os.cpus().length, loadavg1Before: round(loadBefore), loadavg1After: round(loadAfter) },
        seconds: { total: round(totalSeconds), write: round(writeSeconds), search: round(searchSeconds) },
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
