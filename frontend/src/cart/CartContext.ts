import { createContext, useContext } from 'react';
import type { Cart } from '../api/orders.ts';

/** CartState is what the header and the pages know of the visitor's cart. */
export interface CartState {
  /** count is the number of units in the cart (0 until the cart has loaded). */
  count: number;
  /** cart is the last cart the server answered, null until the first. */
  cart: Cart | null;
  /** update records the cart an add, change or removal answered. */
  update: (cart: Cart) => void;
  /** refresh asks the server for the cart again (after checkout, say). */
  refresh: () => void;
}

export const CartContext = createContext<CartState | null>(null);

/** useCart returns the visitor's cart state; it must be used inside CartProvider. */
export function useCart(): CartState {
  const cart = useContext(CartContext);
  if (!cart) throw new Error('useCart outside CartProvider');
  return cart;
}
