import path from 'node:path';
import { loadConfig, projectPath, z } from '@serendip/config';

export const SENTIMENT_LABELS = ['negative', 'neutral', 'positive'] as const;
export type SentimentLabel = (typeof SENTIMENT_LABELS)[number];

export type InferenceBackend = 'onnx' | 'torch';
export type InferenceDevice = 'cpu' | 'cuda';
export type InferenceDtype = 'fp32' | 'q8';
export type EmbeddingPooling = 'mean' | 'cls';

/** Settings of the embedding and sentiment models; one per process, parsed once. */
export interface InferenceConfig {
  /** Folder holding one sub-folder per model (the model id is the sub-folder's path inside it). */
  MODELS_DIR: string;
  EMBEDDING_MODEL: string;
  SENTIMENT_MODEL: string;
  /** `onnx` runs the ONNX files in-process, `torch` runs pytorch_model.bin in a PyTorch child process per model. */
  INFERENCE_BACKEND: InferenceBackend;
  /** The Python whose PyTorch runs the torch backend. */
  INFERENCE_PYTHON: string;
  INFERENCE_DEVICE: InferenceDevice;
  /** `q8` loads `onnx/model_quantized.onnx`, `fp32` loads `onnx/model.onnx` (or, on the torch backend, `pytorch_model.bin`). */
  INFERENCE_DTYPE: InferenceDtype;
  /** Intra-op threads per model (ONNX Runtime session or PyTorch process). */
  INFERENCE_THREADS: number;
  /** Texts per model call; unset means the device's default (`inferenceBatchSize`). */
  INFERENCE_BATCH_SIZE?: number;
  /** Overrides the model's `serendip.pooling`; foreign models without it use `mean`. */
  EMBEDDING_POOLING?: EmbeddingPooling;
  /** Put before every embedded text, for models trained with one (e5 wants `query: `). */
  EMBEDDING_PREFIX?: string;
  /** Model label name → Serendip label, for models whose id2label does not use our names. */
  SENTIMENT_LABELS?: Record<string, SentimentLabel>;
}

/** `<repo>/models`, found from this file so it holds whatever the working directory is. */
export const DEFAULT_MODELS_DIR = projectPath('models');

/** `<repo>/models/training`: the Python that trains the models, and serves them on the torch backend. */
export const TRAINING_DIR = projectPath('models', 'training');

/**
 * Parses `LABEL_0=negative,LABEL_1=positive`. The last `=` splits a pair because model label
 * names may hold spaces ("1 star") but our three names never hold `=`.
 */
export function parseSentimentLabels(value: string): Record<string, SentimentLabel> {
  const mapping: Record<string, SentimentLabel> = {};
  const problems: string[] = [];
  for (const pair of value.split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.lastIndexOf('=');
    const from = at > 0 ? pair.slice(0, at).trim() : '';
    const to =
      at > 0
        ? pair
            .slice(at + 1)
            .trim()
            .toLowerCase()
        : '';
    if (from === '' || !(SENTIMENT_LABELS as readonly string[]).includes(to)) {
      problems.push(`"${pair.trim()}" is not <model label>=${SENTIMENT_LABELS.join('|')}`);
      continue;
    }
    mapping[from] = to as SentimentLabel;
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  if (Object.keys(mapping).length === 0) throw new Error('no label pairs given');
  return mapping;
}

/** The inference settings as a zod shape, so a process config can spread them beside its own. */
export const inferenceEnv = {
  MODELS_DIR: z
    .string()
    .min(1)
    .default(DEFAULT_MODELS_DIR)
    .transform((dir) => path.resolve(dir)),
  /** @default serendip-embed-zh-en */
  EMBEDDING_MODEL: z.string().min(1).default('serendip-embed-zh-en'),
  /** @default serendip-sentiment-zh-en */
  SENTIMENT_MODEL: z.string().min(1).default('serendip-sentiment-zh-en'),
  /**
   * @default onnx; `torch` runs the same weights with PyTorch in a child process per model (the
   * route to a GPU when the onnxruntime-node CUDA add-on cannot be installed; docs/inference.md).
   */
  INFERENCE_BACKEND: z.enum(['onnx', 'torch']).default('onnx'),
  /** @default /usr/bin/python3 (Debian's python3-torch, CPU only); a CUDA build of PyTorch for `INFERENCE_DEVICE=cuda`. */
  INFERENCE_PYTHON: z.string().min(1).default('/usr/bin/python3'),
  /** @default cpu; `cuda` needs the onnxruntime-node CUDA add-on or, on the torch backend, a CUDA build of PyTorch (docs/inference.md). */
  INFERENCE_DEVICE: z.enum(['cpu', 'cuda']).default('cpu'),
  /** @default q8: int8 weights are ~4x smaller and faster on CPU at a small accuracy cost. The torch backend runs fp32 only. */
  INFERENCE_DTYPE: z.enum(['fp32', 'q8']).default('q8'),
  /** @default 1: the worker pool scales by processes, so each process keeps to one core. */
  INFERENCE_THREADS: z.coerce.number().int().positive().default(1),
  /**
   * Texts per model call. @default 1 on cpu, 32 on cuda: on CPU a batch pads every text to
   * its longest and runs slower per text than single texts (`pnpm bench:inference`); a GPU
   * needs batches to be busy.
   */
  INFERENCE_BATCH_SIZE: z.coerce.number().int().positive().max(512).optional(),
  EMBEDDING_POOLING: z.enum(['mean', 'cls']).optional(),
  EMBEDDING_PREFIX: z.string().optional(),
  SENTIMENT_LABELS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return undefined;
      try {
        return parseSentimentLabels(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
} as const;

export const inferenceBatchSize = (config: Pick<InferenceConfig, 'INFERENCE_DEVICE' | 'INFERENCE_BATCH_SIZE'>): number =>
  config.INFERENCE_BATCH_SIZE ?? (config.INFERENCE_DEVICE === 'cuda' ? 32 : 1);

export const inferenceConfigSchema = z.object(inferenceEnv);

export const loadInferenceConfig = (env: NodeJS.ProcessEnv = process.env): InferenceConfig => loadConfig('inference', inferenceConfigSchema, env);
