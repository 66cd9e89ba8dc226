// A small typed JSON client for the HTX Market API (same origin, /api/v1).
// Errors arrive as RFC 9457 problem+json; their `detail` is written for the
// user (in Vietnamese) and is what the interface shows.
//
// Sessions: the browser session is the HttpOnly cookie htx_session, which
// the browser sends by itself. Every state-changing request (POST, PUT,
// PATCH, DELETE) also carries the header X-CSRF-Token with the value of the
// readable cookie htx_csrf, or failing that the csrf_token the server
// returned from log-in, registration or GET /me (see rememberCsrfToken).
import type { components } from './schema';

/** Problem is an RFC 9457 problem details document (request_id matches the server's log). */
export type Problem = components['schemas']['Problem'];

/** FieldError names one invalid input field, as listed in a problem's `errors`. */
export type FieldError = NonNullable<Problem['errors']>[number];

/**
 * ApiError is thrown for every failed request. `status` is 0 when the server
 * could not be reached at all; `problem` is set when the server explained.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;
  /** retryAfterSeconds is the server's Retry-After (429), when it sent one. */
  readonly retryAfterSeconds: number | undefined;
  /** body is the decoded JSON of the answer when it is not a problem (an import's 422 report). */
  readonly body: unknown;

  constructor(
    status: number,
    problem?: Problem,
    options?: ErrorOptions & { retryAfterSeconds?: number; body?: unknown },
  ) {
    super(problem?.detail || problem?.title || `HTTP ${status}`, options);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.retryAfterSeconds = options?.retryAfterSeconds;
    this.body = options?.body;
  }

  /** detail is the server's explanation for the user, if it gave one. */
  get detail(): string | undefined {
    return this.problem?.detail || undefined;
  }

  /** fieldErrors lists the invalid fields of a validation problem. */
  get fieldErrors(): FieldError[] {
    return this.problem?.errors ?? [];
  }

  /** isNetworkError tells a failure to reach the server from a server's refusal. */
  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

const apiBase = '/api/v1';

/** csrfCookie is the readable cookie holding the session's CSRF token. */
const csrfCookie = 'htx_csrf';
/** csrfHeader carries the CSRF token on state-changing requests. */
const csrfHeader = 'X-CSRF-Token';

let rememberedCsrfToken: string | undefined;

/**
 * rememberCsrfToken keeps the csrf_token of a log-in, registration or GET /me
 * answer, used when the htx_csrf cookie cannot be read; undefined forgets it
 * (log-out).
 */
export function rememberCsrfToken(token: string | undefined): void {
  rememberedCsrfToken = token || undefined;
}

/** csrfToken is the current session's CSRF token: the cookie first, as it always follows the session. */
function csrfToken(): string | undefined {
  return readCookie(csrfCookie) ?? rememberedCsrfToken;
}

/**
 * hasSessionCookies tells whether this browser may be signed in: the
 * readable htx_csrf cookie lives exactly as long as the HttpOnly session
 * cookie. Without it there is no session to ask the server about.
 */
export function hasSessionCookies(): boolean {
  return readCookie(csrfCookie) !== undefined;
}

function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return value ? decodeURIComponent(value) : undefined;
    }
  }
  return undefined;
}

/** request sends a JSON request to `/api/v1{path}` and returns the decoded body. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (method !== 'GET') {
    const token = csrfToken();
    if (token) headers[csrfHeader] = token;
  }
  const init: RequestInit = {
    method,
    headers,
    credentials: 'same-origin',
  };
  if (options.signal) init.signal = options.signal;
  if (options.body instanceof FormData) {
    // The browser writes the multipart Content-Type with its boundary.
    init.body = options.body;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }

  let response: Response;
  try {
    response = await fetch(apiBase + path, init);
  } catch (cause) {
    // An abort is the caller's own doing: let it through unchanged.
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, undefined, { cause });
  }

  if (!response.ok) {
    const retryAfterSeconds = readRetryAfter(response);
    const body = await readJSON(response);
    throw new ApiError(response.status, isProblem(body) ? body : undefined, {
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      ...(body === undefined || isProblem(body) ? {} : { body }),
    });
  }
  // 204, and 202 with its plain "Accepted", have no JSON body.
  if (response.status === 204 || !(response.headers.get('Content-Type') ?? '').includes('json')) {
    return undefined as T;
  }
  return (await response.json()) as T;
}

/** query writes URL search parameters, leaving out empty values: "?a=1&b=x" or "". */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** post is request with the POST method and a JSON body (if any). */
export function post<T>(path: string, body?: unknown): Promise<T> {
  return request<T>(path, body === undefined ? { method: 'POST' } : { method: 'POST', body });
}

// readRetryAfter reads Retry-After in seconds (an HTTP date is turned into seconds too).
function readRetryAfter(response: Response): number | undefined {
  const value = response.headers.get('Retry-After');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(1, Math.ceil((date - Date.now()) / 1000));
}

/** get is request with the GET method. */
export function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  return request<T>(path, signal ? { signal } : {});
}

// readJSON decodes a JSON body (problem+json or another), or returns
// undefined when the body is something else (a proxy's HTML page, an empty body).
async function readJSON(response: Response): Promise<unknown> {
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return undefined;
  try {
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.title === 'string' &&
    typeof v.status === 'number' &&
    (v.detail === undefined || typeof v.detail === 'string') &&
    (v.errors === undefined || Array.isArray(v.errors))
  );
}
