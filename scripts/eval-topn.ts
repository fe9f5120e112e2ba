/**
 * pnpm eval:topn — full-ranking top-N evaluation of Serendip's candidate sources on Amazon Beauty
 * (amazon_beauty_s3rec sequences, amazon_beauty_item_titles titles) or Amazon Games
 * (amazon_games_llmrank, EVAL_TOPN_DATASET=games), beside the published numbers. Also by history
 * length (1, 2-4, 5-9, 10+ items) and, on Games, LLMRank's 20-candidate protocol.
 *
 * Protocol (leave-one-out, as S3-Rec and TIGER report it): per user the last item is the test item,
 * the second to last the validation item, the rest training. Popularity and item co-occurrence are
 * counted on the training items only. Each method scores ALL items; the user's history items are
 * excluded, nothing is sampled; ties are broken by a seeded random item order. HR@5/10 and
 * NDCG@5/10 are averaged over users. Methods:
 *  1. popularity: training interaction counts;
 *  2. item-kNN: cosine of training co-occurrence (users having both items), top-100 neighbours per
 *     item, score = Σ over history items of decay^age · sim (age 0 = most recent);
 *  3. co-occurrence: the slate engine's source replayed: the table counted by `cooccurrencePairs`
 *     over the training sequences with the serving window, read from the 10 most recent distinct
 *     history items, 20 partners each, an item's score its highest weight (scripts/eval/topn-sources.ts);
 *  4. transitions: the slate engine's directed transition source replayed: the table counted by
 *     `transitionPairs` over the training sequences with the serving settings, read as smoothed
 *     shares of each seed's followers summed over the 10 most recent distinct items
 *     (subgraphs/recommendation/src/transitions/transition-settings.ts);
 *  5. text: the platform's embedder over the titles, cosine to the mean of the last 5 history items;
 *  6. fusion: fuseScores (packages/recsys) over each source's top 200 with the slate engine's
 *     sources and weights: co-occurrence, transitions, text for interest, popularity for trending;
 *  7. fusion without transitions: the same with transitions weighing 0 (as served before them).
 * EVAL_TOPN_FUSION_GRID=1 (validation item only) also prints a grid of fusion weights, which is
 * how the served weights were chosen.
 * On Beauty, every method's HR@10 / NDCG@10 is also reported apart on the users whose sequences the
 * embedder's fine-tuning held out (models/training/finetune_embedding.py: the split rule's
 * evaluation bucket, `split/amazon_beauty_s3rec/<user>` below 10) and on the rest, whose whole
 * sequences, validation and test items included, it was tuned on: text and the fusions may be
 * inflated on the rest, not on the held-out users.
 * Beyond accuracy, over each method's top-10 lists: catalogue coverage, Gini of exposure, intra-list
 * diversity (1 − title cosine) and novelty (−log2 of the add-one smoothed share of training users).
 * Prints tables, writes bench-results/eval-topn.svg and, as its last line, one JSON object.
 *   SERENDIP_DATA_DIR   data folder (default <repo>/../shared/data)
 *   EVAL_TOPN_USERS     users evaluated, a seeded sample (default 0: all)
 *   EVAL_TOPN_HISTORY   `train` (default: history = training items, as above) or `train+valid`
 *                       (the validation item joins the history at test time, as S3-Rec's code does)
 *   EVAL_TOPN_TARGET    `test` (default: the last item) or `validation` (the second to last, the
 *                       item settings are chosen on; needs EVAL_TOPN_HISTORY=train)
 *   EVAL_TOPN_FUSION_GRID  `1`: also try every combination of FUSION_GRID's weights (validation only)
 *   EVAL_TOPN_DATASET   `beauty` (default) or `games`
 *   EVAL_TOPN_SEQUENCE_CANDIDATES  with EVAL_TOPN_SEQUENCE_MODEL, e.g. `100,50`: also fuse only the
 *                       sequence model's top k for each k, and print HR@10, NDCG@10 and how much of
 *                       each top-10 is the top-10 of `fusion + sequence` (the slate's cost grows with k)
 *   EVAL_TOPN_TITLE_VECTORS  a file: embed the titles, write their vectors there (little-endian
 *                       float32, [items + 1, dimension], row = item id, rows without a title zero:
 *                       sequence_model.py's --item-features) and stop without ranking
 * plus the inference settings (docs/inference.md).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, z } from '@serendip/config';
import { createEmbedder, inferenceEnv, isEvalRow } from '../packages/inference/src';
import { fuseScores, sampleWithoutReplacement, seededRng, type SourceScore } from '../packages/recsys/src';
import { COOCCURRENCE_SEEDS, COOCCURRENCE_WINDOW, PER_COOCCURRENCE_SEED } from '../subgraphs/recommendation/src/cooccurrence/cooccurrence-settings';
import { SOURCE_WEIGHTS } from '../subgraphs/recommendation/src/slate/candidate-sources';
import {
  PER_TRANSITION_SEED,
  TRANSITION_GAP_DECAY,
  TRANSITION_RECENCY,
  TRANSITION_SEEDS,
  TRANSITION_SMOOTHING,
  TRANSITION_WINDOW,
} from '../subgraphs/recommendation/src/transitions/transition-settings';
import { beautySequences, gamesSequences, tsvRows, type Sequence } from './eval/amazon-sequences';
import { dataDirEnv, escapeXml, printColumns, round } from './eval/report';
import { catalogueCoverage, exposure, gini, hitRate, intraListDiversity, meanInterval, ndcg, novelty, rankAmong, rankOf, topK } from './eval/topn-metrics';
import { loadSequenceModel, scoreSequence } from './eval/sequence-source';
import { itemNeighbours, recentSeeds, scoreServed, scoreTransitions, servedCooccurrence, servedTransitions } from './eval/topn-sources';

const topnSchema = z.object({
  ...inferenceEnv,
  ...dataDirEnv,
  EVAL_TOPN_USERS: z.coerce.number().int().min(0).default(0),
  EVAL_TOPN_HISTORY: z.enum(['train', 'train+valid']).default('train'),
  EVAL_TOPN_TARGET: z.enum(['test', 'validation']).default('test'),
  EVAL_TOPN_FUSION_GRID: z.enum(['0', '1']).default('0'),
  EVAL_TOPN_DATASET: z.enum(['beauty', 'games']).default('beauty'),
  EVAL_TOPN_SEQUENCE_MODEL: z.string().optional(),
  EVAL_TOPN_TITLE_VECTORS: z.string().min(1).optional(),
  EVAL_TOPN_SEQUENCE_CANDIDATES: z
    .string()
    .regex(/^([1-9]\d*(,[1-9]\d*)*)?$/, 'a comma-separated list of positive integers')
    .default('')
    .transform((list) => (list === '' ? [] : list.split(',').map(Number))),
});
type TopnConfig = z.infer<typeof topnSchema>;

/** Fixed, so that tie-breaking and user samples repeat from run to run. */
const SEED = 20_251_205;
const NEIGHBOURS = 100;
/** Untuned: a history item's weight falls by this factor per newer item after it. */
const RECENCY_DECAY = 0.8;
const TEXT_HISTORY = 5;
/** Per source, the candidates handed to fusion, as the slate engine fetches lists rather than the whole catalogue. */
const FUSION_CANDIDATES = 200;
/**
 * The slate engine's SOURCE_WEIGHTS for the sources replayed here (fresh has no analogue: the file
 * has no times); `fusion without transitions` drops that source, as the engine served before it.
 */
