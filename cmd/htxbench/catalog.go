package main

import (
	"bytes"
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"htxmarket/internal/app"
	"htxmarket/internal/catalog"
)

// Bench catalog size: the products and product targets run against this
// many generated products of benchCooperatives cooperatives.
const (
	benchProducts     = 100_000
	benchCooperatives = 1_000
)

// ensureCatalog imports the generated catalog into the bench database
// unless it is there already, and refreshes the planner's statistics.
func ensureCatalog(ctx context.Context, d *sqlx.DB, srv *app.Server) error {
	var n int
	if err := d.GetContext(ctx, &n, `SELECT count(*) FROM products WHERE slug LIKE 'san-pham-thu-nghiem-%'`); err != nil {
		return fmt.Errorf("bench catalog: %w", err)
	}
	if n < benchProducts {
		data := catalog.GenerateCSV(benchProducts, benchCooperatives)
		if _, err := srv.Catalog.Import(ctx, catalog.ImportRequest{CSV: bytes.NewReader(data)}); err != nil {
			return fmt.Errorf("bench catalog: import: %w", err)
		}
	}
	if _, err := d.ExecContext(ctx, `ANALYZE products; ANALYZE product_variants; ANALYZE cooperatives`); err != nil {
		return fmt.Errorf("bench catalog: analyze: %w", err)
	}
	return nil
}
