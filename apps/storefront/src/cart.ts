import { useSyncExternalStore } from 'react';

export interface CartLine {
  productId: string;
  title: string;
  price: number;
  currency: string;
  quantity: number;
  /** The slate the product was found in, sent back with CART and PURCHASE so the policy that showed it is credited. */
  recommendationId: string | null;
}

const KEY = 'serendip.cart';
const listeners = new Set<() => void>();

function read(): CartLine[] {
  try {
    const stored: unknown = JSON.parse(window.localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(stored) ? (stored as CartLine[]) : [];
  } catch {
    // A cart another version of the app wrote, or a hand-edited one, is dropped rather than breaking the page.
    return [];
  }
}

// useSyncExternalStore needs the same array between changes, so the parsed cart is kept.
let lines: CartLine[] = read();

function write(next: CartLine[]): void {
  lines = next;
  window.localStorage.setItem(KEY, JSON.stringify(next));
  for (const listener of listeners) listener();
}

// Another tab of the shop changed the cart.
window.addEventListener('storage', (event) => {
  if (event.key !== KEY) return;
  lines = read();
  for (const listener of listeners) listener();
});

/** The cart lives in the browser until the order is placed: a guest can fill it before signing in. */
export const cart = {
  add(line: Omit<CartLine, 'quantity'>): void {
    const existing = lines.find((candidate) => candidate.productId === line.productId);
    write(
      existing
        ? lines.map((candidate) => (candidate === existing ? { ...candidate, quantity: candidate.quantity + 1 } : candidate))
        : [...lines, { ...line, quantity: 1 }],
    );
  },
  remove(productId: string): void {
    write(lines.filter((line) => line.productId !== productId));
  },
  clear(): void {
    write([]);
  },
};

export function useCart(): readonly CartLine[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => lines,
  );
}
