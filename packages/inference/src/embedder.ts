import { AutoModel, type Tensor } from '@huggingface/transformers';
import { inferenceBatchSize, type EmbeddingPooling, type InferenceConfig } from './config';
import { inLengthSortedBatches } from './batching';
import { resolveEmbeddingModel, type ResolvedEmbeddingModel } from './registry';
import { loadModel, modelOptions, type ModelRunner } from './runtime';
import { loadTokenEncoder } from './encoding';
import { startTorchModel } from './torch-runtime';

export interface Embedder {
  readonly model: string;
  readonly version: string;
  readonly dimension: number;
  /** One unit-length vector per text, in input order; texts longer than the model allows are truncated. */
  embed(texts: string[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

export async function createEmbedder(config: InferenceConfig): Promise<Embedder> {
  const resolved = resolveEmbeddingModel(config);
  const [encoder, model] = await loadModel(resolved, config, () =>
    Promise.all([loadTokenEncoder(resolved), config.INFERENCE_BACKEND === 'torch' ? torchEmbedding(resolved, config) : onnxEmbedding(resolved, config)]),
  );

  const batchSize = inferenceBatchSize(config);
  return {
    model: resolved.name,
    version: resolved.version,
    dimension: resolved.dimension,
    embed: (texts) =>
      inLengthSortedBatches(
        texts.map((text) => encoder.ids(resolved.prefix + text)),
        batchSize,
        (rows) => model.run(encoder.batch(rows)),
      ),
    dispose: () => model.dispose(),
  };
}

async function onnxEmbedding(resolved: ResolvedEmbeddingModel, config: InferenceConfig): Promise<ModelRunner> {
  const model = await AutoModel.from_pretrained(resolved.name, modelOptions(config));
  return {
    run: async (encoded) => {
      const output = (await model(encoded)) as { last_hidden_state?: Tensor };
      if (!output.last_hidden_state) throw new Error(`model "${resolved.name}" has no last_hidden_state output`);
      return pool(output.last_hidden_state, encoded.attention_mask, resolved.pooling, resolved.dimension);
    },
    dispose: async () => {
      await model.dispose();
    },
  };
}

/** The PyTorch process pools (the hidden states would be 128 times the bytes to send back); the unit length is set here, as for ONNX. */
async function torchEmbedding(resolved: ResolvedEmbeddingModel, config: InferenceConfig): Promise<ModelRunner> {
  const model = await startTorchModel(resolved, config, { task: 'embed', width: resolved.dimension, pooling: resolved.pooling });
  return { run: async (encoded) => (await model.run(encoded)).map(normalise), dispose: () => model.dispose() };
}

/**
 * Mean of the token vectors the attention mask keeps (padding must not dilute short texts), or
 * the [CLS] vector, then scaled to unit length so a dot product is the cosine similarity.
 */
export function pool(hidden: Tensor, attentionMask: Tensor, pooling: EmbeddingPooling, dimension: number): Float32Array[] {
  const [batch, length, width] = hidden.dims as [number, number, number];
  if (hidden.dims.length !== 3 || width !== dimension) {
    throw new Error(`last_hidden_state has dims [${hidden.dims.join(', ')}], expected [batch, tokens, ${dimension}]`);
  }
  const states = hidden.data as Float32Array;
  const mask = attentionMask.data as BigInt64Array;
  const vectors: Float32Array[] = [];
  for (let row = 0; row < batch; row += 1) {
    const vector = new Float32Array(width);
    const base = row * length * width;
    if (pooling === 'cls') {
      vector.set(states.subarray(base, base + width));
    } else {
      const sum = new Float64Array(width);
      let kept = 0;
      for (let token = 0; token < length; token += 1) {
        if (mask[row * length + token] === 0n) continue;
        kept += 1;
        const offset = base + token * width;
        for (let i = 0; i < width; i += 1) sum[i]! += states[offset + i]!;
      }
      for (let i = 0; i < width; i += 1) vector[i] = sum[i]! / Math.max(kept, 1);
    }
    vectors.push(normalise(vector));
  }
  return vectors;
}

function normalise(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.length; i += 1) vector[i]! /= norm;
  return vector;
}
