/** @jest-environment ./packages/inference/test/support/onnx-runtime.environment.ts */
import fs from 'node:fs';
import path from 'node:path';
import { childProcesses, untilProcessesEnd } from '@serendip/testing';
import {
  createEmbedder,
  createSentimentClassifier,
  ModelLoadError,
  SENTIMENT_LABELS,
  TorchBackendError,
  TorchErrorCode,
  type Embedder,
  type SentimentClassifier,
} from '../src';
import { committedConfig, dot, longReview, maxAbsDifference } from './support/models';

/**
 * Largest difference allowed between the torch and the ONNX Runtime backends (both fp32) in any
 * coordinate of a unit-length embedding and in any class probability. Both run the same weights
 * through the same operations, so only the order of float additions differs: the measured
 * difference is about 1e-7 (docs/inference.md); 1e-5 leaves room for other CPUs' kernels.
 */
const TOLERANCE = 1e-5;

const config = committedConfig({ INFERENCE_DTYPE: 'fp32', INFERENCE_BATCH_SIZE: 16 });
const torchConfig = { ...config, INFERENCE_BACKEND: 'torch' as const };

/**
 * Chinese, English and mixed review texts with the tokenizer's edge cases (the Python tokenizer
 * parity fixture, one of them at the 128-token limit), an empty text and a 5,000-character review.
 */
const texts = [
  ...(JSON.parse(fs.readFileSync(path.join(config.MODELS_DIR, 'fixtures', 'tokenizer-parity.json'), 'utf8')) as { text: string }[]).map(({ text }) => text),
  '质量太差了，穿了一次就破了，退货！',
  'Terrible quality, very disappointed, do not buy.',
  'It is okay, nothing special, the colour is a bit different from the picture.',
  longReview('很差 '),
];

/** The serve.py process of a model, a child of this (test) process. */
const serverOf = (model: string) => childProcesses(process.pid, `serve.py --model-dir ${path.join(config.MODELS_DIR, model)} `);

