import { createHmac } from 'node:crypto';
import { signatureProblem, signOrder } from '../src/order-signature';

const SECRET = 'a-shop-secret-of-some-length';
const body = Buffer.from(JSON.stringify({ orderId: 'A-1', items: [] }));
const now = new Date('2025-06-01T12:00:00Z');
const timestamp = String(now.getTime() / 1000);

describe('order webhook signatures', () => {
  it('is the HMAC-SHA256 of "<timestamp>.<raw body>" under the shop secret, as openssl computes it', () => {
    const expected = createHmac('sha256', SECRET).update(`${timestamp}.${body.toString()}`).digest('hex');
    expect(signOrder(SECRET, timestamp, body)).toBe(`sha256=${expected}`);
  });

  it('accepts a signed request within the tolerance either way', () => {
    for (const skew of [-299, 0, 299]) {
      const at = String(Number(timestamp) + skew);
      expect(signatureProblem(SECRET, { timestamp: at, signature: signOrder(SECRET, at, body) }, body, now, 300)).toBeNull();
    }
  });

  it('refuses a missing, malformed, stale, tampered or wrongly keyed signature', () => {
    const signature = signOrder(SECRET, timestamp, body);
    const check = (headers: { timestamp?: string; signature?: string }, raw = body) =>
      signatureProblem(SECRET, { timestamp: headers.timestamp, signature: headers.signature }, raw, now, 300);
    expect(check({ timestamp })).toBe('MISSING_SIGNATURE');
    expect(check({ signature })).toBe('MISSING_SIGNATURE');
    expect(check({ timestamp, signature: signature.toUpperCase() })).toBe('MALFORMED_SIGNATURE');
    expect(check({ timestamp: '2025-06-01', signature })).toBe('MALFORMED_SIGNATURE');
    const old = String(Number(timestamp) - 301);
    expect(check({ timestamp: old, signature: signOrder(SECRET, old, body) })).toBe('STALE_TIMESTAMP');
    const ahead = String(Number(timestamp) + 301);
    expect(check({ timestamp: ahead, signature: signOrder(SECRET, ahead, body) })).toBe('STALE_TIMESTAMP');
    // The signature of one timestamp does not carry over to another, nor to another body.
    expect(check({ timestamp: String(Number(timestamp) + 1), signature })).toBe('BAD_SIGNATURE');
    expect(check({ timestamp, signature }, Buffer.from(body.toString().replace('A-1', 'A-2')))).toBe('BAD_SIGNATURE');
    expect(check({ timestamp, signature: signOrder('another-shop-secret-entirely', timestamp, body) })).toBe('BAD_SIGNATURE');
  });
});
