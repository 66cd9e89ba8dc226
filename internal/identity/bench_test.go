package identity_test

import (
	"io"
	"log/slog"
	"testing"

	"htxmarket/internal/identity"
	"htxmarket/internal/platform/config"
	"htxmarket/internal/platform/db/dbtest"
)

// productionOptions are the Service's settings with production defaults.
func productionOptions(b *testing.B) identity.Options {
	cfg, err := config.FromLookup(func(k string) (string, bool) {
		v, ok := map[string]string{"APP_ENV": "production", "DATABASE_URL": "postgres://x@db:5432/htx",
			"PUBLIC_ORIGIN": "https://htxmarket.vn", "SMTP_ADDR": "smtp.example.vn:587"}[k]
		return v, ok
	})
	if err != nil {
		b.Fatal(err)
	}
	return identity.OptionsFromConfig(cfg.Auth)
}

// BenchmarkHashPassword is the cost of one argon2id hash with the
// production parameters: what every log-in, registration and password
// change spends on the CPU.
func BenchmarkHashPassword(b *testing.B) {
	opt := productionOptions(b)
	b.Logf("argon2id m=%d KiB t=%d p=%d", opt.Password.MemoryKiB, opt.Password.Time, opt.Password.Threads)
	h, err := identity.NewHasher(opt.Password)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := h.Hash(ctx, "Mật khẩu rất khó đoán"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLogin is a whole log-in with production parameters: the abuse
// counters, the account lookup, argon2id verification and a new session.
func BenchmarkLogin(b *testing.B) {
	s := benchService(b, productionOptions(b))
	for b.Loop() {
		if _, _, err := s.Login(ctx, "lan@example.vn", password, identity.KindBearer, identity.Caller{IP: "203.0.113.1"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSessionLookup is what every authenticated request pays: one
// query resolving the token hash to the user, roles and memberships (the
// idle expiry is renewed at most once a minute, so not here).
func BenchmarkSessionLookup(b *testing.B) {
	opt := productionOptions(b)
	s := benchService(b, opt)
	_, ns, err := s.Login(ctx, "lan@example.vn", password, identity.KindBearer, identity.Caller{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("serial", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Authenticate(ctx, ns.Token); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := s.Authenticate(ctx, ns.Token); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

func benchService(b *testing.B, opt identity.Options) *identity.Service {
	d := dbtest.New(b)
	store := identity.NewStore(d)
	s, err := identity.NewService(store, identity.DevMailer{Store: store}, slog.New(slog.NewTextHandler(io.Discard, nil)), opt)
	if err != nil {
		b.Fatal(err)
	}
	if _, _, err := s.Register(ctx, identity.Registration{Email: "lan@example.vn", Password: password, FullName: "Lan"},
		identity.KindBearer, identity.Caller{}); err != nil {
		b.Fatal(err)
	}
	return s
}
