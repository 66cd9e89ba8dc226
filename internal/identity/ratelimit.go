package identity

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Limits are the abuse limits on log-in and password reset.
//
// Each counter (per client IP, per typed login) allows a number of attempts;
// from then on every attempt blocks the next one for Backoff, doubling each
// time up to BackoffMax, and an attempt made while blocked is refused
// without being counted. A counter is forgotten after Window without
// attempts. Counters live in PostgreSQL, so every app instance shares them,
// and each attempt is counted by one atomic upsert before the password is
// checked, so a burst of concurrent attempts cannot slip past the limit.
type Limits struct {
	LoginAccount, LoginIP int
	ResetAccount, ResetIP int
	Window                time.Duration
	Backoff, BackoffMax   time.Duration
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

// take counts one attempt on each counter and refuses it when any counter
// says to wait.
func (s *Service) take(ctx context.Context, counters ...counter) error {
	now := s.now()
	var wait time.Duration
	for _, c := range counters {
		d, err := s.store.TakeAttempt(ctx, c.key, c.limit, now)
		if err != nil {
			return err
		}
		wait = max(wait, d)
	}
	if wait > 0 {
		s.log.InfoContext(ctx, "attempt refused by abuse limit", "retry_after_s", int(wait.Seconds()))
		return &LimitError{RetryAfter: wait}
	}
	return nil
}

// succeeded forgives a successful log-in: the IP's counter goes back down
// and the account's counter is cleared.
func (s *Service) succeeded(ctx context.Context, ipKey, accountKey string) error {
	if err := s.store.ForgiveAttempt(ctx, ipKey, s.now()); err != nil {
		return err
	}
	return s.store.ClearAttempts(ctx, accountKey)
}
