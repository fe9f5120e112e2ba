import { createHash } from 'node:crypto';

/**
 * The evaluation split shared with the Python training code (notes: inference contract):
 * `int(sha256(key).hexdigest()[0:8], 16) % 100`. A row is held out for evaluation when its bucket
 * is below 10, so training and evaluation never see the same review.
 */
export function splitBucket(key: string): number {
  return parseInt(createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 8), 16) % 100;
}

export const EVAL_PERCENT = 10;

/** `dataset` is the data folder name, `rowKey` the review text (Chinese sets) or row id (English). */
export function isEvalRow(dataset: string, rowKey: string): boolean {
  return splitBucket(`split/${dataset}/${rowKey}`) < EVAL_PERCENT;
}

/**
 * Products whose titles the embedder's query-crop source never trains on (models/training
 * finetune_embedding.py, `common.is_crop_held_out`): half the catalogue, so `pnpm eval:search` can
 * show known-item search for products the embedder never learnt to find beside those it did.
 */
export function isCropHeldOut(sku: string): boolean {
  return splitBucket(`split/search-crops/${sku}`) < 50;
}
