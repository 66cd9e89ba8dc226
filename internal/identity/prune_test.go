package identity_test

import (
	"testing"
	"time"

	"htxmarket/internal/identity"
)

func TestPruneDeletesOnlyWhatHasNoFurtherUse(t *testing.T) {
	f := newFixture(t)
	f.register(t, "lan@example.vn", "")
	ended, err := f.login("lan@example.vn", password)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.Logout(ctx, ended.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := f.login("lan@example.vn", "sai mật khẩu"); err == nil {
		t.Fatal("wrong password accepted")
	}
	if err := f.s.RequestReset(ctx, "lan@example.vn", identity.Caller{IP: "203.0.113.1"}); err != nil {
		t.Fatal(err)
	}
	f.s.Drain()
	count := func(table string) (n int) {
		f.db.Get(&n, `SELECT count(*) FROM `+table)
		return n
	}
	before := [3]int{count("sessions"), count("password_resets"), count("rate_limits")}
	if before[0] < 2 || before[1] != 1 || before[2] == 0 {
		t.Fatalf("setup: sessions, resets, limits = %v", before)
	}

	// A day later: the reset token has expired and the counters are idle,
	// but the ended session is kept for the account's recent history.
	f.clk.Advance(24 * time.Hour)
	p, err := f.s.Prune(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p.Sessions != 0 || p.Resets != 1 || p.RateLimits != int64(before[2]) {
		t.Fatalf("after a day pruned %+v", p)
	}

	// A month later the ended session goes; a live one stays.
	f.clk.Advance(31 * 24 * time.Hour)
	live, err := f.login("lan@example.vn", password)
	if err != nil {
		t.Fatal(err)
	}
	if p, err = f.s.Prune(ctx); err != nil || p.Sessions < 1 {
		t.Fatalf("after a month pruned %+v, %v", p, err)
	}
	if _, err := f.s.Authenticate(ctx, live.Token); err != nil {
		t.Fatalf("the live session was pruned: %v", err)
	}
}
