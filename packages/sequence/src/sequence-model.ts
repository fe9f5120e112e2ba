import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from '@serendip/config';

/** A version's files: the card, the exported query graph, the item vectors, and (platform versions) the product ids. */
export const MODEL_FILES = { card: 'model.json', graph: 'sequence.onnx', vectors: 'item-vectors.f32', items: 'items.json' } as const;

/** Something wrong with one of a version's files; `file` is the path, so an operator knows what to replace. */
export class SequenceModelError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'SequenceModelError';
  }
}

const cardSchema = z.object({
  model: z.string(),
  items: z.number().int().positive(),
  dim: z.number().int().positive(),
  layers: z.number().int().positive(),
  maxLen: z.number().int().positive(),
  parameters: z.number().int().positive(),
  bestEpoch: z.number().int().positive(),
  trainingSeconds: z.number().nonnegative(),
  validation: z.object({ hr10: z.number().min(0).max(1), ndcg10: z.number().min(0).max(1), users: z.number().int().nonnegative() }),
  /** Set when the exported model was retrained from scratch for the chosen epochs on the validation items too (`--refit`). */
  refit: z.object({ trainedOn: z.string(), epochs: z.number().int().positive(), seconds: z.number().nonnegative() }).nullable().optional(),
});

/** model.json as the trainer writes it: sizes, settings and the validation figures of the kept epoch (more fields pass through). */
export type SequenceModelCard = z.infer<typeof cardSchema>;

export interface SequenceVectors {
  dir: string;
  card: SequenceModelCard;
  /** [items + 1, dim] floats, row 0 the padding item. */
  vectors: Float32Array;
  /** Product id of item i + 1 (items.json); null for a benchmark model, whose items are the data set's own ids. */
  productIds: string[] | null;
  /** Bytes on disk: the query graph and the item vectors. */
  bytes: number;
}

async function readFile(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SequenceModelError(file, code === 'ENOENT' ? 'missing' : `unreadable (${code ?? (error as Error).message})`);
  }
}

async function readJson(file: string): Promise<unknown> {
  const text = (await readFile(file)).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new SequenceModelError(file, 'not valid JSON');
  }
}

/** The card and product ids of the version in `dir`, checked against each other; neither the vectors nor the graph are read. */
export async function readSequenceItems(dir: string, options: { requireProductIds?: boolean } = {}): Promise<Pick<SequenceVectors, 'card' | 'productIds'>> {
  const cardFile = path.join(dir, MODEL_FILES.card);
  const parsed = cardSchema.passthrough().safeParse(await readJson(cardFile));
  if (!parsed.success)
    throw new SequenceModelError(cardFile, `not a sequence model card (${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')})`);
  const card = parsed.data;

  const itemsFile = path.join(dir, MODEL_FILES.items);
  let productIds: string[] | null = null;
  const hasItems = await fs.stat(itemsFile).then(
    () => true,
    () => false,
  );
  if (hasItems || options.requireProductIds) {
    const items = await readJson(itemsFile);
    if (!Array.isArray(items) || items.length !== card.items || !items.every((id) => typeof id === 'string' && id.length > 0)) {
      throw new SequenceModelError(itemsFile, `expected ${card.items} product ids`);
    }
    productIds = items as string[];
  }
  return { card, productIds };
}

