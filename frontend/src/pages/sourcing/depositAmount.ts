/**
 * depositOf is the deposit of a quote's total at a percent, as the server
 * computes each sub-order's (order.DepositOf): rounded half up to whole
 * đồng, never nothing nor the whole total; 0 without a percent.
 */
export function depositOf(totalVND: number, percent: number): number {
  if (percent <= 0 || totalVND < 2) return 0;
  const d = Math.floor((totalVND * percent + 50) / 100);
  return Math.min(Math.max(d, 1), totalVND - 1);
}
