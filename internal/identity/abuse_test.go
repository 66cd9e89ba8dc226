package identity_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"testing"
	"time"

	"htxmarket/internal/identity"
)

func loginFrom(f fixture, ip, login, pw string) (identity.NewSession, error) {
	_, ns, err := f.s.Login(ctx, login, pw, identity.KindBearer, identity.Caller{IP: ip})
	return ns, err
}

// TestAttackerDoesNotLockTheOwnerOut: wrong passwords from an attacker's
// address block that address on the account, not its owner elsewhere.
// Before, five wrong passwords from anywhere locked any account, admins
// included, for up to an hour.
func TestAttackerDoesNotLockTheOwnerOut(t *testing.T) {
	f := newFixture(t)
	f.register(t, "lan@example.vn", "")
	const attacker, owner = "198.51.100.66", "203.0.113.10"
	for i := range 3 {
		if _, err := loginFrom(f, attacker, "lan@example.vn", fmt.Sprintf("đoán-%d", i)); !errors.Is(err, identity.ErrInvalidCredentials) {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	if _, err := loginFrom(f, attacker, "lan@example.vn", password); !errors.Is(err, identity.ErrTooManyAttempts) {
		t.Fatalf("the attacker's address must be blocked on the account, even with the right password: %v", err)
	}
	if _, err := loginFrom(f, owner, "lan@example.vn", password); err != nil {
		t.Fatalf("the owner, from another address: %v", err)
	}
	// The attacker is still blocked on that account, not on others.
	if _, err := loginFrom(f, attacker, "lan@example.vn", "đoán-3"); !errors.Is(err, identity.ErrTooManyAttempts) {
		t.Fatalf("the attacker after the owner's log-in: %v", err)
	}
	if _, err := loginFrom(f, attacker, "binh@example.vn", "x"); !errors.Is(err, identity.ErrInvalidCredentials) {
		t.Fatalf("the attacker on another account: %v", err)
	}
}

var linkRE = regexp.MustCompile(`/dang-nhap-bang-lien-ket#token=([A-Za-z0-9_-]+)`)

// TestSpreadAttackAndSignInLink: an attack spread over many addresses
// blocks password log-in on the account as a whole (the looser limit);
// the owner then signs in with a link by e-mail, once.
func TestSpreadAttackAndSignInLink(t *testing.T) {
	f := newFixture(t)
	u := f.register(t, "lan@example.vn", "")
	for i := range 10 { // LoginAccountAll
		ip := fmt.Sprintf("198.51.100.%d", i+1)
		if _, err := loginFrom(f, ip, "lan@example.vn", "đoán"); !errors.Is(err, identity.ErrInvalidCredentials) {
			t.Fatalf("guess from %s: %v", ip, err)
		}
	}
	if _, err := loginFrom(f, "203.0.113.10", "lan@example.vn", password); !errors.Is(err, identity.ErrTooManyAttempts) {
		t.Fatalf("want the account blocked by the spread attack, got %v", err)
	}

	// The link: requested for the account and for one that does not exist,
	// answered alike; only the account's owner gets mail.
	if err := f.s.RequestLoginLink(ctx, "LAN@example.vn", identity.Caller{IP: "203.0.113.10"}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.RequestLoginLink(ctx, "ai@example.vn", identity.Caller{IP: "203.0.113.10"}); err != nil {
		t.Fatal(err)
	}
	if ms, _ := f.s.Mailbox(ctx, "ai@example.vn"); len(ms) != 0 {
		t.Fatalf("mail to an unknown address: %+v", ms)
	}
	ms, err := f.s.Mailbox(ctx, "lan@example.vn")
	if err != nil || len(ms) != 1 || linkRE.FindStringSubmatch(ms[0].Text) == nil {
		t.Fatalf("sign-in link mail: %+v %v", ms, err)
	}
	token := linkRE.FindStringSubmatch(ms[0].Text)[1]
	got, ns, err := f.s.LoginWithLink(ctx, token, identity.KindBearer, identity.Caller{IP: "203.0.113.10"})
	if err != nil || got.ID != u.ID {
		t.Fatalf("sign in with the link: %+v %v", got, err)
	}
	if p, err := f.s.Authenticate(ctx, ns.Token); err != nil || p.UserID != u.ID {
		t.Fatalf("the link's session: %v", err)
	}
	if _, _, err := f.s.LoginWithLink(ctx, token, identity.KindBearer, identity.Caller{}); !errors.Is(err, identity.ErrInvalidLoginLink) {
		t.Fatalf("a used link: %v", err)
	}
	requireAudit(t, f, identity.ActionLoginLink, u.ID)

	// A link expires.
	if err := f.s.RequestLoginLink(ctx, "lan@example.vn", identity.Caller{IP: "203.0.113.10"}); err != nil {
		t.Fatal(err)
	}
	ms, _ = f.s.Mailbox(ctx, "lan@example.vn")
	f.clk.Advance(16 * time.Minute)
	if _, _, err := f.s.LoginWithLink(ctx, linkRE.FindStringSubmatch(ms[0].Text)[1], identity.KindBearer, identity.Caller{}); !errors.Is(err, identity.ErrInvalidLoginLink) {
		t.Fatalf("an expired link: %v", err)
	}
	if _, _, err := f.s.LoginWithLink(ctx, "bịa", identity.KindBearer, identity.Caller{}); !errors.Is(err, identity.ErrInvalidLoginLink) {
		t.Fatalf("a made-up link: %v", err)
	}
}

// blockingStore holds every account lookup until release is closed.
type blockingStore struct {
	identity.Store
	looked  chan struct{}
	release chan struct{}
}

func (s blockingStore) UserByLogin(c context.Context, l identity.Login) (identity.User, string, error) {
	s.looked <- struct{}{}
	<-s.release
	return s.Store.UserByLogin(c, l)
}

// TestRequestsAnswerBeforeTheAccountIsLookedUp: a password reset or
// sign-in link request is answered before its account is even looked up,
// so its time cannot tell whether the account exists (a reset answered
// about 1 ms slower for existing accounts).
func TestRequestsAnswerBeforeTheAccountIsLookedUp(t *testing.T) {
	f := newFixture(t)
	f.register(t, "lan@example.vn", "")
	store := blockingStore{Store: identity.NewStore(f.db), looked: make(chan struct{}, 2), release: make(chan struct{})}
	s, err := identity.NewService(store, identity.DevMailer{Store: identity.NewStore(f.db)},
		slog.New(slog.NewTextHandler(io.Discard, nil)), testOptions(f.clk))
	if err != nil {
		t.Fatal(err)
	}
	for _, request := range []func() error{
		func() error { return s.RequestReset(ctx, "lan@example.vn", identity.Caller{IP: "203.0.113.1"}) },
		func() error { return s.RequestLoginLink(ctx, "lan@example.vn", identity.Caller{IP: "203.0.113.1"}) },
	} {
		done := make(chan error, 1)
		go func() { done <- request() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the request waited for the account lookup")
		}
	}
	<-store.looked
	<-store.looked
	close(store.release)
	ms, err := s.Mailbox(ctx, "lan@example.vn")
	if err != nil || len(ms) != 2 {
		t.Fatalf("the mail still goes out: %+v %v", ms, err)
	}
}
