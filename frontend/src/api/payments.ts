// Payment (internal/payment): VietQR bank transfers to each cooperative,
// card payments through Stripe, transfers recorded by the cooperative, and
// the cooperatives' bank accounts, settlement balances, statements and payouts.
import { ApiError, get, post, query, request } from './client.ts';
import type { SubOrder } from './orders.ts';
import type { components, operations } from './schema';

export type BankTransfers = operations['bankTransfers']['responses'][200];
export type BankTransfer = BankTransfers['transfers'][number];
export type CardPayment = operations['startCardPayment']['responses'][200];
export type BankAccount = components['schemas']['BankAccount'];
export type Ledger = operations['getLedger']['responses'][200];
export type PayoutInput = operations['recordPayout']['requestBody'];
export type Payout = operations['recordPayout']['responses'][201];

/** getBankTransfers fetches the transfers a bank-transfer order waits for, one per cooperative, with their VietQR codes. */
export function getBankTransfers(orderID: string, signal?: AbortSignal): Promise<BankTransfers> {
  return get<BankTransfers>(`/orders/${encodeURIComponent(orderID)}/payments/bank`, signal);
}

/** startCardPayment fetches the order's Stripe PaymentIntent (made the first time). */
export function startCardPayment(orderID: string, signal?: AbortSignal): Promise<CardPayment> {
  return request<CardPayment>(`/orders/${encodeURIComponent(orderID)}/payments/card`, signal ? { method: 'POST', signal } : { method: 'POST' });
}

/** isCardsOff tells the server's "cards are not switched on here" (409 cards-off) from other failures. */
export function isCardsOff(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 409 && (error.problem?.type ?? '').endsWith('/cards-off');
}

/**
 * elsewhere tells that the order was found (by its number and phone) but
 * its payment is only for the browser or account that placed it (404 not
 * found, rather than a cooperative's missing bank account).
 */
export function elsewhere(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && !(error.problem?.type ?? '').endsWith('/no-bank-account');
}

/**
 * recordTransfer records that a transfer for a sub-order arrived (its
 * cooperative, staff). idempotencyKey is the same for every retry of one
 * transfer, so a retry after a lost answer records it once.
 */
export function recordTransfer(subOrderID: string, amountVND: number, idempotencyKey: string): Promise<SubOrder> {
  return request<SubOrder>(`/sub-orders/${encodeURIComponent(subOrderID)}/transfers`, {
    method: 'POST',
    body: { amount_vnd: amountVND } satisfies operations['recordTransfer']['requestBody'],
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

/** getBankAccount fetches a cooperative's bank account (404 no-bank-account when it has none). */
export function getBankAccount(coop: string, signal?: AbortSignal): Promise<BankAccount> {
  return get<BankAccount>(`/cooperatives/${encodeURIComponent(coop)}/bank-account`, signal);
}

/** setBankAccount sets the account a cooperative takes transfers to (managers). */
export function setBankAccount(coop: string, input: BankAccount): Promise<BankAccount> {
  return request<BankAccount>(`/cooperatives/${encodeURIComponent(coop)}/bank-account`, { method: 'PUT', body: input });
}

/** getLedger fetches a cooperative's settlement balances. */
export function getLedger(coop: string, signal?: AbortSignal): Promise<Ledger> {
  return get<Ledger>(`/cooperatives/${encodeURIComponent(coop)}/ledger`, signal);
}

/** statementURL is the link that downloads a cooperative's statement for [from, to] (dates 2026-05-31) as CSV. */
export function statementURL(coop: string, from: string, to: string): string {
  return `/api/v1/cooperatives/${encodeURIComponent(coop)}/statement.csv${query({ from, to })}`;
}

/** recordPayout records a payout paid to a cooperative by bank transfer (trade staff of its province, admins). */
export function recordPayout(coop: string, input: PayoutInput): Promise<Payout> {
  return post<Payout>(`/cooperatives/${encodeURIComponent(coop)}/payouts`, input);
}
