import { SerendipClient } from '@serendip/client';

const TOKEN_KEY = 'serendip.console.token';

/**
 * The signed-in admin's bearer token, kept for the tab's origin under a key of its own, so a
 * shopper session of the storefront on the same host never becomes the console's.
 */
export const session = {
  token: (): string | null => window.localStorage.getItem(TOKEN_KEY),
  signIn(token: string): void {
    window.localStorage.setItem(TOKEN_KEY, token);
  },
  signOut(): void {
    window.localStorage.removeItem(TOKEN_KEY);
  },
};

/** The gateway, through the console's own origin (server/serve.ts proxies /graphql). */
export const client = new SerendipClient({ url: new URL('/graphql', window.location.href).href, token: session.token });
