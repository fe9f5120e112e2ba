import path from 'node:path';
import { TRAINING_DIR, type EmbeddingPooling, type InferenceConfig } from './config';
import type { EncodedBatch } from './encoding';
import type { ResolvedModel } from './registry';
import type { ModelRunner } from './runtime';
import type { TokenBatch } from './torch-frames';
import { TorchProcess } from './torch-process';

/** The server of the torch backend: runs the network of models/training/modeling.py on a folder's pytorch_model.bin. */
const TORCH_SERVER = path.join(TRAINING_DIR, 'serve.py');

/** What the server answers per text: the pooled vector before normalisation (embed), or the logits (sentiment). */
type TorchTask = { task: 'embed'; width: number; pooling: EmbeddingPooling } | { task: 'sentiment'; width: number };

/** Starts the model's PyTorch process (INFERENCE_BACKEND=torch); its rows are what the ONNX graph's output gives after pooling. */
export async function startTorchModel(model: ResolvedModel, config: InferenceConfig, spec: TorchTask): Promise<ModelRunner> {
  const threads = String(config.INFERENCE_THREADS);
  const args = [TORCH_SERVER, '--model-dir', model.dir, '--task', spec.task, '--device', config.INFERENCE_DEVICE, '--threads', threads];
  if (spec.task === 'embed') args.push('--pooling', spec.pooling);
  const torch = await TorchProcess.start({
    model: model.name,
    command: config.INFERENCE_PYTHON,
    args,
    width: spec.width,
    env: {
      ...process.env,
      // OpenMP and OpenBLAS size their own thread pools by the machine's cores otherwise, beside
      // the INFERENCE_THREADS PyTorch is told to use (the pool scales by processes).
      OMP_NUM_THREADS: threads,
      OPENBLAS_NUM_THREADS: threads,
      // models/training holds only sources (as train.sh keeps it); an image may mount it read-only.
      PYTHONDONTWRITEBYTECODE: '1',
    },
  });
  return { run: (batch) => torch.run(tokenBatch(batch)), dispose: () => torch.dispose() };
}

/** The tokenizer's int64 tensors as the int32 the frames carry (ids and masks are small). */
function tokenBatch(batch: EncodedBatch): TokenBatch {
  const [rows, tokens] = batch.input_ids.dims as [number, number];
  return {
    rows,
    tokens,
    inputIds: Int32Array.from(batch.input_ids.data as BigInt64Array, Number),
    attentionMask: Int32Array.from(batch.attention_mask.data as BigInt64Array, Number),
  };
}
