package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// importStore is the bulk side of the store: CSV import and export.
type importStore interface {
	ExistingVariants(ctx context.Context, ext sqlx.ExtContext, keys []variantKey) (map[variantKey]variantIDs, error)
	ImportRows(ctx context.Context, tx *sqlx.Tx, rows []importRow) error
	ExportRows(ctx context.Context, ext sqlx.ExtContext, coopID uuid.UUID, fn func(exportRow) error) error
}

// variantKey is what identifies a variant across imports.
type variantKey struct {
	CoopID uuid.UUID
	SKU    string
}

type variantIDs struct {
	ProductID uuid.UUID `db:"product_id"`
	VariantID uuid.UUID `db:"id"`
}

// ExistingVariants finds the variants that already have one of keys.
func (s *PGStore) ExistingVariants(ctx context.Context, ext sqlx.ExtContext, keys []variantKey) (map[variantKey]variantIDs, error) {
	const q = `
SELECT v.cooperative_id, v.sku, v.product_id, v.id
FROM product_variants v
JOIN unnest($1::uuid[], $2::text[]) AS k(cooperative_id, sku)
  ON v.cooperative_id = k.cooperative_id AND v.sku = k.sku`
	coops := make([]string, len(keys))
	skus := make([]string, len(keys))
	for i, k := range keys {
		coops[i], skus[i] = k.CoopID.String(), k.SKU
	}
	var rows []struct {
		CoopID uuid.UUID `db:"cooperative_id"`
		SKU    string    `db:"sku"`
		variantIDs
	}
	if err := sqlx.SelectContext(ctx, ext, &rows, q, pq.Array(coops), pq.Array(skus)); err != nil {
		return nil, fmt.Errorf("catalog: existing variants: %w", err)
	}
	out := make(map[variantKey]variantIDs, len(rows))
	for _, r := range rows {
		out[variantKey{CoopID: r.CoopID, SKU: r.SKU}] = r.variantIDs
	}
	return out, nil
}

// copyImport fills the staging table; the values follow this column order.
const copyImport = `
COPY catalog_import (line, cooperative_id, product_id, variant_id, sku, slug, name,
    description, description_html, group_slug, province_slug, ocop_stars, certifications,
    keywords, unit, price_vnd, stock, wholesale_min_qty, price_tiers)
FROM STDIN`

