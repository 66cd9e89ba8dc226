package identity_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"reflect"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/identity"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/platform/web"
)

// clock is a settable time source.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// testOptions are small argon2 parameters and short limits.
func testOptions(clk *clock) identity.Options {
	return identity.Options{
		Password:          identity.PasswordParams{MemoryKiB: 64, Time: 1, Threads: 1},
		MinPasswordLength: 8,
		SessionTTL:        30 * 24 * time.Hour,
		SessionIdleTTL:    7 * 24 * time.Hour,
		ResetTTL:          time.Hour,
		PublicOrigin:      "https://htxmarket.vn",
		Limits: identity.Limits{LoginAccount: 3, LoginAccountAll: 10, LoginIP: 50, ResetAccount: 3, ResetIP: 50,
			Window: 15 * time.Minute, Backoff: 30 * time.Second, BackoffMax: time.Hour},
		Now: clk.Now,
	}
}

type fixture struct {
	s   *identity.Service
	clk *clock
	db  *sqlx.DB
}

func newFixture(t *testing.T, change ...func(*identity.Options)) fixture {
	t.Helper()
	d := dbtest.New(t)
	clk := &clock{now: time.Date(2025, 9, 2, 8, 0, 0, 0, time.UTC)}
	opt := testOptions(clk)
	for _, f := range change {
		f(&opt)
	}
	store := identity.NewStore(d)
	s, err := identity.NewService(store, identity.DevMailer{Store: store}, slog.New(slog.NewTextHandler(io.Discard, nil)), opt)
	if err != nil {
		t.Fatal(err)
	}
	return fixture{s: s, clk: clk, db: d}
}

const password = "Mật khẩu rất khó đoán"

var ctx = context.Background()

func (f fixture) register(t *testing.T, email, phone string) identity.User {
	t.Helper()
	u, _, err := f.s.Register(ctx, identity.Registration{Email: email, Phone: phone, Password: password,
		FullName: "Nguyễn Thị Lan"}, identity.KindBearer, identity.Caller{IP: "203.0.113.1"})
	if err != nil {
		t.Fatalf("register %s%s: %v", email, phone, err)
	}
	return u
}

func (f fixture) login(login, pw string) (identity.NewSession, error) {
	_, ns, err := f.s.Login(ctx, login, pw, identity.KindBearer, identity.Caller{IP: "203.0.113.1"})
	return ns, err
}

