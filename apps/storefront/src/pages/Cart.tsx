import { useState } from 'react';
import { describeError } from '@serendip/app-kit';
import { money, session, track } from '../api';
import { cart, useCart, type CartLine } from '../cart';

/** Totals per currency: a cart can hold products priced in more than one. */
function totals(lines: readonly CartLine[]): string {
  const byCurrency = new Map<string, number>();
  for (const line of lines) byCurrency.set(line.currency, (byCurrency.get(line.currency) ?? 0) + line.price * line.quantity);
  return [...byCurrency].map(([currency, amount]) => money(amount, currency)).join(' + ');
}

/**
 * The cart and its checkout. Placing the order reports a PURCHASE per line, each with the slate it
 * came from; the shop's own order system confirms purchases (and their value) through the signed
 * order webhook, which is what revenue metrics count.
 */
export function Cart() {
  const lines = useCart();
  const [placed, setPlaced] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const placeOrder = async () => {
    try {
      await track(
        lines.map((line) => ({
          type: 'PURCHASE' as const,
          productId: line.productId,
          ...(line.recommendationId ? { recommendationId: line.recommendationId } : {}),
        })),
      );
      setPlaced(lines.reduce((sum, line) => sum + line.quantity, 0));
      setError(null);
      cart.clear();
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  return (
    <section>
      <h1>Your cart</h1>
      {placed !== null && <p role="status">Thank you: your order of {placed} item(s) is placed.</p>}
      {lines.length === 0 && placed === null && <p className="muted">Your cart is empty.</p>}
      {lines.length > 0 && (
        <>
          <table data-testid="cart">
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Quantity</th>
                <th scope="col">Price</th>
                <th scope="col" aria-label="actions" />
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <tr key={line.productId}>
                  <td>
                    <a href={`#/product/${line.productId}`}>{line.title}</a>
                  </td>
                  <td>{line.quantity}</td>
                  <td>{money(line.price * line.quantity, line.currency)}</td>
                  <td>
                    <button type="button" onClick={() => cart.remove(line.productId)} aria-label={`Remove ${line.title}`}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <strong>Total: {totals(lines)}</strong>
          </p>
          {session.token() ? (
            <button type="button" onClick={() => void placeOrder()}>
              Place order
            </button>
          ) : (
            <p>
              <a href="#/sign-in">Sign in</a> to place your order.
            </p>
          )}
          {error && <p className="error">{error}</p>}
        </>
      )}
    </section>
  );
}
