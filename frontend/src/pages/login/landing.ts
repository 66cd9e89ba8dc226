// Where a person lands after logging in: the people who work on the
// marketplace on their work page, shoppers where they came from.
import type { User } from '../../api/identity.ts';
import { returnTo } from '../../session/paths.ts';
import { accountPath } from '../../session/paths.ts';
import { checkoutPath, myOrdersPath } from '../../cart/paths.ts';
import { adminPath, reviewQueuePath } from '../admin/paths.ts';

/**
 * workPath is the page a person's work starts from: the administration for
 * administrators, the review queue for trade staff, their cooperative's
 * dashboard for its managers and staff (the list of their cooperatives when
 * they belong to several); undefined for shoppers.
 */
export function workPath(user: User): string | undefined {
  if (user.roles.includes('admin')) return adminPath;
  if (user.roles.includes('trade_staff')) return reviewQueuePath;
  const coops = user.memberships.filter((m) => m.role === 'coop_manager' || m.role === 'coop_staff');
  if (coops.length === 1) return `/quan-ly/${coops[0]!.cooperative_slug}`;
  if (coops.length > 1) return '/quan-ly';
  return undefined;
}

// Pages that ask to log in first: someone sent to log in from one of them
// goes back there, whatever their work.
const privatePrefixes = ['/quan-ly', '/quan-tri', reviewQueuePath, accountPath, myOrdersPath, checkoutPath, '/dang-ky-hop-tac-xa'];

function isPrivate(path: string): boolean {
  return privatePrefixes.some((p) => path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}?`));
}

/**
 * landingPath is where to go after logging in: back to a page that asked
 * to log in; otherwise the work page of people who work on the marketplace;
 * otherwise, for shoppers, the page they came from (see returnTo).
 */
export function landingPath(user: User, state: unknown): string {
  const back = returnTo(state);
  if (isPrivate(back)) return back;
  return workPath(user) ?? back;
}
