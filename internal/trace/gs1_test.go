package trace

import (
	"strings"
	"testing"
)

func TestGTIN14(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"8938505974019", "08938505974019", true}, // GTIN-13, Vietnam prefix 893
		{"08938505974019", "08938505974019", true},
		{"036000291452", "00036000291452", true}, // UPC-A
		{"96385074", "00000096385074", true},     // GTIN-8
		{"8938505974015", "", false},             // wrong check digit
		{"893850597401", "", false},              // too short for 13, wrong as 12
		{"89385059740151", "", false},
		{"8938505A74015", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		got, ok := GTIN14(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("GTIN14(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestBatchCodes(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		c := newCode()
		if !validCode(c) || strings.ContainsAny(c, "01ILOU") {
			t.Fatalf("code %q is not of the alphabet", c)
		}
		seen[c] = true
	}
	if len(seen) < 1990 {
		t.Fatalf("only %d distinct codes of 2000", len(seen))
	}
}

func TestDigitalLink(t *testing.T) {
	if got := DigitalLink("https://htx.vn", "08938505974015", "ABC23456"); got != "https://htx.vn/01/08938505974015/10/ABC23456" {
		t.Fatalf("with a GTIN: %s", got)
	}
	if got := DigitalLink("https://htx.vn", "", "ABC23456"); got != "https://htx.vn/t/ABC23456" {
		t.Fatalf("without: %s", got)
	}
}
