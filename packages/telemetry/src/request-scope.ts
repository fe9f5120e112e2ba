import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** Header a request's id travels in: from a client or proxy, from the gateway to the subgraphs, and back in responses. */
export const REQUEST_ID_HEADER = 'x-request-id';

const scope = new AsyncLocalStorage<{ requestId: string }>();

/** An id a caller sent, when it is one we can log safely; otherwise a new one. */
export function requestIdFrom(header: string | string[] | null | undefined): string {
  const sent = Array.isArray(header) ? header[0] : header;
  return sent && /^[A-Za-z0-9._:-]{1,128}$/.test(sent) ? sent : randomUUID();
}

/** Runs `work` with `requestId` as the id every log line it writes carries, through its awaits. */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return scope.run({ requestId }, work);
}

/** The id of the request (or job) this code runs for, if any. */
export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}
