import { tokenStore } from '@serendip/app-kit';
import { SerendipClient, TrackEventsDocument, type TrackEventInput } from '@serendip/client';

/** The signed-in shopper's bearer token (the gateway's tokens are short-lived). */
export const session = tokenStore('serendip.token');

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

export const money = (price: number, currency: string) => new Intl.NumberFormat('en', { style: 'currency', currency }).format(price);
