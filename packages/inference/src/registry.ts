import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { env } from '@huggingface/transformers';
import { SENTIMENT_LABELS, TRAINING_DIR, type EmbeddingPooling, type InferenceConfig, type InferenceDtype, type SentimentLabel } from './config';
import { ModelLoadError } from './model-load.error';

/** transformers.js names the ONNX file after the dtype: `onnx/model<suffix>.onnx`. */
export const ONNX_FILES: Record<InferenceDtype, string> = {
  fp32: 'onnx/model.onnx',
  q8: 'onnx/model_quantized.onnx',
};

/**
 * The torch backend's weights: the fp32 network as a PyTorch state dict, written from
 * `onnx/model.onnx` by models/training/export_torch.py (scripts/python.sh does it at set-up).
 */
const TORCH_WEIGHTS_FILE = 'pytorch_model.bin';

/** The file of a model folder that the configured backend loads. */
const weightsFile = (config: Pick<InferenceConfig, 'INFERENCE_BACKEND' | 'INFERENCE_DTYPE'>): string =>
  config.INFERENCE_BACKEND === 'torch' ? TORCH_WEIGHTS_FILE : ONNX_FILES[config.INFERENCE_DTYPE];

export interface ResolvedModel {
  /** Model id as transformers.js sees it: the folder's path inside MODELS_DIR. */
  name: string;
  dir: string;
  /** `serendip.version` from config.json, else `sha256:<12 hex>` of the weights file the backend loads. */
  version: string;
  dtype: InferenceDtype;
  /** Tokens per text after truncation, so no text can overrun the position embeddings. */
  maxLength: number;
}

export interface ResolvedEmbeddingModel extends ResolvedModel {
  dimension: number;
  pooling: EmbeddingPooling;
  prefix: string;
}

export interface ResolvedSentimentModel extends ResolvedModel {
  /** Serendip label of each output class, by class index. */
  classLabels: SentimentLabel[];
}

/** What one model folder offers; `problems` collects everything wrong instead of stopping early. */
interface FolderReport {
  name: string;
  dir: string;
  problems: string[];
  config: Record<string, unknown> | undefined;
  maxLength: number;
  weightsPath: string | undefined;
}

/**
 * Points transformers.js at MODELS_DIR and nowhere else. Its file cache is consulted before the
 * local folder, so the cache is pointed at MODELS_DIR too: a stale download in the default
 * `node_modules/.../.cache` could otherwise shadow the model folder.
 */
export function useLocalModels(modelsDir: string): void {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = modelsDir;
  env.cacheDir = modelsDir;
}

export function resolveEmbeddingModel(config: InferenceConfig): ResolvedEmbeddingModel {
  const report = inspectFolder(config, config.EMBEDDING_MODEL);
  const { problems } = report;
  const hidden = report.config?.hidden_size;
  const dimension = isPositiveInteger(hidden) ? hidden : 0;
  if (report.config && dimension === 0) problems.push('config.json: hidden_size must be a positive integer (the embedding dimension)');

  const declared = (report.config?.serendip as { pooling?: unknown } | undefined)?.pooling;
  if (declared !== undefined && declared !== 'mean' && declared !== 'cls') {
    problems.push(`config.json: serendip.pooling must be "mean" or "cls", not ${JSON.stringify(declared)}`);
  }
  const pooling = config.EMBEDDING_POOLING ?? (declared === 'cls' ? 'cls' : 'mean');
  return { ...finish(config, report), dimension, pooling, prefix: config.EMBEDDING_PREFIX ?? '' };
}

export function resolveSentimentModel(config: InferenceConfig): ResolvedSentimentModel {
  const report = inspectFolder(config, config.SENTIMENT_MODEL);
  const classLabels = report.config ? mapClassLabels(report.config.id2label, config.SENTIMENT_LABELS, report.problems) : [];
  return { ...finish(config, report), classLabels };
}

/**
 * Maps each class of the model onto our three labels. Several classes may share a label
 * ("1 star" and "2 stars" are both negative): their probabilities are added at inference.
 */
function mapClassLabels(id2label: unknown, mapping: Record<string, SentimentLabel> | undefined, problems: string[]): SentimentLabel[] {
  if (typeof id2label !== 'object' || id2label === null || Object.keys(id2label).length < 2) {
    problems.push('config.json: id2label must name at least two classes');
    return [];
  }
  const entries = Object.entries(id2label as Record<string, unknown>);
  const names: string[] = [];
  for (let index = 0; index < entries.length; index += 1) {
    const name = (id2label as Record<string, unknown>)[String(index)];
    if (typeof name !== 'string') {
      problems.push(`config.json: id2label must have string labels for the ids 0..${entries.length - 1} (id ${index} is missing)`);
      return [];
    }
    names.push(name);
  }

  const classLabels: SentimentLabel[] = [];
  const unmapped: string[] = [];
  for (const name of names) {
    const label = mapping ? mapping[name] : (SENTIMENT_LABELS as readonly string[]).find((known) => known === name.toLowerCase());
    if (label === undefined) unmapped.push(name);
    else classLabels.push(label as SentimentLabel);
  }
  if (unmapped.length > 0) {
    const example = names.map((name) => `${name}=<negative|neutral|positive>`).join(',');
    problems.push(
      `labels ${unmapped.map((name) => JSON.stringify(name)).join(', ')} have no Serendip label: ` + `set SENTIMENT_LABELS, e.g. SENTIMENT_LABELS="${example}"`,
    );
  }
  if (mapping) {
    const unknown = Object.keys(mapping).filter((name) => !names.includes(name));
    if (unknown.length > 0) {
      problems.push(`SENTIMENT_LABELS names labels the model does not have: ${unknown.join(', ')} (it has: ${names.join(', ')})`);
    }
  }
  if (unmapped.length === 0) {
    const missing = (['negative', 'positive'] as const).filter((label) => !classLabels.includes(label));
    if (missing.length > 0) problems.push(`no class maps to ${missing.join(' or ')}: a sentiment model needs both`);
  }
  return classLabels;
}

