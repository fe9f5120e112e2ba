import { AppError, ErrorCode, requireDisplayText, type ProductFacts } from '@serendip/federation';
import { isRowId } from '@serendip/db';
import type DataLoader from 'dataloader';
import { InterestRequestStore, type InterestRequest } from '@serendip/jobs';
import { QueryFailedError, type DataSource, type Repository } from 'typeorm';
import { ReviewAnalysisStore } from '../analysis/review-analysis.store';
import { detectLanguage } from '@serendip/text';
import type { SubmitReviewInput } from './dto/submit-review.input';
import { ReviewEntity } from './review.entity';
import { reviewRating, reviewText } from './review.validation';

export class ReviewService {
  private readonly repo: Repository<ReviewEntity>;

  /**
   * @param reviewed told after a review, its pending analysis and the request for the reviewer's
   * interest update (a low rating changes their interests) are stored, to queue both.
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly reviewed: (review: ReviewEntity, interestRequest: InterestRequest) => Promise<void> = () => Promise.resolve(),
    /** Refuses a writer who may not write here (a forgotten account's token); asked after the local checks. */
    private readonly mayWrite: (userId: string) => Promise<void> = () => Promise.resolve(),
  ) {
    this.repo = dataSource.getRepository(ReviewEntity);
  }

  /**
   * Writes a shopper's review after checking everything that can be checked locally, then asks the
   * catalogue (through `products`) whether the product exists; nothing is written on any error.
   */
  async submit(userId: string, input: SubmitReviewInput, products: DataLoader<string, ProductFacts | null>): Promise<ReviewEntity> {
    // Others read it: no controls or text-direction overrides (imports are the operator's data).
    const text = requireDisplayText(reviewText(input.text), 'text', { multiline: true });
    const rating = reviewRating(input.rating);
    await this.mayWrite(userId);
    const productId = input.productId.trim();
    const product = isRowId(productId) ? await products.load(productId) : null;
    if (!product) {
      throw new AppError(ErrorCode.NotFound, `Product ${productId} does not exist`, { field: 'productId', id: productId });
    }

    const review = this.repo.create({
      userId,
      productId: product.id,
      categoryId: product.categoryId,
      rating,
      text,
      language: detectLanguage(text),
      clientReviewId: null,
    });
    let interestRequest: InterestRequest;
    try {
      // The review with its pending analysis and interest update: nothing it calls for is left unqueued.
      interestRequest = await this.dataSource.transaction(async (manager) => {
        const at = new Date();
        await manager.insert(ReviewEntity, review);
        await new ReviewAnalysisStore(this.dataSource).request([String(review.id)], at, manager);
        return new InterestRequestStore(this.dataSource).request(manager, userId, at);
      });
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === 'ER_DUP_ENTRY') {
        throw new AppError(ErrorCode.Conflict, 'You have already reviewed this product', { field: 'productId' });
      }
      throw error;
    }
    // The driver hands back the generated id as a number; ids are strings everywhere else.
    const stored = await this.repo.findOneByOrFail({ id: String(review.id) });
    await this.reviewed(stored, interestRequest);
    return stored;
  }
}
