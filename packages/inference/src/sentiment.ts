import { AutoModelForSequenceClassification, type Tensor } from '@huggingface/transformers';
import { inferenceBatchSize, SENTIMENT_LABELS, type InferenceConfig, type SentimentLabel } from './config';
import { inLengthSortedBatches } from './batching';
import { resolveSentimentModel, type ResolvedSentimentModel } from './registry';
import { loadModel, modelOptions, type ModelRunner } from './runtime';
import { floatRows, loadTokenEncoder } from './encoding';
import { startTorchModel } from './torch-runtime';
import { NgramHead } from './ngram-head';
import { ModelLoadError } from './model-load.error';

export interface SentimentResult {
  label: SentimentLabel;
  /** Probability of `label`. */
  score: number;
  /** Probability of each label; they sum to 1 (neutral is 0 for two-class models). */
  scores: Record<SentimentLabel, number>;
}

export interface SentimentClassifier {
  readonly model: string;
  readonly version: string;
  /** One result per text, in input order; texts longer than the model allows are truncated. */
  classify(texts: string[]): Promise<SentimentResult[]>;
  dispose(): Promise<void>;
}

export async function createSentimentClassifier(config: InferenceConfig): Promise<SentimentClassifier> {
  const resolved = resolveSentimentModel(config);
  // Served with the network when the folder has one (models/training/ngram_head.py); a bad one fails the load.
  const head = loadHead(resolved);
  const [encoder, model] = await loadModel(resolved, config, () =>
    Promise.all([
      loadTokenEncoder(resolved),
      config.INFERENCE_BACKEND === 'torch'
        ? startTorchModel(resolved, config, { task: 'sentiment', width: resolved.classLabels.length })
        : onnxClassifier(resolved, config),
    ]),
  );

  const batchSize = inferenceBatchSize(config);

  return {
    model: resolved.name,
    version: resolved.version,
    classify: async (texts) => {
      const logits = await inLengthSortedBatches(
        texts.map((text) => encoder.ids(text)),
        batchSize,
        (rows) => model.run(encoder.batch(rows)),
      );
      return logits.map((row, index) => toResult(head ? head.blend(row, texts[index]!) : row, resolved.classLabels));
    },
    dispose: () => model.dispose(),
  };
}

function loadHead(resolved: ResolvedSentimentModel): NgramHead | null {
  try {
    return NgramHead.load(resolved.dir, resolved.classLabels);
  } catch (error) {
    throw new ModelLoadError(resolved.name, resolved.dir, [`its n-gram head: ${error instanceof Error ? error.message : String(error)}`]);
  }
}

async function onnxClassifier(resolved: ResolvedSentimentModel, config: InferenceConfig): Promise<ModelRunner> {
  const model = await AutoModelForSequenceClassification.from_pretrained(resolved.name, modelOptions(config));
  return {
    run: async (encoded) => {
      const output = (await model(encoded)) as { logits?: Tensor };
      if (!output.logits) throw new Error(`model "${resolved.name}" has no logits output`);
      return floatRows(output.logits, encoded.input_ids.dims[0]!, 'logits');
    },
    dispose: async () => {
      await model.dispose();
    },
  };
}

/** Softmax over the classes, then each class's probability added to the label it maps to. */
export function toResult(logits: Float32Array, classLabels: SentimentLabel[]): SentimentResult {
  if (logits.length !== classLabels.length) {
    throw new Error(`model returned ${logits.length} logits for ${classLabels.length} labels in config.json id2label`);
  }
  const max = Math.max(...logits);
  const exps = Array.from(logits, (logit) => Math.exp(logit - max));
  const total = exps.reduce((sum, value) => sum + value, 0);
  const scores: Record<SentimentLabel, number> = { negative: 0, neutral: 0, positive: 0 };
  exps.forEach((value, index) => {
    scores[classLabels[index]!] += value / total;
  });
  const label = SENTIMENT_LABELS.reduce((best, candidate) => (scores[candidate] > scores[best] ? candidate : best));
  return { label, score: scores[label], scores };
}
