import type { EventType } from './event-type';

/**
 * How much one shopper may add to the statistics every shopper's recommendations read (product
 * popularity, co-occurrence, transitions, bandit rewards): of their events of one type on one
 * product within one period, only the first `events` count. The rest are still recorded and still
 * shape the shopper's own history and interests; they just move nothing shared, so one account
 * sending 500 purchases of a product weighs what a couple of shoppers' honest purchases do.
 */
export interface ContributionCap {
  /** Events of one type on one product that count per shopper and period. */
  events: number;
  /** Length of a period in hours, fixed windows counted from 1970-01-01 UTC. */
  periodHours: number;
}

export const DEFAULT_CONTRIBUTION_CAP: ContributionCap = Object.freeze({ events: 2, periodHours: 24 });

const HOUR_MS = 3600 * 1000;

/**
 * The period an event counts in: that of when the server received it, never the client's
 * `occurredAt`, which a client may set years back to spread its events over as many periods as it
 * likes. (Imports, whose events the operator vouches for, are received when they happened.)
 */
export function contributionPeriod(receivedAt: Date, cap: ContributionCap): { from: Date; to: Date } {
  const length = cap.periodHours * HOUR_MS;
  const from = Math.floor(receivedAt.getTime() / length) * length;
  return { from: new Date(from), to: new Date(from + length) };
}

/**
 * `received_at`'s period number in SQL, matching contributionPeriod; the length comes from a
 * validated integer setting, never input.
 */
export function contributionPeriodSql(column: string, cap: ContributionCap): string {
  const seconds = cap.periodHours * 3600;
  if (!Number.isInteger(seconds) || seconds <= 0) throw new Error(`contribution period of ${cap.periodHours} hours is not a whole number of seconds`);
  return `FLOOR(TIMESTAMPDIFF(SECOND, '1970-01-01', ${column}) / ${seconds})`;
}

/** An event's key for the cap within one shopper's period. */
export const contributionKey = (event: { type: EventType; productId: string | null }): string => `${event.type}/${event.productId ?? ''}`;

/**
 * Which of a shopper's new events (in order, all in one period) count, given how many events of
 * each key the shopper already has in that period: the first `cap.events` of each key do, as a
 * rebuild that numbers each key's events in insertion order finds.
 */
export function countedFlags(
  events: readonly { type: EventType; productId: string | null }[],
  earlier: ReadonlyMap<string, number>,
  cap: ContributionCap,
): boolean[] {
  const seen = new Map(earlier);
  return events.map((event) => {
    const key = contributionKey(event);
    const before = seen.get(key) ?? 0;
    seen.set(key, before + 1);
    return before < cap.events;
  });
}
