package identity

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/web"
)

// PGStore keeps accounts and sessions in PostgreSQL.
type PGStore struct {
	db sqlx.ExtContext
}

// NewStore returns a store on d (a pool or a transaction).
func NewStore(d sqlx.ExtContext) *PGStore { return &PGStore{db: d} }

var _ Store = (*PGStore)(nil)

// In returns a store working in ext.
func (s *PGStore) In(ext sqlx.ExtContext) Store { return &PGStore{db: ext} }

// InTx runs fn in a transaction, or in the current one when the store is
// already inside one.
func (s *PGStore) InTx(ctx context.Context, fn func(Store) error) error {
	pool, ok := s.db.(*sqlx.DB)
	if !ok {
		return fn(s)
	}
	return db.InTx(ctx, pool, func(tx *sqlx.Tx) error { return fn(&PGStore{db: tx}) })
}

// userAccess selects the roles, trade staff province and memberships of the
// user u, so that one query answers "who is this and what may they do".
// A delegation of a cooperative's listings to trade staff (see
// internal/cooperative) is a membership with the role coop_delegate, unless
// the user is a member of that cooperative anyway.
const userAccess = `
       COALESCE((SELECT array_agg(r.role ORDER BY r.role) FROM user_roles r WHERE r.user_id = u.id), '{}') AS roles,
       (SELECT r.province_slug FROM user_roles r WHERE r.user_id = u.id AND r.role = 'trade_staff') AS trade_province,
       COALESCE((SELECT json_agg(json_build_object(
                        'cooperative_id', m.cooperative_id, 'cooperative_slug', c.slug,
                        'cooperative_name', c.name, 'role', m.role) ORDER BY c.name, c.id)
                 FROM (SELECT cooperative_id, role
                       FROM cooperative_members
                       WHERE user_id = u.id
                       UNION ALL
                       SELECT d.cooperative_id, 'coop_delegate'
                       FROM cooperative_delegates d
                       WHERE d.user_id = u.id
                         AND NOT EXISTS (SELECT 1
                                         FROM cooperative_members cm
                                         WHERE cm.cooperative_id = d.cooperative_id
                                           AND cm.user_id = u.id)) m
                 JOIN cooperatives c ON c.id = m.cooperative_id), '[]') AS memberships`

const selectUser = `
SELECT u.id, u.email, u.phone, u.full_name, u.company_name, u.tax_code, u.created_at, u.password_hash,` + userAccess + `
FROM users u`

type accessRow struct {
	Roles         pq.StringArray `db:"roles"`
	TradeProvince sql.NullString `db:"trade_province"`
	Memberships   []byte         `db:"memberships"`
}

type userRow struct {
	ID           uuid.UUID      `db:"id"`
	Email        sql.NullString `db:"email"`
	Phone        sql.NullString `db:"phone"`
	FullName     string         `db:"full_name"`
	CompanyName  sql.NullString `db:"company_name"`
	TaxCode      sql.NullString `db:"tax_code"`
	CreatedAt    time.Time      `db:"created_at"`
	PasswordHash string         `db:"password_hash"`
	accessRow
}

func toRoles(a pq.StringArray) []auth.Role {
	roles := make([]auth.Role, len(a))
	for i, r := range a {
		roles[i] = auth.Role(r)
	}
	return roles
}

func toMemberships(b []byte) ([]auth.Membership, error) {
	ms := []auth.Membership{}
	if err := json.Unmarshal(b, &ms); err != nil {
		return nil, fmt.Errorf("identity: memberships: %w", err)
	}
	return ms, nil
}

