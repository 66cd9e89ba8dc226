// Package catalogtest holds what tests of the catalog, and of the packages
// built on it, share with the load tool (cmd/htxbench): a stand-in for the
// cooperative capability on the cooperatives table, test cooperatives and
// generated catalogs. It lives apart from internal/catalog so that the
// server binary does not carry it.
package catalogtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/catalog"
	"htxmarket/internal/platform/db"
)

// SQLCooperatives implements catalog.Cooperatives on the cooperatives table
// as migration 00006 defines it. It stands in for the cooperative
// capability's service in tests; it keeps no product figures
// (SetProductStats does nothing).
type SQLCooperatives struct {
	DB sqlx.ExtContext
}

var _ catalog.Cooperatives = SQLCooperatives{}

// Cooperative returns a cooperative by ID or slug.
func (c SQLCooperatives) Cooperative(ctx context.Context, idOrSlug string) (catalog.Coop, error) {
	const q = `
SELECT id, slug, name, province_slug, status = 'verified' AS verified
FROM cooperatives
WHERE slug = $1 OR id::text = $1`
	var r struct {
		ID       uuid.UUID `db:"id"`
		Slug     string    `db:"slug"`
		Name     string    `db:"name"`
		Province string    `db:"province_slug"`
		Verified bool      `db:"verified"`
	}
	if err := sqlx.GetContext(ctx, c.DB, &r, q, idOrSlug); err != nil {
		if errors.Is(db.Classify(err), db.ErrNotFound) {
			return catalog.Coop{}, fmt.Errorf("catalogtest: cooperative %q: %w", idOrSlug, catalog.ErrCooperativeNotFound)
		}
		return catalog.Coop{}, fmt.Errorf("catalogtest: cooperative: %w", err)
	}
	return catalog.Coop(r), nil
}

// EnsureForImport finds a cooperative by folded name in the province or
// creates it, verified, with the first free slug of its name.
func (c SQLCooperatives) EnsureForImport(ctx context.Context, ext sqlx.ExtContext, name, province string) (catalog.Coop, error) {
	const find = `
SELECT id::text
FROM cooperatives
WHERE fold_vi(name) = fold_vi($1) AND province_slug = $2
LIMIT 1`
	var id string
	err := sqlx.GetContext(ctx, ext, &id, find, name, province)
	if err == nil {
		return SQLCooperatives{DB: ext}.Cooperative(ctx, id)
	}
	if !errors.Is(db.Classify(err), db.ErrNotFound) {
		return catalog.Coop{}, fmt.Errorf("catalogtest: find cooperative: %w", err)
	}
	base := catalog.Slugify(name)
	var slugs []string
	if err := sqlx.SelectContext(ctx, ext, &slugs, `SELECT slug FROM cooperatives WHERE slug = $1 OR slug LIKE $1 || '-%'`, base); err != nil {
		return catalog.Coop{}, fmt.Errorf("catalogtest: cooperative slugs: %w", err)
	}
	taken := map[string]bool{}
	for _, s := range slugs {
		taken[s] = true
	}
	slug := base
	for n := 2; taken[slug]; n++ {
		slug = base + "-" + strconv.Itoa(n)
	}
	coop := catalog.Coop{ID: uuid.Must(uuid.NewV7()), Slug: slug, Name: name, Province: province, Verified: true}
	const insert = `
INSERT INTO cooperatives (id, slug, name, province_slug, status)
VALUES ($1, $2, $3, $4, 'verified')`
	if _, err := ext.ExecContext(ctx, insert, coop.ID, coop.Slug, coop.Name, coop.Province); err != nil {
		return catalog.Coop{}, fmt.Errorf("catalogtest: create cooperative: %w", db.Classify(err))
	}
	return coop, nil
}

// SetProductStats does nothing: the figures' columns belong to the
// cooperative capability.
func (SQLCooperatives) SetProductStats(context.Context, sqlx.ExtContext, uuid.UUID, []string, int, int) error {
	return nil
}

// NewCooperative inserts a cooperative with the given status (pending,
// verified or rejected).
func NewCooperative(t testing.TB, d sqlx.ExtContext, name, province, status string) catalog.Coop {
	t.Helper()
	coop := catalog.Coop{ID: uuid.Must(uuid.NewV7()), Name: name, Province: province, Verified: status == "verified"}
	coop.Slug = catalog.Slugify(name) + "-" + coop.ID.String()[30:]
	const q = `
INSERT INTO cooperatives (id, slug, name, province_slug, status)
VALUES ($1, $2, $3, $4, $5)`
	if _, err := d.ExecContext(context.Background(), q, coop.ID, coop.Slug, name, province, status); err != nil {
		t.Fatalf("catalogtest: cooperative: %v", err)
	}
	return coop
}

// GenerateCSV makes a catalog CSV of n products spread over cooperatives
// cooperatives, the provinces and groups of the sample, for benchmarks.
// Product i is named "Sản phẩm thử nghiệm i", so its slug is
// san-pham-thu-nghiem-i on an empty catalog.
func GenerateCSV(n, cooperatives int) []byte {
	provinces := []string{"ha-noi", "hue", "hai-phong", "da-nang", "ho-chi-minh", "can-tho", "lai-chau", "dien-bien",
		"son-la", "lang-son", "quang-ninh", "thanh-hoa", "nghe-an", "ha-tinh", "cao-bang", "tuyen-quang", "lao-cai",
		"thai-nguyen", "phu-tho", "bac-ninh", "hung-yen", "ninh-binh", "quang-tri", "quang-ngai", "gia-lai",
		"khanh-hoa", "lam-dong", "dak-lak", "dong-nai", "tay-ninh", "vinh-long", "dong-thap", "ca-mau", "an-giang"}
	groups := []string{"thuc-pham", "do-uong", "duoc-lieu", "thu-cong-my-nghe"}
	certs := []string{"", "VietGAP", "Hữu cơ;ISO 22000", "", "GlobalGAP", "HACCP"}
	var b bytes.Buffer
	b.WriteString(strings.Join(catalog.Columns, ",") + "\r\n")
	for i := range n {
		c := i % cooperatives
		price := 10_000 + (i*7919)%990_000
		stars := []int{0, 3, 4, 5}[i%4]
		fmt.Fprintf(&b, "sp-%d,HTX Thử nghiệm %d,%s,Sản phẩm thử nghiệm %d,%s,kg,%d,20,%d,%d,%d,%s,\"thử nghiệm, đặc sản\",Sản phẩm **thử nghiệm** số %d.\r\n",
			i, c, provinces[c%len(provinces)], i, groups[i%len(groups)], price, price*9/10, i%500, stars, certs[i%len(certs)], i)
	}
	return b.Bytes()
}
