package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"htxmarket/internal/platform/auth"
)

// renewEvery is how stale a session's idle expiry may get before a request
// pushes it forward: renewing on every request would turn every read into
// a write, and a minute is nothing against an idle timeout of days.
const renewEvery = time.Minute

// sessionRecord is a session as stored.
type sessionRecord struct {
	ID          uuid.UUID
	UserID      uuid.UUID
	TokenHash   []byte
	Kind        string
	ExpiresAt   time.Time
	IdleExpires time.Time
	Now         time.Time
	UserAgent   string
	IP          string
}

// sessionTimes are what Authenticate needs to decide on renewal.
type sessionTimes struct {
	LastSeen  time.Time
	ExpiresAt time.Time
}

// newToken returns 256 random bits, URL-safe.
func newToken() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("identity: token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// hashToken is what is stored of a token. A fast hash suffices: the token
// has 256 bits of entropy, so there is nothing to guess.
func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// StartSession signs a user in whose identity is already established
// (after a password check, a registration, or in tests), returning the token
// to hand to the client.
func (s *Service) StartSession(ctx context.Context, userID uuid.UUID, kind string, c Caller) (NewSession, error) {
	if kind != KindBearer {
		kind = KindCookie
	}
	token, err := newToken()
	if err != nil {
		return NewSession{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return NewSession{}, fmt.Errorf("identity: session id: %w", err)
	}
	now := s.now()
	r := sessionRecord{
		ID: id, UserID: userID, TokenHash: hashToken(token), Kind: kind,
		ExpiresAt: now.Add(s.opt.SessionTTL), IdleExpires: now.Add(min(s.opt.SessionIdleTTL, s.opt.SessionTTL)),
		Now: now, UserAgent: truncate(c.UserAgent, 300), IP: c.IP,
	}
	if err := s.store.CreateSession(ctx, r); err != nil {
		return NewSession{}, err
	}
	return NewSession{ID: id, Token: token, ExpiresAt: r.ExpiresAt}, nil
}

// Authenticate implements auth.Sessions: it returns the principal of a live
// session and slides its idle expiry forward.
func (s *Service) Authenticate(ctx context.Context, token string) (*auth.Principal, error) {
	if token == "" || len(token) > 100 {
		return nil, auth.ErrUnauthenticated
	}
	now := s.now()
	p, t, err := s.store.SessionPrincipal(ctx, hashToken(token), now)
	if err != nil {
		return nil, err
	}
	if now.Sub(t.LastSeen) >= renewEvery {
		idle := now.Add(s.opt.SessionIdleTTL)
		if idle.After(t.ExpiresAt) {
			idle = t.ExpiresAt
		}
		if err := s.store.TouchSession(ctx, p.SessionID, now, idle); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Logout revokes the session of token. An unknown token is not an error:
// signing out twice is harmless.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	err := s.store.RevokeSession(ctx, hashToken(token), s.now())
	if errors.Is(err, auth.ErrUnauthenticated) {
		return nil
	}
	return err
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
