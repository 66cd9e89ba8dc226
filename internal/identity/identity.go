// Package identity holds accounts, roles, sessions and cooperative
// membership: registration and log-in with an e-mail address or a
// Vietnamese mobile number, argon2id password hashing, opaque session
// tokens stored only as hashes, password change and reset by e-mail,
// abuse limits on log-in and reset, and the audit log of sensitive actions.
//
// It implements auth.Sessions, through which internal/platform/auth turns a
// request's session token into the Principal that route guards check.
//
// No answer reveals whether an account exists, except registration, which
// must say that an address is taken: a wrong password and an unknown
// account fail alike (the unknown account even spends the time of a hash),
// a reset request always answers 202, and limits count attempts per typed
// login whether or not it names an account.
package identity

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/config"
	"htxmarket/internal/platform/web"
)

// Errors of this package, mapped to statuses in internal/app/errors.go.
var (
	ErrInvalidCredentials  = errors.New("email, số điện thoại hoặc mật khẩu không đúng")
	ErrAccountExists       = errors.New("email hoặc số điện thoại này đã được đăng ký")
	ErrTooManyAttempts     = errors.New("bạn đã thử quá nhiều lần, vui lòng thử lại sau")
	ErrInvalidResetToken   = errors.New("liên kết đặt lại mật khẩu không hợp lệ hoặc đã hết hạn")
	ErrInvalidLoginLink    = errors.New("liên kết đăng nhập không hợp lệ, đã được dùng hoặc đã hết hạn")
	ErrUserNotFound        = errors.New("không tìm thấy người dùng")
	ErrCooperativeNotFound = errors.New("không tìm thấy hợp tác xã")
	ErrNotMember           = errors.New("người dùng không phải thành viên của hợp tác xã này")
	ErrLastAdmin           = errors.New("không thể gỡ quyền của quản trị viên cuối cùng")
)

// Store is the persistence the Service needs; PGStore implements it.
type Store interface {
	// InTx runs fn with a Store inside one transaction.
	InTx(ctx context.Context, fn func(Store) error) error
	// In returns the Store working in ext, another capability's transaction.
	In(ext sqlx.ExtContext) Store

	CreateUser(ctx context.Context, u User, passwordHash string) error
	User(ctx context.Context, id uuid.UUID) (User, error)
	// UserByLogin returns the account and its password hash.
	UserByLogin(ctx context.Context, l Login) (User, string, error)
	PasswordHash(ctx context.Context, id uuid.UUID) (string, error)
	SetPasswordHash(ctx context.Context, id uuid.UUID, hash string, now time.Time) error
	ListUsers(ctx context.Context, f UserFilter) ([]User, error)
	GrantRole(ctx context.Context, userID uuid.UUID, role auth.Role, province string, now time.Time) error
	// RevokeRole reports whether the user had the role.
	RevokeRole(ctx context.Context, userID uuid.UUID, role auth.Role) (bool, error)
	// CountRole counts the enabled users holding role, locking their rows.
	CountRole(ctx context.Context, role auth.Role) (int, error)

	// AddMember returns the member's previous role, or "" for a new member.
	AddMember(ctx context.Context, coop, user uuid.UUID, role auth.Role, now time.Time) (auth.Role, error)
	// RemoveMember returns the role the member had.
	RemoveMember(ctx context.Context, coop, user uuid.UUID) (auth.Role, error)

	CreateSession(ctx context.Context, s sessionRecord) error
	// SessionPrincipal returns the principal of a live session with the
	// token hash, and when the session was last renewed.
	SessionPrincipal(ctx context.Context, hash []byte, now time.Time) (*auth.Principal, sessionTimes, error)
	TouchSession(ctx context.Context, id uuid.UUID, now, idleExpires time.Time) error
	RevokeSession(ctx context.Context, hash []byte, now time.Time) error
	// RevokeUserSessions revokes every session of the user but except.
	RevokeUserSessions(ctx context.Context, userID, except uuid.UUID, now time.Time) error

	CreateReset(ctx context.Context, hash []byte, userID uuid.UUID, expires, now time.Time) error
	// ResetUser returns the user of a valid, unused reset token.
	ResetUser(ctx context.Context, hash []byte, now time.Time) (uuid.UUID, error)
	// UseResets consumes the token, which must still be valid, and every
	// other outstanding token of its user.
	UseResets(ctx context.Context, hash []byte, userID uuid.UUID, now time.Time) error

	CreateLoginLink(ctx context.Context, hash []byte, userID uuid.UUID, expires, now time.Time) error
	// UseLoginLink consumes a valid, unused sign-in link and returns its
	// user; ErrInvalidLoginLink otherwise.
	UseLoginLink(ctx context.Context, hash []byte, now time.Time) (uuid.UUID, error)

	AddAudit(ctx context.Context, e AuditEntry) error

	// Prune deletes sessions ended before endedBefore, reset tokens expired
	// at now, and idle rate-limit counters last used before idleBefore.
	Prune(ctx context.Context, endedBefore, now, idleBefore time.Time) (Pruned, error)
	ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error)

	// TakeAttempt counts an attempt under key and returns how long the
	// caller must wait first, or 0 when the attempt may go ahead.
	TakeAttempt(ctx context.Context, key string, l limit, now time.Time) (time.Duration, error)
	// ForgiveAttempt uncounts an attempt that succeeded.
	ForgiveAttempt(ctx context.Context, key string, now time.Time) error
	ClearAttempts(ctx context.Context, key string) error

	SaveMessage(ctx context.Context, m Message) error
	Messages(ctx context.Context, to string, limit int) ([]StoredMessage, error)
}

