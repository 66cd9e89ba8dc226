package csvx_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"htxmarket/internal/platform/csvx"
)

func TestSafeAndPlain(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HTX Gốm sứ Bát Tràng", "HTX Gốm sứ Bát Tràng"},
		{`=HYPERLINK("http://x","bấm vào")`, `'=HYPERLINK("http://x","bấm vào")`},
		{"+84912345678", "'+84912345678"},
		{"-1", "'-1"},
		{"- Trồng tại vườn", "'- Trồng tại vườn"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tcmd", "'\tcmd"},
		{"\r=1", "'\r=1"},
		{"'=1", "''=1"},
		{"'văn bản", "'văn bản"},
		{"'", "'"},
		{"", ""},
		{"1+1", "1+1"},
	}
	for _, tt := range tests {
		got := csvx.Safe(tt.in)
		if got != tt.want {
			t.Errorf("Safe(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if back := csvx.Plain(got); back != tt.in {
			t.Errorf("Plain(Safe(%q)) = %q", tt.in, back)
		}
	}
}

func TestWriter(t *testing.T) {
	var buf bytes.Buffer
	w := csvx.NewWriter(&buf, csvx.Options{CRLF: true, Numbers: []int{1, 2}})
	rows := [][]string{
		{"tên", "số tiền", "số dư"},
		{"=cmd|' /C calc'!A0", "-150000", "=1+1"},
		{"Hoàn tiền", "-2.5", "-"},
	}
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"tên", "số tiền", "số dư"},
		{"'=cmd|' /C calc'!A0", "-150000", "'=1+1"},
		{"Hoàn tiền", "-2.5", "'-"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cells (-want +got):\n%s", diff)
	}
}
