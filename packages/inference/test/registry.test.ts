import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadInferenceConfig, ModelLoadError, resolveEmbeddingModel, resolveSentimentModel, type InferenceConfig } from '../src';

/** Writes a model folder with the given files; `null` leaves a file out. */
function writeModel(modelsDir: string, name: string, files: Record<string, unknown>): string {
  const dir = path.join(modelsDir, name);
  for (const [file, content] of Object.entries(files)) {
    if (content === null) continue;
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

const tokenizerJson = { version: '1.0', model: { type: 'WordPiece', vocab: { '[UNK]': 0 } } };
const bertConfig = { model_type: 'bert', hidden_size: 8, max_position_embeddings: 512 };

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelLoadError);
    return (error as ModelLoadError).problems;
  }
  throw new Error('expected a ModelLoadError');
}

describe('model registry', () => {
  let modelsDir: string;
  let config: InferenceConfig;

  beforeEach(() => {
    modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'serendip-models-'));
    config = { ...loadInferenceConfig({ MODELS_DIR: modelsDir }), EMBEDDING_MODEL: 'embed', SENTIMENT_MODEL: 'sentiment' };
  });

  afterEach(() => {
    fs.rmSync(modelsDir, { recursive: true, force: true });
  });

  it('names the model, the folder and every missing file at once', () => {
    const dir = writeModel(modelsDir, 'embed', { 'config.json': bertConfig });
    try {
      resolveEmbeddingModel(config);
      throw new Error('expected a ModelLoadError');
    } catch (error) {
      expect(error).toBeInstanceOf(ModelLoadError);
      const loadError = error as ModelLoadError;
      expect(loadError.model).toBe('embed');
      expect(loadError.folder).toBe(dir);
      expect(loadError.message).toContain(`model "embed" (${dir})`);
      expect(loadError.problems).toEqual(['missing tokenizer.json', 'missing tokenizer_config.json', 'missing onnx/model_quantized.onnx (INFERENCE_DTYPE=q8)']);
    }
  });

  it('lists the models that do exist when the folder is missing', () => {
    writeModel(modelsDir, 'Xenova/multilingual-e5-small', { 'config.json': bertConfig });
    writeModel(modelsDir, 'other', { 'config.json': bertConfig });
    expect(problemsOf(() => resolveSentimentModel(config))).toEqual([
      `folder does not exist (models in ${modelsDir}: Xenova/multilingual-e5-small, other)`,
      'missing config.json',
      'missing tokenizer.json',
      'missing tokenizer_config.json',
      'missing onnx/model_quantized.onnx',
    ]);
  });

  it('checks the settings inside the files too', () => {
    writeModel(modelsDir, 'embed', {
      'config.json': { hidden_size: 'big', serendip: { pooling: 'max' } },
      'tokenizer.json': '{ "truncated": ',
      'tokenizer_config.json': { tokenizer_class: 'BertTokenizer' },
      'onnx/model.onnx': 'fp32 weights',
    });
    const problems = problemsOf(() => resolveEmbeddingModel(config));
    expect(problems).toEqual([
      'config.json: model_type is missing',
      expect.stringMatching(/^tokenizer\.json: invalid JSON/),
      'tokenizer_config.json: model_max_length must be a positive integer',
      'missing onnx/model_quantized.onnx (INFERENCE_DTYPE=q8; onnx/model.onnx exists: set INFERENCE_DTYPE=fp32)',
      'config.json: hidden_size must be a positive integer (the embedding dimension)',
      'config.json: serendip.pooling must be "mean" or "cls", not "max"',
    ]);
  });

  it('takes the version, pooling and length limit from the folder', () => {
    writeModel(modelsDir, 'embed', {
      'config.json': { ...bertConfig, max_position_embeddings: 64, serendip: { version: '1.2.0', pooling: 'cls' } },
      'tokenizer.json': tokenizerJson,
      // Hugging Face's "unset": the position table must bound truncation instead.
      'tokenizer_config.json': { model_max_length: 1e30 },
      'onnx/model_quantized.onnx': 'int8 weights',
    });
    expect(resolveEmbeddingModel(config)).toEqual({
      name: 'embed',
      dir: path.join(modelsDir, 'embed'),
      version: '1.2.0',
      dtype: 'q8',
      maxLength: 64,
      dimension: 8,
      pooling: 'cls',
      prefix: '',
    });
    expect(resolveEmbeddingModel({ ...config, EMBEDDING_POOLING: 'mean', EMBEDDING_PREFIX: 'query: ' })).toMatchObject({
      pooling: 'mean',
      prefix: 'query: ',
    });
  });

  it('versions a model without serendip.version by the hash of its ONNX file', () => {
    writeModel(modelsDir, 'embed', {
      'config.json': bertConfig,
      'tokenizer.json': tokenizerJson,
      'tokenizer_config.json': { model_max_length: 128 },
      'onnx/model.onnx': 'fp32 weights',
    });
    const expected = createHash('sha256').update('fp32 weights').digest('hex').slice(0, 12);
    expect(resolveEmbeddingModel({ ...config, INFERENCE_DTYPE: 'fp32' })).toMatchObject({
      version: `sha256:${expected}`,
      pooling: 'mean',
      maxLength: 128,
    });
  });

  describe('on the torch backend', () => {
    const torch = () => ({ ...config, INFERENCE_BACKEND: 'torch' as const, INFERENCE_DTYPE: 'fp32' as const });
    const files = {
      'config.json': bertConfig,
      'tokenizer.json': tokenizerJson,
      'tokenizer_config.json': { model_max_length: 128 },
      'onnx/model.onnx': 'fp32 weights',
    };

    it('needs pytorch_model.bin instead of an ONNX file, and says how set-up writes it', () => {
      const dir = writeModel(modelsDir, 'embed', files);
      expect(problemsOf(() => resolveEmbeddingModel(torch()))).toEqual([
        `missing pytorch_model.bin (INFERENCE_BACKEND=torch; scripts/python.sh writes it from onnx/model.onnx at set-up: ` +
          `\`/usr/bin/python3 ${path.resolve(__dirname, '../../../models/training/export_torch.py')} ${dir}\`)`,
      ]);
      writeModel(modelsDir, 'bare', { ...files, 'onnx/model.onnx': null, 'pytorch_model.bin': 'torch weights' });
      const expected = createHash('sha256').update('torch weights').digest('hex').slice(0, 12);
      expect(resolveEmbeddingModel({ ...torch(), EMBEDDING_MODEL: 'bare' })).toMatchObject({ name: 'bare', version: `sha256:${expected}` });
    });

    it('refuses the int8 dtype, which only ONNX Runtime has, beside every other problem', () => {
      writeModel(modelsDir, 'embed', { ...files, 'tokenizer.json': null, 'pytorch_model.bin': 'torch weights' });
      expect(problemsOf(() => resolveEmbeddingModel({ ...torch(), INFERENCE_DTYPE: 'q8' }))).toEqual([
        'INFERENCE_BACKEND=torch runs fp32 weights only: set INFERENCE_DTYPE=fp32 (q8 is an ONNX file)',
        'missing tokenizer.json',
      ]);
    });
  });

  describe('sentiment labels', () => {
    const writeSentiment = (id2label: unknown) =>
      writeModel(modelsDir, 'sentiment', {
        'config.json': { ...bertConfig, id2label },
        'tokenizer.json': tokenizerJson,
        'tokenizer_config.json': { model_max_length: 128 },
        'onnx/model_quantized.onnx': 'int8 weights',
      });

    it("uses the model's own names when they are ours", () => {
      writeSentiment({ 0: 'negative', 1: 'Neutral', 2: 'POSITIVE' });
      expect(resolveSentimentModel(config).classLabels).toEqual(['negative', 'neutral', 'positive']);
    });

    it('maps foreign names through SENTIMENT_LABELS, several classes onto one label', () => {
      writeSentiment({ 0: '1 star', 1: '2 stars', 2: '3 stars', 3: '4 stars', 4: '5 stars' });
      const mapped = loadInferenceConfig({
        SENTIMENT_LABELS: '1 star=negative,2 stars=negative,3 stars=neutral,4 stars=positive,5 stars=positive',
      }).SENTIMENT_LABELS;
      expect(resolveSentimentModel({ ...config, SENTIMENT_LABELS: mapped }).classLabels).toEqual(['negative', 'negative', 'neutral', 'positive', 'positive']);
    });

    it('accepts a two-class model', () => {
      writeSentiment({ 0: 'LABEL_0', 1: 'LABEL_1' });
      const classLabels = resolveSentimentModel({ ...config, SENTIMENT_LABELS: { LABEL_0: 'negative', LABEL_1: 'positive' } }).classLabels;
      expect(classLabels).toEqual(['negative', 'positive']);
    });

    it('says how to map labels it does not know', () => {
      writeSentiment({ 0: 'LABEL_0', 1: 'LABEL_1' });
      expect(problemsOf(() => resolveSentimentModel(config))).toEqual([
        'labels "LABEL_0", "LABEL_1" have no Serendip label: set SENTIMENT_LABELS, e.g. ' +
          'SENTIMENT_LABELS="LABEL_0=<negative|neutral|positive>,LABEL_1=<negative|neutral|positive>"',
      ]);
    });

    it('refuses a mapping that names absent labels or leaves out a side', () => {
      writeSentiment({ 0: 'LABEL_0', 1: 'LABEL_1' });
      expect(
        problemsOf(() => resolveSentimentModel({ ...config, SENTIMENT_LABELS: { LABEL_0: 'neutral', LABEL_1: 'positive', LABEL_2: 'negative' } })),
      ).toEqual([
        'SENTIMENT_LABELS names labels the model does not have: LABEL_2 (it has: LABEL_0, LABEL_1)',
        'no class maps to negative: a sentiment model needs both',
      ]);
    });

    it('refuses an id2label without consecutive ids', () => {
      writeSentiment({ 0: 'negative', 2: 'positive' });
      expect(problemsOf(() => resolveSentimentModel(config))).toEqual(['config.json: id2label must have string labels for the ids 0..1 (id 1 is missing)']);
    });
  });
});
