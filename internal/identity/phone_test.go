package identity_test

import (
	"testing"

	"htxmarket/internal/identity"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"national", "0912345678", "+84912345678", true},
		{"E.164", "+84912345678", "+84912345678", true},
		{"country code with spaces", "84 91 234 5678", "+84912345678", true},
		{"plus with spaces", "+84 912 345 678", "+84912345678", true},
		{"dots", "0912.345.678", "+84912345678", true},
		{"dashes", "091-234-5678", "+84912345678", true},
		{"parentheses", "(091) 234 5678", "+84912345678", true},
		{"international prefix 00", "0084912345678", "+84912345678", true},
		{"surrounding space", "  0912345678 ", "+84912345678", true},
		{"prefix 03", "0361234567", "+84361234567", true},
		{"prefix 05", "0561234567", "+84561234567", true},
		{"prefix 07", "0701234567", "+84701234567", true},
		{"prefix 08", "0812345678", "+84812345678", true},
		{"landline prefix 02", "0243123456", "", false},
		{"prefix 01 (old 11-digit numbers)", "01234567890", "", false},
		{"too short", "091234567", "", false},
		{"too long", "09123456789", "", false},
		{"84 prefix too long", "849123456789", "", false},
		{"other country", "+14155550100", "", false},
		{"letters", "09123abc78", "", false},
		{"plus inside", "0912+345678", "", false},
		{"empty", "", "", false},
		{"national without 0", "912345678", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := identity.NormalizePhone(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("NormalizePhone(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"plain", "lan@example.vn", "lan@example.vn", true},
		{"case and space", "  Lan.Nguyen@Example.VN ", "lan.nguyen@example.vn", true},
		{"plus tag", "lan+htx@example.vn", "lan+htx@example.vn", true},
		{"display name", "Lan <lan@example.vn>", "", false},
		{"no domain dot", "lan@localhost", "", false},
		{"no at", "lan.example.vn", "", false},
		{"two ats", "lan@@example.vn", "", false},
		{"empty local", "@example.vn", "", false},
		{"space inside", "lan nguyen@example.vn", "", false},
		{"paragraph separator", "lan\u2029nguyen@example.vn", "", false},
		{"line separator in the domain", "lan@example\u2028.vn", "", false},
		{"no-break space", "lan\u00a0nguyen@example.vn", "", false},
		{"right-to-left override", "lan\u202e@example.vn", "", false},
		{"zero-width space", "lan\u200b@example.vn", "", false},
		{"NUL", "lan\x00@example.vn", "", false},
		{"too long", string(make([]byte, 300)) + "@example.vn", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := identity.NormalizeEmail(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("NormalizeEmail(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestParseLogin(t *testing.T) {
	if l, ok := identity.ParseLogin("84 91 234 5678"); !ok || l.Phone != "+84912345678" || l.Email != "" {
		t.Errorf("phone login: %+v %v", l, ok)
	}
	if l, ok := identity.ParseLogin("LAN@example.vn"); !ok || l.Email != "lan@example.vn" || l.String() != "lan@example.vn" {
		t.Errorf("email login: %+v %v", l, ok)
	}
	if _, ok := identity.ParseLogin("lan"); ok {
		t.Error("a bare name is not a login")
	}
}
