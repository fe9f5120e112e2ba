import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from '@serendip/config';
import { SENTIMENT_LABELS, type SentimentLabel } from './config';

/**
 * A sentiment model's n-gram heads: per language (a text goes by its script), a logistic
 * regression over hashed TF-IDF n-grams, trained beside the network and blended with it
 * (models/training/ngram_head.py, which holds the same feature contract). On star-rated English
 * reviews such a model is about as good as the small network alone and errs differently, so the
 * blend beats either; each head's blend weight and neutral offset were chosen on validation rows.
 */
export const NGRAM_HEAD_CARD = 'ngram-head.json';
const MAGIC = 'SNGH';
const FORMAT = 1;

const headSchema = z.object({
  language: z.enum(['zh', 'en']),
  buckets: z.number().int().positive(),
  /** The labels the head's training rows had: the binary Chinese sets never say neutral. */
  labels: z.array(z.enum(SENTIMENT_LABELS)).min(2),
  alpha: z.number().min(0).max(1),
  neutralOffset: z.number(),
});
const cardSchema = z.object({
  format: z.literal(FORMAT),
  file: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  labels: z.array(z.enum(SENTIMENT_LABELS)).min(2),
  heads: z.array(headSchema).min(1),
});
type HeadCard = z.infer<typeof headSchema>;

/** One language's regression: its card entry, and bias, idf and weights as the file holds them. */
interface Head {
  card: HeadCard;
  bias: Float32Array;
  idf: Float32Array;
  weight: Float32Array;
}

/** ngram_head.py's ROUTING: a text with a Han character goes to the Chinese head. */
const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
export const headLanguage = (text: string): 'zh' | 'en' => (HAN.test(text) ? 'zh' : 'en');

