/**
 * The sentiment evaluation sets (ChnSentiCorp test.tsv, the evaluation split of
 * online_shopping_10_cats and of the English women's clothing reviews; split rule:
 * packages/inference/src/split.ts) and how a classifier is scored on them, shared by
 * pnpm eval:sentiment and pnpm eval:feedback.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readCsvRows } from '../../tools/demo-data/src/csv';
import {
  classificationMetrics,
  isEvalRow,
  type ClassificationMetrics,
  type InferenceDtype,
  type SentimentClassifier,
  type SentimentLabel,
  type SentimentResult,
} from '../../packages/inference/src';
import { bootstrapInterval } from './bootstrap';
import { percent, printColumns } from './report';

/** Resamples of a set's rows behind each headline figure's 95% interval; seeded, so a run repeats it. */
const INTERVAL_RESAMPLES = 1000;
const INTERVAL_SEED = 17;

interface Row {
  text: string;
  label: SentimentLabel;
}

/** A published figure; `comparable` is false where the protocol differs from ours. */
interface Reference {
  name: string;
  value: number;
  metric: 'accuracy' | 'macroF1' | 'F1';
  comparable: boolean;
  source: string;
  /** Drawn in the chart beside ours; the others are printed, a bar each would crowd it. @default true */
  chart?: boolean;
}

/** Every other test-set figure ChnSentiCorp's SOURCE.md lists, so that none is left out of the comparison. */
function chnSentiCorpListed(): Reference[] {
  const listed = (source: string, figures: [string, number][]): Reference[] =>
    figures.map(([name, value]) => ({ name, value: value / 100, metric: 'accuracy', comparable: true, source, chart: false }));
  return [
    ...listed('Chinese-BERT-wwm README, best of 10 seeds, full 1,200-row test', [
      ['ERNIE', 95.4],
      ['BERT-wwm', 95.4],
      ['BERT-wwm-ext', 95.3],
      ['RoBERTa-wwm-ext', 95.6],
      ['RoBERTa-wwm-ext-large', 95.8],
    ]),
    ...listed('ChineseBERT (Sun et al., ACL 2021) README, full test', [
      ['ERNIE (ChineseBERT table)', 95.5],
      ['BERT (ChineseBERT table)', 95.4],
      ['BERT-wwm (ChineseBERT table)', 95.3],
      ['RoBERTa (ChineseBERT table)', 95.6],
      ['MacBERT', 95.6],
      ['ChineseBERT', 95.7],
      ['RoBERTa-large (ChineseBERT table)', 95.8],
      ['MacBERT-large', 95.9],
      ['ChineseBERT-large', 95.9],
    ]),
    ...listed('Baidu Senta README, trained from scratch, full test', [
      ['Senta CNN', 89.9],
      ['Senta LSTM', 91.0],
      ['Senta GRU', 89.8],
      ['Senta BI-LSTM', 88.3],
      ['Senta ERNIE', 95.6],
      ['Senta ERNIE+BI-LSTM', 95.2],
    ]),
    ...listed("Baidu Senta README, fine-tuned from Baidu's large-corpus Senta models, full test", [
      ['Senta BOW (pretrained)', 90.6],
      ['Senta CNN (pretrained)', 91.8],
      ['Senta LSTM (pretrained)', 92.2],
      ['Senta GRU (pretrained)', 93.2],
      ['Senta BI-LSTM (pretrained)', 91.4],
      ['Senta ERNIE (pretrained)', 95.5],
      ['Senta ERNIE+BI-LSTM (pretrained)', 95.6],
    ]),
  ];
}

export interface EvalSet {
  id: string;
  title: string;
  /** Fits under a group of bars in the chart. */
  short: string;
  /** Binary sets are scored on positive-vs-negative probability; a neutral answer is not a third option. */
  classes: readonly SentimentLabel[];
  /** The figure the published numbers report, drawn in the chart. */
  headline: 'accuracy' | 'macroF1';
  rows: Row[];
  references: Reference[];
  /** Reuses another set's predictions (same texts), e.g. the English reviews without 3 stars. */
  derivedFrom?: string;
}

const BINARY = ['negative', 'positive'] as const;
const THREE = ['negative', 'neutral', 'positive'] as const;

function readChnSentiCorp(dataDir: string): Row[] {
  const file = path.join(dataDir, 'chinese_sentiment_chnsenticorp', 'test.tsv');
  const rows: Row[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const text = clean(line.slice(tab + 1).replace(/\r$/, ''));
    if (text) rows.push({ text, label: line.slice(0, tab) === '1' ? 'positive' : 'negative' });
  }
  return rows;
}