func toUser(r userRow) (User, error) {
	ms, err := toMemberships(r.Memberships)
	if err != nil {
		return User{}, err
	}
	return User{
		ID: r.ID, Email: r.Email.String, Phone: r.Phone.String, FullName: r.FullName,
		CompanyName: r.CompanyName.String, TaxCode: r.TaxCode.String,
		Roles: toRoles(r.Roles), TradeProvince: r.TradeProvince.String, Memberships: ms,
		CreatedAt: r.CreatedAt,
	}, nil
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// CreateUser inserts an account.
func (s *PGStore) CreateUser(ctx context.Context, u User, passwordHash string) error {
	const q = `
INSERT INTO users (id, email, phone, password_hash, full_name, company_name, tax_code)
VALUES ($1, $2, $3, $4, $5, $6, $7)`
	_, err := s.db.ExecContext(ctx, q, u.ID, nullString(u.Email), nullString(u.Phone), passwordHash, u.FullName,
		nullString(u.CompanyName), nullString(u.TaxCode))
	if errors.Is(db.Classify(err), db.ErrDuplicate) {
		return ErrAccountExists
	}
	if err != nil {
		return fmt.Errorf("identity: create user: %w", err)
	}
	return nil
}

// User returns an enabled account by ID.
func (s *PGStore) User(ctx context.Context, id uuid.UUID) (User, error) {
	const q = selectUser + `
WHERE u.id = $1
  AND u.disabled_at IS NULL`
	u, _, err := s.getUser(ctx, q, id)
	return u, err
}

// UserByLogin returns an enabled account by e-mail address or phone number.
func (s *PGStore) UserByLogin(ctx context.Context, l Login) (User, string, error) {
	const q = selectUser + `
WHERE (u.email = $1 OR u.phone = $2)
  AND u.disabled_at IS NULL`
	return s.getUser(ctx, q, nullString(l.Email), nullString(l.Phone))
}

func (s *PGStore) getUser(ctx context.Context, q string, args ...any) (User, string, error) {
	var r userRow
	if err := sqlx.GetContext(ctx, s.db, &r, q, args...); err != nil {
		if errors.Is(db.Classify(err), db.ErrNotFound) {
			return User{}, "", ErrUserNotFound
		}
		return User{}, "", fmt.Errorf("identity: get user: %w", err)
	}
	u, err := toUser(r)
	return u, r.PasswordHash, err
}

// PasswordHash returns the password hash of an account.
func (s *PGStore) PasswordHash(ctx context.Context, id uuid.UUID) (string, error) {
	const q = `
SELECT password_hash
FROM users
WHERE id = $1`
	var h string
	if err := sqlx.GetContext(ctx, s.db, &h, q, id); err != nil {
		if errors.Is(db.Classify(err), db.ErrNotFound) {
			return "", ErrUserNotFound
		}
		return "", fmt.Errorf("identity: password hash: %w", err)
	}
	return h, nil
}

// SetPasswordHash replaces the password hash of an account.
func (s *PGStore) SetPasswordHash(ctx context.Context, id uuid.UUID, hash string, now time.Time) error {
	const q = `
UPDATE users
SET password_hash = $2, updated_at = $3
WHERE id = $1`
	return s.execOne(ctx, "set password", ErrUserNotFound, q, id, hash, now)
}

// execOne runs a statement that must change exactly one row, returning
// notFound when it changes none.
func (s *PGStore) execOne(ctx context.Context, what string, notFound error, q string, args ...any) error {
	res, err := s.db.ExecContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("identity: %s: %w", what, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return notFound
	}
	return nil
}

// likePattern escapes q for a LIKE '%q%' match.
func likePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(q) + "%"
}

// ListUsers returns accounts matching f, newest first.
func (s *PGStore) ListUsers(ctx context.Context, f UserFilter) ([]User, error) {
	const q = selectUser + `
WHERE ($1 = '' OR u.email LIKE $2 OR u.phone LIKE $2 OR fold_vi(u.full_name) LIKE fold_vi($2))
  AND ($3 = ''
       OR EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = $3)
       OR EXISTS (SELECT 1 FROM cooperative_members m WHERE m.user_id = u.id AND m.role = $3))
  AND ($4::uuid IS NULL OR u.id < $4)
ORDER BY u.id DESC
LIMIT $5`
	query := strings.TrimSpace(f.Query)
	if p, ok := NormalizePhone(query); ok {
		query = p
	}
	var after *uuid.UUID
	if f.After != uuid.Nil {
		after = &f.After
	}
	var rows []userRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, q, query, likePattern(strings.ToLower(query)), string(f.Role), after, f.Limit); err != nil {
		return nil, fmt.Errorf("identity: list users: %w", err)
	}
	out := make([]User, len(rows))
	for i, r := range rows {
		u, err := toUser(r)
		if err != nil {
			return nil, err
		}
		out[i] = u
	}
	return out, nil
}