func fieldsOf(err error) []string {
	var v *web.ValidationError
	if !errors.As(err, &v) {
		return nil
	}
	var out []string
	for _, f := range v.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestRegisterLoginAndDuplicates(t *testing.T) {
	f := newFixture(t)
	u := f.register(t, " Lan@Example.VN ", "")
	if u.Email != "lan@example.vn" || len(u.Roles) != 1 || u.Roles[0] != auth.RoleConsumer || u.Memberships == nil {
		t.Fatalf("registered %+v", u)
	}
	p := f.register(t, "", "0912 345 678")
	if p.Phone != "+84912345678" {
		t.Fatalf("phone stored as %q", p.Phone)
	}
	for _, login := range []string{"LAN@example.vn", "0912345678", "+84912345678", "84 91 234 5678", "091.234.5678"} {
		if _, err := f.login(login, password); err != nil {
			t.Errorf("login %q: %v", login, err)
		}
	}
	for _, dup := range []identity.Registration{
		{Email: "lan@EXAMPLE.vn"},
		{Phone: "84 91 234 5678"},
		{Email: "new@example.vn", Phone: "+84912345678"},
	} {
		dup.Password, dup.FullName = password, "Trần Văn Bình"
		if _, _, err := f.s.Register(ctx, dup, identity.KindCookie, identity.Caller{}); !errors.Is(err, identity.ErrAccountExists) {
			t.Errorf("duplicate %+v: want ErrAccountExists, got %v", dup, err)
		}
	}
}

func TestRegistrationValidation(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name string
		r    identity.Registration
		want []string
	}{
		{"everything missing", identity.Registration{}, []string{"email", "full_name", "password"}},
		{"bad email and phone", identity.Registration{Email: "lan@", Phone: "0243123456", Password: password, FullName: "Lan"},
			[]string{"email", "phone"}},
		{"short password", identity.Registration{Email: "a@b.vn", Password: "abc123", FullName: "Lan"}, []string{"password"}},
		{"common password", identity.Registration{Email: "a@b.vn", Password: "iloveyou123", FullName: "Lan"}, []string{"password"}},
		{"common Vietnamese password", identity.Registration{Email: "a@b.vn", Password: "Anhyeuem123", FullName: "Lan"}, []string{"password"}},
		{"password repeats the email", identity.Registration{Email: "nguyenlan@b.vn", Password: "nguyenlan2025", FullName: "Lan"}, []string{"password"}},
		{"password repeats the phone", identity.Registration{Phone: "0912345678", Password: "x912345678", FullName: "Lan"}, []string{"password"}},
		{"wholesaler without business", identity.Registration{Email: "a@b.vn", Password: password, FullName: "Lan",
			AccountType: auth.RoleWholesaler, TaxCode: "12345"}, []string{"company_name", "tax_code"}},
		{"admin cannot register", identity.Registration{Email: "a@b.vn", Password: password, FullName: "Lan",
			AccountType: auth.RoleAdmin}, []string{"account_type"}},
		{"name with a right-to-left override", identity.Registration{Email: "a@b.vn", Password: password,
			FullName: "Quản trị viên \u202enaV"}, []string{"full_name"}},
		{"name with a control character", identity.Registration{Email: "a@b.vn", Password: password,
			FullName: "Lan\x1b[31m"}, []string{"full_name"}},
		{"company with a zero-width space", identity.Registration{Email: "a@b.vn", Password: password, FullName: "Lan",
			AccountType: auth.RoleWholesaler, CompanyName: "Công ty\u200b", TaxCode: "0101234567"}, []string{"company_name"}},
		{"email with a paragraph separator", identity.Registration{Email: "lan\u2029@b.vn", Password: password,
			FullName: "Lan"}, []string{"email"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.s.Register(ctx, tt.r, identity.KindCookie, identity.Caller{})
			got := fieldsOf(err)
			if len(got) != len(tt.want) {
				t.Fatalf("fields %v, want %v (%v)", got, tt.want, err)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("fields %v, want %v", got, tt.want)
				}
			}
		})
	}
	w, _, err := f.s.Register(ctx, identity.Registration{Email: "sales@coop.vn", Password: password, FullName: "Lan",
		AccountType: auth.RoleWholesaler, CompanyName: " Công ty  TNHH Nông sản Việt ", TaxCode: "0101234567-001"},
		identity.KindCookie, identity.Caller{})
	if err != nil || w.CompanyName != "Công ty TNHH Nông sản Việt" || w.Roles[0] != auth.RoleWholesaler {
		t.Fatalf("wholesaler: %+v %v", w, err)
	}
}

func TestWrongPasswordLooksLikeUnknownAccount(t *testing.T) {
	f := newFixture(t)
	f.register(t, "lan@example.vn", "")
	_, wrong := f.login("lan@example.vn", "not the password")
	_, unknown := f.login("nobody@example.vn", password)
	if !errors.Is(wrong, identity.ErrInvalidCredentials) || !errors.Is(unknown, identity.ErrInvalidCredentials) ||
		wrong.Error() != unknown.Error() {
		t.Fatalf("wrong password: %v; unknown account: %v", wrong, unknown)
	}
}

