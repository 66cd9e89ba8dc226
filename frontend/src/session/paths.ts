// The Vietnamese paths of the account pages, in one place.
import type { Location } from 'react-router-dom';

export const loginPath = '/dang-nhap';
export const registerPath = '/dang-ky';
export const accountPath = '/tai-khoan';
export const forgotPasswordPath = '/quen-mat-khau';
export const resetPasswordPath = '/dat-lai-mat-khau';
export const loginLinkPath = '/dang-nhap-bang-lien-ket';

/** ReturnState is the router state that remembers where a visitor came from. */
export interface ReturnState {
  from?: Pick<Location, 'pathname' | 'search' | 'hash'>;
}

const noReturn = new Set([loginPath, registerPath, forgotPasswordPath, resetPasswordPath, loginLinkPath]);

/**
 * returnTo is where to go after logging in or registering: the page the
 * visitor came from, if it is one of ours and not another account form,
 * else the home page.
 */
export function returnTo(state: unknown): string {
  const from = (state as ReturnState | null)?.from;
  if (!from || typeof from.pathname !== 'string') return '/';
  if (!from.pathname.startsWith('/') || from.pathname.startsWith('//')) return '/';
  if (noReturn.has(from.pathname)) return '/';
  return from.pathname + (from.search ?? '') + (from.hash ?? '');
}
