import { AutoConfig, AutoModel, AutoModelForSequenceClassification, AutoTokenizer, env } from '@huggingface/transformers';
import { SENTIMENT_LABELS, type InferenceDtype, type SentimentLabel } from './config';

export type ModelTask = 'embedding' | 'sentiment';

export interface DownloadedModel {
  task: ModelTask;
  /** The model's config.json. */
  config: Record<string, unknown>;
}

/**
 * Fetches a Hugging Face model with ONNX weights into `modelsDir/<id>/`, the layout the offline
 * loader reads: the transformers.js file cache is pointed at `modelsDir`, so the cache is the
 * models folder. The only code path that turns remote loading on; the loaders turn it off again.
 */
export async function downloadHubModel(
  id: string,
  modelsDir: string,
  options: { task?: ModelTask; dtypes: InferenceDtype[]; onFile?: (file: string) => void },
): Promise<DownloadedModel> {
  env.allowRemoteModels = true;
  env.allowLocalModels = true;
  env.localModelPath = modelsDir;
  env.cacheDir = modelsDir;
  env.useFSCache = true;
  const progress_callback = (event: { status: string; file?: string }) => {
    if (event.status === 'done' && event.file) options.onFile?.(event.file);
  };
  const config = (await AutoConfig.from_pretrained(id, { progress_callback })) as unknown as Record<string, unknown>;
  const task = options.task ?? (isClassifier(config) ? 'sentiment' : 'embedding');
  await AutoTokenizer.from_pretrained(id, { progress_callback });
  for (const dtype of options.dtypes) {
    const loader = task === 'sentiment' ? AutoModelForSequenceClassification : AutoModel;
    const model = await loader.from_pretrained(id, { dtype, progress_callback });
    await model.dispose();
  }
  return { task, config };
}

function isClassifier(config: Record<string, unknown>): boolean {
  const architectures = Array.isArray(config.architectures) ? (config.architectures as unknown[]) : [];
  return architectures.some((name) => typeof name === 'string' && name.endsWith('ForSequenceClassification'));
}

/**
 * A SENTIMENT_LABELS value for the label schemes common on the Hub: '' when the model already
 * uses our names, `guessed` when the names carry no meaning, `undefined` when nothing fits.
 */
export function suggestSentimentLabels(id2label: Record<string, string>): { mapping: string; guessed: boolean } | undefined {
  const names = Object.keys(id2label)
    .sort((a, b) => Number(a) - Number(b))
    .map((key) => id2label[key]!);
  if (names.every((name) => (SENTIMENT_LABELS as readonly string[]).includes(name.toLowerCase()))) return { mapping: '', guessed: false };
  const stars = names.map((name) => /^([1-5]) stars?$/i.exec(name)?.[1]);
  if (stars.every((star) => star !== undefined)) {
    const target = (star: number): SentimentLabel => (star <= 2 ? 'negative' : star === 3 ? 'neutral' : 'positive');
    return { mapping: names.map((name, index) => `${name}=${target(Number(stars[index]))}`).join(','), guessed: false };
  }
  // Most binary sentiment models put negative first, but LABEL_0/LABEL_1 alone cannot say so.
  if (names.length === 2 && names[0] === 'LABEL_0' && names[1] === 'LABEL_1') {
    return { mapping: 'LABEL_0=negative,LABEL_1=positive', guessed: true };
  }
  return undefined;
}
