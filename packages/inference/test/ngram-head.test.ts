import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fnv1a, headLanguage, NgramHead, NGRAM_HEAD_CARD, ngramFeatures } from '../src/ngram-head';
import { committedConfig } from './support/models';

interface ParityCase {
  text: string;
  language: 'zh' | 'en';
  features: string[];
  logits: number[];
}

const modelsDir = committedConfig().MODELS_DIR;
const modelDir = path.join(modelsDir, 'serendip-sentiment-zh-en');
const labels = ['negative', 'neutral', 'positive'] as const;
// Written by models/training/ngram_head.py from the committed head, with its own features and hash.
const cases = JSON.parse(fs.readFileSync(path.join(modelsDir, 'fixtures', 'ngram-head-parity.json'), 'utf8')) as ParityCase[];

describe('the sentiment model n-gram head', () => {
  it('hashes features with FNV-1a over UTF-8 as the Python trainer does', () => {
    // Values from ngram_head.fnv1a.
    expect([fnv1a(''), fnv1a('a'), fnv1a('w:good'), fnv1a('c:好用'), fnv1a('c:😀好')]).toEqual([2166136261, 3826002220, 3928981993, 1686388078, 14489958]);
  });

  it('cuts Latin words into word n-grams and everything else into character n-grams, by code point', () => {
    expect(ngramFeatures("Great fit! Isn't it 很好用😀 ok")).toEqual([
      ...[
        'w:great',
        'w:fit',
        "w:isn't",
        'w:it',
        'w:ok',
        'w:great fit',
        "w:fit isn't",
        "w:isn't it",
        'w:it ok',
        "w:great fit isn't",
        "w:fit isn't it",
        "w:isn't it ok",
      ],
      ...['c:!', 'c:很', 'c:好', 'c:用', 'c:😀', 'c:很好', 'c:好用', 'c:用😀', 'c:很好用', 'c:好用😀'],
    ]);
    expect(ngramFeatures('   ')).toEqual([]);
  });

  it('gives the logits the Python trainer computes from the committed head', () => {
    const head = NgramHead.load(modelDir, labels)!;
    expect(head).not.toBeNull();
    expect(cases.length).toBeGreaterThanOrEqual(10);
    expect(new Set(cases.map((entry) => entry.language))).toEqual(new Set(['zh', 'en']));
    for (const entry of cases) {
      expect(headLanguage(entry.text)).toBe(entry.language);
      expect(ngramFeatures(entry.text).slice(0, 8)).toEqual(entry.features);
      const own = head.logits(entry.text)!;
      expect(own.head.language).toBe(entry.language);
      entry.logits.forEach((value, index) => expect(own.logits[index]).toBeCloseTo(value, 4));
    }
  });

  it.each([
    ['en', 'The fabric felt cheap; I returned it.'],
    ['zh', '物流太慢了，差评。'],
  ] as const)("blends in log space with the %s head's weight and adds its neutral offset to neutral only", (language, text) => {
    const card = JSON.parse(fs.readFileSync(path.join(modelDir, NGRAM_HEAD_CARD), 'utf8')) as {
      heads: { language: string; labels: string[]; alpha: number; neutralOffset: number }[];
    };
    const { alpha, neutralOffset, labels: trained } = card.heads.find((entry) => entry.language === language)!;
    // The English rows have all three labels; the Chinese sets are binary, so that head leaves neutral to the network.
    expect(trained).toEqual(language === 'en' ? [...labels] : ['negative', 'positive']);
    const head = NgramHead.load(modelDir, labels)!;
    const network = [2, -1, 0.5];
    const logSoftmax = (values: readonly number[]) => {
      const log = Math.log(values.reduce((sum, value) => sum + Math.exp(value), 0));
      return values.map((value) => value - log);
    };
    const own = logSoftmax(network);
    const headLogits = Array.from(head.logits(text)!.logits);
    const ngram = logSoftmax(labels.flatMap((label, c) => (trained.includes(label) ? [headLogits[c]!] : [])));
    const blended = head.blend(network, text);
    labels.forEach((label, c) => {
      const at = trained.indexOf(label);
      const mixed = at === -1 ? own[c]! : alpha * own[c]! + (1 - alpha) * ngram[at]!;
      expect(blended[c]).toBeCloseTo(mixed + (label === 'neutral' ? neutralOffset : 0), 5);
    });
  });

  it('serves the network alone for a language without a head', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngram-head-'));
    try {
      // The committed file less its Chinese head: the header, then the English head's bytes.
      const card = JSON.parse(fs.readFileSync(path.join(modelDir, NGRAM_HEAD_CARD), 'utf8')) as {
        heads: { language: string; buckets: number }[];
        sha256: string;
      };
      const bytes = fs.readFileSync(path.join(modelDir, 'ngram-head.bin'));
      const zh = card.heads.find((entry) => entry.language === 'zh')!;
      const english = bytes.subarray(16 + 4 + 4 * labels.length + 2 * zh.buckets * (1 + labels.length));
      const header = Buffer.from(bytes.subarray(0, 16));
      header.writeUInt32LE(1, 12);
      const file = Buffer.concat([header, english]);
      const sha256 = createHash('sha256').update(file).digest('hex');
      fs.writeFileSync(path.join(dir, 'ngram-head.bin'), file);
      fs.writeFileSync(path.join(dir, NGRAM_HEAD_CARD), JSON.stringify({ ...card, sha256, heads: card.heads.filter((entry) => entry.language === 'en') }));
      const head = NgramHead.load(dir, labels)!;
      const full = NgramHead.load(modelDir, labels)!;
      const network = [0.3, -0.2, 1.1];
      expect(head.logits('质量很差')).toBeNull();
      expect(Array.from(head.blend(network, '质量很差'))).toEqual(Array.from(Float32Array.from(network)));
      expect(Array.from(head.blend(network, 'Runs small.'))).toEqual(Array.from(full.blend(network, 'Runs small.')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is absent from a folder without one, and refused when damaged or for other labels', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngram-head-'));
    try {
      expect(NgramHead.load(dir, labels)).toBeNull();
      for (const file of [NGRAM_HEAD_CARD, 'ngram-head.bin']) fs.copyFileSync(path.join(modelDir, file), path.join(dir, file));
      expect(() => NgramHead.load(dir, ['negative', 'positive'])).toThrow(/labels negative, neutral, positive are not the model's negative, positive/);
      const bytes = fs.readFileSync(path.join(dir, 'ngram-head.bin'));
      bytes[100] = bytes[100]! ^ 0xff;
      fs.writeFileSync(path.join(dir, 'ngram-head.bin'), bytes);
      expect(() => NgramHead.load(dir, labels)).toThrow(/SHA-256 [0-9a-f]{64} is not the card's/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