func TestLoginBackoff(t *testing.T) {
	f := newFixture(t)
	f.register(t, "lan@example.vn", "")
	expect := func(pw string, want error, retry time.Duration) {
		t.Helper()
		_, err := f.login("lan@example.vn", pw)
		var le *identity.LimitError
		switch {
		case retry > 0:
			if !errors.As(err, &le) || le.RetryAfter != retry || !errors.Is(err, identity.ErrTooManyAttempts) {
				t.Fatalf("want a wait of %s, got %v", retry, err)
			}
		case !errors.Is(err, want) && !(want == nil && err == nil):
			t.Fatalf("want %v, got %v", want, err)
		}
	}
	// Three attempts are free; the third blocks the next for 30s.
	expect("wrong-1", identity.ErrInvalidCredentials, 0)
	expect("wrong-2", identity.ErrInvalidCredentials, 0)
	expect("wrong-3", identity.ErrInvalidCredentials, 0)
	expect(password, nil, 30*time.Second) // even the right password waits
	f.clk.Advance(10 * time.Second)
	expect(password, nil, 20*time.Second) // a refused attempt does not extend the wait
	f.clk.Advance(20 * time.Second)
	expect("wrong-4", identity.ErrInvalidCredentials, 0)
	expect(password, nil, time.Minute) // the wait doubles
	f.clk.Advance(time.Minute)
	expect(password, nil, 0) // success clears the account's counter
	expect("wrong-5", identity.ErrInvalidCredentials, 0)
	expect("wrong-6", identity.ErrInvalidCredentials, 0)

	// An unknown account is limited exactly the same way.
	for range 3 {
		if _, err := f.login("nobody@example.vn", "x"); !errors.Is(err, identity.ErrInvalidCredentials) {
			t.Fatal(err)
		}
	}
	if _, err := f.login("nobody@example.vn", "x"); !errors.Is(err, identity.ErrTooManyAttempts) {
		t.Fatalf("unknown account: want a limit, got %v", err)
	}

	// After a quiet window the counter starts afresh.
	f.clk.Advance(16 * time.Minute)
	expect("wrong-7", identity.ErrInvalidCredentials, 0)
}

func TestLoginLimitPerIP(t *testing.T) {
	f := newFixture(t, func(o *identity.Options) { o.Limits.LoginIP = 4 })
	f.register(t, "lan@example.vn", "")
	for i, login := range []string{"a@x.vn", "b@x.vn", "c@x.vn", "d@x.vn"} {
		if _, err := f.login(login, "x"); !errors.Is(err, identity.ErrInvalidCredentials) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if _, err := f.login("lan@example.vn", password); !errors.Is(err, identity.ErrTooManyAttempts) {
		t.Fatalf("fifth account from one IP: want a limit, got %v", err)
	}
	_, _, err := f.s.Login(ctx, "lan@example.vn", password, identity.KindBearer, identity.Caller{IP: "198.51.100.9"})
	if err != nil {
		t.Fatalf("another IP: %v", err)
	}
}

// TestLoginLimitUnderConcurrency fires a burst of guesses at once from ten
// addresses: the counters are taken atomically before the password check,
// so no more than the account-wide allowance are ever checked.
func TestLoginLimitUnderConcurrency(t *testing.T) {
	f := newFixture(t, func(o *identity.Options) { o.Limits.LoginAccount, o.Limits.LoginAccountAll = 5, 5 })
	f.register(t, "lan@example.vn", "")
	var wg sync.WaitGroup
	var mu sync.Mutex
	counts := map[string]int{}
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := f.s.Login(ctx, "lan@example.vn", "guess", identity.KindBearer,
				identity.Caller{IP: "203.0.113." + string(rune('0'+i%10))})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, identity.ErrInvalidCredentials):
				counts["checked"]++
			case errors.Is(err, identity.ErrTooManyAttempts):
				counts["limited"]++
			default:
				t.Errorf("unexpected: %v", err)
			}
		}()
	}
	wg.Wait()
	if counts["checked"] != 5 || counts["limited"] != 25 {
		t.Fatalf("checked %d, limited %d; want 5 and 25", counts["checked"], counts["limited"])
	}
}

