import { ProductPageDocument, SubmitReviewDocument, type ProductPageQuery } from '@serendip/client';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { describeError, textField, useQuery } from '@serendip/app-kit';
import { client, money, session, track } from '../api';
import { cart } from '../cart';

type PageProduct = NonNullable<ProductPageQuery['product']>;
type Analysis = NonNullable<NonNullable<PageProduct['reviews']>['nodes'][number]['analysis']>;

/** How often the page looks again while a review is being read: the worker takes about a second. */
const ANALYSIS_POLL_MS = 1500;

export function Product({ id, recommendationId }: { id: string; recommendationId: string | null }) {
  const { data, error, reload } = useQuery<ProductPageQuery>(() => client.request(ProductPageDocument, { id }), [id]);
  useEffect(() => {
    void track([{ type: 'VIEW', productId: id }]).catch(() => undefined);
  }, [id]);
  const reading = data?.product?.reviews?.nodes.some((review) => review.analysis?.status === 'PENDING') ?? false;
  useEffect(() => {
    // Analyses arrive from the worker pool moments after a review is posted; look again until none is pending.
    if (!reading) return;
    const timer = window.setTimeout(reload, ANALYSIS_POLL_MS);
    return () => window.clearTimeout(timer);
  }, [data, reading, reload]);
  if (error && !data) return <p className="error">{error}</p>;
  const product = data?.product;
  if (!data) return <p className="muted">Loading…</p>;
  if (!product) return <p>This product is not in the shop.</p>;
  return (
    <section data-testid="product">
      <h1>{product.title}</h1>
      <p className="muted">
        {product.brand ? `${product.brand} · ` : ''}
        {product.category ? <a href={`#/category/${product.category.id}`}>{product.category.name}</a> : null} · {money(product.price, product.currency)}
      </p>
      {product.description && <p>{product.description}</p>}
      <AddToCart product={product} recommendationId={recommendationId} />
      <h2>
        Reviews
        {product.reviews ? ` (${product.reviews.totalCount})` : ''}
        {typeof product.ratingSummary?.average === 'number' ? ` · ${product.ratingSummary.average.toFixed(1)} ★` : ''}
      </h2>
      {/* Reviews come from the feedback service; the page still shows the product when it does not answer. */}
      {!product.reviews && <p className="muted">Reviews cannot be shown right now.</p>}
      <ul data-testid="reviews">
        {product.reviews?.nodes.map((review) => (
          <li key={review.id}>
            <strong aria-label={`${review.rating} of 5 stars`}>{'★'.repeat(review.rating)}</strong> <span lang={review.language}>{review.text}</span>
            <ReviewAnalysis analysis={review.analysis} />
          </li>
        ))}
      </ul>
      {session.token() ? <ReviewForm productId={product.id} onPosted={reload} /> : <p className="muted">Sign in to review this product.</p>}
    </section>
  );
}

function AddToCart({ product, recommendationId }: { product: PageProduct; recommendationId: string | null }) {
  const [added, setAdded] = useState(false);
  const add = () => {
    cart.add({ productId: product.id, title: product.title, price: product.price, currency: product.currency, recommendationId });
    setAdded(true);
    void track([{ type: 'CART', productId: product.id, ...(recommendationId ? { recommendationId } : {}) }]).catch(() => undefined);
  };
  return (
    <p>
      <button type="button" onClick={add}>
        Add to cart
      </button>{' '}
      {added && (
        <span role="status">
          Added. <a href="#/cart">View cart</a>
        </span>
      )}
    </p>
  );
}

function ReviewAnalysis({ analysis }: { analysis: Analysis | null | undefined }): ReactNode {
  if (!analysis) return null;
  if (analysis.status !== 'DONE') return <span className="reason">{analysis.status === 'PENDING' ? 'Being read…' : 'Not analysed'}</span>;
  return (
    <span className="reason" data-testid="analysis">
      {analysis.sentiment && <span className={`sentiment-${analysis.sentiment.label}`}>{analysis.sentiment.label}</span>}
      {analysis.aspects.map((aspect) => ` · ${aspect.aspect.toLowerCase()}: ${aspect.sentiment}`).join('')}
      {analysis.keywords.length > 0 && ` · ${analysis.keywords.slice(0, 4).join(', ')}`}
    </span>
  );
}

/** A signed-in shopper's review, in any language the shop reads (Chinese and English). */
function ReviewForm({ productId, onPosted }: { productId: string; onPosted: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [posting, setPosting] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    setPosting(true);
    try {
      await client.request(SubmitReviewDocument, { input: { productId, rating: Number(textField(fields, 'rating')), text: textField(fields, 'text') } });
      form.reset();
      setError(null);
      onPosted();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setPosting(false);
    }
  };
  return (
    <form className="review-form" onSubmit={(event) => void submit(event)}>
      <h3>Write a review</h3>
      <select name="rating" aria-label="rating" defaultValue="5">
        {[5, 4, 3, 2, 1].map((stars) => (
          <option key={stars} value={stars}>
            {'★'.repeat(stars)} ({stars})
          </option>
        ))}
      </select>
      <textarea name="text" aria-label="your review" placeholder="What did you think? (English or 中文)" required maxLength={5000} rows={3} />
      <button type="submit" disabled={posting}>
        Post review
      </button>
      {error && <p className="error">{error}</p>}
    </form>
  );
}
