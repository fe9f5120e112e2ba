/** @jest-environment ./packages/inference/test/support/onnx-runtime.environment.ts */
import { createSentimentClassifier, ModelLoadError, SENTIMENT_LABELS, type SentimentClassifier, type SentimentLabel, type SentimentResult } from '../src';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cudaAddOnInstalled } from '../src/runtime';
import { committedConfig, longReview, readModelJson } from './support/models';

const reviews = [
  '这件衣服质量很好，穿着很舒服，推荐购买！',
  '物流太慢了，等了一个星期才到，差评。',
  'This dress is absolutely gorgeous and fits perfectly.',
  'The fabric felt cheap; I returned it the next day.',
  '',
];

function expectWellFormed(result: SentimentResult): void {
  expect(Object.keys(result.scores).sort()).toEqual([...SENTIMENT_LABELS]);
  expect(SENTIMENT_LABELS).toContain(result.label);
  const total = Object.values(result.scores).reduce((sum, score) => sum + score, 0);
  expect(total).toBeCloseTo(1, 6);
  expect(result.score).toBe(result.scores[result.label]);
  expect(result.score).toBe(Math.max(...Object.values(result.scores)));
}

describe.each(['q8', 'fp32'] as const)('sentiment classifier (%s)', (dtype) => {
  let classifier: SentimentClassifier;

  beforeAll(async () => {
    classifier = await createSentimentClassifier(committedConfig({ INFERENCE_DTYPE: dtype }));
  });

  afterAll(async () => {
    await classifier.dispose();
  });

  it('names the model and its version', () => {
    const modelConfig = readModelJson('serendip-sentiment-zh-en', 'config.json');
    expect(classifier.model).toBe('serendip-sentiment-zh-en');
    expect(classifier.version).toBe((modelConfig.serendip as { version: string }).version);
  });

  it('gives every text one of negative/neutral/positive with scores that sum to 1', async () => {
    const results = await classifier.classify(reviews);
    expect(results).toHaveLength(reviews.length);
    results.forEach(expectWellFormed);
    expect(await classifier.classify([])).toEqual([]);
  });

  it('classifies a batch as it classifies each text alone', async () => {
    const batch = await classifier.classify(reviews);
    // int8 activations are quantised with a scale taken over the whole batch: on 67 ChnSentiCorp
    // reviews q8 scores moved by up to 0.041 between batch and alone, fp32 ones not at all.
    const tolerance = dtype === 'fp32' ? 1e-5 : 0.05;
    for (const [index, review] of reviews.entries()) {
      const [alone] = await classifier.classify([review]);
      for (const label of SENTIMENT_LABELS) expect(Math.abs(alone!.scores[label] - batch[index]!.scores[label])).toBeLessThan(tolerance);
      if (dtype === 'fp32') expect(alone!.label).toBe(batch[index]!.label);
    }
  });

  it('classifies clear Chinese and English reviews as a reader would', async () => {
    const clear: [string, SentimentLabel][] = [
      ['这件衣服质量很好，穿着很舒服，推荐购买！', 'positive'],
      ['非常满意，物超所值，五星好评！', 'positive'],
      ['酒店服务周到，房间干净，下次还会再来。', 'positive'],
      ['质量太差了，穿了一次就破了，退货！', 'negative'],
      ['物流太慢了，等了一个星期才到，差评。', 'negative'],
      ['手机用了三天就死机，客服也不理人，非常失望。', 'negative'],
      ['This dress is absolutely gorgeous and fits perfectly. I love it!', 'positive'],
      ['Beautiful top, great fit, I get compliments every time I wear it.', 'positive'],
      ['Terrible quality, very disappointed, do not buy.', 'negative'],
    ];
    const results = await classifier.classify(clear.map(([text]) => text));
    expect(results.map((result) => result.label)).toEqual(clear.map(([, label]) => label));
    // A clear majority, not near-certainty: the blend with the class-weighted n-gram head keeps some
    // neutral mass on short English complaints ("Terrible quality, …" 0.74, was 0.8+ from the network alone).
    for (const result of results) expect(result.score).toBeGreaterThan(0.7);
  });

  it('truncates a 5,000-character review instead of failing', async () => {
    const [result] = await classifier.classify([longReview('很差 ')]);
    expectWellFormed(result!);
  });
});

describe('sentiment classifier on CUDA', () => {
  it('explains what to install when the CUDA provider cannot be loaded', async () => {
    const loading = createSentimentClassifier(committedConfig({ INFERENCE_DEVICE: 'cuda' }));
    if (!cudaAddOnInstalled()) {
      await expect(loading).rejects.toThrow(ModelLoadError);
      await expect(loading).rejects.toThrow(/INFERENCE_DEVICE=cuda needs the onnxruntime-node CUDA add-on.*ONNXRUNTIME_NODE_INSTALL_CUDA=v12/);
      return;
    }
    // With the add-on present the outcome depends on the GPU and its libraries: it loads, or it says why not.
    const outcome = await loading.then(
      async (classifier) => {
        expectWellFormed((await classifier.classify(reviews.slice(0, 1)))[0]!);
        await classifier.dispose();
        return 'loaded';
      },
      (error: unknown) => (error instanceof ModelLoadError ? 'explained' : error),
    );
    expect(['loaded', 'explained']).toContain(outcome);
  });
});

describe('sentiment classifier with a damaged n-gram head', () => {
  it('refuses to load, naming the head, rather than serving the network alone', async () => {
    const models = fs.mkdtempSync(path.join(os.tmpdir(), 'sentiment-head-'));
    try {
      const source = path.join(committedConfig().MODELS_DIR, 'serendip-sentiment-zh-en');
      fs.cpSync(source, path.join(models, 'serendip-sentiment-zh-en'), { recursive: true, filter: (file) => !file.endsWith('pytorch_model.bin') });
      const file = path.join(models, 'serendip-sentiment-zh-en', 'ngram-head.bin');
      const bytes = fs.readFileSync(file);
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
      fs.writeFileSync(file, bytes);
      const loading = createSentimentClassifier(committedConfig({ MODELS_DIR: models }));
      await expect(loading).rejects.toThrow(ModelLoadError);
      await expect(loading).rejects.toMatchObject({ problems: [expect.stringMatching(/^its n-gram head: .*SHA-256/)] });
    } finally {
      fs.rmSync(models, { recursive: true, force: true });
    }
  });
});