const FUSION_WEIGHTS = {
  'co-occurrence': SOURCE_WEIGHTS['co-occurrence'],
  transitions: SOURCE_WEIGHTS.transitions,
  interest: SOURCE_WEIGHTS.interest,
  trending: SOURCE_WEIGHTS.trending,
};
type FusionWeights = typeof FUSION_WEIGHTS;
/** The weights tried by EVAL_TOPN_FUSION_GRID=1 (validation item only): each combination of these. */
const FUSION_GRID: { [S in keyof FusionWeights]: number[] } = {
  'co-occurrence': [0, 0.4, 0.8],
  transitions: [0.8, 1.6, 3.2],
  interest: [0.25, 0.5, 1],
  trending: [0.1, 0.4],
};
const LIST = 10;
/** The list lengths HR and NDCG are reported at. */
type Cutoff = 5 | 10;
const PROGRESS_EVERY = 2000;
/** History lengths reported apart: short histories are where a shop's new shoppers are. */
const HISTORY_BUCKETS = [
  { label: '1', max: 1 },
  { label: '2-4', max: 4 },
  { label: '5-9', max: 9 },
  { label: '10+', max: Number.POSITIVE_INFINITY },
] as const;
/**
 * How often the target item was bought in the training items, reported apart: rarely bought items
 * are where item-to-item sources and the sequence model have little to go on.
 */
const TARGET_BUCKETS = [
  { label: '0', max: 0 },
  { label: '1-4', max: 4 },
  { label: '5-19', max: 19 },
  { label: '20+', max: Number.POSITIVE_INFINITY },
] as const;
type Buckets = readonly { label: string; max: number }[];
const bucketOf = (buckets: Buckets, count: number): number => buckets.findIndex((bucket) => count <= bucket.max);
/** NDCG cutoffs of the 20-candidate protocol. */
const CANDIDATE_CUTOFFS = [1, 5, 10, 20] as const;

const METHODS = [
  'popularity',
  'item-kNN',
  'co-occurrence',
  'transitions',
  'text',
  'sequence',
  'fusion without transitions',
  'fusion',
  'fusion + sequence',
] as const;
/** Rows that need a trained sequence model (EVAL_TOPN_SEQUENCE_MODEL). */
const SEQUENCE_METHODS: readonly Method[] = ['sequence', 'fusion + sequence'];
/** The sequence source's weight in `fusion + sequence`; the others as served. Chosen on the validation item (EVAL_TOPN_FUSION_GRID=1 tries SEQUENCE_GRID). */
const SEQUENCE_WEIGHT = 1.6;
const SEQUENCE_GRID = [0.8, 1.6, 2.4, 3.2, 4.8, 6.4];
type Method = (typeof METHODS)[number];
/** The rows that read the platform's embedder (text is the fusions' interest source). */
const EMBEDDER_METHODS: readonly Method[] = ['text', 'fusion without transitions', 'fusion', 'fusion + sequence'];
/** The user groups reported apart where the embedder was fine-tuned on the data's sequences (Dataset.embedderSplit). */
const EMBEDDER_GROUPS = ['held out', 'tuned on'] as const;

interface Reference {
  model: string;
  hr5: number;
  ndcg5: number;
  hr10: number;
  ndcg10: number;
  comparable: boolean;
  note: string;
}

/** Every full-ranking baseline in the two SOURCE.md files (and the sampled ones, marked); full ranking = the protocol above, over all 22,363 users. */
const REFERENCES: Reference[] = [
  { model: 'PopRec', hr5: 0.008, ndcg5: 0.0044, hr10: 0.0152, ndcg10: 0.0068, comparable: true, note: 'S3-Rec repo, full ranking' },
  { model: 'GRU4Rec', hr5: 0.0164, ndcg5: 0.0099, hr10: 0.0283, ndcg10: 0.0137, comparable: true, note: 'S3-Rec repo, full ranking' },
  { model: 'GRU4Rec_F', hr5: 0.0248, ndcg5: 0.0156, hr10: 0.042, ndcg10: 0.0211, comparable: true, note: 'S3-Rec repo, full ranking' },
  { model: 'Caser', hr5: 0.0205, ndcg5: 0.0131, hr10: 0.0347, ndcg10: 0.0176, comparable: true, note: 'S3-Rec repo, full ranking' },
  { model: 'BERT4Rec', hr5: 0.0203, ndcg5: 0.0124, hr10: 0.0347, ndcg10: 0.017, comparable: true, note: 'S3-Rec repo, full ranking' },
  { model: 'HGN', hr5: 0.0325, ndcg5: 0.0206, hr10: 0.0512, ndcg10: 0.0266, comparable: true, note: 'S3-Rec repo, full ranking' },
  { model: 'FDSA', hr5: 0.0267, ndcg5: 0.0163, hr10: 0.0407, ndcg10: 0.0208, comparable: true, note: 'S3-Rec repo, full ranking' },
  { model: 'SASRec_F', hr5: 0.0268, ndcg5: 0.0171, hr10: 0.0458, ndcg10: 0.0232, comparable: true, note: 'S3-Rec repo, full ranking' },
  { model: 'SASRec', hr5: 0.0387, ndcg5: 0.0249, hr10: 0.0605, ndcg10: 0.0318, comparable: true, note: 'S3-Rec repo / TIGER paper, full ranking' },
  { model: 'S3-Rec', hr5: 0.0387, ndcg5: 0.0244, hr10: 0.0647, ndcg10: 0.0327, comparable: true, note: 'S3-Rec repo, full ranking' },
  { model: 'TIGER', hr5: 0.0454, ndcg5: 0.0321, hr10: 0.0648, ndcg10: 0.0384, comparable: true, note: 'TIGER paper, full ranking, history ≤ 20' },
  { model: 'PopRec (sampled)', hr5: 0.2105, ndcg5: 0.1391, hr10: 0.3386, ndcg10: 0.1803, comparable: false, note: '99 sampled negatives: NOT comparable' },
  { model: 'FM (sampled)', hr5: 0.1461, ndcg5: 0.0934, hr10: 0.2311, ndcg10: 0.1207, comparable: false, note: '99 sampled negatives: NOT comparable' },
  { model: 'AutoInt (sampled)', hr5: 0.1705, ndcg5: 0.1063, hr10: 0.2872, ndcg10: 0.144, comparable: false, note: '99 sampled negatives: NOT comparable' },
  { model: 'GRU4Rec (sampled)', hr5: 0.3125, ndcg5: 0.2268, hr10: 0.4106, ndcg10: 0.2584, comparable: false, note: '99 sampled negatives: NOT comparable' },
  { model: 'Caser (sampled)', hr5: 0.3032, ndcg5: 0.2219, hr10: 0.3942, ndcg10: 0.2512, comparable: false, note: '99 sampled negatives: NOT comparable' },
  { model: 'BERT4Rec (sampled)', hr5: 0.364, ndcg5: 0.2622, hr10: 0.4739, ndcg10: 0.2975, comparable: false, note: '99 sampled negatives: NOT comparable' },
  { model: 'HGN (sampled)', hr5: 0.3544, ndcg5: 0.2656, hr10: 0.4503, ndcg10: 0.2965, comparable: false, note: '99 sampled negatives: NOT comparable' },
  { model: 'GRU4Rec_F (sampled)', hr5: 0.3727, ndcg5: 0.2759, hr10: 0.4753, ndcg10: 0.309, comparable: false, note: '99 sampled negatives: NOT comparable' },
  { model: 'SASRec_F (sampled)', hr5: 0.3863, ndcg5: 0.287, hr10: 0.4843, ndcg10: 0.3185, comparable: false, note: '99 sampled negatives: NOT comparable' },
  { model: 'FDSA (sampled)', hr5: 0.401, ndcg5: 0.2974, hr10: 0.5096, ndcg10: 0.3324, comparable: false, note: '99 sampled negatives: NOT comparable' },
  { model: 'SASRec (sampled)', hr5: 0.3741, ndcg5: 0.2848, hr10: 0.4696, ndcg10: 0.3156, comparable: false, note: '99 sampled negatives: NOT comparable' },
  { model: 'S3-Rec (sampled)', hr5: 0.4502, ndcg5: 0.3407, hr10: 0.5506, ndcg10: 0.3732, comparable: false, note: '99 sampled negatives: NOT comparable' },
];

