/**
 * What the first-party browser apps (apps/storefront, apps/console) share: the signed-in token,
 * hash routing, queries as React state, and how an error reads. Browser code: it touches `window`.
 */
export { describeError, textField, tokenStore, type TokenStore } from './browser';
export { useHash, useQuery, type QueryState } from './hooks';
