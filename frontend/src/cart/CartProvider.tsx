import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { getCart, type Cart } from '../api/orders.ts';
import { useSession } from '../session/SessionContext.ts';
import { CartContext, type CartState } from './CartContext.ts';

/**
 * CartProvider keeps the visitor's cart for the header's count: it asks
 * GET /api/v1/cart once the session is known and again whenever who is
 * signed in changes (the server merges a guest cart into the user's then).
 * Pages that change the cart hand the answer to update.
 */
export function CartProvider({ children }: { children: ReactNode }) {
  const session = useSession();
  const who = session.status === 'loading' ? '' : session.status === 'signed-in' ? session.user.id : 'guest';
  const [cart, setCart] = useState<Cart | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (who === '') return;
    const controller = new AbortController();
    getCart(undefined, controller.signal).then(
      (c) => setCart(c),
      () => {
        // The count is a convenience: the cart page says what went wrong.
      },
    );
    return () => controller.abort();
  }, [who, attempt]);

  const update = useCallback((c: Cart) => setCart(c), []);
  const refresh = useCallback(() => setAttempt((n) => n + 1), []);
  const state = useMemo<CartState>(() => ({ cart, count: cart?.count ?? 0, update, refresh }), [cart, update, refresh]);
  return <CartContext value={state}>{children}</CartContext>;
}
