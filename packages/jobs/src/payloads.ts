import { JobName } from './names';

/** A product's text (title, description, attributes) to embed for semantic search and candidates. */
export interface EmbedProductPayload {
  /** Catalogue product id (BIGINT read as a string). */
  productId: string;
  text: string;
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

export interface JobPayloads {
  [JobName.EmbedProduct]: EmbedProductPayload;
  [JobName.EmbedText]: EmbedTextPayload;
  [JobName.AnalyseReview]: AnalyseReviewPayload;
  [JobName.UpdateInterest]: UpdateInterestPayload;
}

/** Which model produced a result, so stored vectors of different models are never compared. */
export interface ModelStamp {
  model: string;
  version: string;
}

/** An L2-normalised sentence embedding. */
export interface EmbeddingResult extends ModelStamp {
  embedding: number[];
}

export interface EmbedProductResult extends EmbeddingResult {
  productId: string;
}

export type EmbedTextResult = EmbeddingResult;

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface SentimentResult extends ModelStamp {
  label: SentimentLabel;
  /** Probability of `label`. */
  score: number;
  scores: Record<SentimentLabel, number>;
}

export interface AnalyseReviewResult {
  reviewId: string;
  sentiment: SentimentResult;
  embedding: EmbeddingResult;
}

/**
 * Results of the jobs that have handlers. `update-interest` gets its result type together with
 * its handler; until then no worker serves its queue.
 */
export interface JobResults {
  [JobName.EmbedProduct]: EmbedProductResult;
  [JobName.EmbedText]: EmbedTextResult;
  [JobName.AnalyseReview]: AnalyseReviewResult;
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

const rowId: Field = (value) => (typeof value === 'string' && /^[1-9][0-9]{0,19}$/.test(value) ? null : 'must be a positive integer id as a string');

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

export const payloadValidators: { readonly [J in JobName]: (data: unknown) => Validation<JobPayloads[J]> } = {
  [JobName.EmbedProduct]: objectOf<EmbedProductPayload>({ productId: rowId, text }),
  [JobName.EmbedText]: objectOf<EmbedTextPayload>({ text }),
  [JobName.AnalyseReview]: objectOf<AnalyseReviewPayload>({ reviewId: rowId, text }),
  [JobName.UpdateInterest]: objectOf<UpdateInterestPayload>({ userId: uuid }),
};

export function validatePayload<J extends JobName>(name: J, data: unknown): Validation<JobPayloads[J]> {
  return payloadValidators[name](data);
}