/** The card, item vectors and product ids of the version in `dir`, each checked against the card; no ONNX is loaded. */
export async function readSequenceVectors(dir: string, options: { requireProductIds?: boolean } = {}): Promise<SequenceVectors> {
  const { card, productIds } = await readSequenceItems(dir, options);
  const vectorsFile = path.join(dir, MODEL_FILES.vectors);
  const raw = await readFile(vectorsFile);
  const expected = (card.items + 1) * card.dim * 4;
  if (raw.byteLength !== expected) throw new SequenceModelError(vectorsFile, `holds ${raw.byteLength} bytes, not ${card.items + 1} items × ${card.dim} floats`);
  // A copy aligned for Float32Array: a Buffer may start at any byte of Node's pool.
  const vectors = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  for (let i = 0; i < vectors.length; i++) {
    if (!Number.isFinite(vectors[i]!)) throw new SequenceModelError(vectorsFile, `value ${i} is not finite`);
  }

  const graphFile = path.join(dir, MODEL_FILES.graph);
  const graph = await fs.stat(graphFile).catch(() => {
    throw new SequenceModelError(graphFile, 'missing');
  });
  return { dir, card, vectors, productIds, bytes: raw.byteLength + graph.size };
}

/** A loaded version: its vectors and the query graph. */
export interface SequenceModel extends SequenceVectors {
  /** Query vectors of the histories (item ids, oldest first), `dim` floats each, one after the other. */
  queries(histories: readonly (readonly number[])[]): Promise<Float32Array>;
  /** Frees the ONNX session. */
  release(): Promise<void>;
}

/** Histories per ONNX call: large enough to amortise the call, small enough to bound its memory. */
const BATCH = 256;

/**
 * Loads the version in `dir` with its ONNX session (onnxruntime-node, loaded on first use so that
 * processes reading only vectors never load the native runtime). A graph that does not load, or
 * that does not map `items` [batch, maxLen] to `query` [batch, dim], is refused naming the file.
 */
export async function loadSequenceModel(dir: string, options: { threads?: number; requireProductIds?: boolean } = {}): Promise<SequenceModel> {
  const files = await readSequenceVectors(dir, options);
  const { card } = files;
  const ort = await import('onnxruntime-node');
  const graphFile = path.join(dir, MODEL_FILES.graph);
  let session: Awaited<ReturnType<typeof ort.InferenceSession.create>>;
  try {
    session = await ort.InferenceSession.create(graphFile, { intraOpNumThreads: options.threads ?? 1 });
  } catch (error) {
    throw new SequenceModelError(graphFile, `does not load (${(error as Error).message.split('\n')[0]})`);
  }
  const queries = async (histories: readonly (readonly number[])[]): Promise<Float32Array> => {
    const out = new Float32Array(histories.length * card.dim);
    for (let start = 0; start < histories.length; start += BATCH) {
      const batch = histories.slice(start, start + BATCH);
      const ids = new BigInt64Array(batch.length * card.maxLen);
      batch.forEach((history, row) => {
        // Left-padded with 0: the most recent item sits in the last position, whose output is the query.
        const tail = history.slice(-card.maxLen);
        // Items the model was not trained on (newer ones) stand as padding: it has no vector for them.
        tail.forEach((item, position) => (ids[row * card.maxLen + card.maxLen - tail.length + position] = BigInt(item >= 1 && item <= card.items ? item : 0)));
      });
      const result = await session.run({ items: new ort.Tensor('int64', ids, [batch.length, card.maxLen]) });
      const query = result.query?.data;
      if (!(query instanceof Float32Array) || query.length !== batch.length * card.dim) {
        throw new SequenceModelError(graphFile, `does not give a ${card.dim}-float query per history`);
      }
      out.set(query, start * card.dim);
    }
    return out;
  };
  // One query at load: a graph of another shape fails here, not on a shopper's request.
  await queries([[1]]);
  return { ...files, queries, release: () => session.release() };
}

/** Every item's score for one query: its dot product with the item's vector (row 0 and items beyond the model's 0). Writes into `scores`. */
export function scoreItems(model: Pick<SequenceVectors, 'card' | 'vectors'>, query: Float32Array, scores: Float32Array): void {
  const { dim, items } = model.card;
  scores.fill(0);
  for (let item = 1; item <= items && item < scores.length; item++) {
    let dot = 0;
    const offset = item * dim;
    for (let d = 0; d < dim; d++) dot += model.vectors[offset + d]! * query[d]!;
    scores[item] = dot;
  }
}