function readOnlineShopping(dataDir: string): Row[] {
  const name = 'chinese_sentiment_online_shopping_10_cats';
  const rows: Row[] = [];
  const [header, ...records] = [...readCsvRows(fs.readFileSync(path.join(dataDir, name, 'online_shopping_10_cats.csv'), 'utf8'))];
  const labelAt = header!.indexOf('label');
  const reviewAt = header!.indexOf('review');
  for (const record of records) {
    const raw = record[reviewAt] ?? '';
    const text = clean(raw);
    // The split key is the field as parsed, stray BOM included, as in the training code.
    if (text && isEvalRow(name, raw)) rows.push({ text, label: record[labelAt] === '1' ? 'positive' : 'negative' });
  }
  return rows;
}

function readWomensClothing(dataDir: string): Row[] {
  const name = 'english_reviews_womens_clothing';
  const rows: Row[] = [];
  const [header, ...records] = [...readCsvRows(fs.readFileSync(path.join(dataDir, name, 'womens_clothing_ecommerce_reviews.csv'), 'utf8'))];
  const titleAt = header!.indexOf('Title');
  const bodyAt = header!.indexOf('Review Text');
  const ratingAt = header!.indexOf('Rating');
  for (const record of records) {
    if (!isEvalRow(name, record[0] ?? '')) continue;
    // Title and body joined as in training: many bodies are short and the title carries the verdict.
    const title = collapse(record[titleAt] ?? '');
    const body = collapse(record[bodyAt] ?? '');
    const text = title && body ? `${title}. ${body}` : title || body;
    const rating = Number(record[ratingAt]);
    if (text) rows.push({ text, label: rating <= 2 ? 'negative' : rating === 3 ? 'neutral' : 'positive' });
  }
  return rows;
}

/** Stray BOMs sit inside the shopping CSV's fields (upstream artefact, see its SOURCE.md). */
const clean = (text: string): string => text.replace(/\ufeff/g, '').trim();
const collapse = (text: string): string => text.split(/\s+/).filter(Boolean).join(' ');

export function evalSets(dataDir: string, limit: number | undefined): EvalSet[] {
  const take = (rows: Row[]) => (limit ? rows.slice(0, limit) : rows);
  const english = take(readWomensClothing(dataDir));
  return [
    {
      id: 'chnsenticorp',
      title: 'ChnSentiCorp test',
      short: 'ChnSentiCorp test',
      classes: BINARY,
      headline: 'accuracy',
      rows: take(readChnSentiCorp(dataDir)),
      references: [
        {
          name: 'BERT-base',
          value: 0.95,
          metric: 'accuracy',
          comparable: true,
          source: 'Cui et al. 2019 (Chinese-BERT-wwm README), best of 10 seeds (mean 94.7), full 1,200-row test',
        },
        {
          name: 'BOW',
          value: 0.9,
          metric: 'accuracy',
          comparable: true,
          source: 'Baidu Senta README, bag-of-words trained from scratch, full 1,200-row test',
        },
        ...chnSentiCorpListed(),
      ],
    },
    {
      id: 'online_shopping',
      title: 'online_shopping_10_cats eval split',
      short: 'online_shopping eval',
      classes: BINARY,
      headline: 'accuracy',
      rows: take(readOnlineShopping(dataDir)),
      references: [
        {
          name: 'BERT-base (informal)',
          value: 0.94,
          metric: 'accuracy',
          comparable: false,
          source: 'hobby repositories, random 8:1:1 or 8:2 splits; SOURCE.md: rough guidance only, not citable',
        },
        ...(
          [
            ['word-vector baseline (informal)', 0.9],
            ['RNN (informal)', 0.93],
          ] as const
        ).map(([name, value]): Reference => ({
          name,
          value,
          metric: 'accuracy',
          comparable: false,
          source: 'the same hobby repositories as the BERT-base figure',
          chart: false,
        })),
      ],
    },
    {
      id: 'womens_clothing',
      title: "Women's clothing eval split (3 classes by rating)",
      short: 'clothing, 3 classes',
      classes: THREE,
      headline: 'macroF1',
      rows: english,
      references: [
        {
          name: 'Bi-LSTM',
          value: 0.93,
          metric: 'F1',
          comparable: false,
          source: 'Agarap 2018 (arXiv:1805.03687), labels the author derived from the text, not the rating; split not stated',
        },
      ],
    },
    {
      id: 'womens_clothing_binary',
      title: "Women's clothing eval split, 1-2 vs 4-5 stars",
      short: 'clothing, 1-2 vs 4-5 ★',
      classes: BINARY,
      headline: 'macroF1',
      rows: english.filter((row) => row.label !== 'neutral'),
      references: [],
      derivedFrom: 'womens_clothing',
    },
  ];
}

/** Binary sets ask which of the two sides is more likely; three-class sets take the argmax. */
function decide(result: SentimentResult, classes: readonly SentimentLabel[]): SentimentLabel {
  if (classes.length === 3) return result.label;
  return result.scores.positive >= result.scores.negative ? 'positive' : 'negative';
}

const PROGRESS_CHUNK = 256;

