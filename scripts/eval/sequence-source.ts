/**
 * The sequence model's source for pnpm eval:topn: a SASRec-style model trained by
 * models/training/sequence_model.py turns a user's recent items into a query vector (ONNX, run
 * with onnxruntime-node), and every item is scored by its dot product with the query.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';

export interface SequenceModel {
  /** model.json as the trainer wrote it (sizes, settings, validation figures, training time). */
  card: {
    items: number;
    dim: number;
    layers: number;
    maxLen: number;
    parameters: number;
    trainingSeconds: number;
    bestEpoch: number;
    validation: { hr10: number; ndcg10: number };
    /** Set when, after the epoch count was chosen, the exported model was retrained from scratch on the validation items too (`--refit`). */
    refit?: { trainedOn: string; epochs: number; seconds: number } | null;
  };
  /** [items + 1, dim], row 0 the padding item. */
  vectors: Float32Array;
  /** Query vectors of the histories (oldest item first), `dim` floats each, in order. */
  queries(histories: readonly (readonly number[])[]): Promise<Float32Array>;
  /** Bytes on disk: the ONNX graph and the item vectors. */
  bytes: number;
}

const BATCH = 256;

export async function loadSequenceModel(dir: string): Promise<SequenceModel> {
  const card = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as SequenceModel['card'];
  const raw = fs.readFileSync(path.join(dir, 'item-vectors.f32'));
  if (raw.byteLength !== (card.items + 1) * card.dim * 4) {
    throw new Error(`${path.join(dir, 'item-vectors.f32')} holds ${raw.byteLength} bytes, not ${card.items + 1} items × ${card.dim} floats`);
  }
  const vectors = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const onnxPath = path.join(dir, 'sequence.onnx');
  const session = await ort.InferenceSession.create(onnxPath, { intraOpNumThreads: 2 });
  return {
    card,
    vectors,
    bytes: raw.byteLength + fs.statSync(onnxPath).size,
    async queries(histories) {
      const out = new Float32Array(histories.length * card.dim);
      for (let start = 0; start < histories.length; start += BATCH) {
        const batch = histories.slice(start, start + BATCH);
        const ids = new BigInt64Array(batch.length * card.maxLen);
        batch.forEach((history, row) => {
          // Left-padded with 0: the most recent item sits in the last position, whose output is the query.
          const tail = history.slice(-card.maxLen);
          // Items the model was not trained on (new ones) stand as padding: it has no vector for them.
          tail.forEach((item, position) => (ids[row * card.maxLen + card.maxLen - tail.length + position] = BigInt(item <= card.items ? item : 0)));
        });
        const result = await session.run({ items: new ort.Tensor('int64', ids, [batch.length, card.maxLen]) });
        out.set(result.query!.data as Float32Array, start * card.dim);
      }
      return out;
    },
  };
}

/** Every item's score for one query: its dot product with the item's vector (slot 0 and unknown items 0). Writes into `scores`. */
export function scoreSequence(model: SequenceModel, query: Float32Array, scores: Float32Array): void {
  const { dim, items } = model.card;
  scores.fill(0);
  for (let item = 1; item <= items && item < scores.length; item++) {
    let dot = 0;
    const offset = item * dim;
    for (let d = 0; d < dim; d++) dot += model.vectors[offset + d]! * query[d]!;
    scores[item] = dot;
  }
}
