/** @jest-environment ./packages/inference/test/support/onnx-runtime.environment.ts */
import { createEmbedder, type Embedder } from '../src';
import { committedConfig, dot, longReview, maxAbsDifference, readModelJson } from './support/models';

const texts = [
  '这件衣服质量很好，穿着很舒服，推荐购买！',
  'The fabric felt cheap; I returned it the next day.',
  'iPhone 手机壳很好看，颜色和图片一样，5星好评',
  '',
  '物流太慢了，等了一个星期才到，差评。'.repeat(12),
];

describe.each(['q8', 'fp32'] as const)('embedder (%s)', (dtype) => {
  let embedder: Embedder;
  const modelConfig = readModelJson('serendip-embed-zh-en', 'config.json');

  beforeAll(async () => {
    embedder = await createEmbedder(committedConfig({ INFERENCE_DTYPE: dtype }));
  });

  afterAll(async () => {
    await embedder.dispose();
  });

  it('names the model and its version, and has the hidden size as dimension', () => {
    expect(embedder.model).toBe('serendip-embed-zh-en');
    expect(embedder.version).toBe((modelConfig.serendip as { version: string }).version);
    expect(embedder.dimension).toBe(modelConfig.hidden_size);
  });

  it('returns one unit-length vector of that dimension per text', async () => {
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(texts.length);
    for (const vector of vectors) {
      expect(vector).toHaveLength(embedder.dimension);
      expect(Math.sqrt(dot(vector, vector))).toBeCloseTo(1, 5);
    }
    expect(await embedder.embed([])).toEqual([]);
  });

  it('gives the same text the same vector', async () => {
    const [first, second] = await embedder.embed([texts[0]!, texts[0]!]);
    expect(first).toEqual(second);
    expect((await embedder.embed([texts[0]!]))[0]).toEqual(first);
  });

  it('embeds a batch as it embeds each text alone', async () => {
    const batch = await embedder.embed(texts);
    for (const [index, text] of texts.entries()) {
      const [alone] = await embedder.embed([text]);
      if (dtype === 'fp32') expect(maxAbsDifference(batch[index]!, alone!)).toBeLessThan(1e-5);
      // int8 activations are quantised with a scale taken over the whole batch, so q8 is close, not
      // equal: on 67 ChnSentiCorp reviews the lowest cosine between the two was 0.9998.
      else expect(dot(batch[index]!, alone!)).toBeGreaterThan(0.999);
    }
  });

  it('puts reviews that say the same thing closer than reviews that do not', async () => {
    const [good, alsoGood, slow, fits, alsoFits, shipping] = await embedder.embed([
      '这件衣服质量很好',
      '衣服质量不错，很满意',
      '物流太慢，等了一周',
      'The dress fits perfectly',
      'This dress fits really well',
      'Shipping took forever',
    ]);
    expect(dot(good!, alsoGood!)).toBeGreaterThan(dot(good!, slow!) + 0.1);
    expect(dot(fits!, alsoFits!)).toBeGreaterThan(dot(fits!, shipping!) + 0.1);
  });

  it('truncates a 5,000-character review instead of failing', async () => {
    const [long, sameStart] = await embedder.embed([longReview('A '), longReview('A ') + ' a different ending that is cut off']);
    expect(Math.sqrt(dot(long!, long!))).toBeCloseTo(1, 5);
    expect(maxAbsDifference(long!, sameStart!)).toBeLessThan(1e-6);
  });
});
