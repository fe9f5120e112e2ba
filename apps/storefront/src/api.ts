import { ClientError, SerendipClient, TrackEventsDocument, type TrackEventInput } from '@serendip/client';

const TOKEN_KEY = 'serendip.token';

/** The signed-in shopper's bearer token, kept for the tab's origin (the gateway's tokens are short-lived). */
export const session = {
  token: (): string | null => window.localStorage.getItem(TOKEN_KEY),
  signIn(token: string): void {
    window.localStorage.setItem(TOKEN_KEY, token);
  },
  signOut(): void {
    window.localStorage.removeItem(TOKEN_KEY);
  },
};

/** The gateway, through the storefront's own origin (server/serve.ts proxies /graphql). */
export const client = new SerendipClient({ url: new URL('/graphql', window.location.href).href, token: session.token });

/** One browsing session per tab, as the behaviour log groups events. */
export const sessionId: string = (() => {
  const existing = window.sessionStorage.getItem('serendip.session');
  if (existing) return existing;
  const created = `web-${crypto.randomUUID()}`;
  window.sessionStorage.setItem('serendip.session', created);
  return created;
})();

/** A new id per event, so a retried request records the event once. */
export const eventId = (): string => crypto.randomUUID();

/**
 * Records what a signed-in shopper did (a guest's behaviour is not kept). A failed send is retried
 * once with the same event ids, so an event that did arrive the first time is counted once.
 */
export async function track(events: readonly Omit<TrackEventInput, 'sessionId' | 'clientEventId'>[]): Promise<void> {
  if (!session.token() || events.length === 0) return;
  const input = events.map((event) => ({ ...event, sessionId, clientEventId: eventId() }));
  await client.request(TrackEventsDocument, { events: input }).catch(() => client.request(TrackEventsDocument, { events: input }));
}

/** What a shopper can act on: the gateway's message for a coded error, or that the shop is unreachable. */
export const describe = (error: unknown): string => (error instanceof ClientError ? error.message : 'The shop cannot be reached; try again shortly.');

export const money = (price: number, currency: string) => new Intl.NumberFormat('en', { style: 'currency', currency }).format(price);

/** A text field of a submitted form; only a file input (none of the shop's forms has one) gives a File instead. */
export function textField(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
