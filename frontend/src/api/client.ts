// A small typed JSON client for the HTX Market API (same origin, /api/v1).
// Errors arrive as RFC 9457 problem+json; their `detail` is written for the
// user (in Vietnamese) and is what the interface shows.

/** FieldError names one invalid input field, as listed in a problem's `errors`. */
export interface FieldError {
  field: string;
  message: string;
}

/** Problem is an RFC 9457 problem details document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** request_id matches the server's log line and the X-Request-Id header. */
  request_id?: string;
  errors?: FieldError[];
}

/**
 * ApiError is thrown for every failed request. `status` is 0 when the server
 * could not be reached at all; `problem` is set when the server explained.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(status: number, problem?: Problem, options?: ErrorOptions) {
    super(problem?.detail || problem?.title || `HTTP ${status}`, options);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
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

/** request sends a JSON request to `/api/v1{path}` and returns the decoded body. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  const init: RequestInit = {
    method: options.method ?? 'GET',
    headers,
    credentials: 'same-origin',
  };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
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
    throw new ApiError(response.status, await readProblem(response));
  }
  if (response.status === 204) {
    return undefined as T;
  }
  return (await response.json()) as T;
}

/** get is request with the GET method. */
export function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  return request<T>(path, signal ? { signal } : {});
}

// readProblem decodes a problem+json body, or returns undefined when the body
// is something else (a proxy's HTML page, an empty body).
async function readProblem(response: Response): Promise<Problem | undefined> {
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return undefined;
  try {
    const body: unknown = await response.json();
    return isProblem(body) ? body : undefined;
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
