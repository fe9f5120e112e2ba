import { badInput } from '@serendip/federation';

export const MAX_PERIOD_DAYS = 400;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A half-open period [from, to) of event times. */
export interface Period {
  from: Date;
  to: Date;
}

/** Refuses an empty or reversed period, and one longer than MAX_PERIOD_DAYS (a scan of the whole log). */
export function validatePeriod(from: Date, to: Date): Period {
  if (from.getTime() >= to.getTime()) throw badInput('from must be before to', 'from');
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS) {
    throw badInput(`The period may span at most ${MAX_PERIOD_DAYS} days`, 'to');
  }
  return { from, to };
}
