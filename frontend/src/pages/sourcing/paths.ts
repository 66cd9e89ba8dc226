// Addresses of the sourcing pages (kết nối cung cầu).

/** sourcingBoardPath is the public board of open requests. */
export const sourcingBoardPath = '/nguon-hang';
/** newRequestPath is the request form; ?text=&unit=&htx= pre-fill it. */
export const newRequestPath = '/nguon-hang/yeu-cau-moi';
/** myRequestsPath lists the signed-in buyer's requests. */
export const myRequestsPath = '/nguon-hang/cua-toi';
/** offersPath is the public list of cooperatives' offers. */
export const offersPath = '/nguon-hang/nguon-cung';

/** requestPath is one request: matches, quotes, acceptance. */
export function requestPath(id: string): string {
  return `/nguon-hang/yeu-cau/${encodeURIComponent(id)}`;
}

/** coopSourcingPath is a cooperative's inbox of matched requests and its offers. */
export function coopSourcingPath(coop: string): string {
  return `/nguon-hang/hop-tac-xa/${encodeURIComponent(coop)}`;
}

/** quoteRequestLink is the request form pre-filled from a product page. */
export function quoteRequestLink(text: string, cooperative: string, unit?: string): string {
  const q = new URLSearchParams({ text, htx: cooperative });
  if (unit) q.set('unit', unit);
  return `${newRequestPath}?${q.toString()}`;
}
