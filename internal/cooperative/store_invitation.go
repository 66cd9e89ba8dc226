package cooperative

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/auth"
)

// OpenInvitations counts a cooperative's unanswered, unexpired invitations.
func (s *Store) OpenInvitations(ctx context.Context, ext sqlx.ExtContext, coop uuid.UUID, now time.Time) (int, error) {
	const q = `
SELECT count(*)
FROM cooperative_invitations
WHERE cooperative_id = $1
  AND status = 'pending'
  AND expires_at > $2`
	var n int
	if err := sqlx.GetContext(ctx, ext, &n, q, coop, now); err != nil {
		return 0, fmt.Errorf("cooperative: open invitations: %w", err)
	}
	return n, nil
}

// Invite stores an invitation, or renews the unanswered one of the same
// kind to the same login (its role, invitee, inviter and expiry), and
// returns it.
func (s *Store) Invite(ctx context.Context, ext sqlx.ExtContext, id, coop uuid.UUID, kind string, role *auth.Role,
	login string, user, by *uuid.UUID, now, expires time.Time) (Invitation, error) {
	const q = `
INSERT INTO cooperative_invitations (id, cooperative_id, kind, role, login, user_id, invited_by, expires_at, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
ON CONFLICT (cooperative_id, kind, login) WHERE status = 'pending'
DO UPDATE SET role = EXCLUDED.role, user_id = EXCLUDED.user_id, invited_by = EXCLUDED.invited_by,
              expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at
RETURNING id, kind, role, login, status, expires_at, created_at`
	var inv Invitation
	if err := sqlx.GetContext(ctx, ext, &inv, q, id, coop, kind, role, login, user, by, expires, now); err != nil {
		return Invitation{}, fmt.Errorf("cooperative: invite: %w", err)
	}
	return inv, nil
}

// Invitations returns a cooperative's unanswered, unexpired invitations,
// newest first.
func (s *Store) Invitations(ctx context.Context, ext sqlx.ExtContext, coop uuid.UUID, now time.Time) ([]Invitation, error) {
	const q = `
SELECT id, kind, role, login, status, expires_at, created_at
FROM cooperative_invitations
WHERE cooperative_id = $1
  AND status = 'pending'
  AND expires_at > $2
ORDER BY created_at DESC, id DESC`
	out := []Invitation{}
	if err := sqlx.SelectContext(ctx, ext, &out, q, coop, now); err != nil {
		return nil, fmt.Errorf("cooperative: invitations: %w", err)
	}
	return out, nil
}

// Received returns the unanswered, unexpired invitations to a user, newest
// first.
func (s *Store) Received(ctx context.Context, ext sqlx.ExtContext, user uuid.UUID, now time.Time) ([]ReceivedInvitation, error) {
	const q = `
SELECT i.id, i.kind, i.role, i.cooperative_id, c.slug AS cooperative_slug, c.name AS cooperative_name,
       COALESCE(u.full_name, '') AS invited_by, i.expires_at, i.created_at
FROM cooperative_invitations i
JOIN cooperatives c ON c.id = i.cooperative_id
LEFT JOIN users u ON u.id = i.invited_by
WHERE i.user_id = $1
  AND i.status = 'pending'
  AND i.expires_at > $2
ORDER BY i.created_at DESC, i.id DESC
LIMIT 200`
	out := []ReceivedInvitation{}
	if err := sqlx.SelectContext(ctx, ext, &out, q, user, now); err != nil {
		return nil, fmt.Errorf("cooperative: received invitations: %w", err)
	}
	return out, nil
}

// lockedInvitation is an unanswered invitation locked for an answer.
type lockedInvitation struct {
	Invitation
	cooperative uuid.UUID
	user        *uuid.UUID
	invitedBy   *uuid.UUID
}

// LockInvitation returns an unanswered, unexpired invitation and locks it
// until the transaction ends; any other is ErrInvitationNotFound.
func (s *Store) LockInvitation(ctx context.Context, ext sqlx.ExtContext, id uuid.UUID, now time.Time) (lockedInvitation, error) {
	const q = `
SELECT id, kind, role, login, status, expires_at, created_at, cooperative_id, user_id, invited_by
FROM cooperative_invitations
WHERE id = $1
  AND status = 'pending'
  AND expires_at > $2
FOR UPDATE`
	var r struct {
		Invitation
		Cooperative uuid.UUID  `db:"cooperative_id"`
		User        *uuid.UUID `db:"user_id"`
		InvitedBy   *uuid.UUID `db:"invited_by"`
	}
	if err := sqlx.GetContext(ctx, ext, &r, q, id, now); err != nil {
		if classify(err, "") == ErrNotFound {
			return lockedInvitation{}, ErrInvitationNotFound
		}
		return lockedInvitation{}, fmt.Errorf("cooperative: lock invitation: %w", err)
	}
	return lockedInvitation{Invitation: r.Invitation, cooperative: r.Cooperative, user: r.User, invitedBy: r.InvitedBy}, nil
}

// AnswerInvitation records an invitation's outcome: accepted, declined or
// cancelled.
func (s *Store) AnswerInvitation(ctx context.Context, ext sqlx.ExtContext, id uuid.UUID, status string, now time.Time) error {
	const q = `
UPDATE cooperative_invitations
SET status = $2, answered_at = $3, updated_at = $3
WHERE id = $1`
	if _, err := ext.ExecContext(ctx, q, id, status, now); err != nil {
		return fmt.Errorf("cooperative: answer invitation: %w", err)
	}
	return nil
}
