package catalog_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"htxmarket/internal/catalog"
	"htxmarket/internal/platform/web"
)

// TestImportRefusesNUL imports files with a NUL byte in a cell, which
// PostgreSQL's text refuses: each is refused with the line, not a 500.
func TestImportRefusesNUL(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	for _, tt := range []struct {
		name, csv, line string
	}{
		{"in a description", csvOf(goodLine, strings.NewReplacer("buoi-dien", "buoi-dien-2", "Bưởi ngon.", "Bưởi\x00ngon.").Replace(goodLine)), "dòng 3"},
		{"in a cooperative's name", csvOf(strings.Replace(goodLine, "HTX Nông", "HTX\x00Nông", 1)), "dòng 2"},
		{"in a quoted cell after a line break", csvOf("a,b,c,d,e,f,1,,,1,0,,\"x\ny\",z", strings.Replace(goodLine, "kg", "k\x00g", 1)), "dòng 4"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Import(ctx, catalog.ImportRequest{CSV: strings.NewReader(tt.csv)})
			var de *web.DetailError
			if !errors.Is(err, catalog.ErrBadCSV) || !errors.As(err, &de) || !strings.Contains(de.Message, "NUL") ||
				!strings.Contains(de.Message, tt.line) {
				t.Fatalf("want ErrBadCSV naming %s, got %v", tt.line, err)
			}
		})
	}
	if got := tables(t, d); got != "products=0 variants=0 cooperatives=0 outbox=0" {
		t.Fatalf("a refused import changed the database: %s", got)
	}
}
