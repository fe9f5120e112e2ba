import { ClientError } from '@serendip/client';

export interface TokenStore {
  token: () => string | null;
  signIn: (token: string) => void;
  signOut: () => void;
}

/**
 * A bearer token kept in the origin's localStorage under `key`: each app has a key of its own, so
 * a shopper's storefront session on the same host never becomes a merchant's console session.
 */
export function tokenStore(key: string): TokenStore {
  return {
    token: () => window.localStorage.getItem(key),
    signIn: (token) => window.localStorage.setItem(key, token),
    signOut: () => window.localStorage.removeItem(key),
  };
}

/** What a person can act on: the gateway's message for a coded error, or that it cannot be reached. */
export const describeError = (error: unknown): string => (error instanceof ClientError ? error.message : 'The server cannot be reached; try again shortly.');

/** A submitted form's text field, as typed ('' when absent); only a file input, which these forms do not have, gives a File. */
export function textField(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
