import { parseOrder } from './order-payload';

const receivedAt = new Date('2025-06-01T12:00:00Z');
const USER = '0b6c1c2e-6f3a-4d6e-9a55-1f2b3c4d5e6f';
const order = (overrides: Record<string, unknown> = {}) =>
  Buffer.from(
    JSON.stringify({
      orderId: 'SO-1001',
      userId: USER.toUpperCase(),
      items: [
        { productId: '12', quantity: 3, unitPrice: 19.99 },
        { productId: 7, quantity: 1, unitPrice: 0.1 },
      ],
      occurredAt: '2025-06-01T11:58:00Z',
      ...overrides,
    }),
  );

describe('signed order bodies', () => {
  it('reads the lines with exact values in cents and the canonical user id', () => {
    expect(parseOrder(order(), receivedAt)).toEqual({
      orderId: 'SO-1001',
      userId: USER,
      items: [
        { productId: '12', quantity: 3, valueCents: 5997 },
        { productId: '7', quantity: 1, valueCents: 10 },
      ],
      occurredAt: new Date('2025-06-01T11:58:00Z'),
    });
  });

  it.each([
    ['orderId', { orderId: 'has spaces' }],
    ['userId', { userId: 'someone' }],
    ['items', { items: [] }],
    ['items[0].productId', { items: [{ productId: 'x', quantity: 1, unitPrice: 1 }] }],
    ['items[0].quantity', { items: [{ productId: '1', quantity: 0, unitPrice: 1 }] }],
    ['items[0].unitPrice', { items: [{ productId: '1', quantity: 1, unitPrice: 1.005 }] }],
    ['items[0].unitPrice', { items: [{ productId: '1', quantity: 1, unitPrice: -1 }] }],
    ['occurredAt', { occurredAt: '2025-06-01T12:06:00Z' }],
  ])('refuses a bad %s with BAD_USER_INPUT naming it', (field, overrides) => {
    expect(() => parseOrder(order(overrides), receivedAt)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field } }));
  });

  it('refuses a body that is not a JSON object', () => {
    expect(() => parseOrder(Buffer.from('orderId=1'), receivedAt)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => parseOrder(Buffer.from('[1]'), receivedAt)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});
