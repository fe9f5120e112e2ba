/** @jest-environment ./packages/inference/test/support/onnx-runtime.environment.ts */
import fs from 'node:fs';
import path from 'node:path';
import { resolveEmbeddingModel, resolveSentimentModel } from '../src';
import { loadTokenEncoder, type TokenEncoder } from '../src/encoding';
import { committedConfig } from './support/models';

interface ParityCase {
  text: string;
  ids: number[];
}

const config = committedConfig();
const cases = JSON.parse(fs.readFileSync(path.join(config.MODELS_DIR, 'fixtures', 'tokenizer-parity.json'), 'utf8')) as ParityCase[];

describe.each([
  ['embedding', () => resolveEmbeddingModel(config)],
  ['sentiment', () => resolveSentimentModel(config)],
])('tokenizer parity with the Python tokenizer (%s model)', (_, resolve) => {
  let encoder: TokenEncoder;

  beforeAll(async () => {
    encoder = await loadTokenEncoder(resolve());
  });

  it('covers Chinese, English, mixed and truncated text', () => {
    expect(cases.some((entry) => /[\u4e00-\u9fff]/.test(entry.text) && !/[a-z]/i.test(entry.text))).toBe(true);
    expect(cases.some((entry) => /^[\x20-\x7e]+$/.test(entry.text))).toBe(true);
    expect(cases.some((entry) => /[\u4e00-\u9fff]/.test(entry.text) && /[a-z]{3}/i.test(entry.text))).toBe(true);
    expect(cases.some((entry) => entry.ids.length === resolve().maxLength)).toBe(true);
  });

  it.each(cases.map((entry) => [JSON.stringify(entry.text).slice(0, 60), entry] as const))('%s', (_label, entry) => {
    expect(encoder.ids(entry.text)).toEqual(entry.ids);
  });

  it('keeps the closing [SEP] when it truncates, as the model was trained', () => {
    const ids = encoder.ids('很好'.repeat(300));
    const sep = encoder.ids('')[1];
    expect(ids).toHaveLength(encoder.maxLength);
    expect(ids[ids.length - 1]).toBe(sep);
  });
});
