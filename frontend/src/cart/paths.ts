// The Vietnamese paths of the buying pages, in one place.

export const cartPath = '/gio-hang';
export const checkoutPath = '/thanh-toan';
export const myOrdersPath = '/don-hang';
export const orderLookupPath = '/tra-cuu-don-hang';

/** orderPath is the page of one order. */
export function orderPath(id: string): string {
  return `${myOrdersPath}/${encodeURIComponent(id)}`;
}

/** packingSlipPath is the printable packing slip of a cooperative's sub-order. */
export function packingSlipPath(coop: string, subOrderID: string): string {
  return `/quan-ly/${encodeURIComponent(coop)}/phieu-giao-hang/${encodeURIComponent(subOrderID)}`;
}
