// Buying (internal/order): the cart, checkout, orders and their sub-orders
// (one per cooperative), and each cooperative's shipping fees. A guest is
// known by the HttpOnly cookie htx_cart that the first cart write sets; a
// signed-in user's guest cart is merged on their next cart request.
import { get, post, query, request } from './client.ts';
import type { components, operations } from './schema';

export type Cart = components['schemas']['Cart'];
export type CartLine = components['schemas']['CartLine'];
export type CartGroup = components['schemas']['CartGroup'];
export type Tier = components['schemas']['Tier'];
export type Address = components['schemas']['Address'];
export type Order = components['schemas']['Order'];
export type SubOrder = components['schemas']['SubOrder'];
export type SubOrderStatus = components['schemas']['SubOrderStatus'];
export type OrderLine = components['schemas']['OrderLine'];
export type OrderEvent = components['schemas']['OrderEvent'];
export type PaymentMethod = Order['payment_method'];
export type PaymentStatus = Order['payment_status'];
export type CheckoutInput = operations['checkout']['requestBody'];
export type Move = operations['moveSubOrder']['requestBody'];
/** SubOrderDetail is a sub-order with its shipping address, for a packing slip. */
export type SubOrderDetail = operations['getSubOrder']['responses'][200];
export type OrderPage = operations['listOrders']['responses'][200];
export type SubOrderPage = operations['listCoopSubOrders']['responses'][200];
export type ShippingRules = components['schemas']['ShippingRules'];
export type ShippingInput = operations['setShipping']['requestBody'];

/** subOrderStatuses lists the statuses in the order a sub-order goes through them. */
export const subOrderStatuses: readonly SubOrderStatus[] = [
  'pending_payment',
  'confirmed',
  'packed',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'refunded',
];

/** paymentMethods lists the ways to pay, cash on delivery first (the default). */
export const paymentMethods: readonly PaymentMethod[] = ['cod', 'bank_transfer', 'card'];

/** isPaymentMethod tells a known way to pay from another string (a sub-order's payment_method is typed as text). */
export function isPaymentMethod(value: string): value is PaymentMethod {
  return (paymentMethods as readonly string[]).includes(value);
}

/** getCart fetches the caller's cart, with shipping to shipTo (a province's slug) when given. */
export function getCart(shipTo?: string, signal?: AbortSignal): Promise<Cart> {
  return get<Cart>(`/cart${query({ ship_to: shipTo })}`, signal);
}

/** addToCart puts units of a variant in the cart (adding to its line when there is one). */
export function addToCart(variantID: string, quantity: number): Promise<Cart> {
  return post<Cart>('/cart/items', { variant_id: variantID, quantity } satisfies operations['addCartItem']['requestBody']);
}

/** setCartQuantity changes a line's quantity (within stock). */
export function setCartQuantity(lineID: string, quantity: number): Promise<Cart> {
  return request<Cart>(`/cart/items/${encodeURIComponent(lineID)}`, {
    method: 'PATCH',
    body: { quantity } satisfies operations['setCartItem']['requestBody'],
  });
}

/** removeCartLine takes a line out of the cart. */
export function removeCartLine(lineID: string): Promise<Cart> {
  return request<Cart>(`/cart/items/${encodeURIComponent(lineID)}`, { method: 'DELETE' });
}

/**
 * checkout places the cart as one order. idempotencyKey is the same for
 * every retry of one attempt, so a retry after a lost answer gets the first
 * order back instead of a second one.
 */
export function checkout(input: CheckoutInput, idempotencyKey: string): Promise<Order> {
  return request<Order>('/checkout', { method: 'POST', body: input, headers: { 'Idempotency-Key': idempotencyKey } });
}

/** newIdempotencyKey makes a random key for one checkout attempt. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID needs a secure context; a version 4 UUID from random bytes otherwise.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** listMyOrders fetches a page of the signed-in buyer's orders, newest first. */
export function listMyOrders(cursor?: string, signal?: AbortSignal): Promise<OrderPage> {
  return get<OrderPage>(`/orders${query({ cursor, limit: 10 })}`, signal);
}

/** getOrder fetches an order (its buyer, or the guest browser that placed it). */
export function getOrder(id: string, signal?: AbortSignal): Promise<Order> {
  return get<Order>(`/orders/${encodeURIComponent(id)}`, signal);
}

/** lookupOrder finds an order by its number and the phone it ships to. */
export function lookupOrder(number: string, phone: string, signal?: AbortSignal): Promise<Order> {
  return get<Order>(`/orders/lookup${query({ number, phone })}`, signal);
}

/** getSubOrder fetches a sub-order with its shipping address. */
export function getSubOrder(id: string, signal?: AbortSignal): Promise<SubOrderDetail> {
  return get<SubOrderDetail>(`/sub-orders/${encodeURIComponent(id)}`, signal);
}

/** moveSubOrder moves a sub-order to another status (one of its `moves`). */
export function moveSubOrder(id: string, move: Move): Promise<SubOrder> {
  return post<SubOrder>(`/sub-orders/${encodeURIComponent(id)}/moves`, move);
}

/** listCoopSubOrders fetches a page of a cooperative's sub-orders, newest first, of one status if given. */
export function listCoopSubOrders(
  coop: string,
  status: SubOrderStatus | undefined,
  cursor?: string,
  signal?: AbortSignal,
): Promise<SubOrderPage> {
  return get<SubOrderPage>(`/cooperatives/${encodeURIComponent(coop)}/sub-orders${query({ status, cursor, limit: 20 })}`, signal);
}

/** getShipping fetches a cooperative's shipping fees (the platform's defaults when it set none). */
export function getShipping(coop: string, signal?: AbortSignal): Promise<ShippingRules> {
  return get<ShippingRules>(`/cooperatives/${encodeURIComponent(coop)}/shipping`, signal);
}

/** setShipping sets a cooperative's shipping fees (managers). */
export function setShipping(coop: string, input: ShippingInput): Promise<ShippingRules> {
  return request<ShippingRules>(`/cooperatives/${encodeURIComponent(coop)}/shipping`, { method: 'PUT', body: input });
}

/** SavedAddress is an address of the signed-in buyer's book, filled by their checkouts. */
export type SavedAddress = operations['listAddresses']['responses'][200]['items'][number];

/** listAddresses fetches the signed-in buyer's address book, most recently used first. */
export function listAddresses(signal?: AbortSignal): Promise<SavedAddress[]> {
  return get<{ items: SavedAddress[] }>('/me/addresses', signal).then((r) => r.items);
}
