package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/outbox"
)

// ErrOutOfStock is returned by TakeStock when a variant has fewer units
// than asked; it is wrapped in a *StockError naming the product.
var ErrOutOfStock = errors.New("sản phẩm không còn đủ hàng")

// StockError says which product ran short and how many units are left.
type StockError struct {
	VariantID   uuid.UUID
	ProductName string
	Unit        string
	Wanted      int
	Left        int
}

func (e *StockError) Error() string {
	if e.Left == 0 {
		return fmt.Sprintf("%s (%s) đã hết hàng", e.ProductName, e.Unit)
	}
	return fmt.Sprintf("%s (%s) chỉ còn %d, không đủ %d", e.ProductName, e.Unit, e.Left, e.Wanted)
}

func (e *StockError) Unwrap() error { return ErrOutOfStock }

// SaleItem is a variant as a cart prices it: its product, cooperative,
// prices and stock, and whether it can be sold at all.
type SaleItem struct {
	VariantID       uuid.UUID
	ProductID       uuid.UUID
	ProductSlug     string
	ProductName     string
	CooperativeID   uuid.UUID
	CooperativeSlug string
	CooperativeName string
	// CooperativeProvince is where the cooperative ships from.
	CooperativeProvince string
	SKU                 string
	Unit                string
	PriceVND            int64
	Stock               int
	WholesaleMinQty     int
	PriceTiers          []PriceTier
	ThumbURL            *string
	// OnSale is false when the variant or product is archived or not
	// active, or the cooperative is not verified.
	OnSale bool
}

type saleRow struct {
	VariantID       uuid.UUID       `db:"variant_id"`
	ProductID       uuid.UUID       `db:"product_id"`
	ProductSlug     string          `db:"product_slug"`
	ProductName     string          `db:"product_name"`
	CoopID          uuid.UUID       `db:"coop_id"`
	CoopSlug        string          `db:"coop_slug"`
	CoopName        string          `db:"coop_name"`
	CoopProvince    string          `db:"coop_province"`
	SKU             string          `db:"sku"`
	Unit            string          `db:"unit"`
	PriceVND        int64           `db:"price_vnd"`
	Stock           int             `db:"stock"`
	WholesaleMinQty *int            `db:"wholesale_min_qty"`
	PriceTiers      json.RawMessage `db:"price_tiers"`
	ThumbKey        *string         `db:"thumb_key"`
	OnSale          bool            `db:"on_sale"`
}

// SaleItems returns the variants with these IDs as carts and checkout need
// them (the sale_items view, which the checkout also reads directly);
// unknown IDs are left out of the map.
func (s *Service) SaleItems(ctx context.Context, ext sqlx.ExtContext, ids []uuid.UUID) (map[uuid.UUID]SaleItem, error) {
	const q = `
SELECT variant_id, product_id, product_slug, product_name, coop_id, coop_slug, coop_name, coop_province,
       sku, unit, price_vnd, stock, wholesale_min_qty, price_tiers, thumb_key, on_sale
FROM sale_items
WHERE variant_id = ANY($1)`
	var rows []saleRow
	if err := s.stmts.Select(ctx, ext, &rows, q, db.UUIDs(ids)); err != nil {
		return nil, fmt.Errorf("catalog: sale items: %w", err)
	}
	out := make(map[uuid.UUID]SaleItem, len(rows))
	for _, r := range rows {
		it := SaleItem{
			VariantID: r.VariantID, ProductID: r.ProductID, ProductSlug: r.ProductSlug, ProductName: r.ProductName,
			CooperativeID: r.CoopID, CooperativeSlug: r.CoopSlug, CooperativeName: r.CoopName,
			CooperativeProvince: r.CoopProvince, SKU: r.SKU, Unit: r.Unit, PriceVND: r.PriceVND, Stock: r.Stock,
			OnSale: r.OnSale, PriceTiers: []PriceTier{},
		}
		if r.WholesaleMinQty != nil {
			it.WholesaleMinQty = *r.WholesaleMinQty
		}
		if err := json.Unmarshal(r.PriceTiers, &it.PriceTiers); err != nil {
			return nil, fmt.Errorf("catalog: sale item %s tiers: %w", r.VariantID, err)
		}
		if r.ThumbKey != nil {
			it.ThumbURL = s.thumbURL(*r.ThumbKey)
		}
		out[r.VariantID] = it
	}
	return out, nil
}

// StockChange is a number of units of one variant.
type StockChange struct {
	VariantID uuid.UUID
	Quantity  int
}

