import { recommendationConfigSchema } from '../config';
import { localHourSql, offsetMinutes, offsetPeriods, requireTimeZone } from './shop-time';

describe('the shop time zone', () => {
  it('knows the offsets of zones with and without daylight saving', () => {
    expect(offsetMinutes('UTC', new Date('2026-07-01T12:00:00Z'))).toBe(0);
    expect(offsetMinutes('Europe/London', new Date('2026-01-15T12:00:00Z'))).toBe(0);
    expect(offsetMinutes('Europe/London', new Date('2026-07-15T12:00:00Z'))).toBe(60);
    expect(offsetMinutes('Asia/Shanghai', new Date('2026-07-15T12:00:00Z'))).toBe(480);
    expect(offsetMinutes('America/St_Johns', new Date('2026-01-15T12:00:00Z'))).toBe(-210);
  });

  it('finds each daylight-saving change to the minute, and one period for a zone that has none', () => {
    // London: 01:00 UTC on the last Sunday of March and of October.
    expect(offsetPeriods('Europe/London', new Date('2026-01-01T00:00:00Z'), new Date('2026-12-31T00:00:00Z'))).toEqual([
      { until: new Date('2026-03-29T01:00:00Z'), offsetMinutes: 0 },
      { until: new Date('2026-10-25T01:00:00Z'), offsetMinutes: 60 },
      { until: null, offsetMinutes: 0 },
    ]);
    expect(offsetPeriods('Asia/Shanghai', new Date('2020-01-01T00:00:00Z'), new Date('2026-12-31T00:00:00Z'))).toEqual([{ until: null, offsetMinutes: 480 }]);
  });

  it('writes the local hour as SQL with the offsets as parameters', () => {
    expect(localHourSql('e.occurred_at', [{ until: null, offsetMinutes: 480 }])).toEqual({ sql: 'HOUR(e.occurred_at + INTERVAL ? MINUTE)', params: [480] });
    const until = new Date('2026-03-29T01:00:00Z');
    expect(
      localHourSql('e.occurred_at', [
        { until, offsetMinutes: 0 },
        { until: null, offsetMinutes: 60 },
      ]),
    ).toEqual({ sql: 'HOUR(e.occurred_at + INTERVAL CASE WHEN e.occurred_at < ? THEN ? ELSE ? END MINUTE)', params: [until, 0, 60] });
  });

  it('refuses a zone it does not know', () => {
    expect(() => requireTimeZone('Mars/Olympus')).toThrow(RangeError);
    expect(requireTimeZone('Europe/Paris')).toBe('Europe/Paris');
  });
});

describe('SHOP_TIME_ZONE', () => {
  const zoneOf = (value: string | undefined) => recommendationConfigSchema.shape.SHOP_TIME_ZONE.safeParse(value);

  it('defaults to UTC, takes an IANA zone and refuses anything else', () => {
    expect(zoneOf(undefined)).toEqual({ success: true, data: 'UTC' });
    expect(zoneOf('Europe/London')).toEqual({ success: true, data: 'Europe/London' });
    const refused = zoneOf('Mars/Olympus');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe('must be an IANA time zone such as Europe/London');
  });
});
