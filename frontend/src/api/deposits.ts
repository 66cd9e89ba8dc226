import { request } from './client.ts';
import type { SubOrder } from './orders.ts';
import type { operations } from './schema';

export type BalanceMethod = operations['recordBalance']['requestBody']['method'];

/**
 * recordBalance records that the balance of a sub-order bought with a
 * deposit was paid on delivery (its cooperative, staff): "Đã nhận phần
 * còn lại". Recording it again changes nothing, so a retry is safe.
 */
export function recordBalance(subOrderID: string, method: BalanceMethod): Promise<SubOrder> {
  return request<SubOrder>(`/sub-orders/${encodeURIComponent(subOrderID)}/balance`, {
    method: 'POST',
    body: { method } satisfies operations['recordBalance']['requestBody'],
  });
}