describe('torch backend against ONNX Runtime (fp32)', () => {
  let onnx: { embedder: Embedder; sentiment: SentimentClassifier };
  let torch: { embedder: Embedder; sentiment: SentimentClassifier };

  beforeAll(async () => {
    const [onnxEmbedder, onnxSentiment, torchEmbedder, torchSentiment] = await Promise.all([
      createEmbedder(config),
      createSentimentClassifier(config),
      createEmbedder(torchConfig),
      createSentimentClassifier(torchConfig),
    ]);
    onnx = { embedder: onnxEmbedder, sentiment: onnxSentiment };
    torch = { embedder: torchEmbedder, sentiment: torchSentiment };
  }, 60_000);

  afterAll(async () => {
    const servers = [...serverOf('serendip-embed-zh-en'), ...serverOf('serendip-sentiment-zh-en')];
    await Promise.all([onnx?.embedder.dispose(), onnx?.sentiment.dispose(), torch?.embedder.dispose(), torch?.sentiment.dispose()]);
    // Disposing ends the PyTorch processes.
    await untilProcessesEnd(servers);
  });

  it('names the same model and version', () => {
    expect([torch.embedder.model, torch.embedder.version, torch.embedder.dimension]).toEqual([
      onnx.embedder.model,
      onnx.embedder.version,
      onnx.embedder.dimension,
    ]);
    expect([torch.sentiment.model, torch.sentiment.version]).toEqual([onnx.sentiment.model, onnx.sentiment.version]);
  });

  it(`embeds every text as ONNX Runtime does, within ${TOLERANCE} per coordinate, in padded batches and alone`, async () => {
    const [expected, batched] = await Promise.all([onnx.embedder.embed(texts), torch.embedder.embed(texts)]);
    const apart = texts.filter((_, index) => maxAbsDifference(batched[index]!, expected[index]!) > TOLERANCE);
    expect(apart).toEqual([]);
    for (const vector of batched) expect(Math.sqrt(dot(vector, vector))).toBeCloseTo(1, 5);
    for (const text of texts.slice(0, 8)) {
      const [[alone], [reference]] = await Promise.all([torch.embedder.embed([text]), onnx.embedder.embed([text])]);
      expect(maxAbsDifference(alone!, reference!)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('pools by [CLS] as ONNX Runtime does when told to', async () => {
    const cls = { EMBEDDING_POOLING: 'cls' as const };
    const [reference, pooled] = await Promise.all([createEmbedder({ ...config, ...cls }), createEmbedder({ ...torchConfig, ...cls })]);
    try {
      const [expected, actual] = await Promise.all([reference.embed(texts), pooled.embed(texts)]);
      expect(texts.filter((_, index) => maxAbsDifference(actual[index]!, expected[index]!) > TOLERANCE)).toEqual([]);
      // Not the mean's vectors: the setting reached the PyTorch process.
      expect(maxAbsDifference(actual[0]!, (await torch.embedder.embed([texts[0]!]))[0]!)).toBeGreaterThan(0.01);
    } finally {
      await Promise.all([reference.dispose(), pooled.dispose()]);
    }
  }, 30_000);

  it(`classifies every text as ONNX Runtime does: the same label, each probability within ${TOLERANCE}`, async () => {
    const [expected, actual] = await Promise.all([onnx.sentiment.classify(texts), torch.sentiment.classify(texts)]);
    expect(actual.map((result) => result.label)).toEqual(expected.map((result) => result.label));
    const apart = texts.filter((_, index) =>
      SENTIMENT_LABELS.some((label) => Math.abs(actual[index]!.scores[label] - expected[index]!.scores[label]) > TOLERANCE),
    );
    expect(apart).toEqual([]);
  });

  it('fails the batch in flight when its PyTorch process dies, and answers the next batch from a new one', async () => {
    const [killed] = serverOf('serendip-sentiment-zh-en');
    expect(killed).toBeDefined();
    // Enough texts at the 128-token limit that the batch is still running when the kill lands.
    const batch = Array.from({ length: 512 }, (_, index) => longReview(`${index} `));
    const inFlight = torch.sentiment.classify(batch);
    await new Promise((resolve) => setImmediate(resolve));
    process.kill(killed!, 'SIGKILL');
    const error = await inFlight.then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(TorchBackendError);
    expect((error as TorchBackendError).code).toBe(TorchErrorCode.Exited);
    expect((error as TorchBackendError).message).toContain(
      'the PyTorch process exited (SIGKILL) during a batch of 16 texts; the next batch starts a new process',
    );

    const [again, reference] = await Promise.all([torch.sentiment.classify(texts.slice(0, 4)), onnx.sentiment.classify(texts.slice(0, 4))]);
    expect(again.map((result) => result.label)).toEqual(reference.map((result) => result.label));
    const [restarted] = serverOf('serendip-sentiment-zh-en');
    expect(restarted).toBeDefined();
    expect(restarted).not.toBe(killed);
  }, 60_000);
});

describe('torch backend on CUDA', () => {
  it('says so when the PyTorch it runs has no GPU', async () => {
    const outcome = await createSentimentClassifier({ ...torchConfig, INFERENCE_DEVICE: 'cuda' }).then(
      async (classifier) => {
        await classifier.dispose();
        return 'loaded';
      },
      (error: unknown) => error,
    );
    // A machine with a GPU and a CUDA build of PyTorch loads it; Debian's python3-torch never does.
    if (outcome === 'loaded') return;
    expect(outcome).toBeInstanceOf(ModelLoadError);
    expect((outcome as ModelLoadError).problems).toEqual([
      expect.stringMatching(
        /^TORCH_START_FAILED: .*INFERENCE_DEVICE=cuda, but PyTorch \S+ \((a CPU-only build|CUDA [\d.]+)\) at \S+ sees no GPU; point INFERENCE_PYTHON at/,
      ),
    ]);
  }, 30_000);
});