const elapsed = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;

/** HR@10 / NDCG@10 per bucket of some count (history length, the target's popularity): `enter` a user's count, then `add` each method's rank. */
function bucketTally(buckets: Buckets) {
  const users = buckets.map(() => 0);
  const sums = new Map<Method, { hr10: number; ndcg10: number }[]>();
  let current = 0;
  const mean = (method: Method, index: number) => {
    const sum = sums.get(method)?.[index] ?? { hr10: 0, ndcg10: 0 };
    return { hr10: sum.hr10 / users[index]!, ndcg10: sum.ndcg10 / users[index]! };
  };
  return {
    enter(count: number) {
      current = bucketOf(buckets, count);
      users[current]!++;
    },
    add(method: Method, rank: number | null) {
      if (!sums.has(method))
        sums.set(
          method,
          buckets.map(() => ({ hr10: 0, ndcg10: 0 })),
        );
      const sum = sums.get(method)![current]!;
      sum.hr10 += hitRate(rank, 10);
      sum.ndcg10 += ndcg(rank, 10);
    },
    print(methods: readonly Method[]) {
      printColumns(
        ['method', ...buckets.map((bucket, index) => `${bucket.label} (${users[index]} users)`)],
        methods.map((method) => [
          method,
          ...buckets.map((_, index) => {
            if (users[index] === 0) return '-';
            const { hr10, ndcg10 } = mean(method, index);
            return `${hr10.toFixed(4)} / ${ndcg10.toFixed(4)}`;
          }),
        ]),
      );
    },
    json(methods: readonly Method[]) {
      return Object.fromEntries(
        buckets.map((bucket, index) => [
          bucket.label,
          {
            users: users[index],
            // No user in the bucket: no figure, rather than a zero that reads as a miss.
            methods: Object.fromEntries(
              methods.map((method) => [
                method,
                users[index] === 0 ? null : (({ hr10, ndcg10 }) => ({ hr10: round(hr10), ndcg10: round(ndcg10) }))(mean(method, index)),
              ]),
            ),
          },
        ]),
      );
    },
  };
}

/** A reference on the LLMRank 20-candidate protocol (NDCG@K × 100 over the 20 candidates). */
interface CandidateReference {
  model: string;
  setting: 'full' | 'zero-shot';
  n1: number;
  n5: number;
  n10: number;
  n20: number;
}

/** The LLMRank paper's Games rows (SOURCE.md of amazon_games_llmrank), every one of them. */
const LLMRANK_REFERENCES: CandidateReference[] = [
  { model: 'Pop', setting: 'full', n1: 28.35, n5: 47.42, n10: 52.96, n20: 57.45 },
  { model: 'BPRMF', setting: 'full', n1: 44.92, n5: 62.33, n10: 66.27, n20: 68.94 },
  { model: 'SASRec', setting: 'full', n1: 56.9, n5: 73.19, n10: 75.92, n20: 77.14 },
  { model: 'BM25 (title text)', setting: 'zero-shot', n1: 13.92, n5: 28.81, n10: 34.61, n20: 44.35 },
  { model: 'UniSRec', setting: 'zero-shot', n1: 18.95, n5: 33.99, n10: 40.71, n20: 48.42 },
  { model: 'VQ-Rec', setting: 'zero-shot', n1: 7.28, n5: 18.28, n10: 26.21, n20: 37.62 },
  { model: 'ChatGPT, sequential prompt', setting: 'zero-shot', n1: 30.28, n5: 45.48, n10: 50.57, n20: 56.55 },
  { model: 'ChatGPT, recency-focused prompt', setting: 'zero-shot', n1: 34.03, n5: 48.77, n10: 53.5, n20: 59.01 },
  { model: 'ChatGPT, in-context learning', setting: 'zero-shot', n1: 33.95, n5: 48.44, n10: 53.1, n20: 58.92 },
  { model: 'Alpaca-7B', setting: 'zero-shot', n1: 5.5, n5: 14.16, n10: 21.67, n20: 28.68 },
  { model: 'Vicuna-13B', setting: 'zero-shot', n1: 7.0, n5: 17.73, n10: 24.3, n20: 31.22 },
  { model: 'LLaMA-2-70B-Chat', setting: 'zero-shot', n1: 21.5, n5: 32.3, n10: 37.83, n20: 41.97 },
  { model: 'ChatGPT (GPT-3.5)', setting: 'zero-shot', n1: 23.83, n5: 45.69, n10: 50.31, n20: 55.45 },
  { model: 'GPT-4', setting: 'zero-shot', n1: 39.5, n5: 58.22, n10: 62.88, n20: 65.25 },
];

/** A data set of ordered user sequences with item titles; item ids start at 1 (slot 0 stays empty). */
interface Dataset {
  name: string;
  /** Folders under SERENDIP_DATA_DIR it reads. */
  folders: string[];
  sequences(dataDir: string): Sequence[];
  titles(dataDir: string): Map<number, string>;
  /** Published full-ranking leave-one-out rows on this data. */
  references: Reference[];
  /** Where the published rows come from. */
  referenceNote: string;
  /** Users with fixed candidate lists (LLMRank's 20-candidate protocol): user → the candidates that are not the target. */
  candidates?(dataDir: string): Map<number, number[]>;
  chart: string;
  /**
   * The data folder in the split keys of the embedder's fine-tuning, which trained on this data's
   * sequences except those of the split rule's evaluation users; absent where it never read them.
   */
  embedderSplit?: string;
}

const DATASETS: Record<'beauty' | 'games', Dataset> = {
  beauty: {
    name: 'Amazon Beauty',
    folders: ['amazon_beauty_s3rec', 'amazon_beauty_item_titles'],
    sequences: beautySequences,
    titles: (dataDir) => new Map(tsvRows(path.join(dataDir, 'amazon_beauty_item_titles', 'item_titles.tsv')).map(([id, , title]) => [Number(id), title ?? ''])),
    references: REFERENCES,
    referenceNote: 'SOURCE.md of amazon_beauty_s3rec and amazon_beauty_item_titles; all 22,363 users',
    chart: path.resolve(__dirname, '../bench-results/eval-topn.svg'),
    embedderSplit: 'amazon_beauty_s3rec',
  },
  games: {
    name: 'Amazon Games',
    folders: ['amazon_games_llmrank'],
    sequences: gamesSequences,
    titles: (dataDir) => new Map(tsvRows(path.join(dataDir, 'amazon_games_llmrank', 'Games.item')).map(([id, title]) => [Number(id) + 1, title ?? ''])),
    references: [],
    referenceNote: 'none published for full ranking on this file (LLMRank reports the 20-candidate protocol only)',
    candidates: (dataDir) =>
      new Map(
        fs
          .readFileSync(path.join(dataDir, 'amazon_games_llmrank', 'Games.random'), 'utf8')
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map((line) => {
            const [user, list] = line.split('\t');
            // LLMRank ranks the first 19 of each user's list with the target.
            return [
              Number(user),
              list!
                .trim()
                .split(/\s+/)
                .slice(0, 19)
                .map((id) => Number(id) + 1),
            ] as const;
          }),
      ),
    chart: path.resolve(__dirname, '../bench-results/eval-topn-games.svg'),
  },
};

