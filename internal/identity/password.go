package identity

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// PasswordParams are the argon2id cost parameters of new hashes.
//
// The production default is m=19 MiB, t=2, p=1, one of the settings of equal
// strength that OWASP's Password Storage Cheat Sheet recommends (m=46 MiB
// t=1, m=19 MiB t=2, m=12 MiB t=3, …, all p=1). It was chosen for the 2-core server
// HTX Market runs on: one hash costs about 30-60 ms of one core (see
// BenchmarkHashPassword), slow enough that an offline guess costs an attacker
// as much, fast enough that a log-in stays well under a tenth of a second.
// p=1 because lanes only help latency when cores are idle: with p=1 two
// log-ins proceed at once on two cores instead of both fighting for both.
// Memory is what makes argon2id expensive on GPUs; 19 MiB per hash, with at
// most maxConcurrentHashes running (see Hasher), bounds the server's peak at
// well under 200 MiB even when a crowd signs in together.
type PasswordParams struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

const (
	saltLen = 16
	keyLen  = 32
	// maxPasswordBytes bounds the work of hashing a hostile input.
	maxPasswordBytes = 256
	// maxPasswordChars is the longest password accepted, in characters.
	maxPasswordChars = 128
)

// Hasher hashes and verifies passwords with argon2id, running at most a few
// hashes at once: each holds MemoryKiB of memory, and a burst of log-ins
// must queue rather than exhaust the server's memory.
type Hasher struct {
	p   PasswordParams
	sem chan struct{}
	// dummy is a hash of a random password, verified against when an
	// account does not exist so that answering takes as long as when it does.
	dummy string
}

// maxConcurrentHashes is how many argon2id computations run at once.
func maxConcurrentHashes() int { return max(2, 2*runtime.GOMAXPROCS(0)) }

// NewHasher returns a Hasher making hashes with p.
func NewHasher(p PasswordParams) (*Hasher, error) {
	if p.MemoryKiB < 8*uint32(p.Threads) || p.Time < 1 || p.Threads < 1 {
		return nil, fmt.Errorf("identity: argon2id parameters m=%d t=%d p=%d are too small", p.MemoryKiB, p.Time, p.Threads)
	}
	h := &Hasher{p: p, sem: make(chan struct{}, maxConcurrentHashes())}
	var random [24]byte
	_, _ = rand.Read(random[:])
	dummy, err := h.Hash(context.Background(), base64.RawStdEncoding.EncodeToString(random[:]))
	if err != nil {
		return nil, err
	}
	h.dummy = dummy
	return h, nil
}

// Hash returns the PHC string of password:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("identity: salt: %w", err)
	}
	key, err := h.derive(ctx, password, salt, h.p, keyLen)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.p.MemoryKiB, h.p.Time, h.p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// Verify reports whether password matches encoded, and whether encoded was
// made with other parameters than the current ones and should be replaced.
func (h *Hasher) Verify(ctx context.Context, encoded, password string) (ok, rehash bool, err error) {
	p, salt, want, err := parseHash(encoded)
	if err != nil {
		return false, false, err
	}
	got, err := h.derive(ctx, password, salt, p, uint32(len(want)))
	if err != nil {
		return false, false, err
	}
	ok = subtle.ConstantTimeCompare(got, want) == 1
	return ok, ok && p != h.p, nil
}

// VerifyDummy spends the time of one verification for an unknown account.
func (h *Hasher) VerifyDummy(ctx context.Context, password string) error {
	_, _, err := h.Verify(ctx, h.dummy, password)
	return err
}

func (h *Hasher) derive(ctx context.Context, password string, salt []byte, p PasswordParams, n uint32) ([]byte, error) {
	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-h.sem }()
	return argon2.IDKey([]byte(normalizePassword(password)), salt, p.Time, p.MemoryKiB, p.Threads, n), nil
}

// normalizePassword puts a password in Unicode NFC, so that "mật khẩu"
// typed with precomposed letters on one device and combining marks on
// another (Vietnamese keyboards differ) is the same password.
func normalizePassword(s string) string { return norm.NFC.String(s) }

var errBadHash = errors.New("identity: malformed password hash")

func parseHash(encoded string) (PasswordParams, []byte, []byte, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return PasswordParams{}, nil, nil, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return PasswordParams{}, nil, nil, errBadHash
	}
	var p PasswordParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil || p.Time == 0 || p.Threads == 0 {
		return PasswordParams{}, nil, nil, errBadHash
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return PasswordParams{}, nil, nil, errBadHash
	}
	key, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(key) == 0 {
		return PasswordParams{}, nil, nil, errBadHash
	}
	return p, salt, key, nil
}

//go:embed common_passwords.txt
var commonPasswordsTxt string

// commonPasswords holds the passwords refused as too easy to guess.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsTxt))
	for sc.Scan() {
		if w := sc.Text(); w != "" && !strings.HasPrefix(w, "#") {
			m[w] = true
		}
	}
	return m
}()

// checkPassword returns why password is not acceptable, or "" when it is.
// identifiers are the account's e-mail address, phone number and name,
// which a password must not merely repeat.
func checkPassword(password string, minLen int, identifiers ...string) string {
	n := utf8.RuneCountInString(normalizePassword(password))
	switch {
	case n < minLen:
		return fmt.Sprintf("mật khẩu phải có ít nhất %d ký tự", minLen)
	case n > maxPasswordChars || len(password) > maxPasswordBytes:
		return fmt.Sprintf("mật khẩu không được dài quá %d ký tự", maxPasswordChars)
	}
	lower := strings.ToLower(normalizePassword(password))
	if commonPasswords[lower] || oneRepeatedChar(lower) {
		return "mật khẩu này quá phổ biến, hãy chọn mật khẩu khó đoán hơn"
	}
	for _, id := range identifiers {
		id = strings.ToLower(strings.TrimSpace(id))
		if local, _, ok := strings.Cut(id, "@"); ok {
			id = local
		}
		id = strings.TrimPrefix(id, "+84")
		if utf8.RuneCountInString(id) >= 4 && strings.Contains(lower, id) {
			return "mật khẩu không được chứa email, số điện thoại hay tên của bạn"
		}
	}
	return ""
}

func oneRepeatedChar(s string) bool {
	for _, r := range s {
		return strings.Count(s, string(r)) == utf8.RuneCountInString(s)
	}
	return true
}
