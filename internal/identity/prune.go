package identity

import (
	"context"
	"fmt"
	"time"
)

// endedSessionRetention is how long an ended session is kept, so that an
// administrator can still see recent sign-ins of an account.
const endedSessionRetention = 30 * 24 * time.Hour

// Pruned counts what Prune deleted.
type Pruned struct {
	Sessions, Resets, LoginLinks, RateLimits int64
}

// Prune deletes what has no further use: sessions that ended (expired or
// revoked) over 30 days ago, password reset tokens and sign-in links past
// their expiry, and rate-limit counters left idle for longer than their
// window and no longer blocking. The worker runs it periodically.
func (s *Service) Prune(ctx context.Context) (Pruned, error) {
	now := s.now()
	p, err := s.store.Prune(ctx, now.Add(-endedSessionRetention), now, now.Add(-s.opt.Limits.Window))
	if err != nil {
		return p, fmt.Errorf("identity: prune: %w", err)
	}
	return p, nil
}

// Prune deletes sessions ended before endedBefore, reset tokens and sign-in
// links expired at now, and rate-limit counters last used before
// idleBefore and not blocking.
func (s *PGStore) Prune(ctx context.Context, endedBefore, now, idleBefore time.Time) (Pruned, error) {
	const sessions = `
DELETE FROM sessions
WHERE LEAST(expires_at, idle_expires_at, COALESCE(revoked_at, 'infinity')) < $1`
	const resets = `
DELETE FROM password_resets
WHERE expires_at < $1`
	const links = `
DELETE FROM login_links
WHERE expires_at < $1`
	const limits = `
DELETE FROM rate_limits
WHERE last_at < $1
  AND (blocked_until IS NULL OR blocked_until < $2)`
	var p Pruned
	steps := []struct {
		q    string
		args []any
		n    *int64
	}{
		{sessions, []any{endedBefore}, &p.Sessions},
		{resets, []any{now}, &p.Resets},
		{links, []any{now}, &p.LoginLinks},
		{limits, []any{idleBefore, now}, &p.RateLimits},
	}
	for _, st := range steps {
		res, err := s.db.ExecContext(ctx, st.q, st.args...)
		if err != nil {
			return p, err
		}
		*st.n, _ = res.RowsAffected()
	}
	return p, nil
}