interface MethodResult {
  hr: Record<Cutoff, number>;
  ndcg: Record<Cutoff, number>;
  coverage: number;
  gini: number;
  diversity: number;
  novelty: number;
  seconds: number;
}

function chartSvg(results: Partial<Record<Method, MethodResult>>, methods: readonly Method[], references: readonly Reference[], title: string): string {
  const bars = [
    ...methods.map((method) => ({ label: method, hr10: results[method]!.hr[10], ndcg10: results[method]!.ndcg[10], ours: true })),
    ...references
      .filter((reference) => reference.comparable)
      .map((reference) => ({
        label: reference.model,
        hr10: reference.hr10,
        ndcg10: reference.ndcg10,
        ours: false,
      })),
  ];
  const left = 60;
  const top = 60;
  const plotHeight = 260;
  const group = 64;
  const width = left + bars.length * group + 40;
  const height = top + plotHeight + 110;
  const max = Math.max(0.08, ...bars.map((bar) => bar.hr10)) * 1.1;
  const y = (value: number) => top + plotHeight - (value / max) * plotHeight;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="24" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${left}" y="44" fill="#555">HR@10 (dark) and NDCG@10 (light), full ranking, leave-one-out; colour: measured here, grey: published</text>`,
  ];
  for (let tick = 0; tick <= max; tick += 0.02) {
    parts.push(`<line x1="${left}" x2="${width - 20}" y1="${y(tick)}" y2="${y(tick)}" stroke="#eee"/>`);
    parts.push(`<text x="${left - 6}" y="${y(tick) + 4}" text-anchor="end" fill="#555">${tick.toFixed(2)}</text>`);
  }
  bars.forEach((bar, index) => {
    const x = left + 8 + index * group;
    const [dark, light] = bar.ours ? ['#2f6db5', '#8fb3e0'] : ['#777', '#bbb'];
    for (const [offset, value, fill] of [
      [0, bar.hr10, dark],
      [24, bar.ndcg10, light],
    ] as const) {
      parts.push(`<rect x="${x + offset}" y="${y(value)}" width="22" height="${y(0) - y(value)}" fill="${fill}"/>`);
      parts.push(`<text x="${x + offset + 11}" y="${y(value) - 3}" text-anchor="middle" font-size="9">${value.toFixed(3)}</text>`);
    }
    parts.push(
      `<text x="${x + 24}" y="${y(0) + 14}" text-anchor="end" font-size="11" transform="rotate(-35 ${x + 24} ${y(0) + 14})">${escapeXml(bar.label)}</text>`,
    );
  });
  parts.push(
    `<text x="${left}" y="${height - 10}" fill="#555" font-size="10">Published: S3-Rec repo and TIGER paper, all 22,363 users; measured: the shared users (about 80%).</text>`,
  );
  parts.push('</svg>');
  return parts.join('\n');
}

/** Every combination of FUSION_GRID's weights. */
function weightGrid(): FusionWeights[] {
  let combos: Partial<FusionWeights>[] = [{}];
  for (const [source, values] of Object.entries(FUSION_GRID) as [keyof FusionWeights, number[]][]) {
    combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [source]: value })));
  }
  return combos as FusionWeights[];
}

