import { isCropHeldOut, isEvalRow, splitBucket } from '../src';

describe('evaluation split', () => {
  // Expected buckets computed with Python: int(hashlib.sha256(key.encode()).hexdigest()[0:8], 16) % 100
  it.each([
    ['split/english_reviews_womens_clothing/0', 8],
    ['split/english_reviews_womens_clothing/1', 72],
    ['split/english_reviews_womens_clothing/2', 59],
    ['split/chinese_sentiment_online_shopping_10_cats/做工精致，很满意', 72],
    ['', 10],
    // Beauty.txt users, the embedder's held-out split (eval:topn reports them apart): 10 and 41 are held out.
    ['split/amazon_beauty_s3rec/10', 9],
    ['split/amazon_beauty_s3rec/41', 4],
    ['split/amazon_beauty_s3rec/2', 78],
    ['split/amazon_beauty_s3rec/12', 44],
  ])('bucket(%j) = %i as in Python', (key, bucket) => {
    expect(splitBucket(key)).toBe(bucket);
  });

  it('holds out rows whose bucket is below 10', () => {
    const evalIds = Array.from({ length: 70 }, (_, id) => String(id)).filter((id) => isEvalRow('english_reviews_womens_clothing', id));
    expect(evalIds).toEqual(['0', '16', '18', '31', '34', '54', '55', '58', '60', '62', '64']);
  });

  it('hashes the key as UTF-8', () => {
    expect(isEvalRow('chinese_sentiment_online_shopping_10_cats', '做工精致，很满意')).toBe(false);
  });

  // Expected with Python's common.is_crop_held_out, which keeps these products out of the embedder's crop source.
  it.each([
    ['beauty-B004756YJA', false],
    ['beauty-B004ZT0SSG', false],
    ['retail-84879', false],
    ['retail-22745', true],
    ['retail-85123A', true],
  ])('holds %s out of the crop source: %s, as Python does', (sku, heldOut) => {
    expect(isCropHeldOut(sku)).toBe(heldOut);
  });
});
