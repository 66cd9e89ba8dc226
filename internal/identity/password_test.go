package identity

import (
	"context"
	"strings"
	"testing"
)

func TestHasher(t *testing.T) {
	ctx := context.Background()
	small := PasswordParams{MemoryKiB: 64, Time: 1, Threads: 1}
	h, err := NewHasher(small)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := h.Hash(ctx, "Mật khẩu")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=64,t=1,p=1$") || strings.Contains(enc, "Mật") {
		t.Fatalf("hash %q", enc)
	}
	if again, _ := h.Hash(ctx, "Mật khẩu"); again == enc {
		t.Fatal("two hashes of one password must differ (salt)")
	}
	tests := []struct {
		name, password string
		ok             bool
	}{
		{"same", "Mật khẩu", true},
		{"decomposed marks (NFD) match precomposed (NFC)", "Mâ\u0323t khâ\u0309u", true},
		{"different", "Mat khau", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := h.Verify(ctx, enc, tt.password)
			if err != nil || ok != tt.ok || rehash {
				t.Fatalf("Verify = %v, %v, %v", ok, rehash, err)
			}
		})
	}
	stronger, _ := NewHasher(PasswordParams{MemoryKiB: 128, Time: 2, Threads: 1})
	if ok, rehash, _ := stronger.Verify(ctx, enc, "Mật khẩu"); !ok || !rehash {
		t.Fatal("a hash made with old parameters must verify and ask to be replaced")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=64,t=0,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=64,t=1,p=1$!!$a2V5"} {
		if _, _, err := h.Verify(ctx, bad, "x"); err == nil {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
	if _, err := NewHasher(PasswordParams{MemoryKiB: 4, Time: 1, Threads: 1}); err == nil {
		t.Error("too little memory accepted")
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		name, password string
		ids            []string
		ok             bool
	}{
		{"long passphrase", "cơm tấm sườn bì chả", nil, true},
		{"short", "abc1234", nil, false},
		{"short in characters though long in bytes", "ếếếếếếế", nil, false},
		{"common", "password123", nil, false},
		{"common in capitals", "PASSWORD123", nil, false},
		{"common Vietnamese", "matkhau123", nil, false},
		{"one repeated character", "aaaaaaaaaaaa", nil, false},
		{"too long", strings.Repeat("x", 129), nil, false},
		{"contains e-mail local part", "tranthibinh!!", []string{"tranthibinh@gmail.com"}, false},
		{"contains phone", "so 912345678", []string{"+84912345678"}, false},
		{"short identifiers are ignored", "an toàn tuyệt đối", []string{"an@x.vn"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := checkPassword(tt.password, 8, tt.ids...)
			if (msg == "") != tt.ok {
				t.Fatalf("checkPassword(%q) = %q", tt.password, msg)
			}
		})
	}
	if len(commonPasswords) < 2000 || !commonPasswords["123456789"] {
		t.Fatalf("common password list has %d entries", len(commonPasswords))
	}
}
