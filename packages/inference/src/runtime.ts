import fs from 'node:fs';
import path from 'node:path';
import type { PretrainedModelOptions } from '@huggingface/transformers';
import type { InferenceConfig } from './config';
import type { EncodedBatch } from './encoding';
import { ModelLoadError } from './model-load.error';
import { ONNX_FILES, type ResolvedModel } from './registry';

/** A loaded model, whichever backend runs it: one float row per text of an encoded batch, in order. */
export interface ModelRunner {
  run(batch: EncodedBatch): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

/** Loading options shared by both models: device, ONNX file and thread count from the config. */
export function modelOptions(config: InferenceConfig): PretrainedModelOptions {
  return {
    device: config.INFERENCE_DEVICE,
    dtype: config.INFERENCE_DTYPE,
    session_options: { intraOpNumThreads: config.INFERENCE_THREADS },
  };
}

/**
 * Runs a model loader and turns its failures into a `ModelLoadError`, because the raw ONNX
 * Runtime messages (a C++ source path, a `dlopen` error) do not say what to do about them. The
 * torch backend's messages already do (serve.py names the missing file or GPU).
 */
export async function loadModel<T>(model: ResolvedModel, config: InferenceConfig, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const problem =
      config.INFERENCE_BACKEND === 'torch'
        ? message
        : config.INFERENCE_DEVICE === 'cuda'
          ? explainCudaFailure(message, cudaAddOnInstalled())
          : `ONNX Runtime could not open ${ONNX_FILES[model.dtype]}: ${firstLine(message)}`;
    throw new ModelLoadError(model.name, model.dir, [problem]);
  }
}

/** The onnxruntime-node that transformers.js loads (pnpm keeps it out of our own node_modules). */
export function onnxRuntimeNodeDir(): string {
  const transformers = require.resolve('@huggingface/transformers');
  return path.dirname(require.resolve('onnxruntime-node/package.json', { paths: [transformers] }));
}

/** The CUDA add-on puts its provider library beside the CPU binding. */
export function cudaAddOnInstalled(): boolean {
  return fs.existsSync(path.join(onnxRuntimeNodeDir(), 'bin/napi-v3/linux/x64/libonnxruntime_providers_cuda.so'));
}

/** Says which part of the CUDA route is missing, judged from ONNX Runtime's `dlopen` message. */
export function explainCudaFailure(message: string, addOnInstalled: boolean): string {
  const guide = 'see docs/inference.md "GPU", or set INFERENCE_DEVICE=cpu';
  if (!addOnInstalled || /libonnxruntime_providers_cuda\.so: cannot open shared object file/.test(message)) {
    return (
      'INFERENCE_DEVICE=cuda needs the onnxruntime-node CUDA add-on (libonnxruntime_providers_cuda.so), which is not installed. ' +
      'On a Linux x64 machine with internet access run ' +
      `\`ONNXRUNTIME_NODE_INSTALL_CUDA=v12 node ${path.join(onnxRuntimeNodeDir(), 'script/install.js')}\`` +
      ` (pnpm does not run that install script by itself); ${guide}`
    );
  }
  const library = /(lib(?:cudnn|cublas|cublasLt|cudart|cufft|curand|nvrtc|cupti|nvinfer)[\w.]*\.so[\d.]*): cannot open/.exec(message)?.[1];
  if (library) {
    return (
      `the CUDA add-on is installed but ${library} is not on the library path: onnxruntime-node 1.21 needs ` +
      `the CUDA 12.x runtime (cuBLAS, cuFFT, cuRAND, cudart) and cuDNN 9.x, found through LD_LIBRARY_PATH; ${guide}`
    );
  }
  return `the CUDA execution provider failed to start (${firstLine(message)}); check nvidia-smi and the driver (CUDA 12 needs >= 525.60.13); ${guide}`;
}

function firstLine(message: string): string {
  return (
    message
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? message
  );
}
