/**
 * The shop's local time for segmentation: behaviour is stored in UTC, while "night-time shoppers"
 * means the shop's night. MariaDB converts named zones only when its time zone tables are loaded,
 * which they often are not, so the zone's UTC offsets are worked out here (Intl, the IANA data
 * Node ships) and handed to SQL as fixed offsets per period between daylight-saving changes.
 */

/** A span of time in which the zone's offset from UTC is constant. */
export interface OffsetPeriod {
  /** The period ends here (exclusive); null for the last one. */
  until: Date | null;
  /** Local time − UTC, in minutes. */
  offsetMinutes: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Throws a RangeError naming the zone unless Intl knows it. */
export function requireTimeZone(timeZone: string): string {
  new Intl.DateTimeFormat('en-GB', { timeZone });
  return timeZone;
}

/** One formatter per zone: building one costs far more than formatting with it. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Local time − UTC in minutes at `at` (whole minutes: no zone in use today has seconds). */
export function offsetMinutes(timeZone: string, at: Date): number {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((candidate) => candidate.type === type)!.value);
  const local = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'));
  return Math.round((local - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/**
 * The zone's offset periods covering [from, to]: one per span between offset changes, found by
 * checking every day and then narrowing each change to the minute. Zones change offset at most a
 * few times a year, and never twice within one day.
 */
export function offsetPeriods(timeZone: string, from: Date, to: Date): OffsetPeriod[] {
  const periods: OffsetPeriod[] = [];
  let current = offsetMinutes(timeZone, from);
  for (let day = from.getTime(); day < to.getTime(); day += DAY) {
    const next = Math.min(day + DAY, to.getTime());
    const offset = offsetMinutes(timeZone, new Date(next));
    if (offset === current) continue;
    // The change lies in (day, next]: bisect to the first minute with the new offset.
    let low = day;
    let high = next;
    while (high - low > 60_000) {
      const middle = low + Math.floor((high - low) / 120_000) * 60_000;
      if (offsetMinutes(timeZone, new Date(middle)) === current) low = middle;
      else high = middle;
    }
    periods.push({ until: new Date(high), offsetMinutes: current });
    current = offset;
  }
  periods.push({ until: null, offsetMinutes: current });
  return periods;
}

/**
 * A SQL expression for the local hour of day of `column` (a UTC DATETIME), with the periods'
 * offsets as parameters: HOUR(column + INTERVAL CASE WHEN column < ? THEN ? … ELSE ? END MINUTE).
 */
export function localHourSql(column: string, periods: readonly OffsetPeriod[]): { sql: string; params: (Date | number)[] } {
  if (periods.length === 1) return { sql: `HOUR(${column} + INTERVAL ? MINUTE)`, params: [periods[0]!.offsetMinutes] };
  const bounded = periods.filter((period) => period.until !== null);
  const last = periods[periods.length - 1]!;
  return {
    sql: `HOUR(${column} + INTERVAL CASE ${bounded.map(() => `WHEN ${column} < ? THEN ?`).join(' ')} ELSE ? END MINUTE)`,
    params: [...bounded.flatMap((period) => [period.until!, period.offsetMinutes]), last.offsetMinutes],
  };
}
