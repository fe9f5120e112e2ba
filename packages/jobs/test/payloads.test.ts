import { JobName, jobsOfQueue, MAX_PRODUCTS_PER_JOB, MAX_TEXT_LENGTH, QueueName, validatePayload } from '../src';

describe('payload validation', () => {
  it('accepts well-formed payloads of every job', () => {
    expect(validatePayload(JobName.EmbedProducts, { products: [{ productId: '42', text: 'Red running shoes' }] })).toEqual({
      ok: true,
      value: { products: [{ productId: '42', text: 'Red running shoes' }] },
    });
    expect(validatePayload(JobName.EmbedText, { text: '红色跑鞋' }).ok).toBe(true);
    expect(validatePayload(JobName.AnalyseReview, { reviewId: '7', text: 'Fits well.' }).ok).toBe(true);
    expect(validatePayload(JobName.UpdateInterest, { userId: '0b7c9f2e-3f1d-4c55-9a0e-2d6f1b8e4a10' }).ok).toBe(true);
  });

  it('names every problem of a bad payload, unknown fields included', () => {
    expect(
      validatePayload(JobName.EmbedProducts, {
        products: [
          { productId: '1', text: 'ok' },
          { productId: 42, text: '  ', productID: '42' },
        ],
      }),
    ).toEqual({
      ok: false,
      problems: ['products: [1].productId: must be a positive integer id as a string; [1].text: must not be blank; [1].productID: unknown field'],
    });
    const same = { productId: '7', text: 'twice' };
    expect(validatePayload(JobName.EmbedProducts, { products: [same, same] })).toEqual({ ok: false, problems: ['products: must name each product once'] });
    expect(validatePayload(JobName.EmbedProducts, { products: [] })).toEqual({
      ok: false,
      problems: [`products: must hold 1 to ${MAX_PRODUCTS_PER_JOB} products`],
    });
    expect(validatePayload(JobName.AnalyseReview, { reviewId: '0', text: 'x'.repeat(MAX_TEXT_LENGTH + 1) })).toEqual({
      ok: false,
      problems: ['reviewId: must be a positive integer id as a string', `text: must be at most ${MAX_TEXT_LENGTH} characters`],
    });
    expect(validatePayload(JobName.UpdateInterest, { userId: 'someone' })).toEqual({ ok: false, problems: ['userId: must be a UUID'] });
  });

  it('refuses what is not an object', () => {
    for (const data of [null, 'text', ['a'], 3]) {
      expect(validatePayload(JobName.EmbedText, data)).toEqual({ ok: false, problems: ['payload must be an object'] });
    }
  });
});

describe('queues', () => {
  it('routes each job to its own queue', () => {
    expect(jobsOfQueue(QueueName.ProductEmbedding)).toEqual([JobName.EmbedProducts]);
    expect(jobsOfQueue(QueueName.TextEmbedding)).toEqual([JobName.EmbedText]);
    expect(jobsOfQueue(QueueName.ReviewAnalysis)).toEqual([JobName.AnalyseReview]);
    expect(jobsOfQueue(QueueName.InterestUpdate)).toEqual([JobName.UpdateInterest]);
  });
});
