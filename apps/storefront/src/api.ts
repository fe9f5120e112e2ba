import { SerendipClient } from '@serendip/client';

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