// TakeStock lowers the stock of each variant by its quantity inside the
// caller's transaction, or fails with a *StockError for the first variant
// short of units and changes nothing (the caller rolls back). Each update
// is conditional (stock >= quantity) and the variants are taken in the
// order of their IDs, so concurrent checkouts cannot oversell or deadlock.
// A variant that runs out is announced to the search index (in stock).
func (s *Service) TakeStock(ctx context.Context, tx sqlx.ExtContext, changes []StockChange) error {
	// One statement: the CTE locks the rows in the order of their IDs
	// (every checkout the same order, so two never deadlock), and the
	// update then takes only rows the CTE locked. The lock is FOR NO KEY
	// UPDATE, the lock the UPDATE itself takes: a plain FOR UPDATE would
	// also wait for the key-share locks that other checkouts' order lines
	// hold on the same variants (their foreign keys), and two such
	// checkouts would deadlock.
	const take = `
WITH locked AS MATERIALIZED (
    SELECT id
    FROM product_variants
    WHERE id = ANY($1)
    ORDER BY id
    FOR NO KEY UPDATE
)
UPDATE product_variants v
SET stock = v.stock - c.qty, updated_at = now()
FROM unnest($1::uuid[], $2::int[]) AS c (id, qty), locked l
WHERE v.id = c.id
  AND l.id = c.id
  AND v.stock >= c.qty
RETURNING v.id, v.stock, v.product_id, v.cooperative_id`
	sorted := sortedChanges(changes)
	ids := make([]uuid.UUID, len(sorted))
	qty := make([]int64, len(sorted))
	for i, c := range sorted {
		ids[i], qty[i] = c.VariantID, int64(c.Quantity)
	}
	var left []struct {
		ID        uuid.UUID `db:"id"`
		Stock     int       `db:"stock"`
		ProductID uuid.UUID `db:"product_id"`
		CoopID    uuid.UUID `db:"cooperative_id"`
	}
	if err := s.stmts.Select(ctx, tx, &left, take, db.UUIDs(ids), pq.Int64Array(qty)); err != nil {
		return fmt.Errorf("catalog: take stock: %w", err)
	}
	if len(left) < len(sorted) {
		taken := make(map[uuid.UUID]bool, len(left))
		for _, l := range left {
			taken[l.ID] = true
		}
		for _, c := range sorted {
			if !taken[c.VariantID] {
				return s.shortOf(ctx, tx, c)
			}
		}
	}
	for _, l := range left {
		if l.Stock == 0 {
			if err := s.stockChanged(ctx, tx, l.ProductID, l.CoopID); err != nil {
				return err
			}
		}
	}
	return nil
}

// ReturnStock gives units back (a cancelled or expired order), inside the
// caller's transaction. A variant back in stock is announced to the search
// index.
func (s *Service) ReturnStock(ctx context.Context, tx sqlx.ExtContext, changes []StockChange) error {
	const q = `
UPDATE product_variants
SET stock = stock + $2, updated_at = now()
WHERE id = $1
RETURNING stock, product_id, cooperative_id`
	for _, c := range sortedChanges(changes) {
		var left struct {
			Stock     int       `db:"stock"`
			ProductID uuid.UUID `db:"product_id"`
			CoopID    uuid.UUID `db:"cooperative_id"`
		}
		if err := sqlx.GetContext(ctx, tx, &left, q, c.VariantID, c.Quantity); err != nil {
			return fmt.Errorf("catalog: return stock of %s: %w", c.VariantID, err)
		}
		if left.Stock == c.Quantity {
			if err := s.stockChanged(ctx, tx, left.ProductID, left.CoopID); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Service) stockChanged(ctx context.Context, tx sqlx.ExtContext, productID, coopID uuid.UUID) error {
	// The public product page shows stock up to CATALOG_CACHE_TTL old;
	// checkout re-checks it here, so the cache is left alone.
	return outbox.Write(ctx, tx, TopicProductChanged, productID.String(),
		ChangeMessage{ProductID: productID, CooperativeID: coopID, Change: "stock"})
}

// shortOf builds the StockError of a variant whose conditional update
// matched no row.
func (s *Service) shortOf(ctx context.Context, tx sqlx.ExtContext, c StockChange) error {
	const q = `
SELECT p.name, v.unit, v.stock
FROM product_variants v
JOIN products p ON p.id = v.product_id
WHERE v.id = $1`
	var row struct {
		Name  string `db:"name"`
		Unit  string `db:"unit"`
		Stock int    `db:"stock"`
	}
	if err := sqlx.GetContext(ctx, tx, &row, q, c.VariantID); err != nil {
		return fmt.Errorf("catalog: stock of %s: %w", c.VariantID, err)
	}
	return &StockError{VariantID: c.VariantID, ProductName: row.Name, Unit: row.Unit, Wanted: c.Quantity, Left: row.Stock}
}

// sortedChanges merges changes of the same variant and orders them by ID.
func sortedChanges(in []StockChange) []StockChange {
	byID := make(map[uuid.UUID]int, len(in))
	for _, c := range in {
		byID[c.VariantID] += c.Quantity
	}
	out := make([]StockChange, 0, len(byID))
	for id, n := range byID {
		out = append(out, StockChange{VariantID: id, Quantity: n})
	}
	slices.SortFunc(out, func(a, b StockChange) int { return slices.Compare(a.VariantID[:], b.VariantID[:]) })
	return out
}