// ImportRows writes rows with COPY into a staging table, then upserts
// products (the last line of a product wins) and variants, refreshes their
// lowest prices and writes one outbox record per product — the records
// outbox.Write would write, in one statement rather than one per product.
// Unchanged rows are not rewritten. New products are active; existing
// ones keep their status and slug (their
// staged slug is empty; the id stands in for it in the row PostgreSQL
// checks before it sees the conflict), and an OCOP
// certificate is kept only while the stars stay the same.
func (s *PGStore) ImportRows(ctx context.Context, tx *sqlx.Tx, rows []importRow) error {
	const create = `
CREATE TEMP TABLE catalog_import (
    line             int NOT NULL,
    cooperative_id   uuid NOT NULL,
    product_id       uuid NOT NULL,
    variant_id       uuid NOT NULL,
    sku              text NOT NULL,
    slug             text NOT NULL,
    name             text NOT NULL,
    description      text NOT NULL,
    description_html text NOT NULL,
    group_slug       text NOT NULL,
    province_slug    text NOT NULL,
    ocop_stars       smallint,
    certifications   text[] NOT NULL,
    keywords         text[] NOT NULL,
    unit             text NOT NULL,
    price_vnd        bigint NOT NULL,
    stock            int NOT NULL,
    wholesale_min_qty int,
    price_tiers      jsonb NOT NULL
) ON COMMIT DROP`
	if _, err := tx.ExecContext(ctx, create); err != nil {
		return fmt.Errorf("catalog: import staging: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, copyImport)
	if err != nil {
		return fmt.Errorf("catalog: import copy: %w", err)
	}
	for _, r := range rows {
		stars, _, _ := ocopColumns(r.product.OCOP)
		tiers, err := json.Marshal(nonNilTiers(r.variant.PriceTiers))
		if err != nil {
			stmt.Close()
			return err
		}
		_, err = stmt.ExecContext(ctx, r.line, r.coopID, r.productID, r.variantI, r.variant.SKU, r.product.Slug,
			r.product.Name, r.product.Description, r.product.DescriptionHTML, r.product.Group, r.product.Province,
			stars, pq.Array(r.product.Certifications), pq.Array(r.product.Keywords), r.variant.Unit,
			r.variant.PriceVND, r.variant.Stock, nullPositive(r.variant.WholesaleMinQty), string(tiers))
		if err != nil {
			stmt.Close()
			return fmt.Errorf("catalog: import copy line %d: %w", r.line, err)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		stmt.Close()
		return fmt.Errorf("catalog: import copy: %w", err)
	}
	if err := stmt.Close(); err != nil {
		return fmt.Errorf("catalog: import copy: %w", err)
	}
	const upsert = `
ANALYZE catalog_import;

INSERT INTO products (id, cooperative_id, slug, name, description, description_html, group_slug, province_slug,
                      ocop_stars, certifications, keywords, status, min_price_vnd, created_at, updated_at)
SELECT DISTINCT ON (product_id)
       product_id, cooperative_id, coalesce(nullif(slug, ''), product_id::text), name, description, description_html,
       group_slug, province_slug, ocop_stars, certifications, keywords, 'active', price_vnd, now(), now()
FROM catalog_import
ORDER BY product_id, line DESC
ON CONFLICT (id) DO UPDATE
SET name = EXCLUDED.name, description = EXCLUDED.description, description_html = EXCLUDED.description_html,
    group_slug = EXCLUDED.group_slug, province_slug = EXCLUDED.province_slug,
    ocop_certificate = CASE WHEN products.ocop_stars IS NOT DISTINCT FROM EXCLUDED.ocop_stars THEN products.ocop_certificate END,
    ocop_expires_on = CASE WHEN products.ocop_stars IS NOT DISTINCT FROM EXCLUDED.ocop_stars THEN products.ocop_expires_on END,
    ocop_stars = EXCLUDED.ocop_stars, certifications = EXCLUDED.certifications, keywords = EXCLUDED.keywords,
    updated_at = now()
WHERE (products.name, products.description, products.group_slug, products.province_slug, products.ocop_stars,
       products.certifications, products.keywords)
      IS DISTINCT FROM
      (EXCLUDED.name, EXCLUDED.description, EXCLUDED.group_slug, EXCLUDED.province_slug, EXCLUDED.ocop_stars,
       EXCLUDED.certifications, EXCLUDED.keywords);

INSERT INTO product_variants (id, product_id, cooperative_id, sku, unit, price_vnd, stock, wholesale_min_qty,
                              price_tiers, status, created_at, updated_at)
SELECT variant_id, product_id, cooperative_id, sku, unit, price_vnd, stock, wholesale_min_qty,
       price_tiers, 'active', now(), now()
FROM catalog_import
ON CONFLICT (cooperative_id, sku) DO UPDATE
SET unit = EXCLUDED.unit, price_vnd = EXCLUDED.price_vnd, stock = EXCLUDED.stock,
    wholesale_min_qty = EXCLUDED.wholesale_min_qty, price_tiers = EXCLUDED.price_tiers,
    status = 'active', updated_at = now()
WHERE (product_variants.unit, product_variants.price_vnd, product_variants.stock, product_variants.wholesale_min_qty,
       product_variants.price_tiers, product_variants.status)
      IS DISTINCT FROM
      (EXCLUDED.unit, EXCLUDED.price_vnd, EXCLUDED.stock, EXCLUDED.wholesale_min_qty, EXCLUDED.price_tiers, 'active');

UPDATE products p
SET min_price_vnd = m.price
FROM (SELECT v.product_id, min(v.price_vnd) AS price
      FROM product_variants v
      WHERE v.product_id IN (SELECT product_id FROM catalog_import) AND v.status = 'active'
      GROUP BY v.product_id) m
WHERE p.id = m.product_id AND p.min_price_vnd IS DISTINCT FROM m.price;

INSERT INTO outbox (topic, key, payload)
SELECT 'catalog.product.changed', product_id::text,
       jsonb_build_object('product_id', product_id, 'cooperative_id', cooperative_id, 'change', 'import')
FROM (SELECT product_id, cooperative_id, min(line) AS line
      FROM catalog_import
      GROUP BY product_id, cooperative_id) s
ORDER BY line`
	if _, err := tx.ExecContext(ctx, upsert); err != nil {
		return fmt.Errorf("catalog: import upsert: %w", err)
	}
	return nil
}

// exportRow is one line of the catalog CSV: a variant with its product.
type exportRow struct {
	SKU             string         `db:"sku"`
	Cooperative     string         `db:"cooperative"`
	Province        string         `db:"province_slug"`
	Name            string         `db:"name"`
	Group           string         `db:"group_slug"`
	Unit            string         `db:"unit"`
	PriceVND        int64          `db:"price_vnd"`
	WholesaleMinQty sql.NullInt64  `db:"wholesale_min_qty"`
	WholesalePrice  sql.NullInt64  `db:"wholesale_price_vnd"`
	Stock           int64          `db:"stock"`
	OCOPStars       sql.NullInt64  `db:"ocop_stars"`
	Certifications  pq.StringArray `db:"certifications"`
	Keywords        pq.StringArray `db:"keywords"`
	Description     string         `db:"description"`
}

// ExportRows calls fn with every active variant of the cooperative's
// products that are not archived, in creation order.
func (s *PGStore) ExportRows(ctx context.Context, ext sqlx.ExtContext, coopID uuid.UUID, fn func(exportRow) error) error {
	const q = `
SELECT v.sku, c.name AS cooperative, p.province_slug, p.name, p.group_slug, v.unit, v.price_vnd,
       v.wholesale_min_qty, (v.price_tiers -> 0 ->> 'unit_price_vnd')::bigint AS wholesale_price_vnd,
       v.stock, p.ocop_stars, p.certifications, p.keywords, p.description
FROM product_variants v
JOIN products p ON p.id = v.product_id
JOIN cooperatives c ON c.id = p.cooperative_id
WHERE p.cooperative_id = $1 AND p.status <> 'archived' AND v.status = 'active'
ORDER BY p.id, v.position, v.id`
	rows, err := ext.QueryxContext(ctx, q, coopID)
	if err != nil {
		return fmt.Errorf("catalog: export: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r exportRow
		if err := rows.StructScan(&r); err != nil {
			return fmt.Errorf("catalog: export: %w", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}
