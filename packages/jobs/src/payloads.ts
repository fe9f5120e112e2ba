import { isRowId } from '@serendip/db';
import { JobName } from './names';

/** A product's text (title, description, attributes) to embed for semantic search and candidates. */
export interface ProductText {
  /** Catalogue product id (BIGINT read as a string). */
  productId: string;
  text: string;
}

/**
 * Most products one embed-products job carries. Bulk work (imports, backfills, a model upgrade)
 * travels in chunks so Redis and BullMQ cost once per chunk rather than once per product, which
 * on CPU is as much as the inference itself; a single product write still sends one.
 */
export const MAX_PRODUCTS_PER_JOB = 64;

/** Products to embed; each product id at most once. */
export interface EmbedProductsPayload {
  products: ProductText[];
}

/** A shopper's search text, embedded for semantic search. */
export interface EmbedTextPayload {
  text: string;
}

/** A review to classify (sentiment) and embed (topics, similar reviews). */
export interface AnalyseReviewPayload {
  /** Feedback review id (BIGINT read as a string). */
  reviewId: string;
  text: string;
}

/** Recompute one shopper's interest state and recommendations from their stored events. */
export interface UpdateInterestPayload {
  /** User id (UUID). */
  userId: string;
}

/** Train a new sequence model version on the platform's events and gate it against the serving one. */
export interface RetrainSequencePayload {
  /** Training budget; the worker's SEQUENCE_TRAIN_MINUTES when absent. */
  minutes?: number;
}

export interface JobPayloads {
  [JobName.EmbedProducts]: EmbedProductsPayload;
  [JobName.EmbedText]: EmbedTextPayload;
  [JobName.AnalyseReview]: AnalyseReviewPayload;
  [JobName.UpdateInterest]: UpdateInterestPayload;
  [JobName.RetrainSequence]: RetrainSequencePayload;
}

/** Which model produced a result, so stored vectors of different models are never compared. */
export interface ModelStamp {
  model: string;
  version: string;
}

/** An L2-normalised sentence embedding. */
export interface EmbeddingResult extends ModelStamp {
  /** Encoded by `encodeVector`; read it with `embeddingVector`, which also reads results of older workers. */
  embedding: string;
}

/**
 * What an embed-products job returns. A worker that stores the vectors (the default, in the
 * catalogue's database) returns only which products it stored, keeping Redis's job hashes and
 * event stream small; one that does not (WORKER_PRODUCT_EMBEDDINGS=off) returns the vectors in
 * the order of `productIds`, each encoded by `encodeVector`.
 */
export interface EmbedProductsResult extends ModelStamp {
  productIds: string[];
  embeddings?: string[];
}

export type EmbedTextResult = EmbeddingResult;

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface SentimentResult extends ModelStamp {
  label: SentimentLabel;
  /** Probability of `label`. */
  score: number;
  scores: Record<SentimentLabel, number>;
}

/** One aspect (quality, size_fit, logistics, …) named in a clause of a review, with the clause's sentiment. */
export interface ReviewAspectResult {
  aspect: string;
  sentiment: SentimentLabel;
  /** Probability of `sentiment` for the clause. */
  score: number;
  /** The clause, a substring of the review, quoted back as evidence. */
  clause: string;
}

export interface AnalyseReviewResult {
  reviewId: string;
  /** Detected from the text: `zh`, `en` or `und`. */
  language: string;
  sentiment: SentimentResult;
  embedding: EmbeddingResult;
  aspects: ReviewAspectResult[];
  /** How often each content token occurs: the input of keyword and topic statistics. */
  terms: Record<string, number>;
  /** The review's own keywords, best first. */
  keywords: string[];
}

/**
 * What an interest update recognised; the profile itself is stored in the recommendation database.
 * No user id: results outlive their job in the queue's event stream, and forgetting a shopper
 * must not leave their id there.
 */
export interface UpdateInterestResult {
  interests: number;
  /** Events and skipped impressions that went into it. */
  signals: number;
}

/**
 * What a retrain did: SERVING (the new version passed the quality gate and serves), REJECTED (it
 * scored below the serving version on the same validation items; kept in the registry, not
 * served) or REFUSED (too little data to train; nothing was written).
 */
