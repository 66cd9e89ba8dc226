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
	ProductsByKey(ctx context.Context, ext sqlx.ExtContext, keys []productKeyRef) (map[productKeyRef]uuid.UUID, error)
	ImportRows(ctx context.Context, tx *sqlx.Tx, rows []importRow) (merged int, err error)
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

// productKeyRef is a product key of a cooperative.
type productKeyRef struct {
	CoopID uuid.UUID
	Key    string
}

// ProductsByKey finds the products that keys name: the cooperative's
// product with that key or, failing one, its product without a key whose
// slug it is (what export writes for it), unless that product was merged
// into another.
func (s *PGStore) ProductsByKey(ctx context.Context, ext sqlx.ExtContext, keys []productKeyRef) (map[productKeyRef]uuid.UUID, error) {
	const q = `
SELECT k.cooperative_id, k.key, p.id, true AS by_key
FROM unnest($1::uuid[], $2::text[]) AS k(cooperative_id, key)
JOIN products p ON p.cooperative_id = k.cooperative_id AND p.product_key = k.key
UNION ALL
SELECT k.cooperative_id, k.key, p.id, false
FROM unnest($1::uuid[], $2::text[]) AS k(cooperative_id, key)
JOIN products p ON p.slug = k.key AND p.cooperative_id = k.cooperative_id
WHERE p.product_key IS NULL AND p.merged_into IS NULL`
	coops := make([]string, len(keys))
	names := make([]string, len(keys))
	for i, k := range keys {
		coops[i], names[i] = k.CoopID.String(), k.Key
	}
	var rows []struct {
		CoopID uuid.UUID `db:"cooperative_id"`
		Key    string    `db:"key"`
		ID     uuid.UUID `db:"id"`
		ByKey  bool      `db:"by_key"`
	}
	if err := sqlx.SelectContext(ctx, ext, &rows, q, pq.Array(coops), pq.Array(names)); err != nil {
		return nil, fmt.Errorf("catalog: products by key: %w", err)
	}
	out := make(map[productKeyRef]uuid.UUID, len(rows))
	for _, r := range rows {
		ref := productKeyRef{CoopID: r.CoopID, Key: r.Key}
		if _, ok := out[ref]; !ok || r.ByKey {
			out[ref] = r.ID
		}
	}
	return out, nil
}

// copyImport fills the staging table; the values follow this column order.
const copyImport = `
COPY catalog_import (line, cooperative_id, product_id, variant_id, product_key, sku, slug, name,
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
//
// A variant staged under another product than its own moves there with
// its ID. A product left without an active variant by the moves is merged
// into the product that took its first one: its images follow, it is
// archived with merged_into set (and what was merged into it points on),
// and it leaves the search index through its outbox record. ImportRows
// returns how many products it merged.
func (s *PGStore) ImportRows(ctx context.Context, tx *sqlx.Tx, rows []importRow) (int, error) {
	const create = `