const WORD = /[a-z0-9']+/g;
const SPLIT = /[a-z0-9'\s]+/;

/** FNV-1a, 32 bits, over the UTF-8 bytes: the hash ngram_head.py buckets features by. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/**
 * The head's features: the lower-cased text's Latin words as 1–3-grams (`w:a b`), and every other
 * run of non-space characters as character 1–3-grams (`c:好用`), characters counted by code point
 * as Python counts them.
 */
export function ngramFeatures(text: string): string[] {
  const lower = text.toLowerCase();
  const words = lower.match(WORD) ?? [];
  const features: string[] = [];
  for (const n of [1, 2, 3]) for (let i = 0; i + n <= words.length; i++) features.push(`w:${words.slice(i, i + n).join(' ')}`);
  for (const run of lower.split(SPLIT)) {
    const chars = Array.from(run);
    for (const n of [1, 2, 3]) for (let i = 0; i + n <= chars.length; i++) features.push(`c:${chars.slice(i, i + n).join('')}`);
  }
  return features;
}

/** IEEE half precision to a number (Node 20 has no Float16Array). */
function half(bits: number): number {
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  const sign = bits & 0x8000 ? -1 : 1;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

const logSoftmax = (values: ArrayLike<number>): Float64Array => {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]!);
  let total = 0;
  for (let i = 0; i < values.length; i++) total += Math.exp(values[i]! - max);
  const log = Math.log(total) + max;
  return Float64Array.from(values, (value) => value - log);
};

export class NgramHead {
  private constructor(
    private readonly labels: readonly SentimentLabel[],
    private readonly heads: ReadonlyMap<string, Head>,
  ) {}

  /**
   * The heads in a model folder, checked against their card's SHA-256 and the model's labels;
   * null when the folder has none (any other model, which is then served alone).
   */
  static load(dir: string, classLabels: readonly SentimentLabel[]): NgramHead | null {
    const cardPath = path.join(dir, NGRAM_HEAD_CARD);
    if (!existsSync(cardPath)) return null;
    const card = cardSchema.parse(JSON.parse(readFileSync(cardPath, 'utf8')));
    if (card.labels.join() !== classLabels.join()) {
      throw new Error(`${cardPath}: labels ${card.labels.join(', ')} are not the model's ${classLabels.join(', ')}`);
    }
    const file = path.join(dir, card.file);
    const bytes = readFileSync(file);
    const digest = createHash('sha256').update(bytes).digest('hex');
    if (digest !== card.sha256) throw new Error(`${file}: SHA-256 ${digest} is not the card's ${card.sha256}`);
    const classes = card.labels.length;
    if (
      bytes.toString('latin1', 0, 4) !== MAGIC ||
      bytes.readUInt32LE(4) !== FORMAT ||
      bytes.readUInt32LE(8) !== classes ||
      bytes.readUInt32LE(12) !== card.heads.length
    ) {
      throw new Error(`${file}: not a format ${FORMAT} n-gram head file of ${card.heads.length} heads and ${classes} classes`);
    }
    const heads = new Map<string, Head>();
    let at = 16;
    const halves = (count: number) => {
      const values = Float32Array.from({ length: count }, (_, i) => half(bytes.readUInt16LE(at + 2 * i)));
      at += 2 * count;
      return values;
    };
    for (const head of card.heads) {
      if (at + 4 + 4 * classes + 2 * head.buckets * (1 + classes) > bytes.length || bytes.readUInt32LE(at) !== head.buckets) {
        throw new Error(`${file}: the ${head.language} head is not ${head.buckets} buckets as the card says`);
      }
      at += 4;
      const bias = Float32Array.from({ length: classes }, (_, c) => bytes.readFloatLE(at + 4 * c));
      at += 4 * classes;
      const idf = halves(head.buckets);
      heads.set(head.language, { card: head, bias, idf, weight: halves(head.buckets * classes) });
    }
    if (at !== bytes.length) throw new Error(`${file}: ${bytes.length - at} bytes after the last head`);
    return new NgramHead(card.labels, heads);
  }

  /** The logits of the text's language's head, and that head; null when no head serves the language. */
  logits(text: string): { logits: Float64Array; head: HeadCard } | null {
    const head = this.heads.get(headLanguage(text));
    if (!head) return null;
    const { buckets } = head.card;
    const counts = new Map<number, number>();
    for (const feature of ngramFeatures(text)) {
      const bucket = fnv1a(feature) % buckets;
      counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    }
    const values = [...counts].map(([bucket, count]) => [bucket, (1 + Math.log(count)) * head.idf[bucket]!] as const);
    let squares = 0;
    for (const [, value] of values) squares += value * value;
    const norm = Math.sqrt(squares) || 1;
    const classes = this.labels.length;
    const logits = Float64Array.from(head.bias);
    for (const [bucket, value] of values) {
      for (let c = 0; c < classes; c++) logits[c] = logits[c]! + (value / norm) * head.weight[bucket * classes + c]!;
    }
    return { logits, head: head.card };
  }

  /**
   * α·log softmax(network) + (1 − α)·log softmax(head) over the labels the head was trained on
   * (the head's softmax taken over them alone), the network's log-probability for a label it never
   * saw, plus the neutral offset; α and the offset are the text's language's head's. What is
   * served as the model's logits (the network's own where no head serves the language).
   */
  blend(network: ArrayLike<number>, text: string): Float32Array {
    const own = this.logits(text);
    if (!own) return Float32Array.from(network);
    const { alpha, neutralOffset, labels: trained } = own.head;
    const net = logSoftmax(network);
    const indices = this.labels.flatMap((label, c) => (trained.includes(label) ? [c] : []));
    const ngram = logSoftmax(indices.map((c) => own.logits[c]!));
    return Float32Array.from(this.labels, (label, c) => {
      const at = indices.indexOf(c);
      const mixed = at === -1 ? net[c]! : alpha * net[c]! + (1 - alpha) * ngram[at]!;
      return mixed + (label === 'neutral' ? neutralOffset : 0);
    });
  }
}
