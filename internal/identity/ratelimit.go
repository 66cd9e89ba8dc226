package identity

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Limits are the abuse limits on log-in, password reset and sign-in links.
//
// A log-in counts against three counters, in this order: its client IP
// (LoginIP), the typed login from that IP (LoginAccount), and the typed
// login from every IP (LoginAccountAll, looser). Five wrong passwords from
// an attacker's address thus block that address on that account, not the
// account's owner elsewhere; an attack spread over many addresses blocks
// the account as a whole, and its owner then signs in with a link by
// e-mail (RequestLoginLink), which no password guess can block.
//
// Each counter allows a number of attempts;
// from then on every attempt blocks the next one for Backoff, doubling each
// time up to BackoffMax, and an attempt made while blocked is refused
// without being counted. A counter is forgotten after Window without
// attempts. Counters live in PostgreSQL, so every app instance shares them,
// and each attempt is counted by one atomic upsert before the password is
// checked, so a burst of concurrent attempts cannot slip past the limit.
type Limits struct {
	LoginAccount, LoginAccountAll, LoginIP int
	ResetAccount, ResetIP                  int
	Window                                 time.Duration
	Backoff, BackoffMax                    time.Duration
}

// limit is one counter's allowance.
type limit struct {
	Allowed    int
	Window     time.Duration
	Backoff    time.Duration
	BackoffMax time.Duration
}

func (l Limits) with(n int) limit {
	return limit{Allowed: n, Window: l.Window, Backoff: l.Backoff, BackoffMax: l.BackoffMax}
}
func (l Limits) loginAccount() limit { return l.with(l.LoginAccount) }
func (l Limits) loginAccountAll() limit {
	if l.LoginAccountAll <= 0 { // unset: as loose as the per-IP limit
		return l.with(max(l.LoginIP, l.LoginAccount))
	}
	return l.with(l.LoginAccountAll)
}
func (l Limits) loginIP() limit      { return l.with(l.LoginIP) }
func (l Limits) resetAccount() limit { return l.with(l.ResetAccount) }
func (l Limits) resetIP() limit      { return l.with(l.ResetIP) }

// LimitError refuses an attempt made too soon; it matches ErrTooManyAttempts.
type LimitError struct {
	// RetryAfter is how long to wait before the next attempt.
	RetryAfter time.Duration
}

func (e *LimitError) Error() string { return ErrTooManyAttempts.Error() }
func (e *LimitError) Unwrap() error { return ErrTooManyAttempts }

// RetryAfterSeconds is RetryAfter in whole seconds, at least 1, for the
// Retry-After header.
func (e *LimitError) RetryAfterSeconds() int {
	return max(1, int((e.RetryAfter+time.Second-1)/time.Second))
}

// limitKey names a counter. The subject (an IP address or a typed login) is
// hashed: a login field sometimes holds a mistyped password, which must not
// be stored in the clear.
func limitKey(action, kind, subject string) string {
	h := sha256.Sum256([]byte(subject))
	return action + ":" + kind + ":" + hex.EncodeToString(h[:16])
}

// counter is one limit applied to one key.
type counter struct {
	key   string
	limit limit
}

// take counts one attempt on each counter in turn and refuses it at the
// first counter that says to wait, without counting it on the later ones:
// an attacker whose address is blocked on an account does not use up the
// account's allowance across all addresses by hammering on.
func (s *Service) take(ctx context.Context, counters ...counter) error {
	now := s.now()
	for _, c := range counters {
		wait, err := s.store.TakeAttempt(ctx, c.key, c.limit, now)
		if err != nil {
			return err
		}
		if wait > 0 {
			s.log.InfoContext(ctx, "attempt refused by abuse limit", "retry_after_s", int(wait.Seconds()))
			return &LimitError{RetryAfter: wait}
		}
	}
	return nil
}

// loginKeys name the counters of a log-in on login from ip.
type loginKeys struct{ ip, pair, account string }

func newLoginKeys(login, ip string) loginKeys {
	return loginKeys{ip: limitKey("login", "ip", ip), pair: limitKey("login", "account-ip", login+"\x00"+ip),
		account: limitKey("login", "account", login)}
}

// succeeded forgives a successful log-in: the IP's and the account-wide
// counters go back down by this attempt, and the account's counter from
// this IP is cleared.
func (s *Service) succeeded(ctx context.Context, k loginKeys) error {
	now := s.now()
	if err := s.store.ForgiveAttempt(ctx, k.ip, now); err != nil {
		return err
	}
	if err := s.store.ForgiveAttempt(ctx, k.account, now); err != nil {
		return err
	}
	return s.store.ClearAttempts(ctx, k.pair)
}
