package geo_test

import (
	"context"
	"errors"
	"testing"

	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/platform/geo"
)

func TestResolve(t *testing.T) {
	d := dbtest.New(t)
	s := geo.NewService(geo.NewStore(d))
	tests := []struct {
		name, input, want, match string
	}{
		{"old name", "Bắc Giang", "Bắc Ninh", "merged"},
		{"old name without diacritics", "bac giang", "Bắc Ninh", "merged"},
		{"current name", "Hà Nội", "Hà Nội", "current"},
		{"upper case and extra spaces", "  HÀ   NỘI ", "Hà Nội", "current"},
		{"đ folded", "dak lak", "Đắk Lắk", "current"},
		{"old name with đ", "Dak Nong", "Lâm Đồng", "merged"},
		{"renamed", "Thừa Thiên Huế", "Huế", "merged"},
		{"prefix tỉnh", "Tỉnh Hà Giang", "Tuyên Quang", "merged"},
		{"prefix thành phố", "Thành phố Hồ Chí Minh", "Hồ Chí Minh", "current"},
		{"prefix TP.", "TP. Cần Thơ", "Cần Thơ", "current"},
		{"alias", "Sài Gòn", "Hồ Chí Minh", "alias"},
		{"old-style tone placement", "Hoà Bình", "Phú Thọ", "merged"},
		{"decomposed unicode", "Bă\u0301c Giang", "Bắc Ninh", "merged"},
		{"hyphenated old name", "Bà Rịa - Vũng Tàu", "Hồ Chí Minh", "merged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := s.Resolve(context.Background(), tt.input)
			if err != nil {
				t.Fatalf("Resolve(%q): %v", tt.input, err)
			}
			if r.Province.Name != tt.want || r.Match != tt.match {
				t.Fatalf("Resolve(%q) = %s (%s), want %s (%s)", tt.input, r.Province.Name, r.Match, tt.want, tt.match)
			}
		})
	}
	for _, bad := range []string{"Atlantis", "Bắc", "tỉnh", "' OR 1=1 --", "%"} {
		if _, err := s.Resolve(context.Background(), bad); !errors.Is(err, geo.ErrUnknownProvince) {
			t.Errorf("Resolve(%q): want ErrUnknownProvince, got %v", bad, err)
		}
	}
	if _, err := s.Resolve(context.Background(), "  "); !errors.Is(err, geo.ErrEmptyName) {
		t.Errorf("empty name: want ErrEmptyName, got %v", err)
	}
}

// TestFoldAgreesWithDatabase keeps the Go fold and SQL fold_vi() in step on
// every stored name, since lookups compare one with the other.
func TestFoldAgreesWithDatabase(t *testing.T) {
	d := dbtest.New(t)
	var rows []struct {
		Name   string `db:"name"`
		Folded string `db:"name_folded"`
	}
	if err := d.Select(&rows, `SELECT name, name_folded FROM province_names`); err != nil {
		t.Fatal(err)
	}
	if len(rows) < 34 {
		t.Fatalf("only %d names", len(rows))
	}
	for _, r := range rows {
		if got := geo.Fold(r.Name); got != r.Folded {
			t.Errorf("Fold(%q) = %q, fold_vi = %q", r.Name, got, r.Folded)
		}
	}
}

func TestList(t *testing.T) {
	s := geo.NewService(geo.NewStore(dbtest.New(t)))
	ps, err := s.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 34 {
		t.Fatalf("%d provinces, want 34", len(ps))
	}
	if ps[0].Name != "Hà Nội" || len(ps[0].MergedFrom) != 0 {
		t.Fatalf("first province: %+v", ps[0])
	}
	byName := map[string]geo.Province{}
	for _, p := range ps {
		byName[p.Name] = p
	}
	hcm := byName["Hồ Chí Minh"]
	if len(hcm.MergedFrom) != 2 || hcm.MergedFrom[0] != "Bà Rịa - Vũng Tàu" || hcm.MergedFrom[1] != "Bình Dương" {
		t.Fatalf("Hồ Chí Minh merged_from = %v", hcm.MergedFrom)
	}
}
