import {
  CategoriesDocument,
  ClientError,
  LiveRecommendationsDocument,
  ProductPageDocument,
  ProductsDocument,
  SearchDocument,
  SignInDocument,
  SignUpDocument,
  TrackEventsDocument,
  type CategoriesQuery,
  type LiveRecommendationsSubscription,
  type ProductPageQuery,
  type ProductsQuery,
  type SearchMode,
  type SearchQuery,
} from '@serendip/client';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { client, eventId, session, sessionId } from './api';

/** Routes live in the hash, so moving between pages never reloads the page (or the live rail's socket). */
type Route =
  | { page: 'home' }
  | { page: 'category'; id: string }
  | { page: 'product'; id: string; recommendationId: string | null }
  | { page: 'search'; text: string; mode: SearchMode }
  | { page: 'sign-in' };

const SEARCH_MODES: readonly SearchMode[] = ['HYBRID', 'SEMANTIC', 'LEXICAL'];

function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const [, page, id] = path.split('/');
  if (page === 'category' && id) return { page: 'category', id };
  if (page === 'product' && id) return { page: 'product', id, recommendationId: new URLSearchParams(query).get('recommendation') };
  if (page === 'search') {
    const params = new URLSearchParams(query);
    const mode = SEARCH_MODES.find((candidate) => candidate === params.get('mode')) ?? 'HYBRID';
    return { page: 'search', text: params.get('q') ?? '', mode };
  }
  if (page === 'sign-in') return { page: 'sign-in' };
  return { page: 'home' };
}

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** A query's state: loading, its data, or the error's message (with its code, which is what a shopper can act on). */
function useQuery<T>(run: () => Promise<T>, deps: readonly unknown[]): { data: T | null; error: string | null } {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  useEffect(() => {
    let live = true;
    setState({ data: null, error: null });
    run().then(
      (data) => live && setState({ data, error: null }),
      (error: unknown) => live && setState({ data: null, error: describe(error) }),
    );
    return () => {
      live = false;
    };
    // The caller names what the query depends on: `run` is a new closure every render.
  }, deps);
  return state;
}

const describe = (error: unknown): string => (error instanceof ClientError ? error.message : 'The shop cannot be reached; try again shortly.');

const money = (price: number, currency: string) => new Intl.NumberFormat('en', { style: 'currency', currency }).format(price);

export function App() {
  const route = useRoute();
  const [token, setToken] = useState(session.token());
  const signOut = () => {
    session.signOut();
    setToken(null);
    void client.close();
  };
  return (
    <>
      <header>
        <a href="#/">
          <strong>Serendip store</strong>
        </a>
        <form
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            const text = new FormData(event.currentTarget).get('q');
            if (typeof text === 'string' && text.trim() !== '') window.location.hash = `#/search?q=${encodeURIComponent(text.trim())}`;
          }}
        >
          <input name="q" type="search" placeholder="Search the shop" aria-label="search" />
        </form>
        <span className="spacer" />
        {token ? (
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        ) : (
          <a href="#/sign-in">Sign in / sign up</a>
        )}
      </header>
      <div className="layout">
        <main>
          {route.page === 'home' && <Home />}
          {route.page === 'category' && <Category id={route.id} />}
          {route.page === 'product' && <Product id={route.id} recommendationId={route.recommendationId} />}
          {route.page === 'search' && <Search text={route.text} mode={route.mode} />}
          {route.page === 'sign-in' && <SignIn onSignedIn={(next) => setToken(next)} />}
        </main>
        <ForYou token={token} />
      </div>
    </>
  );
}