// GrantRole gives a global role, or changes the province of a trade_staff role.
func (s *PGStore) GrantRole(ctx context.Context, userID uuid.UUID, role auth.Role, province string, now time.Time) error {
	const q = `
INSERT INTO user_roles (user_id, role, province_slug, created_at, updated_at)
VALUES ($1, $2, $3, $4, $4)
ON CONFLICT (user_id, role) DO UPDATE
SET province_slug = EXCLUDED.province_slug, updated_at = EXCLUDED.updated_at`
	_, err := s.db.ExecContext(ctx, q, userID, string(role), nullString(province), now)
	if errors.Is(db.Classify(err), db.ErrForeignKey) {
		if strings.Contains(db.Constraint(err), "province") {
			var v web.ValidationError
			v.Add("province", "không có tỉnh, thành phố này")
			return v.Err()
		}
		return ErrUserNotFound
	}
	if err != nil {
		return fmt.Errorf("identity: grant role: %w", err)
	}
	return nil
}

// RevokeRole removes a global role.
func (s *PGStore) RevokeRole(ctx context.Context, userID uuid.UUID, role auth.Role) (bool, error) {
	const q = `
DELETE FROM user_roles
WHERE user_id = $1
  AND role = $2`
	err := s.execOne(ctx, "revoke role", errNoRows, q, userID, string(role))
	if errors.Is(err, errNoRows) {
		return false, nil
	}
	return err == nil, err
}

var errNoRows = errors.New("identity: no rows")

// CountRole counts enabled holders of a global role, locking their rows so
// that two concurrent revocations cannot both see "one more left".
func (s *PGStore) CountRole(ctx context.Context, role auth.Role) (int, error) {
	const q = `
SELECT r.user_id
FROM user_roles r
JOIN users u ON u.id = r.user_id
WHERE r.role = $1
  AND u.disabled_at IS NULL
FOR UPDATE OF r`
	var ids []uuid.UUID
	if err := sqlx.SelectContext(ctx, s.db, &ids, q, string(role)); err != nil {
		return 0, fmt.Errorf("identity: count role: %w", err)
	}
	return len(ids), nil
}

// AddMember inserts or updates a membership and returns the previous role.
func (s *PGStore) AddMember(ctx context.Context, coop, user uuid.UUID, role auth.Role, now time.Time) (auth.Role, error) {
	// prev reads the statement's snapshot, so it sees the row as it was
	// before this upsert changed it.
	const q = `
WITH prev AS (
    SELECT role
    FROM cooperative_members
    WHERE cooperative_id = $1
      AND user_id = $2
)
INSERT INTO cooperative_members (cooperative_id, user_id, role, created_at, updated_at)
VALUES ($1, $2, $3, $4, $4)
ON CONFLICT (cooperative_id, user_id) DO UPDATE
SET role = EXCLUDED.role, updated_at = EXCLUDED.updated_at
RETURNING COALESCE((SELECT role FROM prev), '')`
	var prev string
	err := sqlx.GetContext(ctx, s.db, &prev, q, coop, user, string(role), now)
	if errors.Is(db.Classify(err), db.ErrForeignKey) {
		if strings.Contains(db.Constraint(err), "cooperative") && !strings.Contains(db.Constraint(err), "user") {
			return "", ErrCooperativeNotFound
		}
		return "", ErrUserNotFound
	}
	if err != nil {
		return "", fmt.Errorf("identity: add member: %w", err)
	}
	return auth.Role(prev), nil
}

// RemoveMember deletes a membership and returns its role.
func (s *PGStore) RemoveMember(ctx context.Context, coop, user uuid.UUID) (auth.Role, error) {
	const q = `
DELETE FROM cooperative_members
WHERE cooperative_id = $1
  AND user_id = $2
RETURNING role`
	var role string
	if err := sqlx.GetContext(ctx, s.db, &role, q, coop, user); err != nil {
		if errors.Is(db.Classify(err), db.ErrNotFound) {
			return "", ErrNotMember
		}
		return "", fmt.Errorf("identity: remove member: %w", err)
	}
	return auth.Role(role), nil
}

// CreateSession inserts a session.
func (s *PGStore) CreateSession(ctx context.Context, r sessionRecord) error {
	const q = `
INSERT INTO sessions (id, user_id, token_hash, kind, expires_at, idle_expires_at, last_seen_at,
                      user_agent, ip, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $7, $7)`
	_, err := s.db.ExecContext(ctx, q, r.ID, r.UserID, r.TokenHash, r.Kind, r.ExpiresAt, r.IdleExpires, r.Now,
		r.UserAgent, r.IP)
	if errors.Is(db.Classify(err), db.ErrForeignKey) {
		return ErrUserNotFound
	}
	if err != nil {
		return fmt.Errorf("identity: create session: %w", err)
	}
	return nil
}

