/**
 * pnpm eval:sentiment — accuracy and macro-F1 of the sentiment model (through the same
 * SentimentClassifier the worker uses) on rows it never saw in training: ChnSentiCorp test.tsv,
 * the evaluation split of online_shopping_10_cats and of the English women's clothing reviews
 * (split rule: packages/inference/src/split.ts). Prints a table beside the published numbers,
 * writes bench-results/eval-sentiment.svg and, as its last line, one JSON object.
 *   SERENDIP_DATA_DIR   data folder (default <repo>/../shared/data)
 *   EVAL_DTYPES         dtypes to compare (default q8,fp32)
 *   EVAL_LIMIT          rows per set, for a quick look (default: all)
 * plus the inference settings (docs/inference.md).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, z } from '@serendip/config';
import { createSentimentClassifier, inferenceEnv } from '../packages/inference/src';
import { dataDirEnv, escapeXml, percent, round } from './eval/report';
import { evalSets, printTable, scoreSets, type DtypeResult, type EvalSet } from './eval/sentiment-sets';

const evalSchema = z.object({
  ...inferenceEnv,
  ...dataDirEnv,
  EVAL_DTYPES: z
    .string()
    .default('q8,fp32')
    .transform((value) => value.split(',').map((dtype) => dtype.trim()))
    .pipe(z.array(z.enum(['q8', 'fp32'])).min(1)),
  EVAL_LIMIT: z.coerce.number().int().positive().optional(),
});

/** Grouped bars per set: each dtype's headline figure, the published ones in grey, the majority baseline dashed. */
function barChartSvg(sets: EvalSet[], results: DtypeResult[], title: string): string {
  const palette = ['#2f6db5', '#e08a1e', '#4a9b5f', '#9c4fb3'];
  const charted = (set: EvalSet) => set.references.filter((reference) => reference.chart !== false);
  const groupWidth = 40 + 36 * (results.length + Math.max(...sets.map((set) => charted(set).length)));
  const left = 60;
  const top = 60;
  const plotHeight = 320;
  const gap = 60;
  const width = left + sets.length * (groupWidth + gap) + 20;
  const height = top + plotHeight + 140;
  const y = (value: number) => top + plotHeight * (1 - value);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="24" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${left}" y="44" fill="#555">accuracy (Chinese sets) or macro-F1 (English) in %; grey: published; dashed: majority class</text>`,
  ];
  for (let tick = 0; tick <= 10; tick += 2) {
    const value = tick / 10;
    parts.push(`<line x1="${left}" x2="${width - 20}" y1="${y(value)}" y2="${y(value)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${left - 8}" y="${y(value) + 4}" text-anchor="end">${tick * 10}</text>`);
  }
  sets.forEach((set, index) => {
    const x0 = left + 20 + index * (groupWidth + gap);
    const bars = [
      ...results.map((result, position) => ({ label: result.dtype, value: result.sets[set.id]![set.headline], fill: palette[position % palette.length]! })),
      ...charted(set).map((reference) => ({
        label: reference.name.replace(' (informal)', '') + (reference.comparable ? '' : '*'),
        value: reference.value,
        fill: '#b5b5b5',
      })),
    ];
    bars.forEach((bar, position) => {
      const x = x0 + position * 36;
      parts.push(`<rect x="${x}" y="${y(bar.value)}" width="30" height="${plotHeight * bar.value}" fill="${bar.fill}"/>`);
      parts.push(`<text x="${x + 15}" y="${y(bar.value) - 4}" text-anchor="middle" font-size="10">${percent(bar.value)}</text>`);
      parts.push(
        `<text x="${x + 15}" y="${top + plotHeight + 14}" text-anchor="end" font-size="10" transform="rotate(-35 ${x + 15} ${top + plotHeight + 14})">${escapeXml(bar.label)}</text>`,
      );
    });
    const majority = results[0]!.sets[set.id]!.majorityAccuracy;
    if (set.headline === 'accuracy') {
      parts.push(`<line x1="${x0 - 4}" x2="${x0 + bars.length * 36}" y1="${y(majority)}" y2="${y(majority)}" stroke="#c0392b" stroke-dasharray="4 3"/>`);
    }
    parts.push(`<text x="${x0}" y="${top + plotHeight + 98}" font-weight="bold">${escapeXml(set.short)}</text>`);
    parts.push(
      `<text x="${x0}" y="${top + plotHeight + 114}" fill="#555">n = ${results[0]!.sets[set.id]!.n}, ${set.headline === 'accuracy' ? 'accuracy' : 'macro-F1'}</text>`,
    );
  });
  parts.push(
    `<text x="${left}" y="${height - 6}" fill="#555" font-size="10">* different protocol or labels, not directly comparable (see the data set's SOURCE.md)</text>`,
  );
  parts.push('</svg>');
  return parts.join('\n');
}