async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  const config: TopnConfig = loadConfig('eval:topn', topnSchema, process.env);
  // With the validation item in the history, predicting it would be reading the answer.
  if (config.EVAL_TOPN_TARGET === 'validation' && config.EVAL_TOPN_HISTORY !== 'train')
    throw new Error('EVAL_TOPN_TARGET=validation needs EVAL_TOPN_HISTORY=train');
  // Weights are chosen on the validation item; a grid on the test item would be choosing on test.
  if (config.EVAL_TOPN_FUSION_GRID === '1' && config.EVAL_TOPN_TARGET !== 'validation')
    throw new Error('EVAL_TOPN_FUSION_GRID=1 needs EVAL_TOPN_TARGET=validation');
  const sequenceModel = config.EVAL_TOPN_SEQUENCE_MODEL ? await loadSequenceModel(config.EVAL_TOPN_SEQUENCE_MODEL) : null;
  // A refit model learnt every validation item as a target: predicting that item would be reading
  // the answer, and a history without it is not what that model was trained to follow.
  if (sequenceModel?.card.refit && config.EVAL_TOPN_HISTORY !== 'train+valid')
    throw new Error(
      `${config.EVAL_TOPN_SEQUENCE_MODEL} was refit on ${sequenceModel.card.refit.trainedOn} (sequence_model.py --refit): measure it with EVAL_TOPN_HISTORY=train+valid on the test item, or use its selection/ model`,
    );
  const grid = config.EVAL_TOPN_FUSION_GRID === '1' ? weightGrid() : [];
  const gridSums = grid.map(() => ({ hr10: 0, ndcg10: 0 }));
  const dataset = DATASETS[config.EVAL_TOPN_DATASET];
  const sequences = dataset.sequences(config.SERENDIP_DATA_DIR);
  const titles = dataset.titles(config.SERENDIP_DATA_DIR);
  // The 20-candidate protocol ranks each listed user's target against fixed candidates given the
  // whole history before it, so it is measured only where the history includes the validation item.
  const candidateLists =
    dataset.candidates && config.EVAL_TOPN_TARGET === 'test' && config.EVAL_TOPN_HISTORY === 'train+valid'
      ? dataset.candidates(config.SERENDIP_DATA_DIR)
      : null;
  let maxItem = 0;
  for (const { items } of sequences) for (const item of items) maxItem = Math.max(maxItem, item);
  for (const id of titles.keys()) maxItem = Math.max(maxItem, id);
  // Ids start at 1; slot 0 stays empty and is skipped by every ranking (first = 1).
  const slots = maxItem + 1;
  const catalogue = maxItem;
  const trainings = sequences.map(({ items }) => items.slice(0, -2));
  const interactions = sequences.reduce((sum, { items }) => sum + items.length, 0);
  console.error(`eval:topn: ${sequences.length} users, ${catalogue} items, ${interactions} interactions`);

  // ---- fit the sources on the training items ----------------------------------------------------
  const popularity = new Float32Array(slots);
  const trainUsers = new Float64Array(slots);
  for (const training of trainings) {
    for (const item of training) popularity[item]!++;
    for (const item of new Set(training)) trainUsers[item]!++;
  }
  const fitStarted = process.hrtime.bigint();
  const neighbours = itemNeighbours(trainings, slots, NEIGHBOURS);
  const knnFitSeconds = elapsed(fitStarted);
  console.error(`item-kNN: top-${NEIGHBOURS} neighbours of ${catalogue} items in ${knnFitSeconds.toFixed(1)} s`);
  const graphStarted = process.hrtime.bigint();
  const served = servedCooccurrence(trainings, slots, COOCCURRENCE_WINDOW, PER_COOCCURRENCE_SEED);
  const transitions = servedTransitions(trainings, slots, TRANSITION_WINDOW, TRANSITION_GAP_DECAY, PER_TRANSITION_SEED);
  const graphSeconds = elapsed(graphStarted);
  console.error(`co-occurrence and transitions counted in ${graphSeconds.toFixed(1)} s`);

  const embedder = await createEmbedder(config);
  const dimension = embedder.dimension;
  const vectors = new Float32Array(slots * dimension);
  const embedStarted = process.hrtime.bigint();
  try {
    const ids = [...titles].filter(([, title]) => title.trim() !== '').map(([id]) => id);
    const chunk = 1000;
    for (let start = 0; start < ids.length; start += chunk) {
      const batch = ids.slice(start, start + chunk);
      const embedded = await embedder.embed(batch.map((id) => titles.get(id)!));
      batch.forEach((id, index) => vectors.set(embedded[index]!, id * dimension));
      console.error(
        `embedded ${Math.min(start + chunk, ids.length)}/${ids.length} titles  ${((start + batch.length) / elapsed(embedStarted)).toFixed(0)} titles/s`,
      );
    }
  } finally {
    await embedder.dispose();
  }
  const embedSeconds = elapsed(embedStarted);
  const embedded = [...titles.values()].filter((title) => title.trim() !== '').length;
  if (config.EVAL_TOPN_TITLE_VECTORS) {
    fs.writeFileSync(config.EVAL_TOPN_TITLE_VECTORS, Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength));
    console.error(`eval:topn: wrote ${slots} × ${dimension} title vectors to ${config.EVAL_TOPN_TITLE_VECTORS} (${embedder.model} ${embedder.version})`);
    console.log(
      JSON.stringify({
        titleVectors: config.EVAL_TOPN_TITLE_VECTORS,
        rows: slots,
        dimension,
        titles: embedded,
        embedder: `${embedder.model} ${embedder.version}`,
      }),
    );
    return;
  }
  const vectorOf = (item: number) => vectors.subarray(item * dimension, (item + 1) * dimension);

  // ---- rank ---------------------------------------------------------------------------------------
  const tiebreak = new Float64Array(slots);
  const rng = seededRng(SEED);
  for (let item = 0; item < slots; item++) tiebreak[item] = rng();

  const evaluated =
    config.EVAL_TOPN_USERS > 0 ? sampleWithoutReplacement([...sequences.keys()], config.EVAL_TOPN_USERS, seededRng(SEED)) : [...sequences.keys()];
  const sums = Object.fromEntries(METHODS.map((method) => [method, { hr5: 0, hr10: 0, ndcg5: 0, ndcg10: 0, seconds: 0 }])) as Record<
    Method,
    { hr5: number; hr10: number; ndcg5: number; ndcg10: number; seconds: number }
  >;
  const lists = Object.fromEntries(METHODS.map((method) => [method, [] as number[][]])) as Record<Method, number[][]>;
  const byHistory = bucketTally(HISTORY_BUCKETS);
  const byTarget = bucketTally(TARGET_BUCKETS);
  const embedderSplit = dataset.embedderSplit;
  const groupUsers = EMBEDDER_GROUPS.map(() => 0);
  // Squares too, for the spread of the held-out means (a tenth of the users).
  const groupSums = Object.fromEntries(METHODS.map((method) => [method, EMBEDDER_GROUPS.map(() => ({ hr10: 0, ndcg10: 0, ndcg10Squares: 0 }))])) as Record<
    Method,
    { hr10: number; ndcg10: number; ndcg10Squares: number }[]
  >;
  let group = 0;
  let candidateUsers = 0;
  const candidateSums = Object.fromEntries(METHODS.map((method) => [method, CANDIDATE_CUTOFFS.map(() => 0)])) as Record<Method, number[]>;
  const fusedScores = new Float32Array(slots);
  const excluded = new Uint8Array(slots);
  const knnScores = new Float32Array(slots);
  const cooccurrenceScores = new Float32Array(slots);
  const transitionScores = new Float32Array(slots);
  const textScores = new Float32Array(slots);
  const query = new Float32Array(dimension);
  let targetsInHistory = 0;
  const rankStarted = process.hrtime.bigint();

  const methods = sequenceModel ? [...METHODS] : METHODS.filter((method) => !SEQUENCE_METHODS.includes(method));
  const historyOf = (items: readonly number[]) => (config.EVAL_TOPN_HISTORY === 'train' ? items.slice(0, -2) : items.slice(0, -1));
  const queryStarted = process.hrtime.bigint();
  const queries = sequenceModel ? await sequenceModel.queries(evaluated.map((index) => historyOf(sequences[index]!.items))) : null;
  const querySeconds = elapsed(queryStarted);
  if (sequenceModel) console.error(`sequence model: ${evaluated.length} queries in ${querySeconds.toFixed(1)} s`);
  const sequenceScores = new Float32Array(slots);
  const sequenceGridSums = SEQUENCE_GRID.map(() => ({ hr10: 0, ndcg10: 0 }));
  const sequenceCandidateSums = config.EVAL_TOPN_SEQUENCE_CANDIDATES.map(() => ({ hr10: 0, ndcg10: 0, overlap10: 0 }));

  const record = (method: Method, rank: number | null, list: number[], since: bigint) => {
    const sum = sums[method];
    sum.hr5 += hitRate(rank, 5);
    sum.hr10 += hitRate(rank, 10);
    sum.ndcg5 += ndcg(rank, 5);
    sum.ndcg10 += ndcg(rank, 10);
    sum.seconds += elapsed(since);
    lists[method].push(list);
    byHistory.add(method, rank);
    byTarget.add(method, rank);
    if (embedderSplit) {
      const groupSum = groupSums[method][group]!;
      groupSum.hr10 += hitRate(rank, 10);
      groupSum.ndcg10 += ndcg(rank, 10);
      groupSum.ndcg10Squares += ndcg(rank, 10) ** 2;
    }
  };
  const candidates = (scores: Float32Array, positiveOnly: boolean, count = FUSION_CANDIDATES): SourceScore[] =>
    topK(scores, count, excluded, tiebreak, 1)
      .filter((item) => !positiveOnly || scores[item]! > 0)
      .map((item) => ({ id: String(item), score: scores[item]! }));

  evaluated.forEach((index, done) => {
    const { items } = sequences[index]!;
    const target = config.EVAL_TOPN_TARGET === 'test' ? items.at(-1)! : items.at(-2)!;
    const history = historyOf(items);
    for (const item of history) excluded[item] = 1;
    if (excluded[target]) targetsInHistory++;
    byHistory.enter(history.length);
    byTarget.enter(popularity[target]!);
    if (embedderSplit) {
      // The key the Python split rule hashed: the user id as Beauty.txt writes it.
      group = isEvalRow(embedderSplit, String(sequences[index]!.user)) ? 0 : 1;
      groupUsers[group]!++;
    }

    let since = process.hrtime.bigint();
    record('popularity', rankOf(popularity, target, excluded, tiebreak, 1), topK(popularity, LIST, excluded, tiebreak, 1), since);

    since = process.hrtime.bigint();
    knnScores.fill(0);
    history.forEach((item, position) => {
      const weight = RECENCY_DECAY ** (history.length - 1 - position);
      const ids = neighbours.ids[item]!;
      const sims = neighbours.sims[item]!;
      for (let n = 0; n < ids.length; n++) knnScores[ids[n]!]! += weight * sims[n]!;
    });
    record('item-kNN', rankOf(knnScores, target, excluded, tiebreak, 1), topK(knnScores, LIST, excluded, tiebreak, 1), since);

    const seeds = recentSeeds(history, COOCCURRENCE_SEEDS);
    since = process.hrtime.bigint();
    cooccurrenceScores.fill(0);
    scoreServed(served, seeds, cooccurrenceScores);
    record('co-occurrence', rankOf(cooccurrenceScores, target, excluded, tiebreak, 1), topK(cooccurrenceScores, LIST, excluded, tiebreak, 1), since);

    since = process.hrtime.bigint();
    transitionScores.fill(0);
    scoreTransitions(transitions, recentSeeds(history, TRANSITION_SEEDS), { recency: TRANSITION_RECENCY, smoothing: TRANSITION_SMOOTHING }, transitionScores);
    record('transitions', rankOf(transitionScores, target, excluded, tiebreak, 1), topK(transitionScores, LIST, excluded, tiebreak, 1), since);

    since = process.hrtime.bigint();
    query.fill(0);
    for (const item of history.slice(-TEXT_HISTORY)) {
      const vector = vectorOf(item);
      for (let d = 0; d < dimension; d++) query[d]! += vector[d]!;
    }
    // The mean's length scales every score alike, so the dot product ranks as the cosine does.
    for (let item = 1; item < slots; item++) {
      let dot = 0;
      const offset = item * dimension;
      for (let d = 0; d < dimension; d++) dot += vectors[offset + d]! * query[d]!;
      textScores[item] = dot;
    }
    record('text', rankOf(textScores, target, excluded, tiebreak, 1), topK(textScores, LIST, excluded, tiebreak, 1), since);

    if (sequenceModel && queries) {
      since = process.hrtime.bigint();
      scoreSequence(sequenceModel, queries.subarray(done * sequenceModel.card.dim, (done + 1) * sequenceModel.card.dim), sequenceScores);
      record('sequence', rankOf(sequenceScores, target, excluded, tiebreak, 1), topK(sequenceScores, LIST, excluded, tiebreak, 1), since);
    }

    const fusionStarted = process.hrtime.bigint();
    const lists = {
      'co-occurrence': candidates(cooccurrenceScores, true),
      transitions: candidates(transitionScores, true),
      interest: candidates(textScores, false),
      trending: candidates(popularity, false),
    };
    const fusedRank = (weights: Readonly<Record<string, number>>) => {
      const fused = fuseScores(lists, weights);
      const position = fused.findIndex((candidate) => candidate.id === String(target));
      return { fused, rank: position < 0 ? null : position, list: fused.slice(0, LIST).map((candidate) => Number(candidate.id)) };
    };
    const withTransitions = fusedRank(FUSION_WEIGHTS);
    record('fusion', withTransitions.rank, withTransitions.list, fusionStarted);
    const withoutStarted = process.hrtime.bigint();
    const without = fusedRank({ ...FUSION_WEIGHTS, transitions: 0 });
    record('fusion without transitions', without.rank, without.list, withoutStarted);
    let withSequence: ReturnType<typeof fusedRank> | null = null;
    if (sequenceModel) {
      const sequenceStarted = process.hrtime.bigint();
      const withSource = (weight: number, count = FUSION_CANDIDATES) => {
        const fused = fuseScores({ ...lists, sequence: candidates(sequenceScores, false, count) }, { ...FUSION_WEIGHTS, sequence: weight });
        const position = fused.findIndex((candidate) => candidate.id === String(target));
        return { fused, rank: position < 0 ? null : position, list: fused.slice(0, LIST).map((candidate) => Number(candidate.id)) };
      };
      withSequence = withSource(SEQUENCE_WEIGHT);
      record('fusion + sequence', withSequence.rank, withSequence.list, sequenceStarted);
      const servedTop10 = new Set(withSequence.list);
      config.EVAL_TOPN_SEQUENCE_CANDIDATES.forEach((count, position) => {
        const { rank, list } = withSource(SEQUENCE_WEIGHT, count);
        const sums = sequenceCandidateSums[position]!;
        sums.hr10 += hitRate(rank, 10);
        sums.ndcg10 += ndcg(rank, 10);
        sums.overlap10 += list.filter((item) => servedTop10.has(item)).length / Math.max(1, servedTop10.size);
      });
      if (grid.length > 0) {
        SEQUENCE_GRID.forEach((weight, position) => {
          const { rank } = withSource(weight);
          sequenceGridSums[position]!.hr10 += hitRate(rank, 10);
          sequenceGridSums[position]!.ndcg10 += ndcg(rank, 10);
        });
      }
    }
    const candidates20 = candidateLists?.get(sequences[index]!.user);
    if (candidates20) {
      candidateUsers++;
      const scored = (method: Method, scores: ArrayLike<number>) => {
        const rank = rankAmong(scores, target, candidates20, tiebreak);
        CANDIDATE_CUTOFFS.forEach((cutoff, position) => (candidateSums[method][position]! += ndcg(rank, cutoff)));
      };
      const fromFused = (fused: readonly { id: string; score: number }[]) => {
        fusedScores.fill(0);
        for (const candidate of fused) fusedScores[Number(candidate.id)] = candidate.score;
        return fusedScores;
      };
      scored('popularity', popularity);
      scored('item-kNN', knnScores);
      scored('co-occurrence', cooccurrenceScores);
      scored('transitions', transitionScores);
      scored('text', textScores);
      scored('fusion', fromFused(withTransitions.fused));
      scored('fusion without transitions', fromFused(without.fused));
      if (withSequence) {
        scored('sequence', sequenceScores);
        scored('fusion + sequence', fromFused(withSequence.fused));
      }
    }
    grid.forEach((weights, index) => {
      const { rank } = fusedRank(weights);
      gridSums[index]!.hr10 += hitRate(rank, 10);
      gridSums[index]!.ndcg10 += ndcg(rank, 10);
    });

    for (const item of history) excluded[item] = 0;
    if ((done + 1) % PROGRESS_EVERY === 0 || done + 1 === evaluated.length) {
      console.error(`ranked ${done + 1}/${evaluated.length} users  ${((done + 1) / elapsed(rankStarted)).toFixed(0)} users/s`);
    }
  });
  const rankSeconds = elapsed(rankStarted);

  // ---- report -------------------------------------------------------------------------------------
  const users = evaluated.length;
  const share = (item: number) => (trainUsers[item]! + 1) / (sequences.length + 1);
  const results = Object.fromEntries(
    methods.map((method) => {
      const sum = sums[method];
      const methodLists = lists[method];
      const diversity = methodLists.reduce((total, list) => total + intraListDiversity(list, vectorOf), 0) / users;
      const counts = exposure(methodLists, slots).subarray(1);
      const result: MethodResult = {
        hr: { 5: sum.hr5 / users, 10: sum.hr10 / users },
        ndcg: { 5: sum.ndcg5 / users, 10: sum.ndcg10 / users },
        coverage: catalogueCoverage(methodLists, catalogue),
        gini: gini(counts),
        diversity,
        novelty: novelty(methodLists, share),
        seconds: sum.seconds,
      };
      return [method, result];
    }),
  ) as Partial<Record<Method, MethodResult>>;

  const sequenceCandidates = config.EVAL_TOPN_SEQUENCE_CANDIDATES.map((k, index) => {
    const sums = sequenceCandidateSums[index]!;
    return { k, hr10: sums.hr10 / users, ndcg10: sums.ndcg10 / users, top10Shared: sums.overlap10 / users };
  });
  // Both groups need users: a small EVAL_TOPN_USERS sample may hold no held-out user.
  const embedderReport =
    embedderSplit && groupUsers.every((count) => count > 0)
      ? Object.fromEntries(
          methods.map((method) => {
            const [heldOut, tunedOn] = EMBEDDER_GROUPS.map((_, index) => {
              const sum = groupSums[method][index]!;
              const hr10 = meanInterval(sum.hr10, sum.hr10, groupUsers[index]!);
              const ndcg10 = meanInterval(sum.ndcg10, sum.ndcg10Squares, groupUsers[index]!);
              return { hr10: hr10.mean, hr10HalfWidth: hr10.halfWidth, ndcg10: ndcg10.mean, ndcg10HalfWidth: ndcg10.halfWidth };
            });
            return [method, { heldOut: heldOut!, tunedOn: tunedOn! }];
          }),
        )
      : null;

  const historyNote =
    config.EVAL_TOPN_TARGET === 'validation'
      ? 'target = the VALIDATION item, history = training items (for choosing settings; the published numbers are on the test item)'
      : config.EVAL_TOPN_HISTORY === 'train'
        ? 'history = training items (validation item unused)'
        : 'history = training + validation item';
  console.log(`\n== Top-N on ${dataset.name}, full ranking over all ${catalogue} items minus the user's history, leave-one-out`);
  console.log(
    `   ${users} of ${sequences.length} users${config.EVAL_TOPN_USERS > 0 ? ` (seeded sample, EVAL_TOPN_USERS=${config.EVAL_TOPN_USERS})` : ''}; ${historyNote};`,
  );
  console.log(`   ${targetsInHistory} target items are already in their user's history and so always miss\n`);
  const f = (value: number) => value.toFixed(4);
  printColumns(
    ['method', 'HR@5', 'NDCG@5', 'HR@10', 'NDCG@10', 'coverage@10', 'Gini@10', 'ILD@10', 'novelty@10', 'rank s'],
    methods.map((method) => {
      const r = results[method]!;
      return [
        method,
        f(r.hr[5]),
        f(r.ndcg[5]),
        f(r.hr[10]),
        f(r.ndcg[10]),
        f(r.coverage),
        f(r.gini),
        f(r.diversity),
        r.novelty.toFixed(2),
        r.seconds.toFixed(1),
      ];
    }),
  );
  console.log(`\n  item-kNN: top-${NEIGHBOURS} cosine neighbours, recency decay ${RECENCY_DECAY}; text: mean of the last ${TEXT_HISTORY} history titles;`);
  console.log(`  co-occurrence: as served (window ${COOCCURRENCE_WINDOW}, ${COOCCURRENCE_SEEDS} seeds, ${PER_COOCCURRENCE_SEED} partners each, best weight);`);
  console.log(
    `  transitions: as served (window ${TRANSITION_WINDOW}, step decay ${TRANSITION_GAP_DECAY}, ${TRANSITION_SEEDS} seeds, ${PER_TRANSITION_SEED} followers each, seed recency ${TRANSITION_RECENCY}, smoothing ${TRANSITION_SMOOTHING});`,
  );
  console.log(
    `  fusion: fuseScores min-max over each source's top ${FUSION_CANDIDATES}, weights ${JSON.stringify(FUSION_WEIGHTS)} (the slate engine's); fusion without transitions: the same with transitions weighing 0.`,
  );
  if (sequenceModel) {
    const card = sequenceModel.card;
    console.log(
      `  sequence: ${config.EVAL_TOPN_SEQUENCE_MODEL} (${card.layers} layers, ${card.dim} dimensions, last ${card.maxLen} items; ${card.parameters} parameters, ${(sequenceModel.bytes / 2 ** 20).toFixed(1)} MiB; trained ${(card.trainingSeconds / 60).toFixed(1)} min, best epoch ${card.bestEpoch} on the validation item${card.refit ? `, then refit from scratch for ${card.refit.epochs} epochs on ${card.refit.trainedOn}` : ''}); queries in ${querySeconds.toFixed(1)} s;`,
    );
    console.log(
      `  fusion + sequence: the fusion with the sequence model's top ${FUSION_CANDIDATES} as one more source, weight ${SEQUENCE_WEIGHT}, as the slate engine serves it.`,
    );
    if (grid.length > 0) {
      console.log('\nsequence weight in fusion + sequence on the validation item (the other weights as served):\n');
      printColumns(
        ['sequence', 'HR@10', 'NDCG@10'],
        SEQUENCE_GRID.map((weight, index) => [String(weight), f(sequenceGridSums[index]!.hr10 / users), f(sequenceGridSums[index]!.ndcg10 / users)]),
      );
    }
    if (sequenceCandidates.length > 0) {
      console.log(`\nsequence candidates in fusion + sequence (the model's top k; ${FUSION_CANDIDATES} as above), weight ${SEQUENCE_WEIGHT}:\n`);
      printColumns(
        ['k', 'HR@10', 'NDCG@10', `top-10 shared with k = ${FUSION_CANDIDATES}`],
        [
          [String(FUSION_CANDIDATES), f(results['fusion + sequence']!.hr[10]), f(results['fusion + sequence']!.ndcg[10]), '1.0000'],
          ...sequenceCandidates.map((row) => [String(row.k), f(row.hr10), f(row.ndcg10), f(row.top10Shared)]),
        ],
      );
    }
  }
  if (embedderReport) {
    console.log(
      `\n== The embedder's held-out users: ${groupUsers[0]} of the ${users} users above. The embedder was fine-tuned on title pairs from the WHOLE sequences (validation and test items included) of`,
    );
    console.log(
      `   the other ${groupUsers[1]} ("tuned on"); the held-out ones are the split rule's evaluation users, bucket("split/${embedderSplit}/<user>") < 10 (models/training/common.py).`,
    );
    console.log(
      '   Rows marked * read the embedder and may be inflated on the tuned-on users: for them the held-out column is the honest figure. The unmarked rows show how much',
    );
    console.log('   the two groups differ without it. HR@10 / NDCG@10, ± the half-width of a 95% interval on the held-out users:\n');
    printColumns(
      ['method', `all ${users} users`, `held out (${groupUsers[0]})`, `tuned on (${groupUsers[1]})`, 'NDCG@10 tuned on ÷ held out'],
      methods.map((method) => {
        const { heldOut, tunedOn } = embedderReport[method]!;
        return [
          `${method}${EMBEDDER_METHODS.includes(method) ? ' *' : ''}`,
          `${f(results[method]!.hr[10])} / ${f(results[method]!.ndcg[10])}`,
          `${f(heldOut.hr10)} ± ${f(heldOut.hr10HalfWidth)} / ${f(heldOut.ndcg10)} ± ${f(heldOut.ndcg10HalfWidth)}`,
          `${f(tunedOn.hr10)} / ${f(tunedOn.ndcg10)}`,
          heldOut.ndcg10 > 0 ? (tunedOn.ndcg10 / heldOut.ndcg10).toFixed(2) : '-',
        ];
      }),
    );
  } else if (embedderSplit) {
    console.log(`\n(no held-out section: the ${users} users sampled are not in both of the embedder's groups)`);
  }
  if (grid.length > 0) {
    console.log(`\nfusion weights on the validation item (EVAL_TOPN_FUSION_GRID=1), best NDCG@10 first:\n`);
    const ranked = grid.map((weights, index) => ({ weights, hr10: gridSums[index]!.hr10 / users, ndcg10: gridSums[index]!.ndcg10 / users }));
    ranked.sort((a, b) => b.ndcg10 - a.ndcg10 || b.hr10 - a.hr10);
    printColumns(
      ['co-occurrence', 'transitions', 'interest', 'trending', 'HR@10', 'NDCG@10'],
      ranked.map(({ weights, hr10, ndcg10 }) => [
        String(weights['co-occurrence']),
        String(weights.transitions),
        String(weights.interest),
        String(weights.trending),
        f(hr10),
        f(ndcg10),
      ]),
    );
  }
  console.log(`\nHR@10 / NDCG@10 by history length (items in the history the method reads):\n`);
  byHistory.print(methods);
  console.log(`\nHR@10 / NDCG@10 by how often the target item was bought in the training items:\n`);
  byTarget.print(methods);
  if (candidateLists) {
    console.log(
      `\n20-candidate protocol (LLMRank): ${candidateUsers} of its 200 users are in the data folder; the target against the first 19 of their fixed candidates, history = every earlier item; NDCG@K × 100:\n`,
    );
    printColumns(
      ['method', 'setting', ...CANDIDATE_CUTOFFS.map((cutoff) => `N@${cutoff}`)],
      [
        ...methods.map((method) => [
          method,
          'measured here',
          ...candidateSums[method].map((sum) => (candidateUsers === 0 ? '-' : ((100 * sum) / candidateUsers).toFixed(2))),
        ]),
        ...LLMRANK_REFERENCES.map((reference) => [
          reference.model,
          `published, ${reference.setting}`,
          ...[reference.n1, reference.n5, reference.n10, reference.n20].map((value) => value.toFixed(2)),
        ]),
      ],
    );
    console.log('  a random order of the 20 candidates gives 5.00 / 14.74 / 22.72 / 35.20 in expectation; published rows are over all 200 users.');
  } else if (dataset.candidates) {
    console.log('\n(the 20-candidate protocol is measured with EVAL_TOPN_HISTORY=train+valid on the test item)');
  }
  console.log(`\npublished (${dataset.referenceNote}):\n`);
  printColumns(
    ['model', 'HR@5', 'NDCG@5', 'HR@10', 'NDCG@10', 'comparable', 'note'],
    dataset.references.map((reference) => [
      reference.model,
      f(reference.hr5),
      f(reference.ndcg5),
      f(reference.hr10),
      f(reference.ndcg10),
      reference.comparable ? 'yes' : 'no',
      reference.note,
    ]),
  );

  fs.mkdirSync(path.dirname(dataset.chart), { recursive: true });
  fs.writeFileSync(dataset.chart, chartSvg(results, methods, dataset.references, `Top-N on ${dataset.name} (${users} users), full ranking`));
  console.log(`\nchart: ${path.relative(process.cwd(), dataset.chart)}`);
  const totalSeconds = elapsed(started);
  console.log(
    `embedded ${embedded} titles in ${embedSeconds.toFixed(1)} s; ranked ${users} users in ${rankSeconds.toFixed(1)} s; total ${totalSeconds.toFixed(1)} s (${os.cpus().length} CPUs)`,
  );
  console.log(
    JSON.stringify({
      protocol: {
        dataset: dataset.folders[0],
        split: 'leave-one-out',
        ranking: 'full',
        target: config.EVAL_TOPN_TARGET,
        history: config.EVAL_TOPN_HISTORY,
        users,
        usersInFile: sequences.length,
        items: catalogue,
        targetsInHistory,
      },
      embedder: { model: `${embedder.model} ${embedder.version}`, dtype: config.INFERENCE_DTYPE, titles: embedded, seconds: round(embedSeconds) },
      settings: {
        neighbours: NEIGHBOURS,
        recencyDecay: RECENCY_DECAY,
        textHistory: TEXT_HISTORY,
        cooccurrence: { window: COOCCURRENCE_WINDOW, seeds: COOCCURRENCE_SEEDS, perSeed: PER_COOCCURRENCE_SEED },
        transitions: {
          window: TRANSITION_WINDOW,
          gapDecay: TRANSITION_GAP_DECAY,
          seeds: TRANSITION_SEEDS,
          perSeed: PER_TRANSITION_SEED,
          recency: TRANSITION_RECENCY,
          smoothing: TRANSITION_SMOOTHING,
        },
        fusionCandidates: FUSION_CANDIDATES,
        fusionWeights: FUSION_WEIGHTS,
        ...(sequenceModel && {
          sequence: {
            model: config.EVAL_TOPN_SEQUENCE_MODEL,
            weight: SEQUENCE_WEIGHT,
            parameters: sequenceModel.card.parameters,
            bytes: sequenceModel.bytes,
            trainingSeconds: sequenceModel.card.trainingSeconds,
            bestEpoch: sequenceModel.card.bestEpoch,
            validation: sequenceModel.card.validation,
            refit: sequenceModel.card.refit ? { trainedOn: sequenceModel.card.refit.trainedOn, epochs: sequenceModel.card.refit.epochs } : null,
            querySeconds: round(querySeconds),
            candidates: sequenceCandidates.map((row) => ({ k: row.k, hr10: round(row.hr10), ndcg10: round(row.ndcg10), top10Shared: round(row.top10Shared) })),
          },
        }),
      },
      methods: Object.fromEntries(
        methods.map((method) => {
          const r = results[method]!;
          return [
            method,
            {
              hr5: round(r.hr[5]),
              ndcg5: round(r.ndcg[5]),
              hr10: round(r.hr[10]),
              ndcg10: round(r.ndcg[10]),
              coverage: round(r.coverage),
              gini: round(r.gini),
              ild: round(r.diversity),
              novelty: round(r.novelty),
            },
          ];
        }),
      ),
      ...(embedderReport && {
        embedderHeldOut: {
          split: `bucket("split/${embedderSplit}/<user>") < 10: held out of the embedder's fine-tuning`,
          users: { heldOut: groupUsers[0], tunedOn: groupUsers[1] },
          methods: Object.fromEntries(
            methods.map((method) => {
              const { heldOut, tunedOn } = embedderReport[method]!;
              return [
                method,
                {
                  readsEmbedder: EMBEDDER_METHODS.includes(method),
                  all: { hr10: round(results[method]!.hr[10]), ndcg10: round(results[method]!.ndcg[10]) },
                  heldOut: Object.fromEntries(Object.entries(heldOut).map(([key, value]) => [key, round(value)])),
                  tunedOn: { hr10: round(tunedOn.hr10), ndcg10: round(tunedOn.ndcg10) },
                },
              ];
            }),
          ),
        },
      }),
      byHistoryLength: byHistory.json(methods),
      byTargetTrainingCount: byTarget.json(methods),
      ...(candidateLists && {
        candidates20: {
          users: candidateUsers,
          methods: Object.fromEntries(
            methods.map((method) => [
              method,
              Object.fromEntries(
                CANDIDATE_CUTOFFS.map((cutoff, position) => [`n${cutoff}`, round((100 * candidateSums[method][position]!) / Math.max(1, candidateUsers))]),
              ),
            ]),
          ),
        },
      }),
      published: Object.fromEntries(
        dataset.references.map((reference) => [reference.model, { hr10: reference.hr10, ndcg10: reference.ndcg10, comparable: reference.comparable }]),
      ),
      seconds: {
        knnFit: round(knnFitSeconds),
        graphFit: round(graphSeconds),
        embed: round(embedSeconds),
        rank: round(rankSeconds),
        total: round(totalSeconds),
      },
    }),
  );
}

main().catch((error: unknown) => {
  console.error(`eval:topn: ${error instanceof Error ? error.message : String(error)}`);
  if ((error as { code?: string }).code === 'ENOENT')
    console.error(
      'eval:topn: set SERENDIP_DATA_DIR to the folder that holds the data set (amazon_beauty_s3rec/ and amazon_beauty_item_titles/, or amazon_games_llmrank/)',
    );
  process.exit(1);
});