// SessionPrincipal resolves a live session, with its user's roles and
// memberships, in one query.
func (s *PGStore) SessionPrincipal(ctx context.Context, hash []byte, now time.Time) (*auth.Principal, sessionTimes, error) {
	const q = `
SELECT s.id, s.user_id, s.last_seen_at, s.expires_at,` + userAccess + `
FROM sessions s
JOIN users u ON u.id = s.user_id
WHERE s.token_hash = $1
  AND s.revoked_at IS NULL
  AND s.expires_at > $2
  AND s.idle_expires_at > $2
  AND u.disabled_at IS NULL`
	var r struct {
		ID        uuid.UUID `db:"id"`
		UserID    uuid.UUID `db:"user_id"`
		LastSeen  time.Time `db:"last_seen_at"`
		ExpiresAt time.Time `db:"expires_at"`
		accessRow
	}
	if err := sqlx.GetContext(ctx, s.db, &r, q, hash, now); err != nil {
		if errors.Is(db.Classify(err), db.ErrNotFound) {
			return nil, sessionTimes{}, auth.ErrUnauthenticated
		}
		return nil, sessionTimes{}, fmt.Errorf("identity: session: %w", err)
	}
	ms, err := toMemberships(r.Memberships)
	if err != nil {
		return nil, sessionTimes{}, err
	}
	p := &auth.Principal{UserID: r.UserID, SessionID: r.ID, Roles: toRoles(r.Roles),
		Province: r.TradeProvince.String, Memberships: ms}
	return p, sessionTimes{LastSeen: r.LastSeen, ExpiresAt: r.ExpiresAt}, nil
}

// TouchSession records use of a session and slides its idle expiry.
func (s *PGStore) TouchSession(ctx context.Context, id uuid.UUID, now, idleExpires time.Time) error {
	const q = `
UPDATE sessions
SET last_seen_at = $2, idle_expires_at = $3, updated_at = $2
WHERE id = $1`
	if _, err := s.db.ExecContext(ctx, q, id, now, idleExpires); err != nil {
		return fmt.Errorf("identity: touch session: %w", err)
	}
	return nil
}

// RevokeSession ends the session with the token hash.
func (s *PGStore) RevokeSession(ctx context.Context, hash []byte, now time.Time) error {
	const q = `
UPDATE sessions
SET revoked_at = $2, updated_at = $2
WHERE token_hash = $1
  AND revoked_at IS NULL`
	return s.execOne(ctx, "revoke session", auth.ErrUnauthenticated, q, hash, now)
}

// RevokeUserSessions ends every session of a user except one (uuid.Nil for none).
func (s *PGStore) RevokeUserSessions(ctx context.Context, userID, except uuid.UUID, now time.Time) error {
	const q = `
UPDATE sessions
SET revoked_at = $3, updated_at = $3
WHERE user_id = $1
  AND id <> $2
  AND revoked_at IS NULL`
	if _, err := s.db.ExecContext(ctx, q, userID, except, now); err != nil {
		return fmt.Errorf("identity: revoke sessions: %w", err)
	}
	return nil
}

// CreateReset stores a password reset token's hash.
func (s *PGStore) CreateReset(ctx context.Context, hash []byte, userID uuid.UUID, expires, now time.Time) error {
	const q = `
INSERT INTO password_resets (token_hash, user_id, expires_at, created_at, updated_at)
VALUES ($1, $2, $3, $4, $4)`
	if _, err := s.db.ExecContext(ctx, q, hash, userID, expires, now); err != nil {
		return fmt.Errorf("identity: create reset: %w", err)
	}
	return nil
}

// ResetUser returns the user of a valid, unused reset token.
func (s *PGStore) ResetUser(ctx context.Context, hash []byte, now time.Time) (uuid.UUID, error) {
	const q = `
SELECT user_id
FROM password_resets
WHERE token_hash = $1
  AND used_at IS NULL
  AND expires_at > $2`
	var id uuid.UUID
	if err := sqlx.GetContext(ctx, s.db, &id, q, hash, now); err != nil {
		if errors.Is(db.Classify(err), db.ErrNotFound) {
			return uuid.Nil, ErrInvalidResetToken
		}
		return uuid.Nil, fmt.Errorf("identity: reset token: %w", err)
	}
	return id, nil
}

