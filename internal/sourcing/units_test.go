package sourcing

import "testing"

func TestParseUnitAndConvert(t *testing.T) {
	tests := []struct {
		name     string
		q        float64
		from, to string
		want     float64
		ok       bool
	}{
		{"tấn to kg", 20, "tấn", "kg", 20_000, true},
		{"no diacritics", 2, "tan", "ta", 20, true},
		{"yến to kg", 3, "yến", "kg", 30, true},
		{"g to kg", 500, "g", "kg", 0.5, true},
		{"l to ml", 1.5, "l", "ml", 1500, true},
		{"kilogram alias", 1, "kilogram", "g", 1000, true},
		{"mass vs volume", 1, "kg", "l", 0, false},
		{"count vs mass", 1, "quả", "kg", 0, false},
		{"two countable units", 1, "hộp", "chai", 0, false},
		{"countable to itself", 12, "hop", "hộp", 12, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, ok1 := ParseUnit(tt.from)
			to, ok2 := ParseUnit(tt.to)
			if !ok1 || !ok2 {
				t.Fatalf("units %q %q not known", tt.from, tt.to)
			}
			got, ok := Convert(tt.q, from, to)
			if ok != tt.ok || (ok && got != tt.want) {
				t.Errorf("Convert(%v %s → %s) = %v, %v; want %v, %v", tt.q, tt.from, tt.to, got, ok, tt.want, tt.ok)
			}
		})
	}
	for _, bad := range []string{"", "pound", "thúng", "kgs"} {
		if _, ok := ParseUnit(bad); ok {
			t.Errorf("ParseUnit(%q) known, want unknown", bad)
		}
	}
}