CREATE TEMP TABLE catalog_import (
    line             int NOT NULL,
    cooperative_id   uuid NOT NULL,
    product_id       uuid NOT NULL,
    variant_id       uuid NOT NULL,
    product_key      text,
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
		return 0, fmt.Errorf("catalog: import staging: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, copyImport)
	if err != nil {
		return 0, fmt.Errorf("catalog: import copy: %w", err)
	}
	for _, r := range rows {
		stars, _, _ := ocopColumns(r.product.OCOP)
		tiers, err := json.Marshal(nonNilTiers(r.variant.PriceTiers))
		if err != nil {
			stmt.Close()
			return 0, err
		}
		var key any
		if r.groupKey != "" {
			key = r.productKey
		}
		_, err = stmt.ExecContext(ctx, r.line, r.coopID, r.productID, r.variantI, key, r.variant.SKU, r.product.Slug,
			r.product.Name, r.product.Description, r.product.DescriptionHTML, r.product.Group, r.product.Province,
			stars, pq.Array(r.product.Certifications), pq.Array(r.product.Keywords), r.variant.Unit,
			r.variant.PriceVND, r.variant.Stock, nullPositive(r.variant.WholesaleMinQty), string(tiers))
		if err != nil {
			stmt.Close()
			return 0, fmt.Errorf("catalog: import copy line %d: %w", r.line, err)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		stmt.Close()
		return 0, fmt.Errorf("catalog: import copy: %w", err)
	}
	if err := stmt.Close(); err != nil {
		return 0, fmt.Errorf("catalog: import copy: %w", err)
	}
	const upsert = `
ANALYZE catalog_import;

-- The variants that move to another product, before they do.
CREATE TEMP TABLE catalog_moves ON COMMIT DROP AS
SELECT v.id AS variant_id, v.product_id AS from_id, i.product_id AS to_id, i.line
FROM catalog_import i
JOIN product_variants v ON v.cooperative_id = i.cooperative_id AND v.sku = i.sku
WHERE v.product_id <> i.product_id;

INSERT INTO products (id, cooperative_id, slug, name, description, description_html, group_slug, province_slug,
                      ocop_stars, certifications, keywords, status, min_price_vnd, product_key, created_at, updated_at)
SELECT DISTINCT ON (product_id)
       product_id, cooperative_id, coalesce(nullif(slug, ''), product_id::text), name, description, description_html,
       group_slug, province_slug, ocop_stars, certifications, keywords, 'active', price_vnd, key, now(), now()
FROM (SELECT *, max(product_key) OVER (PARTITION BY product_id) AS key FROM catalog_import) i
ORDER BY product_id, line DESC
ON CONFLICT (id) DO UPDATE
SET name = EXCLUDED.name, description = EXCLUDED.description, description_html = EXCLUDED.description_html,
    product_key = CASE WHEN products.product_key IS NULL AND EXCLUDED.product_key = products.slug THEN NULL
                       ELSE coalesce(EXCLUDED.product_key, products.product_key) END,
    -- A merged product that takes rows again is a product again.
    status = CASE WHEN products.merged_into IS NULL THEN products.status ELSE 'active' END, merged_into = NULL,
    group_slug = EXCLUDED.group_slug, province_slug = EXCLUDED.province_slug,
    ocop_certificate = CASE WHEN products.ocop_stars IS NOT DISTINCT FROM EXCLUDED.ocop_stars THEN products.ocop_certificate END,
    ocop_expires_on = CASE WHEN products.ocop_stars IS NOT DISTINCT FROM EXCLUDED.ocop_stars THEN products.ocop_expires_on END,
    ocop_stars = EXCLUDED.ocop_stars, certifications = EXCLUDED.certifications, keywords = EXCLUDED.keywords,
    updated_at = now()
WHERE (products.name, products.description, products.group_slug, products.province_slug, products.ocop_stars,
       products.certifications, products.keywords, products.product_key, products.merged_into)
      IS DISTINCT FROM
      (EXCLUDED.name, EXCLUDED.description, EXCLUDED.group_slug, EXCLUDED.province_slug, EXCLUDED.ocop_stars,
       EXCLUDED.certifications, EXCLUDED.keywords,
       CASE WHEN products.product_key IS NULL AND EXCLUDED.product_key = products.slug THEN NULL
            ELSE coalesce(EXCLUDED.product_key, products.product_key) END,
       NULL::uuid);

INSERT INTO product_variants (id, product_id, cooperative_id, sku, unit, price_vnd, stock, wholesale_min_qty,
                              price_tiers, status, created_at, updated_at)
SELECT variant_id, product_id, cooperative_id, sku, unit, price_vnd, stock, wholesale_min_qty,
       price_tiers, 'active', now(), now()
FROM catalog_import
ON CONFLICT (cooperative_id, sku) DO UPDATE
SET product_id = EXCLUDED.product_id, unit = EXCLUDED.unit, price_vnd = EXCLUDED.price_vnd, stock = EXCLUDED.stock,
    wholesale_min_qty = EXCLUDED.wholesale_min_qty, price_tiers = EXCLUDED.price_tiers,
    status = 'active', updated_at = now()
WHERE (product_variants.product_id, product_variants.unit, product_variants.price_vnd, product_variants.stock,
       product_variants.wholesale_min_qty, product_variants.price_tiers, product_variants.status)
      IS DISTINCT FROM
      (EXCLUDED.product_id, EXCLUDED.unit, EXCLUDED.price_vnd, EXCLUDED.stock, EXCLUDED.wholesale_min_qty,
       EXCLUDED.price_tiers, 'active');

-- The products the moves emptied, each with the product that took its
-- first variant.
CREATE TEMP TABLE catalog_merges ON COMMIT DROP AS
SELECT DISTINCT ON (m.from_id) m.from_id, m.to_id
FROM catalog_moves m
WHERE NOT EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = m.from_id AND v.status = 'active')
ORDER BY m.from_id, m.line;

-- Their pictures follow, after the ones the product has.
UPDATE product_images i
SET product_id = g.to_id,
    position = i.position + 1 + coalesce((SELECT max(t.position) FROM product_images t WHERE t.product_id = g.to_id), -1),
    updated_at = now()
FROM catalog_merges g
WHERE i.product_id = g.from_id;

UPDATE products p
SET status = 'archived', merged_into = g.to_id, product_key = NULL, min_price_vnd = NULL, updated_at = now()
FROM catalog_merges g
WHERE p.id = g.from_id;

UPDATE products p
SET merged_into = g.to_id, updated_at = now()
FROM catalog_merges g
WHERE p.merged_into = g.from_id AND p.id <> g.to_id;

UPDATE products p
SET min_price_vnd = m.price
FROM (SELECT v.product_id, min(v.price_vnd) AS price
      FROM product_variants v
      WHERE v.product_id IN (SELECT product_id FROM catalog_import UNION SELECT from_id FROM catalog_moves)
        AND v.status = 'active'
      GROUP BY v.product_id) m
WHERE p.id = m.product_id AND p.min_price_vnd IS DISTINCT FROM m.price;

INSERT INTO outbox (topic, key, payload)
SELECT 'catalog.product.changed', product_id::text,
       jsonb_build_object('product_id', product_id, 'cooperative_id', cooperative_id, 'change', change)
FROM (SELECT product_id, cooperative_id, min(line) AS line, 'import' AS change
      FROM catalog_import
      GROUP BY product_id, cooperative_id
      UNION ALL
      SELECT m.from_id, p.cooperative_id, min(m.line),
             CASE WHEN p.merged_into IS NULL THEN 'import' ELSE 'merged' END
      FROM catalog_moves m
      JOIN products p ON p.id = m.from_id
      WHERE m.from_id NOT IN (SELECT product_id FROM catalog_import)
      GROUP BY m.from_id, p.cooperative_id, p.merged_into) s
ORDER BY line`
	if _, err := tx.ExecContext(ctx, upsert); err != nil {
		return 0, fmt.Errorf("catalog: import upsert: %w", err)
	}
	var merged int
	if err := tx.GetContext(ctx, &merged, `SELECT count(*) FROM catalog_merges`); err != nil {
		return 0, fmt.Errorf("catalog: import merges: %w", err)
	}
	return merged, nil
}

// exportRow is one line of the catalog CSV: a variant with its product.
type exportRow struct {
	Product         string         `db:"product"`
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
SELECT coalesce(p.product_key, p.slug) AS product, v.sku, c.name AS cooperative, p.province_slug, p.name, p.group_slug, v.unit, v.price_vnd,
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
