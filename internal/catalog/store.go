package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"htxmarket/internal/platform/db"
)

// PGStore keeps the catalog in PostgreSQL. Every method takes the
// connection or transaction to run on, so that the service decides what
// happens together.
//
// Lists and products read the cooperative's slug, name and status from the
// cooperatives table: a product is public only while its cooperative is
// verified, and that condition belongs in the same indexed query.
type PGStore struct{}

// NewStore returns the PostgreSQL store.
func NewStore() *PGStore { return &PGStore{} }

var _ Store = (*PGStore)(nil)

type productRow struct {
	ID              uuid.UUID      `db:"id"`
	CoopID          uuid.UUID      `db:"cooperative_id"`
	CoopSlug        string         `db:"coop_slug"`
	CoopName        string         `db:"coop_name"`
	CoopStatus      string         `db:"coop_status"`
	Slug            string         `db:"slug"`
	Name            string         `db:"name"`
	Description     string         `db:"description"`
	DescriptionHTML string         `db:"description_html"`
	Group           string         `db:"group_slug"`
	Province        string         `db:"province_slug"`
	OCOPStars       sql.NullInt16  `db:"ocop_stars"`
	OCOPCertificate sql.NullString `db:"ocop_certificate"`
	OCOPExpiresOn   sql.NullTime   `db:"ocop_expires_on"`
	Certifications  pq.StringArray `db:"certifications"`
	Keywords        pq.StringArray `db:"keywords"`
	SeasonMonths    pq.Int64Array  `db:"season_months"`
	Status          string         `db:"status"`
	MinPrice        sql.NullInt64  `db:"min_price_vnd"`
	MaxPrice        sql.NullInt64  `db:"max_price_vnd"` // lists only
	ThumbKey        sql.NullString `db:"thumb_key"`     // lists only
	CreatedAt       time.Time      `db:"created_at"`
	UpdatedAt       time.Time      `db:"updated_at"`
}