function Home() {
  const { data, error } = useQuery<CategoriesQuery>(() => client.request(CategoriesDocument), []);
  return (
    <section>
      <h1>Shop by category</h1>
      {error && <p className="error">{error}</p>}
      {!data && !error && <p className="muted">Loading…</p>}
      <ul className="grid" data-testid="categories">
        {data?.categories.map((category) => (
          <li key={category.id}>
            <a href={`#/category/${category.id}`}>{category.name}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Category({ id }: { id: string }) {
  const { data, error } = useQuery<ProductsQuery>(() => client.request(ProductsDocument, { filter: { categoryId: id }, first: 24 }), [id]);
  return (
    <section>
      <h1>Products</h1>
      {error && <p className="error">{error}</p>}
      {data && <p className="muted">{data.products.totalCount} products</p>}
      <ul className="grid" data-testid="products">
        {data?.products.nodes.map((product) => (
          <li key={product.id}>
            <a href={`#/product/${product.id}`}>{product.title}</a>
            <div className="muted">{money(product.price, product.currency)}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * Search results in the mode the shopper picks (HYBRID by default: words and meaning), each with
 * how it matched. A search by a signed-in shopper is recorded, as it tells their interests.
 */
function Search({ text, mode }: { text: string; mode: SearchMode }) {
  const { data, error } = useQuery<SearchQuery>(() => client.request(SearchDocument, { text, mode, first: 20 }), [text, mode]);
  useEffect(() => {
    if (!session.token() || text === '') return;
    const events = [{ type: 'SEARCH' as const, query: text, sessionId, clientEventId: eventId() }];
    void client.request(TrackEventsDocument, { events }).catch(() => undefined);
  }, [text]);
  return (
    <section>
      <h1>Results for “{text}”</h1>
      <p>
        {SEARCH_MODES.map((candidate) => (
          <a key={candidate} href={`#/search?q=${encodeURIComponent(text)}&mode=${candidate}`} aria-current={candidate === mode ? 'page' : undefined}>
            {candidate === mode ? <strong>{candidate.toLowerCase()}</strong> : candidate.toLowerCase()}{' '}
          </a>
        ))}
      </p>
      {error && <p className="error">{error}</p>}
      {data && data.searchProducts.length === 0 && <p className="muted">Nothing matches.</p>}
      <ul className="grid" data-testid="results">
        {data?.searchProducts.map((hit) => (
          <li key={hit.product.id}>
            <a href={`#/product/${hit.product.id}`}>{hit.product.title}</a>
            <div className="muted">
              {money(hit.product.price, hit.product.currency)} · {hit.matchedBy.map((how) => how.toLowerCase()).join(' + ')}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Records what the shopper did; a failed send is retried once, with the same event id, so it is counted once. */
async function track(type: 'VIEW' | 'CLICK', productId: string, recommendationId: string | null): Promise<void> {
  if (!session.token()) return;
  const events = [{ type, productId, sessionId, clientEventId: eventId(), ...(recommendationId && type === 'CLICK' ? { recommendationId } : {}) }];
  await client.request(TrackEventsDocument, { events }).catch(() => client.request(TrackEventsDocument, { events }));
}

function Product({ id, recommendationId }: { id: string; recommendationId: string | null }) {
  const { data, error } = useQuery<ProductPageQuery>(() => client.request(ProductPageDocument, { id }), [id]);
  useEffect(() => {
    // A product reached from the rail is a click on that slate (credited to its policy) and a view.
    void (async () => {
      if (recommendationId) await track('CLICK', id, recommendationId);
      await track('VIEW', id, null);
    })().catch(() => undefined);
  }, [id, recommendationId]);
  if (error) return <p className="error">{error}</p>;
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
      <h2>
        Reviews
        {product.reviews ? ` (${product.reviews.totalCount})` : ''}
        {typeof product.ratingSummary?.average === 'number' ? ` · ${product.ratingSummary.average.toFixed(1)} ★` : ''}
      </h2>
      {/* Reviews come from the feedback service; the page still shows the product when it does not answer. */}
      {!product.reviews && <p className="muted">Reviews cannot be shown right now.</p>}
      <ul>
        {product.reviews?.nodes.map((review) => (
          <li key={review.id}>
            <strong>{'★'.repeat(review.rating)}</strong> {review.text}
            <ReviewAnalysis analysis={review.analysis} />
          </li>
        ))}
      </ul>
    </section>
  );
}

type Analysis = NonNullable<NonNullable<NonNullable<ProductPageQuery['product']>['reviews']>['nodes'][number]['analysis']>;

function ReviewAnalysis({ analysis }: { analysis: Analysis | null | undefined }): ReactNode {
  if (!analysis) return null;
  if (analysis.status !== 'DONE') return <span className="reason">{analysis.status === 'PENDING' ? 'Being read…' : 'Not analysed'}</span>;
  return (
    <span className="reason">
      {analysis.sentiment && <span className={`sentiment-${analysis.sentiment.label}`}>{analysis.sentiment.label}</span>}
      {analysis.aspects.map((aspect) => ` · ${aspect.aspect.toLowerCase()}: ${aspect.sentiment}`).join('')}
      {analysis.keywords.length > 0 && ` · ${analysis.keywords.slice(0, 4).join(', ')}`}
    </span>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const [mode, setMode] = useState<'sign-up' | 'sign-in'>('sign-up');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    // Text inputs give strings; a File would only come from a file input, which this form has none of.
    const field = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' ? value : '';
    };
    const email = field('email');
    const password = field('password');
    try {
      const token =
        mode === 'sign-up'
          ? (await client.request(SignUpDocument, { input: { email, password, displayName: field('name') } })).signUp.token
          : (await client.request(SignInDocument, { email, password })).signIn.token;
      session.signIn(token);
      onSignedIn(token);
      window.location.hash = '#/';
    } catch (caught) {
      setError(describe(caught));
    }
  };
  return (
    <section>
      <h1>{mode === 'sign-up' ? 'Create an account' : 'Sign in'}</h1>
      <form onSubmit={(event) => void submit(event)}>
        {mode === 'sign-up' && <input name="name" placeholder="Your name" required aria-label="name" />}
        <input name="email" type="email" placeholder="Email" required aria-label="email" />
        <input name="password" type="password" placeholder="Password (8 characters or more)" minLength={8} required aria-label="password" />
        <button type="submit">{mode === 'sign-up' ? 'Sign up' : 'Sign in'}</button>
        {error && <p className="error">{error}</p>}
      </form>
      <p>
        <button type="button" onClick={() => setMode(mode === 'sign-up' ? 'sign-in' : 'sign-up')}>
          {mode === 'sign-up' ? 'I have an account' : 'Create an account instead'}
        </button>
      </p>
    </section>
  );
}

type Slate = LiveRecommendationsSubscription['recommendationsUpdated'];

/**
 * The "for you" rail: the shopper's HOME slate, live. It subscribes once per signed-in token and
 * stays mounted while the shopper browses, so a fresh slate pushed after what they just did
 * replaces it without a reload; each item says why it is there.
 */
function ForYou({ token }: { token: string | null }) {
  const [slate, setSlate] = useState<Slate | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setSlate(null);
    setError(null);
    if (!token) return;
    return client.subscribe(
      LiveRecommendationsDocument,
      { slot: 'HOME' },
      { next: (data) => setSlate(data.recommendationsUpdated), error: (caught) => setError(describe(caught)) },
    );
  }, [token]);
  return (
    <aside className="for-you" data-testid="for-you" data-recommendation-id={slate?.recommendationId ?? ''}>
      <h2>For you</h2>
      {!token && <p className="muted">Sign in to see picks that follow what you browse.</p>}
      {token && !slate && !error && <p className="muted">Finding picks…</p>}
      {error && <p className="error">{error}</p>}
      <ol>
        {slate?.items.map((item) => (
          <li key={item.product.id}>
            <a href={`#/product/${item.product.id}?recommendation=${slate.recommendationId}`}>{item.product.title}</a>
            <span className="reason">
              {item.reason}
              {item.explored ? ' · something new' : ''}
            </span>
          </li>
        ))}
      </ol>
    </aside>
  );
}