// UseResets consumes a reset token and every other one of its user. Of two
// concurrent uses of one token, the second waits for the first's row lock,
// then finds the token used.
func (s *PGStore) UseResets(ctx context.Context, hash []byte, userID uuid.UUID, now time.Time) error {
	const use = `
UPDATE password_resets
SET used_at = $3, updated_at = $3
WHERE token_hash = $1
  AND user_id = $2
  AND used_at IS NULL
  AND expires_at > $3`
	if err := s.execOne(ctx, "use reset", ErrInvalidResetToken, use, hash, userID, now); err != nil {
		return err
	}
	const others = `
UPDATE password_resets
SET used_at = $2, updated_at = $2
WHERE user_id = $1
  AND used_at IS NULL`
	if _, err := s.db.ExecContext(ctx, others, userID, now); err != nil {
		return fmt.Errorf("identity: use resets: %w", err)
	}
	return nil
}

// CreateLoginLink stores a sign-in link token's hash.
func (s *PGStore) CreateLoginLink(ctx context.Context, hash []byte, userID uuid.UUID, expires, now time.Time) error {
	const q = `
INSERT INTO login_links (token_hash, user_id, expires_at, created_at, updated_at)
VALUES ($1, $2, $3, $4, $4)`
	if _, err := s.db.ExecContext(ctx, q, hash, userID, expires, now); err != nil {
		return fmt.Errorf("identity: create login link: %w", err)
	}
	return nil
}

// UseLoginLink consumes a valid, unused sign-in link token and returns its
// user, who must still be enabled. Of two concurrent uses, the second
// waits for the first's row lock, then finds the token used.
func (s *PGStore) UseLoginLink(ctx context.Context, hash []byte, now time.Time) (uuid.UUID, error) {
	const q = `
UPDATE login_links AS l
SET used_at = $2, updated_at = $2
FROM users u
WHERE l.token_hash = $1
  AND l.used_at IS NULL
  AND l.expires_at > $2
  AND u.id = l.user_id
  AND u.disabled_at IS NULL
RETURNING l.user_id`
	var id uuid.UUID
	if err := sqlx.GetContext(ctx, s.db, &id, q, hash, now); err != nil {
		if errors.Is(db.Classify(err), db.ErrNotFound) {
			return uuid.Nil, ErrInvalidLoginLink
		}
		return uuid.Nil, fmt.Errorf("identity: use login link: %w", err)
	}
	return id, nil
}

// AddAudit appends to the audit log.
func (s *PGStore) AddAudit(ctx context.Context, e AuditEntry) error {
	const q = `
INSERT INTO audit_log (actor_id, action, subject_id, cooperative_id, details, ip)
VALUES ($1, $2, $3, $4, $5, $6)`
	details := []byte(e.Details)
	if len(details) == 0 {
		details = []byte(`{}`)
	}
	_, err := s.db.ExecContext(ctx, q, e.ActorID, e.Action, e.SubjectID, e.CooperativeID, details, e.IP)
	if err != nil {
		return fmt.Errorf("identity: audit: %w", err)
	}
	return nil
}

// ListAudit returns audit entries matching f, newest first.
func (s *PGStore) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	const q = `
SELECT id, actor_id, action, subject_id, cooperative_id, details, ip, created_at
FROM audit_log
WHERE ($1 = '' OR action = $1)
  AND ($2::uuid IS NULL OR subject_id = $2)
  AND ($3 = 0 OR id < $3)
ORDER BY id DESC
LIMIT $4`
	var subject *uuid.UUID
	if f.SubjectID != uuid.Nil {
		subject = &f.SubjectID
	}
	var rows []struct {
		ID            int64      `db:"id"`
		ActorID       *uuid.UUID `db:"actor_id"`
		Action        string     `db:"action"`
		SubjectID     *uuid.UUID `db:"subject_id"`
		CooperativeID *uuid.UUID `db:"cooperative_id"`
		Details       []byte     `db:"details"`
		IP            string     `db:"ip"`
		CreatedAt     time.Time  `db:"created_at"`
	}
	if err := sqlx.SelectContext(ctx, s.db, &rows, q, f.Action, subject, f.Before, f.Limit); err != nil {
		return nil, fmt.Errorf("identity: list audit: %w", err)
	}
	out := make([]AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = AuditEntry{ID: r.ID, ActorID: r.ActorID, Action: r.Action, SubjectID: r.SubjectID,
			CooperativeID: r.CooperativeID, Details: r.Details, IP: r.IP, CreatedAt: r.CreatedAt}
	}
	return out, nil
}

