package main

import (
	"bytes"
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"htxmarket/internal/app"
	"htxmarket/internal/catalog"
	"htxmarket/internal/catalog/catalogtest"
)

// Bench catalog size: the products and product targets run against this
// many generated products of benchCooperatives cooperatives.
const (
	benchProducts     = 100_000
	benchCooperatives = 1_000
)

// rotatingLists are 1,088 distinct list pages of the bench catalog: every
// province, group and sort, with and without a minimum OCOP rating.
func rotatingLists() []string {
	var out []string
	for _, stars := range []string{"", "&stars=4"} {
		for _, sort := range []string{"newest", "price_asc", "price_desc", "stars"} {
			for _, group := range benchGroups {
				for _, province := range benchProvinces {
					out = append(out, "/api/v1/products?province="+province+"&group="+group+"&sort="+sort+stars)
				}
			}
		}
	}
	return out
}

// rotatingProducts are the pages of 1,000 products spread over the bench
// catalog.
func rotatingProducts() []string {
	out := make([]string, 1000)
	for i := range out {
		out[i] = fmt.Sprintf("/api/v1/products/san-pham-thu-nghiem-%d", i*97%benchProducts)
	}
	return out
}

// The provinces and groups of catalogtest.GenerateCSV.
var (
	benchProvinces = []string{"ha-noi", "hue", "hai-phong", "da-nang", "ho-chi-minh", "can-tho", "lai-chau", "dien-bien",
		"son-la", "lang-son", "quang-ninh", "thanh-hoa", "nghe-an", "ha-tinh", "cao-bang", "tuyen-quang", "lao-cai",
		"thai-nguyen", "phu-tho", "bac-ninh", "hung-yen", "ninh-binh", "quang-tri", "quang-ngai", "gia-lai",
		"khanh-hoa", "lam-dong", "dak-lak", "dong-nai", "tay-ninh", "vinh-long", "dong-thap", "ca-mau", "an-giang"}
	benchGroups = []string{"thuc-pham", "do-uong", "duoc-lieu", "thu-cong-my-nghe"}
)

// ensureCatalog imports the generated catalog into the bench database
// unless it is there already, and refreshes the planner's statistics.
func ensureCatalog(ctx context.Context, d *sqlx.DB, srv *app.Server) error {
	var n int
	if err := d.GetContext(ctx, &n, `SELECT count(*) FROM products WHERE slug LIKE 'san-pham-thu-nghiem-%'`); err != nil {
		return fmt.Errorf("bench catalog: %w", err)
	}
	if n < benchProducts {
		data := catalogtest.GenerateCSV(benchProducts, benchCooperatives)
		if _, err := srv.Catalog.Import(ctx, catalog.ImportRequest{CSV: bytes.NewReader(data)}); err != nil {
			return fmt.Errorf("bench catalog: import: %w", err)
		}
	}
	if _, err := d.ExecContext(ctx, `ANALYZE products; ANALYZE product_variants; ANALYZE cooperatives`); err != nil {
		return fmt.Errorf("bench catalog: analyze: %w", err)
	}
	return nil
}
