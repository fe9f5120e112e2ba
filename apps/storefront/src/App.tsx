import {
  CategoriesDocument,
  LiveRecommendationsDocument,
  ProductsDocument,
  SearchDocument,
  SignInDocument,
  SignUpDocument,
  type CategoriesQuery,
  type LiveRecommendationsSubscription,
  type ProductsQuery,
  type SearchMode,
  type SearchQuery,
} from '@serendip/client';
import { useEffect, useState, type FormEvent } from 'react';
import { describeError, textField, useHash, useQuery } from '@serendip/app-kit';
import { client, money, session, track } from './api';
import { cart, useCart } from './cart';
import { Cart } from './pages/Cart';
import { MePage } from './pages/Me';
import { Product } from './pages/Product';

/** Routes live in the hash, so moving between pages never reloads the page (or the live rail's socket). */
type Route =
  | { page: 'home' }
  | { page: 'category'; id: string }
  | { page: 'product'; id: string; recommendationId: string | null }
  | { page: 'search'; text: string; mode: SearchMode }
  | { page: 'sign-in' }
  | { page: 'cart' }
  | { page: 'me' };

const SEARCH_MODES: readonly SearchMode[] = ['HYBRID', 'SEMANTIC', 'LEXICAL'];

/** The page a location hash names; module-level, so useHash reads it with the same function every render. */
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
  if (page === 'sign-in' || page === 'cart' || page === 'me') return { page };
  return { page: 'home' };
}

export function App() {
  const route = useHash(parseRoute);
  const [token, setToken] = useState(session.token());
  const lines = useCart();
  // What the shop tells the shopper after an action that leaves the page, e.g. forgetting their account.
  const [notice, setNotice] = useState<string | null>(null);
  const signOut = () => {
    // The device may be shared: the next shopper starts with an empty cart.
    session.signOut();
    cart.clear();
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
        <a href="#/cart">Cart ({lines.reduce((sum, line) => sum + line.quantity, 0)})</a>
        {token ? (
          <>
            <a href="#/me">Me</a>
            <button type="button" onClick={signOut}>
              Sign out
            </button>
          </>
        ) : (
          <a href="#/sign-in">Sign in / sign up</a>
        )}
      </header>
      <div className="layout">
        <main>
          {notice && (
            <p role="status" className="notice">
              {notice}
            </p>
          )}
          {route.page === 'home' && <Home />}
          {route.page === 'category' && <Category id={route.id} />}
          {route.page === 'product' && <Product id={route.id} recommendationId={route.recommendationId} />}
          {route.page === 'search' && <Search text={route.text} mode={route.mode} />}
          {route.page === 'sign-in' && <SignIn onSignedIn={(next) => setToken(next)} />}
          {route.page === 'cart' && <Cart />}
          {route.page === 'me' &&
            (token ? (
              <MePage
                key={token}
                onForgotten={(message) => {
                  signOut();
                  setNotice(message);
                  window.location.hash = '#/';
                }}
              />
            ) : (
              <p>Sign in to see what the shop knows about you.</p>
            ))}
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
    if (text !== '') void track([{ type: 'SEARCH', query: text }]).catch(() => undefined);
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

function SignIn({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const [mode, setMode] = useState<'sign-up' | 'sign-in'>('sign-up');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = textField(form, 'email');
    const password = textField(form, 'password');
    try {
      const token =
        mode === 'sign-up'
          ? (await client.request(SignUpDocument, { input: { email, password, displayName: textField(form, 'name') } })).signUp.token
          : (await client.request(SignInDocument, { email, password })).signIn.token;
      session.signIn(token);
      onSignedIn(token);
      window.location.hash = '#/';
    } catch (caught) {
      setError(describeError(caught));
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
      { next: (data) => setSlate(data.recommendationsUpdated), error: (caught) => setError(describeError(caught)) },
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
            <a
              href={`#/product/${item.product.id}?recommendation=${slate.recommendationId}`}
              // A click on the slate credits the policy that chose the product; the cart and the order credit it again from the link.
              onClick={() => void track([{ type: 'CLICK', productId: item.product.id, recommendationId: slate.recommendationId }]).catch(() => undefined)}
            >
              {item.product.title}
            </a>
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
