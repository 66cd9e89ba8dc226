package cooperative

import "testing"

func TestInertCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HTX Gốm sứ Bát Tràng", "HTX Gốm sứ Bát Tràng"},
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+84912345678", "'+84912345678"},
		{"-1", "'-1"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tcmd", "'\tcmd"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := inertCell(tt.in); got != tt.want {
			t.Errorf("inertCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
