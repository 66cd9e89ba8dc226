// Accounts and sessions (/api/v1/auth/*, /api/v1/me*). Browsers are signed
// in by the HttpOnly cookie the server sets; the CSRF token that comes back
// is remembered by the client for later state-changing requests.
import { ApiError, get, hasSessionCookies, post, rememberCsrfToken } from './client.ts';
import type { components, operations } from './schema';

/** User is an account as the server describes it. */
export type User = components['schemas']['User'];
/** GlobalRole is a role held by the user directly. */
export type GlobalRole = User['roles'][number];
/** Membership is the user's role in one cooperative. */
export type Membership = components['schemas']['Membership'];
/** Session is the answer to log-in and registration. */
export type Session = components['schemas']['Session'];

/** Registration is what the sign-up form sends. */
export type Registration = Pick<components['schemas']['RegisterRequest'], 'email' | 'phone' | 'password' | 'full_name'>;
/** Credentials are what the log-in form sends. */
export type Credentials = Pick<components['schemas']['LoginRequest'], 'login' | 'password'>;
/** PasswordChange is the body of POST /me/password. */
export type PasswordChange = operations['changePassword']['requestBody'];
/** PasswordReset is the body of POST /auth/password-reset/confirm. */
export type PasswordReset = operations['confirmPasswordReset']['requestBody'];
type ResetRequest = operations['requestPasswordReset']['requestBody'];
type LoginLinkRequest = operations['requestLoginLink']['requestBody'];
type LoginLinkConfirm = operations['loginWithLink']['requestBody'];
type MeResponse = operations['me']['responses'][200];

function started(session: Session): User {
  rememberCsrfToken(session.csrf_token);
  return session.user;
}

/** register opens an account and signs it in. */
export async function register(input: Registration): Promise<User> {
  return started(await post<Session>('/auth/register', { ...input, client: 'browser' }));
}

/** login signs in with an e-mail address or phone number and a password. */
export async function login(input: Credentials): Promise<User> {
  return started(await post<Session>('/auth/login', { ...input, client: 'browser' }));
}

/** logout ends the current session; the server clears the cookies. */
export async function logout(): Promise<void> {
  await post<void>('/auth/logout');
  rememberCsrfToken(undefined);
}

/**
 * currentUser returns the signed-in user, or null for an anonymous visitor
 * (401). A browser without session cookies is anonymous without asking.
 */
export async function currentUser(signal?: AbortSignal): Promise<User | null> {
  if (!hasSessionCookies()) {
    rememberCsrfToken(undefined);
    return null;
  }
  try {
    const body = await get<MeResponse>('/me', signal);
    rememberCsrfToken(body.csrf_token);
    return body.user;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      rememberCsrfToken(undefined);
      return null;
    }
    throw err;
  }
}

/** changePassword replaces the signed-in user's password; other sessions end. */
export function changePassword(input: PasswordChange): Promise<void> {
  return post<void>('/me/password', input);
}

/** requestPasswordReset asks for a reset e-mail; the answer is the same whether or not the account exists. */
export function requestPasswordReset(login: string): Promise<void> {
  const body: ResetRequest = { login };
  return post<void>('/auth/password-reset', body);
}

/** requestLoginLink asks for a sign-in link by e-mail; the answer is the same whether or not the account exists. */
export function requestLoginLink(login: string): Promise<void> {
  const body: LoginLinkRequest = { login };
  return post<void>('/auth/login-link', body);
}

/** loginWithLink signs in with the token of a sign-in link, which it uses up. */
export async function loginWithLink(token: string): Promise<User> {
  const body: LoginLinkConfirm = { token, client: 'browser' };
  return started(await post<Session>('/auth/login-link/confirm', body));
}

/** confirmPasswordReset sets a new password with the token from a reset e-mail. */
export function confirmPasswordReset(input: PasswordReset): Promise<void> {
  return post<void>('/auth/password-reset/confirm', input);
}