func TestSessionLifetime(t *testing.T) {
	f := newFixture(t)
	u := f.register(t, "lan@example.vn", "")
	ns, err := f.login("lan@example.vn", password)
	if err != nil {
		t.Fatal(err)
	}
	alive := func(token string) bool {
		t.Helper()
		p, err := f.s.Authenticate(ctx, token)
		if err != nil && !errors.Is(err, auth.ErrUnauthenticated) {
			t.Fatal(err)
		}
		if err == nil && p.UserID != u.ID {
			t.Fatalf("principal of another user: %+v", p)
		}
		return err == nil
	}
	if !alive(ns.Token) || alive("") || alive(ns.Token+"x") {
		t.Fatal("token checks")
	}
	// Used every six days, the session outlives its 7-day idle timeout...
	for range 4 {
		f.clk.Advance(6 * 24 * time.Hour)
		if !alive(ns.Token) {
			t.Fatal("session used within its idle timeout expired")
		}
	}
	// ...but not its 30-day lifetime.
	f.clk.Advance(6 * 24 * time.Hour)
	if alive(ns.Token) {
		t.Fatal("session outlived SESSION_TTL")
	}

	idle, _ := f.login("lan@example.vn", password)
	f.clk.Advance(7*24*time.Hour + time.Second)
	if alive(idle.Token) {
		t.Fatal("idle session survived SESSION_IDLE_TTL")
	}

	out, _ := f.login("lan@example.vn", password)
	if err := f.s.Logout(ctx, out.Token); err != nil || alive(out.Token) {
		t.Fatalf("logout: %v", err)
	}
	if err := f.s.Logout(ctx, out.Token); err != nil {
		t.Fatalf("second logout: %v", err)
	}
}

