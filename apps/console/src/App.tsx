import { ConsoleMeDocument, SignInDocument } from '@serendip/client';
import { useState, type FormEvent, type ReactNode } from 'react';
import { client, session } from './api';
import { describeError, textField, useHash, useQuery } from '@serendip/app-kit';
import { field, parseLocation } from './hooks';
import { Analytics } from './pages/Analytics';
import { Catalogue } from './pages/Catalogue';
import { ExperimentResults } from './pages/ExperimentResults';
import { Experiments } from './pages/Experiments';
import { Insights } from './pages/Insights';
import { Queues } from './pages/Queues';
import { Segments } from './pages/Segments';

const PAGES = [
  { path: 'insights', title: 'Insights' },
  { path: 'experiments', title: 'Experiments' },
  { path: 'segments', title: 'Segments' },
  { path: 'analytics', title: 'Analytics' },
  { path: 'queues', title: 'Queues' },
  { path: 'catalogue', title: 'Catalogue' },
] as const;

export function App() {
  const [token, setToken] = useState(session.token());
  const signOut = () => {
    session.signOut();
    setToken(null);
  };
  if (!token) return <SignIn onSignedIn={setToken} />;
  return <Console key={token} onSignOut={signOut} />;
}

/** The signed-in shell; every page's data is admin-only, so a shopper's account is turned away here first. */
function Console({ onSignOut }: { onSignOut: () => void }) {
  const me = useQuery(() => client.request(ConsoleMeDocument), []);
  const { segments } = useHash(parseLocation);
  const [page = 'insights', id] = segments;
  if (me.error) {
    return (
      <Centred>
        <p className="error">{me.error}</p>
        <button type="button" onClick={onSignOut}>
          Sign in again
        </button>
      </Centred>
    );
  }
  if (!me.data) return <Centred>Loading…</Centred>;
  if (!me.data.me?.roles.includes('admin')) {
    return (
      <Centred>
        <p className="error">{me.data.me?.email ?? 'This account'} is not an admin: the console is for merchants (pnpm admin:grant).</p>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </Centred>
    );
  }
  return (
    <>
      <header>
        <strong>Serendip console</strong>
        <nav aria-label="console">
          {PAGES.map((entry) => (
            <a key={entry.path} href={`#/${entry.path}`} aria-current={entry.path === page ? 'page' : undefined}>
              {entry.title}
            </a>
          ))}
        </nav>
        <span className="spacer" />
        <span className="who">{me.data.me.displayName}</span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main>
        {page === 'insights' && <Insights />}
        {page === 'experiments' && (id ? <ExperimentResults id={id} /> : <Experiments />)}
        {page === 'segments' && <Segments />}
        {page === 'analytics' && <Analytics />}
        {page === 'queues' && <Queues />}
        {page === 'catalogue' && <Catalogue />}
        {!PAGES.some((entry) => entry.path === page) && <p>No such page.</p>}
      </main>
    </>
  );
}

function Centred({ children }: { children: ReactNode }) {
  return <main className="centred">{children}</main>;
}

function SignIn({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      const { signIn } = await client.request(SignInDocument, { email: field(form, 'email'), password: textField(form, 'password') });
      session.signIn(signIn.token);
      onSignedIn(signIn.token);
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  return (
    <Centred>
      <section>
        <h1>Serendip console</h1>
        <p className="muted">Sign in with an admin account.</p>
        <form onSubmit={(event) => void submit(event)}>
          <label>
            Email
            <input name="email" type="email" autoComplete="username" required />
          </label>
          <label>
            Password
            <input name="password" type="password" autoComplete="current-password" required />
          </label>
          <button type="submit">Sign in</button>
          {error && <p className="error">{error}</p>}
        </form>
      </section>
    </Centred>
  );
}