function inspectFolder(config: InferenceConfig, name: string): FolderReport {
  const dir = path.join(config.MODELS_DIR, name);
  const problems: string[] = [];
  const weights = weightsFile(config);
  if (config.INFERENCE_BACKEND === 'torch' && config.INFERENCE_DTYPE !== 'fp32') {
    problems.push(`INFERENCE_BACKEND=torch runs fp32 weights only: set INFERENCE_DTYPE=fp32 (${config.INFERENCE_DTYPE} is an ONNX file)`);
  }
  if (!fs.existsSync(dir)) {
    const available = listModels(config.MODELS_DIR);
    problems.push(`folder does not exist (models in ${config.MODELS_DIR}: ${available.length > 0 ? available.join(', ') : 'none'})`);
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', weights]) problems.push(`missing ${file}`);
    return { name, dir, problems, config: undefined, maxLength: 0, weightsPath: undefined };
  }

  const modelConfig = readJson(dir, 'config.json', problems);
  if (modelConfig && (typeof modelConfig.model_type !== 'string' || modelConfig.model_type === '')) {
    problems.push('config.json: model_type is missing');
  }

  const tokenizer = readJson(dir, 'tokenizer.json', problems);
  if (tokenizer && typeof tokenizer.model !== 'object') problems.push('tokenizer.json: no "model" section (not a tokenizers file)');

  let maxLength = 0;
  const tokenizerConfig = readJson(dir, 'tokenizer_config.json', problems);
  if (tokenizerConfig) {
    const declared = tokenizerConfig.model_max_length;
    const positions = modelConfig?.max_position_embeddings;
    if (!isPositiveInteger(declared)) {
      problems.push('tokenizer_config.json: model_max_length must be a positive integer');
    } else {
      // Hugging Face writes 1e30 for "unset"; the position table is then the real limit.
      maxLength = isPositiveInteger(positions) ? Math.min(declared, positions) : declared;
      if (maxLength > 100_000) problems.push('tokenizer_config.json: model_max_length is unset (1e30) and config.json has no max_position_embeddings');
    }
  }

  const weightsPath = path.join(dir, weights);
  const found = fs.existsSync(weightsPath);
  if (!found && config.INFERENCE_BACKEND === 'torch') {
    const exporter = path.join(TRAINING_DIR, 'export_torch.py');
    problems.push(
      `missing ${weights} (INFERENCE_BACKEND=torch; scripts/python.sh writes it from ${ONNX_FILES.fp32} at set-up: \`${config.INFERENCE_PYTHON} ${exporter} ${dir}\`)`,
    );
  } else if (!found) {
    const otherDtype = config.INFERENCE_DTYPE === 'q8' ? 'fp32' : 'q8';
    const hint = fs.existsSync(path.join(dir, ONNX_FILES[otherDtype])) ? `; ${ONNX_FILES[otherDtype]} exists: set INFERENCE_DTYPE=${otherDtype}` : '';
    problems.push(`missing ${weights} (INFERENCE_DTYPE=${config.INFERENCE_DTYPE}${hint})`);
  }
  return { name, dir, problems, config: modelConfig, maxLength, weightsPath: found ? weightsPath : undefined };
}

/** Throws with every problem at once, else settles the version and the transformers.js env. */
function finish(config: InferenceConfig, report: FolderReport): ResolvedModel {
  if (report.problems.length > 0 || !report.weightsPath) throw new ModelLoadError(report.name, report.dir, report.problems);
  const declared = (report.config?.serendip as { version?: unknown } | undefined)?.version;
  const version = typeof declared === 'string' && declared !== '' ? declared : `sha256:${hashFile(report.weightsPath).slice(0, 12)}`;
  useLocalModels(config.MODELS_DIR);
  return { name: report.name, dir: report.dir, version, dtype: config.INFERENCE_DTYPE, maxLength: report.maxLength };
}

function readJson(dir: string, file: string, problems: string[]): Record<string, unknown> | undefined {
  const filePath = path.join(dir, file);
  if (!fs.existsSync(filePath)) {
    problems.push(`missing ${file}`);
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(filePath, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    problems.push(`${file}: not a JSON object`);
  } catch (error) {
    problems.push(`${file}: invalid JSON (${(error as Error).message})`);
  }
  return undefined;
}

/** Model ids are folder paths, so `Xenova/multilingual-e5-small` sits two levels down. */
function listModels(modelsDir: string): string[] {
  const found: string[] = [];
  const visit = (relative: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(modelsDir, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (fs.existsSync(path.join(modelsDir, child, 'config.json'))) found.push(child);
      else if (depth < 2) visit(child, depth + 1);
    }
  };
  visit('', 1);
  return found.sort();
}

/** Read in chunks: the fp32 file of a base model is ~400 MB and need not sit in memory twice. */
function hashFile(filePath: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(1 << 20);
  const fd = fs.openSync(filePath, 'r');
  try {
    for (let read = fs.readSync(fd, buffer); read > 0; read = fs.readSync(fd, buffer)) hash.update(buffer.subarray(0, read));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