func TestChangePasswordRevokesOtherSessions(t *testing.T) {
	f := newFixture(t)
	u := f.register(t, "lan@example.vn", "")
	here, _ := f.login("lan@example.vn", password)
	there, _ := f.login("lan@example.vn", password)
	p, err := f.s.Authenticate(ctx, here.Token)
	if err != nil {
		t.Fatal(err)
	}
	err = f.s.ChangePassword(ctx, p, "wrong", "Một mật khẩu mới toanh", identity.Caller{UserID: u.ID})
	if got := fieldsOf(err); len(got) != 1 || got[0] != "current_password" {
		t.Fatalf("wrong current password: %v", err)
	}
	err = f.s.ChangePassword(ctx, p, password, "123456789", identity.Caller{UserID: u.ID})
	if got := fieldsOf(err); len(got) != 1 || got[0] != "new_password" {
		t.Fatalf("weak new password: %v", err)
	}
	if err := f.s.ChangePassword(ctx, p, password, "Một mật khẩu mới toanh", identity.Caller{UserID: u.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Authenticate(ctx, here.Token); err != nil {
		t.Fatalf("the session that changed the password must stay: %v", err)
	}
	if _, err := f.s.Authenticate(ctx, there.Token); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("other session must be revoked: %v", err)
	}
	if _, err := f.login("lan@example.vn", password); !errors.Is(err, identity.ErrInvalidCredentials) {
		t.Fatalf("old password still works: %v", err)
	}
	if _, err := f.login("lan@example.vn", "Một mật khẩu mới toanh"); err != nil {
		t.Fatalf("new password: %v", err)
	}
	requireAudit(t, f, identity.ActionPasswordChange, u.ID)
}

var tokenRE = regexp.MustCompile(`#token=([A-Za-z0-9_-]+)`)

func resetToken(t *testing.T, f fixture, email string) string {
	t.Helper()
	ms, err := f.s.Mailbox(ctx, email)
	if err != nil || len(ms) == 0 {
		t.Fatalf("no message to %s: %v", email, err)
	}
	m := tokenRE.FindStringSubmatch(ms[0].Text)
	if m == nil {
		t.Fatalf("no token in %q", ms[0].Text)
	}
	return m[1]
}

func TestPasswordReset(t *testing.T) {
	f := newFixture(t)
	u := f.register(t, "lan@example.vn", "0912345678")
	session, _ := f.login("lan@example.vn", password)

	if err := f.s.RequestReset(ctx, "0912 345 678", identity.Caller{}); err != nil {
		t.Fatal(err)
	}
	token := resetToken(t, f, "lan@example.vn")

	const next = "Mùa xuân trên cao nguyên"
	if err := f.s.ResetPassword(ctx, token, "12345678", identity.Caller{}); len(fieldsOf(err)) != 1 {
		t.Fatalf("weak password must be refused before the token is used: %v", err)
	}
	if err := f.s.ResetPassword(ctx, token, next, identity.Caller{}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Authenticate(ctx, session.Token); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatal("a reset must sign the account out everywhere")
	}
	if _, err := f.login("lan@example.vn", next); err != nil {
		t.Fatalf("new password: %v", err)
	}
	if err := f.s.ResetPassword(ctx, token, "Lại một mật khẩu khác", identity.Caller{}); !errors.Is(err, identity.ErrInvalidResetToken) {
		t.Fatalf("token reused: %v", err)
	}
	requireAudit(t, f, identity.ActionResetRequest, u.ID)
	requireAudit(t, f, identity.ActionPasswordReset, u.ID)

	// A token expires, and a newer reset uses up older tokens.
	if err := f.s.RequestReset(ctx, "lan@example.vn", identity.Caller{}); err != nil {
		t.Fatal(err)
	}
	old := resetToken(t, f, "lan@example.vn")
	f.clk.Advance(61 * time.Minute)
	if err := f.s.ResetPassword(ctx, old, "Lại một mật khẩu khác", identity.Caller{}); !errors.Is(err, identity.ErrInvalidResetToken) {
		t.Fatalf("expired token: %v", err)
	}
	if err := f.s.ResetPassword(ctx, "forged", "Lại một mật khẩu khác", identity.Caller{}); !errors.Is(err, identity.ErrInvalidResetToken) {
		t.Fatalf("forged token: %v", err)
	}
}

func TestPasswordResetRevealsNothing(t *testing.T) {
	f := newFixture(t)
	f.register(t, "", "0987654321") // no e-mail address to write to
	for _, login := range []string{"nobody@example.vn", "0987654321", "0911111111"} {
		if err := f.s.RequestReset(ctx, login, identity.Caller{}); err != nil {
			t.Errorf("%s: %v", login, err)
		}
	}
	var n int
	if err := f.db.Get(&n, `SELECT count(*) FROM dev_mailbox`); err != nil || n != 0 {
		t.Fatalf("%d messages sent, %v", n, err)
	}
	for range 2 {
		_ = f.s.RequestReset(ctx, "nobody@example.vn", identity.Caller{})
	}
	if err := f.s.RequestReset(ctx, "nobody@example.vn", identity.Caller{}); !errors.Is(err, identity.ErrTooManyAttempts) {
		t.Fatalf("reset requests must be limited per account, known or not: %v", err)
	}
}

func newCoop(t *testing.T, d *sqlx.DB, slug, province string) uuid.UUID {
	t.Helper()
	id := uuid.Must(uuid.NewV7())
	if _, err := d.Exec(`INSERT INTO cooperatives (id, slug, name, province_slug) VALUES ($1, $2, $3, $4)`,
		id, slug, "HTX "+slug, province); err != nil {
		t.Fatal(err)
	}
	return id
}

func requireAudit(t *testing.T, f fixture, action string, subject uuid.UUID) identity.AuditEntry {
	t.Helper()
	es, err := f.s.AuditLog(ctx, identity.AuditFilter{Action: action, SubjectID: subject})
	if err != nil || len(es) == 0 {
		t.Fatalf("no %s entry for %s: %v", action, subject, err)
	}
	return es[0]
}

func TestRolesAndMemberships(t *testing.T) {
	f := newFixture(t)
	admin, err := f.s.CreateUser(ctx, identity.NewUser{Email: "admin@htx.vn", Password: password, FullName: "Quản trị",
		Role: auth.RoleAdmin}, identity.Caller{})
	if err != nil {
		t.Fatal(err)
	}
	by := identity.Caller{UserID: admin.ID, IP: "203.0.113.5"}
	u := f.register(t, "lan@example.vn", "")

	got, err := f.s.GrantRole(ctx, u.ID, auth.RoleTradeStaff, "lao-cai", by)
	if err != nil || got.TradeProvince != "lao-cai" || len(got.Roles) != 2 {
		t.Fatalf("grant trade_staff: %+v %v", got, err)
	}
	e := requireAudit(t, f, identity.ActionRoleGrant, u.ID)
	if e.ActorID == nil || *e.ActorID != admin.ID || e.IP != "203.0.113.5" || !sameJSON(e.Details, `{"province":"lao-cai","role":"trade_staff"}`) {
		t.Fatalf("audit entry %+v details %s", e, e.Details)
	}
	if _, err := f.s.GrantRole(ctx, u.ID, auth.RoleTradeStaff, "atlantis", by); len(fieldsOf(err)) != 1 {
		t.Fatalf("unknown province: %v", err)
	}
	if _, err := f.s.GrantRole(ctx, u.ID, auth.RoleCoopManager, "", by); len(fieldsOf(err)) != 1 {
		t.Fatalf("cooperative roles go through memberships: %v", err)
	}
	if _, err := f.s.GrantRole(ctx, u.ID, auth.RoleWholesaler, "", by); len(fieldsOf(err)) != 1 {
		t.Fatalf("a wholesaler needs a company: %v", err)
	}
	if _, err := f.s.GrantRole(ctx, uuid.Must(uuid.NewV7()), auth.RoleAdmin, "", by); !errors.Is(err, identity.ErrUserNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
	if got, err = f.s.RevokeRole(ctx, u.ID, auth.RoleTradeStaff, by); err != nil || len(got.Roles) != 1 {
		t.Fatalf("revoke: %+v %v", got, err)
	}
	requireAudit(t, f, identity.ActionRoleRevoke, u.ID)
	if _, err := f.s.RevokeRole(ctx, admin.ID, auth.RoleAdmin, by); !errors.Is(err, identity.ErrLastAdmin) {
		t.Fatalf("last admin: %v", err)
	}
	if _, err := f.s.GrantRole(ctx, u.ID, auth.RoleAdmin, "", by); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.RevokeRole(ctx, admin.ID, auth.RoleAdmin, by); err != nil {
		t.Fatalf("an admin may go when another remains: %v", err)
	}

	a, b := newCoop(t, f.db, "htx-a", "ha-noi"), newCoop(t, f.db, "htx-b", "hue")
	if err := f.s.AddMember(ctx, a, u.ID, auth.RoleCoopStaff, by); err != nil {
		t.Fatal(err)
	}
	if err := f.s.AddMember(ctx, b, u.ID, auth.RoleCoopManager, by); err != nil {
		t.Fatal(err)
	}
	if err := f.s.AddMember(ctx, a, u.ID, auth.RoleCoopManager, by); err != nil {
		t.Fatal(err)
	}
	ns, _ := f.login("lan@example.vn", password)
	p, err := f.s.Authenticate(ctx, ns.Token)
	if err != nil || !p.MemberOf(a, auth.RoleCoopManager) || !p.MemberOf(b, auth.RoleCoopManager) || len(p.Memberships) != 2 {
		t.Fatalf("principal memberships: %+v %v", p, err)
	}
	e = requireAudit(t, f, identity.ActionMembershipAdd, u.ID)
	if e.CooperativeID == nil || *e.CooperativeID != a || !sameJSON(e.Details, `{"previous_role":"coop_staff","role":"coop_manager"}`) {
		t.Fatalf("membership change audit: %+v %s", e, e.Details)
	}
	if err := f.s.RemoveMember(ctx, b, u.ID, by); err != nil {
		t.Fatal(err)
	}
	requireAudit(t, f, identity.ActionMembershipRemove, u.ID)
	if err := f.s.RemoveMember(ctx, b, u.ID, by); !errors.Is(err, identity.ErrNotMember) {
		t.Fatalf("remove twice: %v", err)
	}
	if err := f.s.AddMember(ctx, uuid.Must(uuid.NewV7()), u.ID, auth.RoleCoopStaff, by); !errors.Is(err, identity.ErrCooperativeNotFound) {
		t.Fatalf("unknown cooperative: %v", err)
	}
	if err := f.s.AddMember(ctx, a, uuid.Must(uuid.NewV7()), auth.RoleCoopStaff, by); !errors.Is(err, identity.ErrUserNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
	if err := f.s.AddMember(ctx, a, u.ID, auth.RoleAdmin, by); len(fieldsOf(err)) != 1 {
		t.Fatalf("admin is not a cooperative role: %v", err)
	}
	if p, _ = f.s.Authenticate(ctx, ns.Token); len(p.Memberships) != 1 || !p.Has(auth.RoleAdmin) {
		t.Fatalf("a changed role applies to the next request: %+v", p)
	}
}

func sameJSON(got []byte, want string) bool {
	var a, b any
	return json.Unmarshal(got, &a) == nil && json.Unmarshal([]byte(want), &b) == nil && reflect.DeepEqual(a, b)
}

// TestInAnotherTransaction is how another capability adds a member: the
// membership and its audit entry commit or roll back with its own change.
func TestInAnotherTransaction(t *testing.T) {
	f := newFixture(t)
	u := f.register(t, "lan@example.vn", "0912345678")
	coop := newCoop(t, f.db, "htx-a", "ha-noi")
	found, err := f.s.FindUser(ctx, "84 91 234 5678")
	if err != nil || found.ID != u.ID {
		t.Fatalf("FindUser: %+v %v", found, err)
	}
	for _, login := range []string{"ai@example.vn", "not a login"} {
		if _, err := f.s.FindUser(ctx, login); !errors.Is(err, identity.ErrUserNotFound) {
			t.Fatalf("FindUser(%q): %v", login, err)
		}
	}

	boom := errors.New("the cooperative change failed")
	err = db.InTx(ctx, f.db, func(tx *sqlx.Tx) error {
		if err := f.s.In(tx).AddMember(ctx, coop, u.ID, auth.RoleCoopManager, identity.Caller{}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if got, _ := f.s.User(ctx, u.ID); len(got.Memberships) != 0 {
		t.Fatal("the membership must roll back with the transaction")
	}
	err = db.InTx(ctx, f.db, func(tx *sqlx.Tx) error {
		in := f.s.In(tx)
		if err := in.AddMember(ctx, coop, u.ID, auth.RoleCoopManager, identity.Caller{}); err != nil {
			return err
		}
		return in.Audit(ctx, identity.Caller{UserID: u.ID}, "cooperative.register", nil, &coop, map[string]any{"slug": "htx-a"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := f.s.User(ctx, u.ID); len(got.Memberships) != 1 || got.Memberships[0].CooperativeSlug != "htx-a" {
		t.Fatalf("memberships %+v", got.Memberships)
	}
	es, err := f.s.AuditLog(ctx, identity.AuditFilter{Action: "cooperative.register"})
	if err != nil || len(es) != 1 || *es[0].ActorID != u.ID || *es[0].CooperativeID != coop {
		t.Fatalf("audit %+v %v", es, err)
	}
}
