/**
 * Downloads a Hugging Face model with ONNX weights (the Xenova/* and onnx-community/* repos) into
 * MODELS_DIR, checks that Serendip loads it offline, and prints the settings that switch to it.
 * Needs internet access to huggingface.co; everything else in Serendip loads models offline.
 *   pnpm exec tsx scripts/use-hf-model.ts Xenova/multilingual-e5-small
 *   pnpm exec tsx scripts/use-hf-model.ts Xenova/bert-base-multilingual-uncased-sentiment
 *   options: --task embedding|sentiment (default: a *ForSequenceClassification model is sentiment),
 *            --dtypes q8,fp32 (default both)
 */
import { parseArgs } from 'node:util';
import {
  createEmbedder,
  createSentimentClassifier,
  downloadHubModel,
  loadInferenceConfig,
  suggestSentimentLabels,
  type InferenceDtype,
  type ModelTask,
} from '../packages/inference/src';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { task: { type: 'string' }, dtypes: { type: 'string', default: 'q8,fp32' } },
  });
  const id = positionals[0];
  const dtypes = values.dtypes.split(',').map((dtype) => dtype.trim());
  const taskOk = values.task === undefined || values.task === 'embedding' || values.task === 'sentiment';
  if (!id || !taskOk || dtypes.some((dtype) => dtype !== 'q8' && dtype !== 'fp32')) {
    console.error('usage: tsx scripts/use-hf-model.ts <hugging face model id> [--task embedding|sentiment] [--dtypes q8,fp32]');
    process.exit(2);
  }
  const { MODELS_DIR } = loadInferenceConfig();

  console.error(`downloading ${id} into ${MODELS_DIR}/${id} …`);
  const { task, config } = await downloadHubModel(id, MODELS_DIR, {
    task: values.task as ModelTask | undefined,
    dtypes: dtypes as InferenceDtype[],
    onFile: (file) => console.error(`  fetched ${file}`),
  });

  const settings: Record<string, string> = { MODELS_DIR, INFERENCE_DTYPE: dtypes.includes('q8') ? 'q8' : 'fp32' };
  const notes: string[] = [];
  if (task === 'sentiment') {
    settings.SENTIMENT_MODEL = id;
    const id2label = (config.id2label ?? {}) as Record<string, string>;
    const suggestion = suggestSentimentLabels(id2label);
    if (!suggestion) {
      notes.push(`its labels ${JSON.stringify(id2label)} need a mapping: set SENTIMENT_LABELS="<label>=negative|neutral|positive,…"`);
    } else if (suggestion.mapping) {
      settings.SENTIMENT_LABELS = suggestion.mapping;
      if (suggestion.guessed) notes.push('SENTIMENT_LABELS is a guess (LABEL_0/LABEL_1 say nothing): check the model card');
    }
    // Serendip's own loader, offline again, proves the folder passes every check.
    const classifier = await createSentimentClassifier(loadInferenceConfig({ ...process.env, ...settings }));
    const samples = ['质量很好，非常满意，推荐购买！', 'Terrible quality, it broke after one day.'];
    const results = await classifier.classify(samples);
    samples.forEach((text, index) => notes.push(`check: "${text}" → ${results[index]!.label} ${results[index]!.score.toFixed(2)}`));
    await classifier.dispose();
  } else {
    settings.EMBEDDING_MODEL = id;
    // e5 models were trained with a role prefix and embed worse without it (their model cards).
    if (/(^|\/)(multilingual-)?e5-/i.test(id)) settings.EMBEDDING_PREFIX = 'query: ';
    const embedder = await createEmbedder(loadInferenceConfig({ ...process.env, ...settings }));
    notes.push(
      `check: ${embedder.dimension}-dimensional vectors, ${process.env.EMBEDDING_POOLING ?? 'mean'} pooling ` +
        '(set EMBEDDING_POOLING=cls if the model card says CLS pooling)',
    );
    await embedder.dispose();
  }

  console.log(`\n${id} is ready in ${MODELS_DIR}/${id}. Use it with:`);
  for (const [name, value] of Object.entries(settings)) console.log(`  ${name}=${/[\s,]/.test(value) ? JSON.stringify(value) : value}`);
  for (const note of notes) console.log(note);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