// toProduct converts a row; the rating's and season's "current" depend on
// today, which the service sets with present.
func toProduct(r productRow) Product {
	p := Product{
		Summary: Summary{
			ID: r.ID, Slug: r.Slug, Name: r.Name,
			Cooperative:    CoopRef{ID: r.CoopID, Slug: r.CoopSlug, Name: r.CoopName},
			Group:          r.Group,
			Province:       r.Province,
			Certifications: nonNil([]string(r.Certifications)),
			SeasonMonths:   make([]int, len(r.SeasonMonths)),
			Status:         Status(r.Status),
			CreatedAt:      r.CreatedAt,
			UpdatedAt:      r.UpdatedAt,
			coopVerified:   r.CoopStatus == "verified",
			thumbKey:       r.ThumbKey.String,
		},
		Description:     r.Description,
		DescriptionHTML: r.DescriptionHTML,
		Keywords:        nonNil([]string(r.Keywords)),
		Variants:        []Variant{},
		Images:          []Image{},
	}
	for i, m := range r.SeasonMonths {
		p.SeasonMonths[i] = int(m)
	}
	if r.MinPrice.Valid {
		v := r.MinPrice.Int64
		p.PriceVND = &v
	}
	if r.MaxPrice.Valid {
		v := r.MaxPrice.Int64
		p.PriceMaxVND = &v
	}
	if r.OCOPStars.Valid {
		p.OCOP = &OCOPRating{Stars: int(r.OCOPStars.Int16), Certificate: r.OCOPCertificate.String}
		if r.OCOPExpiresOn.Valid {
			p.OCOP.ExpiresOn = r.OCOPExpiresOn.Time.Format(time.DateOnly)
		}
	}
	return p
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

const selectProduct = `
SELECT p.id, p.cooperative_id, c.slug AS coop_slug, c.name AS coop_name, c.status AS coop_status,
       p.slug, p.name, p.description, p.description_html, p.group_slug, p.province_slug,
       p.ocop_stars, p.ocop_certificate, p.ocop_expires_on, p.certifications, p.keywords,
       p.season_months, p.status, p.min_price_vnd, p.created_at, p.updated_at
FROM products p
JOIN cooperatives c ON c.id = p.cooperative_id`

// Get returns a product by ID or slug with every variant, locking it when
// forUpdate is set.
func (s *PGStore) Get(ctx context.Context, ext sqlx.ExtContext, idOrSlug string, forUpdate bool) (Product, error) {
	q := selectProduct + `
WHERE p.slug = $1`
	arg := any(idOrSlug)
	if id, err := uuid.Parse(idOrSlug); err == nil {
		q = selectProduct + `
WHERE p.id = $1`
		arg = id
	}
	if forUpdate {
		q += `
FOR UPDATE OF p`
	}
	var r productRow
	if err := sqlx.GetContext(ctx, ext, &r, q, arg); err != nil {
		if errors.Is(db.Classify(err), db.ErrNotFound) {
			return Product{}, fmt.Errorf("catalog: product %q: %w", idOrSlug, ErrNotFound)
		}
		return Product{}, fmt.Errorf("catalog: get product: %w", err)
	}
	p := toProduct(r)
	vs, err := s.variants(ctx, ext, p.ID)
	if err != nil {
		return Product{}, err
	}
	p.Variants = vs
	if p.Images, err = s.Images(ctx, ext, p.ID); err != nil {
		return Product{}, err
	}
	return p, nil
}

type variantRow struct {
	ID              uuid.UUID       `db:"id"`
	SKU             string          `db:"sku"`
	Unit            string          `db:"unit"`
	PriceVND        int64           `db:"price_vnd"`
	Stock           int             `db:"stock"`
	WeightGrams     sql.NullInt32   `db:"weight_grams"`
	WholesaleMinQty sql.NullInt32   `db:"wholesale_min_qty"`
	PriceTiers      json.RawMessage `db:"price_tiers"`
	Status          string          `db:"status"`
}

func toVariant(r variantRow) (Variant, error) {
	v := Variant{ID: r.ID, SKU: r.SKU, Unit: r.Unit, PriceVND: r.PriceVND, Stock: r.Stock,
		WeightGrams: int(r.WeightGrams.Int32), WholesaleMinQty: int(r.WholesaleMinQty.Int32), Status: r.Status}
	if err := json.Unmarshal(r.PriceTiers, &v.PriceTiers); err != nil {
		return Variant{}, fmt.Errorf("catalog: price tiers of %s: %w", r.ID, err)
	}
	if v.PriceTiers == nil {
		v.PriceTiers = []PriceTier{}
	}
	return v, nil
}

func (s *PGStore) variants(ctx context.Context, ext sqlx.ExtContext, productID uuid.UUID) ([]Variant, error) {
	const q = `
SELECT id, sku, unit, price_vnd, stock, weight_grams, wholesale_min_qty, price_tiers, status
FROM product_variants
WHERE product_id = $1
ORDER BY position, id`
	var rows []variantRow
	if err := sqlx.SelectContext(ctx, ext, &rows, q, productID); err != nil {
		return nil, fmt.Errorf("catalog: variants: %w", err)
	}
	out := make([]Variant, 0, len(rows))
	for _, r := range rows {
		v, err := toVariant(r)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// TakenSlugs returns the slugs in use that are one of bases or one of them
// with a number appended ("buoi-dien-2").
func (s *PGStore) TakenSlugs(ctx context.Context, ext sqlx.ExtContext, bases []string) (map[string]bool, error) {
	const q = `
SELECT p.slug
FROM products p
JOIN unnest($1::text[]) AS b(base) ON p.slug = b.base
UNION
SELECT p.slug
FROM products p
JOIN unnest($1::text[]) AS b(base) ON regexp_replace(p.slug, '-[0-9]+$', '') = b.base`
	var taken []string
	if err := sqlx.SelectContext(ctx, ext, &taken, q, pq.Array(bases)); err != nil {
		return nil, fmt.Errorf("catalog: slugs: %w", err)
	}
	return setOf(taken), nil
}

// Insert writes a new product (without variants).
func (s *PGStore) Insert(ctx context.Context, ext sqlx.ExtContext, p Product, coopID uuid.UUID) error {
	const q = `
INSERT INTO products (id, cooperative_id, slug, name, description, description_html, group_slug, province_slug,
                      ocop_stars, ocop_certificate, ocop_expires_on, certifications, keywords, season_months,
                      status, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)`
	stars, cert, expires := ocopColumns(p.OCOP)
	_, err := ext.ExecContext(ctx, q, p.ID, coopID, p.Slug, p.Name, p.Description, p.DescriptionHTML,
		p.Group, p.Province, stars, cert, expires, pq.Array(p.Certifications), pq.Array(p.Keywords),
		pq.Array(p.SeasonMonths), p.Status, p.CreatedAt)
	if err != nil {
		return fmt.Errorf("catalog: insert product: %w", db.Classify(err))
	}
	return nil
}

// Update writes a product's own fields.
func (s *PGStore) Update(ctx context.Context, ext sqlx.ExtContext, p Product) error {
	const q = `
UPDATE products
SET name = $2, description = $3, description_html = $4, group_slug = $5, province_slug = $6,
    ocop_stars = $7, ocop_certificate = $8, ocop_expires_on = $9, certifications = $10,
    keywords = $11, season_months = $12, status = $13, updated_at = $14
WHERE id = $1`
	stars, cert, expires := ocopColumns(p.OCOP)
	_, err := ext.ExecContext(ctx, q, p.ID, p.Name, p.Description, p.DescriptionHTML, p.Group, p.Province,
		stars, cert, expires, pq.Array(p.Certifications), pq.Array(p.Keywords), pq.Array(p.SeasonMonths),
		p.Status, p.UpdatedAt)
	if err != nil {
		return fmt.Errorf("catalog: update product: %w", db.Classify(err))
	}
	return nil
}

func ocopColumns(o *OCOPRating) (stars, cert, expires any) {
	if o == nil || o.Stars == 0 {
		return nil, nil, nil
	}
	stars = o.Stars
	if o.Certificate != "" {
		cert = o.Certificate
	}
	if o.ExpiresOn != "" {
		expires = o.ExpiresOn
	}
	return stars, cert, expires
}

// PutVariant inserts a variant or updates the one with its ID.
func (s *PGStore) PutVariant(ctx context.Context, ext sqlx.ExtContext, productID, coopID uuid.UUID, v Variant, now time.Time) error {
	const q = `
INSERT INTO product_variants (id, product_id, cooperative_id, sku, unit, price_vnd, stock, weight_grams,
                              wholesale_min_qty, price_tiers, status, position, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
        (SELECT count(*) FROM product_variants WHERE product_id = $2), $12, $12)
ON CONFLICT (id) DO UPDATE
SET unit = EXCLUDED.unit, price_vnd = EXCLUDED.price_vnd, stock = EXCLUDED.stock,
    weight_grams = EXCLUDED.weight_grams, wholesale_min_qty = EXCLUDED.wholesale_min_qty,
    price_tiers = EXCLUDED.price_tiers, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at`
	tiers, err := json.Marshal(nonNilTiers(v.PriceTiers))
	if err != nil {
		return err
	}
	_, err = ext.ExecContext(ctx, q, v.ID, productID, coopID, v.SKU, v.Unit, v.PriceVND, v.Stock,
		nullPositive(v.WeightGrams), nullPositive(v.WholesaleMinQty), tiers, v.Status, now)
	if err != nil {
		err = db.Classify(err)
		if errors.Is(err, db.ErrDuplicate) {
			return fmt.Errorf("catalog: variant %s: %w", v.SKU, ErrDuplicateSKU)
		}
		return fmt.Errorf("catalog: put variant: %w", err)
	}
	return nil
}

func nonNilTiers(t []PriceTier) []PriceTier {
	if t == nil {
		return []PriceTier{}
	}
	return t
}

func nullPositive(n int) any {
	if n <= 0 {
		return nil
	}
	return n
}

// RefreshPrices sets the lowest active variant price of products.
func (s *PGStore) RefreshPrices(ctx context.Context, ext sqlx.ExtContext, productIDs []uuid.UUID) error {
	const q = `
UPDATE products p
SET min_price_vnd = (SELECT min(v.price_vnd) FROM product_variants v WHERE v.product_id = p.id AND v.status = 'active')
WHERE p.id = ANY($1)`
	if _, err := ext.ExecContext(ctx, q, pq.Array(productIDs)); err != nil {
		return fmt.Errorf("catalog: refresh prices: %w", err)
	}
	return nil
}

// Stats counts, for each of coopIDs, the active products, those with a
// current OCOP rating on today, and their groups. A cooperative without
// active products has zero figures.
func (s *PGStore) Stats(ctx context.Context, ext sqlx.ExtContext, coopIDs []uuid.UUID, today string) (map[uuid.UUID]Stats, error) {
	const q = `
SELECT cooperative_id,
       count(*) AS products,
       count(*) FILTER (WHERE ocop_stars IS NOT NULL AND (ocop_expires_on IS NULL OR ocop_expires_on >= $2::date)) AS ocop_products,
       array_agg(DISTINCT group_slug ORDER BY group_slug) AS groups
FROM products
WHERE cooperative_id = ANY($1) AND status = 'active'
GROUP BY cooperative_id`
	var rows []struct {
		CoopID   uuid.UUID      `db:"cooperative_id"`
		Products int            `db:"products"`
		OCOP     int            `db:"ocop_products"`
		Groups   pq.StringArray `db:"groups"`
	}
	if err := sqlx.SelectContext(ctx, ext, &rows, q, pq.Array(coopIDs), today); err != nil {
		return nil, fmt.Errorf("catalog: stats: %w", err)
	}
	out := make(map[uuid.UUID]Stats, len(coopIDs))
	for _, id := range coopIDs {
		out[id] = Stats{Groups: []string{}}
	}
	for _, r := range rows {
		out[r.CoopID] = Stats{Groups: nonNil(r.Groups), Products: r.Products, OCOPProducts: r.OCOP}
	}
	return out, nil
}

// Groups returns the slugs of the OCOP product groups.
func (s *PGStore) Groups(ctx context.Context, ext sqlx.ExtContext) ([]string, error) {
	const q = `
SELECT slug
FROM ocop_groups
ORDER BY position`
	var out []string
	if err := sqlx.SelectContext(ctx, ext, &out, q); err != nil {
		return nil, fmt.Errorf("catalog: groups: %w", err)
	}
	return out, nil
}

// listQuery is a list's SQL with its arguments, built from allow-listed
// fragments only.
type listQuery struct {
	where []string
	args  []any
}

func (l *listQuery) arg(v any) string {
	l.args = append(l.args, v)
	return "$" + strconv.Itoa(len(l.args))
}

func (l *listQuery) and(cond string) { l.where = append(l.where, cond) }

// sortSpec is one allowed order: a key expression (besides the id tie
// breaker) and a direction.
type sortSpec struct {
	key  func(today func() string) string // today adds the date parameter when the key needs it
	desc bool
}

var sorts = map[string]sortSpec{
	SortNewest:    {key: nil, desc: true}, // ids are UUIDv7: id order is creation order
	SortPriceAsc:  {key: func(func() string) string { return "coalesce(p.min_price_vnd, 0)" }},
	SortPriceDesc: {key: func(func() string) string { return "coalesce(p.min_price_vnd, 0)" }, desc: true},
	SortStars: {key: func(today func() string) string {
		return "(CASE WHEN p.ocop_expires_on IS NULL OR p.ocop_expires_on >= " + today() + " THEN coalesce(p.ocop_stars, 0) ELSE 0 END)"
	}, desc: true},
}

// listScope says whose products a list may show.
type listScope struct {
	Public      bool      // active products of verified cooperatives
	Cooperative uuid.UUID // one cooperative's products, any status
	Today       time.Time
	Month       int
	After       *cursor
}

const selectSummary = `
SELECT p.id, p.cooperative_id, c.slug AS coop_slug, c.name AS coop_name, c.status AS coop_status,
       p.slug, p.name, '' AS description, '' AS description_html, p.group_slug, p.province_slug,
       p.ocop_stars, p.ocop_certificate, p.ocop_expires_on, p.certifications, '{}'::text[] AS keywords,
       p.season_months, p.status, p.min_price_vnd, p.created_at, p.updated_at,
       (SELECT i.thumb_key FROM product_images i WHERE i.product_id = p.id ORDER BY i.position, i.id LIMIT 1) AS thumb_key,
       (SELECT max(v.price_vnd) FROM product_variants v WHERE v.product_id = p.id AND v.status = 'active') AS max_price_vnd
FROM products p
JOIN cooperatives c ON c.id = p.cooperative_id`

// List returns up to f.Limit+1 products in f.Sort order after sc.After,
// so that the caller knows whether another page follows.
func (s *PGStore) List(ctx context.Context, ext sqlx.ExtContext, f Filter, sc listScope) ([]Product, error) {
	var l listQuery
	todayArg := ""
	today := func() string {
		if todayArg == "" {
			todayArg = l.arg(sc.Today.Format(time.DateOnly)) + "::date"
		}
		return todayArg
	}
	if sc.Public {
		l.and("p.status = 'active'")
		l.and("c.status = 'verified'")
	} else {
		l.and("p.cooperative_id = " + l.arg(sc.Cooperative))
		if f.Status != "" {
			l.and("p.status = " + l.arg(string(f.Status)))
		}
	}
	if f.Province != "" {
		l.and("p.province_slug = " + l.arg(f.Province))
	}
	if f.Group != "" {
		l.and("p.group_slug = " + l.arg(f.Group))
	}
	if f.MinStars > 0 {
		l.and("p.ocop_stars >= " + l.arg(f.MinStars))
		l.and("(p.ocop_expires_on IS NULL OR p.ocop_expires_on >= " + today() + ")")
	}
	if f.Certification != "" {
		l.and("p.certifications @> ARRAY[" + l.arg(f.Certification) + "]::text[]")
	}
	if f.Cooperative != "" {
		if id, err := uuid.Parse(f.Cooperative); err == nil {
			l.and("p.cooperative_id = " + l.arg(id))
		} else {
			l.and("c.slug = " + l.arg(f.Cooperative))
		}
	}
	if f.MinPrice > 0 {
		l.and("p.min_price_vnd >= " + l.arg(f.MinPrice))
	}
	if f.MaxPrice > 0 {
		l.and("p.min_price_vnd <= " + l.arg(f.MaxPrice))
	}
	if f.InSeason {
		l.and("(p.season_months = '{}' OR p.season_months @> ARRAY[" + l.arg(sc.Month) + "]::smallint[])")
	}
	spec := sorts[f.Sort]
	dir, cmp := "ASC", ">"
	if spec.desc {
		dir, cmp = "DESC", "<"
	}
	order := "p.id " + dir
	if spec.key != nil {
		key := spec.key(today)
		order = key + " " + dir + ", p.id " + dir
		if sc.After != nil {
			l.and("(" + key + ", p.id) " + cmp + " (" + l.arg(sc.After.Key) + ", " + l.arg(sc.After.ID) + ")")
		}
	} else if sc.After != nil {
		l.and("p.id " + cmp + " " + l.arg(sc.After.ID))
	}
	q := selectSummary + `
WHERE ` + strings.Join(l.where, `
  AND `) + `
ORDER BY ` + order + `
LIMIT ` + l.arg(f.Limit+1)
	var rows []productRow
	if err := sqlx.SelectContext(ctx, ext, &rows, q, l.args...); err != nil {
		return nil, fmt.Errorf("catalog: list products: %w", err)
	}
	out := make([]Product, len(rows))
	for i, r := range rows {
		out[i] = toProduct(r)
	}
	return out, nil
}