export interface RetrainSequenceResult {
  status: 'SERVING' | 'REJECTED' | 'REFUSED';
  version: string | null;
  /** The new version's validation HR@10 (each shopper's last product from the ones before it). */
  hr10: number | null;
  /** The serving version's HR@10 on the same validation items; null when none served. */
  baselineHr10: number | null;
  /** The same by the validation shopper's history length (1, 2-4, 5-9, 10+ products); empty when refused. */
  byHistory: { history: string; cases: number; hr10: number; ndcg10: number; baselineHr10: number | null }[];
  note: string;
}

export interface JobResults {
  [JobName.EmbedProducts]: EmbedProductsResult;
  [JobName.EmbedText]: EmbedTextResult;
  [JobName.AnalyseReview]: AnalyseReviewResult;
  [JobName.UpdateInterest]: UpdateInterestResult;
  [JobName.RetrainSequence]: RetrainSequenceResult;
}

export type JobResult<J extends JobName> = J extends keyof JobResults ? JobResults[J] : unknown;

export type Validation<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/**
 * The models read at most 128 tokens; a text far longer than that is a producer bug (a whole
 * page pasted into a title), not something to ship through Redis.
 */
export const MAX_TEXT_LENGTH = 10_000;

type Field = (value: unknown) => string | null;

const text: Field = (value) => {
  if (typeof value !== 'string') return 'must be a string';
  if (value.trim().length === 0) return 'must not be blank';
  if (value.length > MAX_TEXT_LENGTH) return `must be at most ${MAX_TEXT_LENGTH} characters`;
  return null;
};

const rowId: Field = (value) => (typeof value === 'string' && isRowId(value) ? null : 'must be a positive integer id as a string');

const uuid: Field = (value) =>
  typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? null : 'must be a UUID';

/**
 * Checks an object against exact fields. Unknown keys are refused too: a misspelt field
 * (`productID`) would otherwise pass as a payload missing nothing the schema knows about.
 */
function objectOf<T>(fields: Record<keyof T & string, Field>): (data: unknown) => Validation<T> {
  return (data) => {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, problems: ['payload must be an object'] };
    const record = data as Record<string, unknown>;
    const problems: string[] = [];
    for (const [key, check] of Object.entries<Field>(fields)) {
      const problem = check(record[key]);
      if (problem) problems.push(`${key}: ${problem}`);
    }
    for (const key of Object.keys(record)) if (!(key in fields)) problems.push(`${key}: unknown field`);
    return problems.length > 0 ? { ok: false, problems } : { ok: true, value: data as T };
  };
}

/** One product of an embed-products payload. */
export const validateProductText = objectOf<ProductText>({ productId: rowId, text });

const products: Field = (value) => {
  if (!Array.isArray(value)) return 'must be an array';
  if (value.length < 1 || value.length > MAX_PRODUCTS_PER_JOB) return `must hold 1 to ${MAX_PRODUCTS_PER_JOB} products`;
  const problems = value.flatMap((item, index) => {
    const checked = validateProductText(item);
    return checked.ok ? [] : checked.problems.map((problem) => `[${index}].${problem}`);
  });
  if (problems.length > 0) return problems.join('; ');
  const ids = new Set(value.map((item: ProductText) => item.productId));
  return ids.size === value.length ? null : 'must name each product once';
};

/** A longest training budget, so a mistyped payload cannot hold the training queue for days. */
export const MAX_TRAINING_MINUTES = 600;

const minutes: Field = (value) =>
  value === undefined || (typeof value === 'number' && value > 0 && value <= MAX_TRAINING_MINUTES) ? null : `must be minutes in (0, ${MAX_TRAINING_MINUTES}]`;

export const payloadValidators: { readonly [J in JobName]: (data: unknown) => Validation<JobPayloads[J]> } = {
  [JobName.EmbedProducts]: objectOf<EmbedProductsPayload>({ products }),
  [JobName.EmbedText]: objectOf<EmbedTextPayload>({ text }),
  [JobName.AnalyseReview]: objectOf<AnalyseReviewPayload>({ reviewId: rowId, text }),
  [JobName.UpdateInterest]: objectOf<UpdateInterestPayload>({ userId: uuid }),
  [JobName.RetrainSequence]: objectOf<RetrainSequencePayload>({ minutes }),
};

export function validatePayload<J extends JobName>(name: J, data: unknown): Validation<JobPayloads[J]> {
  return payloadValidators[name](data);
}
