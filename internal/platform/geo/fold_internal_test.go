package geo

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// The table Fold reads gives what Unicode decomposition gives, for every
// rune and for text mixing scripts, marks typed apart, spaces and
// invalid bytes.
func TestFoldTableAgreesWithDecomposition(t *testing.T) {
	for r := rune(0); r < 0x3000; r++ {
		s := "A" + string(r) + "b " + string(r)
		if got, want := Fold(s), foldDecomposed(s); got != want {
			t.Errorf("U+%04X: Fold %q, decomposed %q", r, got, want)
		}
	}
	pieces := []string{"Nước", "MẮM", "đặc", "Đ", "sản", " ", "\t", "\u00a0", "e\u0302\u0301", "ĐẮK LẮK", "Ǆ", "ß", "ﬁ", "日本", "\xff", "Ω", "  "}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		var b strings.Builder
		for range 1 + rnd.IntN(6) {
			b.WriteString(pieces[rnd.IntN(len(pieces))])
		}
		if got, want := Fold(b.String()), foldDecomposed(b.String()); got != want {
			t.Fatalf("%q: Fold %q, decomposed %q", b.String(), got, want)
		}
	}
}

func BenchmarkFold(b *testing.B) {
	for b.Loop() {
		Fold("Nước mắm Phú Quốc 40 độ đạm")
	}
}

func BenchmarkFoldDecomposed(b *testing.B) {
	for b.Loop() {
		foldDecomposed("Nước mắm Phú Quốc 40 độ đạm")
	}
}
