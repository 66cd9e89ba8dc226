// The reset e-mail links to /dat-lai-mat-khau#token=…: the token is in the
// fragment, which browsers never send to a server (no request line, no
// Referer), so it reaches the API only in the confirm request's body.

/** readResetToken takes the token from a URL fragment such as "#token=abc". */
export function readResetToken(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? '';
}

/** forgetResetToken removes the token from the address bar and history. */
export function forgetResetToken(): void {
  if (window.location.hash) {
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  }
}
