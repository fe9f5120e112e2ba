import { Tensor } from '@huggingface/transformers';
import { inLengthSortedBatches } from '../src/batching';

const BATCH_SIZE = 32;
import { pool } from '../src/embedder';
import { toResult } from '../src/sentiment';

describe('pool', () => {
  // Two texts, three token slots, width 2; the second text has one padding slot.
  const hidden = new Tensor('float32', new Float32Array([1, 0, 3, 4, 100, 100, 0, 2, 0, 4, 50, -50]), [2, 3, 2]);
  const mask = new Tensor('int64', new BigInt64Array([1n, 1n, 1n, 1n, 1n, 0n]), [2, 3]);

  it('averages only the tokens the attention mask keeps, then scales to unit length', () => {
    const [first, second] = pool(hidden, mask, 'mean', 2);
    // first: mean of (1,0), (3,4), (100,100) = (104/3, 104/3); second ignores (50,-50): (0, 3).
    expect(Array.from(first!)).toEqual([Math.fround(Math.SQRT1_2), Math.fround(Math.SQRT1_2)]);
    expect(Array.from(second!)).toEqual([0, 1]);
  });

  it('takes the first token for cls pooling', () => {
    const [first, second] = pool(hidden, mask, 'cls', 2);
    expect(Array.from(first!)).toEqual([1, 0]);
    expect(Array.from(second!)).toEqual([0, 1]);
  });

  it('refuses a hidden size other than the declared dimension', () => {
    expect(() => pool(hidden, mask, 'mean', 3)).toThrow('last_hidden_state has dims [2, 3, 2], expected [batch, tokens, 3]');
  });
});

describe('toResult', () => {
  // Logits are float32, so probabilities match to float32 precision only.
  it('softmaxes the logits and picks the most likely label', () => {
    const result = toResult(new Float32Array([0, Math.log(2), Math.log(5)]), ['negative', 'neutral', 'positive']);
    expect(result.label).toBe('positive');
    expect(result.score).toBeCloseTo(5 / 8, 6);
    expect(result.scores.negative).toBeCloseTo(1 / 8, 6);
    expect(result.scores.neutral).toBeCloseTo(2 / 8, 6);
  });

  it('adds up classes that share a label and gives two-class models a neutral of 0', () => {
    const stars = toResult(new Float32Array([1, 1, 1, 0, 0]).map(Math.log), ['negative', 'negative', 'neutral', 'positive', 'positive']);
    expect(stars.label).toBe('negative');
    expect(stars.scores.negative).toBeCloseTo(2 / 3, 6);
    const binary = toResult(new Float32Array([2, -1]), ['negative', 'positive']);
    expect(binary.scores.neutral).toBe(0);
    expect(binary.scores.negative + binary.scores.positive).toBeCloseTo(1, 12);
  });

  it('stays finite for large logits', () => {
    const result = toResult(new Float32Array([1000, 0, -1000]), ['negative', 'neutral', 'positive']);
    expect(result).toEqual({ label: 'negative', score: 1, scores: { negative: 1, neutral: 0, positive: 0 } });
  });
});

describe('inLengthSortedBatches', () => {
  it('returns results in input order with bounded batches sorted by token count', async () => {
    const rows = Array.from({ length: BATCH_SIZE * 2 + 5 }, (_, index) => Array.from({ length: (index * 7919) % 101 }, () => index));
    const batches: number[][][] = [];
    const results = await inLengthSortedBatches(rows, BATCH_SIZE, async (batch) => {
      batches.push(batch);
      return batch.map((row) => row.length);
    });
    expect(results).toEqual(rows.map((row) => row.length));
    expect(batches.map((batch) => batch.length)).toEqual([BATCH_SIZE, BATCH_SIZE, 5]);
    const lengths = batches.flat().map((row) => row.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
  });

  it('does nothing for no texts', async () => {
    await expect(inLengthSortedBatches([], BATCH_SIZE, async () => [])).resolves.toEqual([]);
  });
});
