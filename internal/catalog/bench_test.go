package catalog_test

import (
	"bytes"
	"context"
	"testing"

	"htxmarket/internal/catalog"
	"htxmarket/internal/catalog/catalogtest"
)

// BenchmarkImport100k imports 100,000 generated products of 1,000
// cooperatives into an empty catalog, then again (every row an update).
//
//	go test -run '^$' -bench BenchmarkImport100k -benchtime 1x ./internal/catalog
func BenchmarkImport100k(b *testing.B) {
	data := catalogtest.GenerateCSV(100_000, 1_000)
	for b.Loop() {
		b.StopTimer()
		s, _ := newService(b)
		b.StartTimer()
		for _, want := range []struct{ created, updated int }{{100_000, 0}, {0, 100_000}} {
			rep, err := s.Import(context.Background(), catalog.ImportRequest{CSV: bytes.NewReader(data)})
			if err != nil || rep.Created != want.created || rep.Updated != want.updated {
				b.Fatalf("import: %+v %v", rep.ErrorCount, err)
			}
		}
	}
}