async function classifyAll(classifier: SentimentClassifier, rows: Row[], tag: string): Promise<{ results: SentimentResult[]; seconds: number }> {
  const started = process.hrtime.bigint();
  const results: SentimentResult[] = [];
  for (let start = 0; start < rows.length; start += PROGRESS_CHUNK) {
    results.push(...(await classifier.classify(rows.slice(start, start + PROGRESS_CHUNK).map((row) => row.text))));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.error(`${tag}  ${results.length}/${rows.length}  ${(results.length / seconds).toFixed(1)} texts/s`);
  }
  return { results, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

export interface SetResult extends ClassificationMetrics {
  /** Share of texts whose most likely label is neutral (binary sets score them anyway). */
  neutralRate: number;
  /** The set's headline figure (accuracy or macro-F1): its 95% percentile bootstrap interval over the rows, which says how far another sample of the same size could put it. */
  headlineInterval: { low: number; high: number };
}

export interface DtypeResult {
  dtype: InferenceDtype;
  textsPerSecond: number;
  loadSeconds: number;
  sets: Record<string, SetResult>;
}

export function printTable(sets: EvalSet[], results: DtypeResult[]): void {
  const header = ['set', 'rows', 'dtype', 'accuracy %', 'macro-F1 %', 'headline 95% interval', 'majority %', 'neutral %'];
  const lines: string[][] = [];
  for (const set of sets) {
    for (const result of results) {
      const metrics = result.sets[set.id]!;
      lines.push([
        set.title,
        String(metrics.n),
        result.dtype,
        percent(metrics.accuracy),
        percent(metrics.macroF1),
        `${set.headline === 'accuracy' ? 'accuracy' : 'macro-F1'} ${percent(metrics.headlineInterval.low)}–${percent(metrics.headlineInterval.high)}`,
        percent(metrics.majorityAccuracy),
        percent(metrics.neutralRate),
      ]);
    }
  }
  printColumns(header, lines);
  // The three-class sets' classes one by one: macro-F1 hides how the rare neutral class fares.
  for (const set of sets.filter((candidate) => candidate.classes.length > 2)) {
    console.log(`\n${set.title}, each class (precision / recall / F1 %, rows):`);
    for (const result of results) {
      const perClass = result.sets[set.id]!.perClass;
      const cells = set.classes.map((label) => {
        const { precision, recall, f1, support } = perClass[label]!;
        return `${label} ${percent(precision)} / ${percent(recall)} / ${percent(f1)} (${support})`;
      });
      console.log(`  ${result.dtype}: ${cells.join(';  ')}`);
    }
  }
  console.log("\npublished reference numbers (from each data set's SOURCE.md):");
  for (const set of sets) {
    for (const reference of set.references) {
      const tag = reference.comparable ? '' : ' [different protocol, not comparable]';
      console.log(`  ${set.title}: ${reference.name} ${reference.metric} ${percent(reference.value)}${tag} — ${reference.source}`);
    }
  }
  console.log('\nthroughput:');
  for (const result of results) {
    console.log(`  ${result.dtype}: ${result.textsPerSecond.toFixed(1)} texts/s, model load ${result.loadSeconds.toFixed(1)} s`);
  }
}

/**
 * Metrics of one classifier on every set; a derived set reuses its source's predictions. `texts` and
 * `seconds` count only the texts classified, for throughput.
 */
export async function scoreSets(
  classifier: SentimentClassifier,
  sets: EvalSet[],
  tag: string,
): Promise<{ sets: Record<string, SetResult>; texts: number; seconds: number }> {
  const predictions = new Map<string, SentimentResult[]>();
  let texts = 0;
  let seconds = 0;
  const metrics: Record<string, SetResult> = {};
  for (const set of sets) {
    let setResults: SentimentResult[];
    if (set.derivedFrom) {
      const source = sets.find((candidate) => candidate.id === set.derivedFrom)!;
      const byRow = new Map(source.rows.map((row, index) => [row, predictions.get(source.id)![index]!]));
      setResults = set.rows.map((row) => byRow.get(row)!);
    } else {
      const run = await classifyAll(classifier, set.rows, `${tag}  ${set.id}`);
      setResults = run.results;
      texts += set.rows.length;
      seconds += run.seconds;
    }
    predictions.set(set.id, setResults);
    const predicted = setResults.map((result) => decide(result, set.classes));
    const gold = set.rows.map((row) => row.label);
    const interval = bootstrapInterval(
      set.rows.length,
      (indices) =>
        classificationMetrics(
          indices.map((index) => gold[index]!),
          indices.map((index) => predicted[index]!),
          set.classes,
        )[set.headline],
      { resamples: INTERVAL_RESAMPLES, seed: INTERVAL_SEED },
    );
    metrics[set.id] = {
      ...classificationMetrics(gold, predicted, set.classes),
      neutralRate: setResults.filter((result) => result.label === 'neutral').length / Math.max(setResults.length, 1),
      headlineInterval: { low: interval.low, high: interval.high },
    };
  }
  return { sets: metrics, texts, seconds };
}