// TakeAttempt counts an attempt in one atomic upsert: a counter that is
// blocked is left alone (and the wait returned); otherwise the count goes
// up, restarting from 1 after a quiet window, and once it reaches the
// allowance the next attempt is blocked for a back-off that doubles with
// each further attempt.
func (s *PGStore) TakeAttempt(ctx context.Context, key string, l limit, now time.Time) (time.Duration, error) {
	const q = `
WITH p AS (
    SELECT $2::timestamptz AS now, $3::int AS allowed, make_interval(secs => $4) AS backoff,
           make_interval(secs => $5) AS backoff_max, make_interval(secs => $6) AS win
)
INSERT INTO rate_limits AS rl (key, attempts, last_at, blocked_until, created_at, updated_at)
SELECT $1, 1, p.now, CASE WHEN p.allowed <= 1 THEN p.now + p.backoff END, p.now, p.now
FROM p
ON CONFLICT (key) DO UPDATE
SET (attempts, blocked_until) = (
        SELECT next.n,
               CASE WHEN next.n >= p.allowed
                    THEN p.now + least(p.backoff_max, p.backoff * power(2, least(next.n - p.allowed, 30)))
               END
        FROM p,
             LATERAL (SELECT CASE WHEN rl.last_at <= p.now - p.win THEN 1 ELSE rl.attempts + 1 END AS n) AS next),
    last_at = EXCLUDED.last_at,
    updated_at = EXCLUDED.last_at
WHERE rl.blocked_until IS NULL
   OR rl.blocked_until <= EXCLUDED.last_at
RETURNING attempts`
	var n int
	err := sqlx.GetContext(ctx, s.db, &n, q, key, now, l.Allowed, l.Backoff.Seconds(), l.BackoffMax.Seconds(), l.Window.Seconds())
	if err == nil {
		return 0, nil
	}
	if !errors.Is(db.Classify(err), db.ErrNotFound) {
		return 0, fmt.Errorf("identity: take attempt: %w", err)
	}
	// No row returned: the counter is blocked.
	const blocked = `
SELECT blocked_until
FROM rate_limits
WHERE key = $1`
	var until sql.NullTime
	if err := sqlx.GetContext(ctx, s.db, &until, blocked, key); err != nil {
		return 0, fmt.Errorf("identity: blocked attempt: %w", err)
	}
	return max(until.Time.Sub(now), time.Second), nil
}

// ForgiveAttempt uncounts one attempt, lifting a block that only it caused.
func (s *PGStore) ForgiveAttempt(ctx context.Context, key string, now time.Time) error {
	const q = `
UPDATE rate_limits
SET attempts = greatest(attempts - 1, 0),
    blocked_until = NULL,
    updated_at = $2
WHERE key = $1`
	if _, err := s.db.ExecContext(ctx, q, key, now); err != nil {
		return fmt.Errorf("identity: forgive attempt: %w", err)
	}
	return nil
}

// ClearAttempts forgets a counter.
func (s *PGStore) ClearAttempts(ctx context.Context, key string) error {
	const q = `
DELETE FROM rate_limits
WHERE key = $1`
	if _, err := s.db.ExecContext(ctx, q, key); err != nil {
		return fmt.Errorf("identity: clear attempts: %w", err)
	}
	return nil
}

// SaveMessage stores a message in the development mailbox.
func (s *PGStore) SaveMessage(ctx context.Context, m Message) error {
	const q = `
INSERT INTO dev_mailbox (to_addr, subject, body)
VALUES ($1, $2, $3)`
	if _, err := s.db.ExecContext(ctx, q, m.To, m.Subject, m.Text); err != nil {
		return fmt.Errorf("identity: save message: %w", err)
	}
	return nil
}

// Messages returns the latest messages to an address, newest first.
func (s *PGStore) Messages(ctx context.Context, to string, limit int) ([]StoredMessage, error) {
	const q = `
SELECT id, to_addr, subject, body, created_at
FROM dev_mailbox
WHERE to_addr = $1
ORDER BY id DESC
LIMIT $2`
	var rows []struct {
		ID        int64     `db:"id"`
		To        string    `db:"to_addr"`
		Subject   string    `db:"subject"`
		Body      string    `db:"body"`
		CreatedAt time.Time `db:"created_at"`
	}
	if err := sqlx.SelectContext(ctx, s.db, &rows, q, to, limit); err != nil {
		return nil, fmt.Errorf("identity: messages: %w", err)
	}
	out := make([]StoredMessage, len(rows))
	for i, r := range rows {
		out[i] = StoredMessage{ID: r.ID, To: r.To, Subject: r.Subject, Text: r.Body, CreatedAt: r.CreatedAt}
	}
	return out, nil
}
