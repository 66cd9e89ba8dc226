// Formatting of values shown to the user.

const vnd = new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND' });

/**
 * formatVND writes an amount of đồng the Vietnamese way: 450000 → "450.000 ₫".
 * Amounts are whole đồng (VND has no minor unit); bigint keeps int64 amounts
 * from the API exact beyond Number.MAX_SAFE_INTEGER.
 */
export function formatVND(amount: number | bigint): string {
  return vnd.format(amount);
}
