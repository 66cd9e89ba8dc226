package web_test

import (
	"testing"

	"htxmarket/internal/platform/web"
)

func TestInvisible(t *testing.T) {
	tests := []struct {
		name, in string
		want     bool
	}{
		{"Vietnamese", "Hợp tác xã Nông nghiệp Diễn – Bưởi “Đặc sản” 100%", false},
		{"emoji", "Trà 🍵 Shan tuyết", false},
		{"NUL", "HTX\x00", true},
		{"tab", "HTX\tLong", true},
		{"escape", "HTX\x1b[31m", true},
		{"C1 control", "HTX\u0085", true},
		{"right-to-left override", "HTX\u202Egnol", true},
		{"left-to-right isolate", "HTX\u2066Long\u2069", true},
		{"zero-width space", "HTX\u200BLong", true},
		{"line separator", "HTX\u2028Long", true},
		{"paragraph separator", "HTX\u2029Long", true},
	}
	for _, tt := range tests {
		if got := web.Invisible(tt.in); got != tt.want {
			t.Errorf("%s: Invisible(%q) = %v, want %v", tt.name, tt.in, got, tt.want)
		}
	}
}