async function main(): Promise<void> {
  const config = loadConfig('eval:sentiment', evalSchema, process.env);
  const sets = evalSets(config.SERENDIP_DATA_DIR, config.EVAL_LIMIT);
  console.error(`eval:sentiment: ${sets.map((set) => `${set.id} ${set.rows.length}`).join(', ')} rows; ${config.INFERENCE_THREADS} threads`);

  const results: DtypeResult[] = [];
  let model = '';
  let version = '';
  for (const dtype of config.EVAL_DTYPES) {
    const loadStarted = process.hrtime.bigint();
    const classifier = await createSentimentClassifier({ ...config, INFERENCE_DTYPE: dtype });
    const loadSeconds = Number(process.hrtime.bigint() - loadStarted) / 1e9;
    ({ model, version } = classifier);
    try {
      const { sets: metrics, texts, seconds } = await scoreSets(classifier, sets, dtype);
      results.push({ dtype, textsPerSecond: texts / seconds, loadSeconds, sets: metrics });
    } finally {
      await classifier.dispose();
    }
  }

  console.log(`\nsentiment model ${model} ${version} (${os.cpus()[0]?.model ?? 'cpu'}, ${config.INFERENCE_THREADS} threads)\n`);
  printTable(sets, results);
  const chartPath = path.resolve(__dirname, '../bench-results/eval-sentiment.svg');
  fs.mkdirSync(path.dirname(chartPath), { recursive: true });
  fs.writeFileSync(chartPath, barChartSvg(sets, results, `Sentiment: ${model} ${version}`));
  console.log(`\nchart: ${path.relative(process.cwd(), chartPath)}`);
  console.log(
    JSON.stringify({
      model,
      version,
      threads: config.INFERENCE_THREADS,
      results: results.map((result) => ({
        dtype: result.dtype,
        textsPerSecond: Number(result.textsPerSecond.toFixed(1)),
        loadSeconds: Number(result.loadSeconds.toFixed(2)),
        sets: Object.fromEntries(
          sets.map((set) => {
            const metrics = result.sets[set.id]!;
            return [
              set.id,
              {
                n: metrics.n,
                accuracy: round(metrics.accuracy),
                macroF1: round(metrics.macroF1),
                [`${set.headline}Interval95`]: [round(metrics.headlineInterval.low), round(metrics.headlineInterval.high)],
                majority: round(metrics.majorityAccuracy),
                neutralRate: round(metrics.neutralRate),
                // Each class on its own, so the rare neutral class is not hidden inside a mean.
                perClassF1: Object.fromEntries(set.classes.map((label) => [label, round(metrics.perClass[label]!.f1)])),
              },
            ];
          }),
        ),
      })),
      references: Object.fromEntries(
        sets
          .filter((set) => set.references.length > 0)
          .map((set) => [set.id, set.references.map(({ name, metric, value, comparable }) => ({ name, metric, value, comparable }))]),
      ),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