// Options are the Service's settings.
type Options struct {
	Password          PasswordParams
	MinPasswordLength int
	SessionTTL        time.Duration
	SessionIdleTTL    time.Duration
	ResetTTL          time.Duration
	// LoginLinkTTL is how long a sign-in link by e-mail stays valid.
	LoginLinkTTL time.Duration
	// PublicOrigin is the base of links in e-mails.
	PublicOrigin string
	Limits       Limits
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// OptionsFromConfig reads the Service's settings from the configuration.
func OptionsFromConfig(c config.Auth) Options {
	return Options{
		Password: PasswordParams{MemoryKiB: uint32(c.Argon2MemoryKiB), Time: uint32(c.Argon2Time),
			Threads: uint8(c.Argon2Threads)},
		MinPasswordLength: c.PasswordMinLength,
		SessionTTL:        c.SessionTTL,
		SessionIdleTTL:    c.SessionIdleTTL,
		ResetTTL:          c.ResetTTL,
		LoginLinkTTL:      c.LoginLinkTTL,
		PublicOrigin:      c.PublicOrigin,
		Limits: Limits{
			LoginAccount: c.LoginLimitAccount, LoginAccountAll: c.LoginLimitAccountAll, LoginIP: c.LoginLimitIP,
			ResetAccount: c.ResetLimitAccount, ResetIP: c.ResetLimitIP,
			Window: c.LimitWindow, Backoff: c.LimitBackoff, BackoffMax: c.LimitBackoffMax,
		},
	}
}

// Service holds the rules of accounts and sessions.
type Service struct {
	store  Store
	mailer Mailer
	log    *slog.Logger
	opt    Options
	hasher *Hasher
	now    func() time.Time
	// mail tracks messages being sent in the background.
	mail *sync.WaitGroup
}

var _ auth.Sessions = (*Service)(nil)

// NewService returns a Service on store that sends e-mail with mailer.
func NewService(store Store, mailer Mailer, log *slog.Logger, opt Options) (*Service, error) {
	h, err := NewHasher(opt.Password)
	if err != nil {
		return nil, err
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, mailer: mailer, log: log, opt: opt, hasher: h, now: now, mail: &sync.WaitGroup{}}, nil
}

// In returns the Service working inside tx, a transaction of another
// capability, so that a membership or an audit entry commits or fails with
// the change that caused it.
func (s *Service) In(tx sqlx.ExtContext) *Service {
	c := *s
	c.store = s.store.In(tx)
	return &c
}

// Drain waits until every e-mail being sent in the background has been
// handed to the mailer; the server calls it on shutdown, tests before
// reading the mailbox.
func (s *Service) Drain() { s.mail.Wait() }

// Register opens a consumer or wholesaler account and signs it in.
func (s *Service) Register(ctx context.Context, r Registration, kind string, c Caller) (User, NewSession, error) {
	if r.AccountType == "" {
		r.AccountType = auth.RoleConsumer
	}
	var v web.ValidationError
	if r.AccountType != auth.RoleConsumer && r.AccountType != auth.RoleWholesaler {
		v.Add("account_type", "loại tài khoản phải là consumer hoặc wholesaler")
	}
	u, err := s.newUser(ctx, &v, NewUser{Email: r.Email, Phone: r.Phone, Password: r.Password, FullName: r.FullName,
		Role: r.AccountType, CompanyName: r.CompanyName, TaxCode: r.TaxCode}, c)
	if err != nil {
		return User{}, NewSession{}, err
	}
	s.log.InfoContext(ctx, "account registered", "user_id", u.ID, "role", r.AccountType)
	ns, err := s.StartSession(ctx, u.ID, kind, c)
	return u, ns, err
}

// CreateUser opens an account with any global role, for administrators and
// the command line (`htxmarket user create --role admin`).
func (s *Service) CreateUser(ctx context.Context, n NewUser, c Caller) (User, error) {
	var v web.ValidationError
	if !n.Role.Global() {
		v.Add("role", "vai trò phải là consumer, wholesaler, trade_staff hoặc admin")
	}
	return s.newUser(ctx, &v, n, c)
}

var taxCodeRE = regexp.MustCompile(`^[0-9]{10}(-[0-9]{3})?$`)

// maxNameLen bounds names, in characters.
const maxNameLen = 200

// newUser validates n, adding to the problems already in v, and creates the
// account with its role.
func (s *Service) newUser(ctx context.Context, v *web.ValidationError, n NewUser, c Caller) (User, error) {
	u := User{FullName: strings.Join(strings.Fields(n.FullName), " ")}
	if strings.TrimSpace(n.Email) != "" {
		e, ok := NormalizeEmail(n.Email)
		v.Check(ok, "email", "email không hợp lệ")
		u.Email = e
	}
	if strings.TrimSpace(n.Phone) != "" {
		p, ok := NormalizePhone(n.Phone)
		v.Check(ok, "phone", "số điện thoại di động không hợp lệ (ví dụ 0912345678)")
		u.Phone = p
	}
	if strings.TrimSpace(n.Email) == "" && strings.TrimSpace(n.Phone) == "" {
		v.Add("email", "hãy nhập email hoặc số điện thoại")
	}
	v.Check(u.FullName != "", "full_name", "hãy nhập họ và tên")
	v.Check(utf8.RuneCountInString(u.FullName) <= maxNameLen, "full_name", "họ và tên quá dài")
	v.Check(!web.Invisible(u.FullName), "full_name", "họ và tên "+web.InvisibleMessage)
	if msg := checkPassword(n.Password, s.opt.MinPasswordLength, u.Email, u.Phone, u.FullName); msg != "" {
		v.Add("password", msg)
	}
	if n.Role == auth.RoleWholesaler {
		u.CompanyName = strings.Join(strings.Fields(n.CompanyName), " ")
		u.TaxCode = strings.TrimSpace(n.TaxCode)
		v.Check(u.CompanyName != "" && utf8.RuneCountInString(u.CompanyName) <= maxNameLen,
			"company_name", "hãy nhập tên doanh nghiệp")
		v.Check(!web.Invisible(u.CompanyName), "company_name", "tên doanh nghiệp "+web.InvisibleMessage)
		v.Check(taxCodeRE.MatchString(u.TaxCode), "tax_code", "mã số thuế gồm 10 chữ số, hoặc 10 chữ số, gạch ngang và 3 chữ số")
	}
	if n.Role != auth.RoleTradeStaff && n.Province != "" {
		v.Add("province", "chỉ cán bộ xúc tiến thương mại mới gắn với tỉnh")
	}
	if err := v.Err(); err != nil {
		return User{}, err
	}
	hash, err := s.hasher.Hash(ctx, n.Password)
	if err != nil {
		return User{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return User{}, fmt.Errorf("identity: new user id: %w", err)
	}
	u.ID = id
	now := s.now()
	err = s.store.InTx(ctx, func(st Store) error {
		if err := st.CreateUser(ctx, u, hash); err != nil {
			return err
		}
		if err := st.GrantRole(ctx, u.ID, n.Role, n.Province, now); err != nil {
			return err
		}
		return st.AddAudit(ctx, audit(c, ActionUserCreate, &u.ID, nil, map[string]any{"role": n.Role, "province": n.Province}))
	})
	if err != nil {
		return User{}, err
	}
	return s.store.User(ctx, u.ID)
}

// Login checks a password and starts a session. Every failure, whether the
// account exists or not, is ErrInvalidCredentials; too many attempts from
// one IP, on one login from one IP, or on one login from every IP are
// refused with a *LimitError before any check (see Limits).
func (s *Service) Login(ctx context.Context, login, password, kind string, c Caller) (User, NewSession, error) {
	var v web.ValidationError
	l, ok := ParseLogin(login)
	v.Check(ok, "login", "hãy nhập email hoặc số điện thoại di động hợp lệ")
	v.Check(password != "", "password", "hãy nhập mật khẩu")
	if err := v.Err(); err != nil {
		return User{}, NewSession{}, err
	}
	keys := newLoginKeys(l.String(), c.IP)
	if err := s.take(ctx, counter{keys.ip, s.opt.Limits.loginIP()}, counter{keys.pair, s.opt.Limits.loginAccount()},
		counter{keys.account, s.opt.Limits.loginAccountAll()}); err != nil {
		return User{}, NewSession{}, err
	}
	u, hash, err := s.store.UserByLogin(ctx, l)
	if errors.Is(err, ErrUserNotFound) {
		if err := s.hasher.VerifyDummy(ctx, password); err != nil {
			return User{}, NewSession{}, err
		}
		return User{}, NewSession{}, ErrInvalidCredentials
	}
	if err != nil {
		return User{}, NewSession{}, err
	}
	ok, rehash, err := s.hasher.Verify(ctx, hash, password)
	if err != nil {
		return User{}, NewSession{}, fmt.Errorf("identity: user %s: %w", u.ID, err)
	}
	if !ok {
		return User{}, NewSession{}, ErrInvalidCredentials
	}
	if err := s.succeeded(ctx, keys); err != nil {
		return User{}, NewSession{}, err
	}
	if rehash {
		// The cost parameters changed since this hash was made.
		if h, err := s.hasher.Hash(ctx, password); err == nil {
			err = s.store.SetPasswordHash(ctx, u.ID, h, s.now())
			if err != nil {
				s.log.WarnContext(ctx, "password rehash failed", "user_id", u.ID, "err", err)
			}
		}
	}
	ns, err := s.StartSession(ctx, u.ID, kind, c)
	return u, ns, err
}

// User returns an account with its roles and memberships.
func (s *Service) User(ctx context.Context, id uuid.UUID) (User, error) { return s.store.User(ctx, id) }

// FindUser returns the enabled account whose e-mail address or mobile
// number, written in any usual form, is login; ErrUserNotFound otherwise.
// It is for staff who add a known person (to a cooperative, say), not for
// anonymous callers, to whom it would reveal who has an account.
func (s *Service) FindUser(ctx context.Context, login string) (User, error) {
	l, ok := ParseLogin(login)
	if !ok {
		return User{}, ErrUserNotFound
	}
	u, _, err := s.store.UserByLogin(ctx, l)
	return u, err
}

// Audit appends an entry to the audit log, for other capabilities'
// sensitive actions (subject and coop may be nil).
func (s *Service) Audit(ctx context.Context, c Caller, action string, subject, coop *uuid.UUID, details map[string]any) error {
	return s.store.AddAudit(ctx, audit(c, action, subject, coop, details))
}

// audit builds an audit entry.
func audit(c Caller, action string, subject, coop *uuid.UUID, details map[string]any) AuditEntry {
	e := AuditEntry{Action: action, SubjectID: subject, CooperativeID: coop, IP: c.IP}
	if c.UserID != uuid.Nil {
		actor := c.UserID
		e.ActorID = &actor
	}
	e.Details = marshalDetails(details)
	return e
}
