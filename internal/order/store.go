package order

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"htxmarket/internal/platform/db"
)

// Store is the PostgreSQL side of buying. Every method takes the
// transaction or pool to run in.
type Store struct {
	// stmts holds checkout's statements, prepared once per connection (one
	// round trip each instead of two); set by NewService.
	stmts *db.Prepared
}

// NewStore returns the store.
func NewStore() *Store { return &Store{} }

type cartItemRow struct {
	ID        uuid.UUID `db:"id"`
	VariantID uuid.UUID `db:"variant_id"`
	Quantity  int       `db:"quantity"`
}

// findCart returns the ID of the shopper's cart, uuid.Nil when there is none.
// With lock, the cart's row is locked until the transaction ends.
func (s *Store) findCart(ctx context.Context, ext sqlx.ExtContext, sh Shopper, lock bool) (uuid.UUID, error) {
	q := `
SELECT id
FROM carts
WHERE user_id = $1`
	arg := any(sh.UserID)
	if sh.UserID == nil {
		q = `
SELECT id
FROM carts
WHERE token_hash = $1`
		arg = sh.GuestHash
	}
	if lock {
		q += "\nFOR UPDATE"
	}
	var id uuid.UUID
	err := sqlx.GetContext(ctx, ext, &id, q, arg)
	if errors.Is(err, sql.ErrNoRows) {
		return uuid.Nil, nil
	}
	if err != nil {
		return uuid.Nil, fmt.Errorf("order: find cart: %w", err)
	}
	return id, nil
}

// ensureCart returns the shopper's cart, creating it when missing.
func (s *Store) ensureCart(ctx context.Context, ext sqlx.ExtContext, sh Shopper) (uuid.UUID, error) {
	const q = `
INSERT INTO carts (id, token_hash, user_id)
VALUES ($1, $2, $3)
ON CONFLICT DO NOTHING`
	id, err := s.findCart(ctx, ext, sh, false)
	if err != nil || id != uuid.Nil {
		return id, err
	}
	var guest []byte
	if sh.UserID == nil {
		guest = sh.GuestHash
	}
	if _, err := ext.ExecContext(ctx, q, uuid.Must(uuid.NewV7()), guest, sh.UserID); err != nil {
		return uuid.Nil, fmt.Errorf("order: create cart: %w", err)
	}
	return s.findCart(ctx, ext, sh, false)
}

// checkoutCart is a cart as the checkout reads it: its lines, the
// variants they hold and the shipping rules of the variants' cooperatives.
type checkoutCart struct {
	ID    uuid.UUID // uuid.Nil: no cart
	Lines []cartItemRow
	Items map[uuid.UUID]Item
	Rules map[uuid.UUID]ShippingRules
}

// lockedCart locks the shopper's cart and reads, in the same round trip,
// its lines with their variants (the catalog's sale_items view, as carts
// see them but without photos) and the shipping rules of their
// cooperatives. It also sets, for the rest of the transaction, how the
// checkout's statements are planned: they are prepared once per
// connection and look a handful of rows up by key, so the plan made once
// is as good as one made for each call's values (planning the order's
// statement each time cost the server a quarter of the checkout), and
// that plan must use the keys' indexes (a small catalog's variants fit in
// a few pages, so the planner would rather read them all, but their rows
// change with every sale and those pages fill with old versions of them
// that a scan must step over).
func (s *Store) lockedCart(ctx context.Context, ext sqlx.ExtContext, sh Shopper) (checkoutCart, error) {
	// One query per kind of shopper, so that each uses its unique index.
	const rest = `
    FOR UPDATE
), settings AS MATERIALIZED (
    SELECT set_config('plan_cache_mode', 'force_generic_plan', true) AS plans,
           set_config('enable_seqscan', 'off', true) AS scans
)
SELECT c.id AS cart_id, i.id, i.variant_id, i.quantity,
       v.product_id, v.product_slug, v.product_name, v.coop_id, v.coop_slug, v.coop_name, v.coop_province,
       v.sku, v.unit, v.price_vnd, v.stock, v.wholesale_min_qty, v.price_tiers, v.on_sale,
       r.in_province_vnd, r.other_province_vnd, r.free_over_vnd, r.cooperative_id IS NOT NULL AS has_rules
FROM c
CROSS JOIN settings
LEFT JOIN cart_items i ON i.cart_id = c.id
LEFT JOIN sale_items v ON v.variant_id = i.variant_id
LEFT JOIN shipping_rules r ON r.cooperative_id = v.coop_id
ORDER BY i.created_at, i.id`
	const byUser = `
WITH c AS (
    SELECT id
    FROM carts
    WHERE user_id = $1` + rest
	const byGuest = `
WITH c AS (
    SELECT id
    FROM carts
    WHERE token_hash = $1` + rest
	var rows []struct {
		CartID      uuid.UUID  `db:"cart_id"`
		ID          *uuid.UUID `db:"id"`
		VariantID   *uuid.UUID `db:"variant_id"`
		Quantity    *int       `db:"quantity"`
		ProductID   *uuid.UUID `db:"product_id"`
		ProductSlug *string    `db:"product_slug"`
		ProductName *string    `db:"product_name"`
		CoopID      *uuid.UUID `db:"coop_id"`
		CoopSlug    *string    `db:"coop_slug"`
		CoopName    *string    `db:"coop_name"`
		CoopProv    *string    `db:"coop_province"`
		SKU         *string    `db:"sku"`
		Unit        *string    `db:"unit"`
		PriceVND    *int64     `db:"price_vnd"`
		Stock       *int       `db:"stock"`
		MinQty      *int       `db:"wholesale_min_qty"`
		Tiers       []byte     `db:"price_tiers"`
		OnSale      *bool      `db:"on_sale"`
		InProvince  *int64     `db:"in_province_vnd"`
		Other       *int64     `db:"other_province_vnd"`
		FreeOver    *int64     `db:"free_over_vnd"`
		HasRules    bool       `db:"has_rules"`
	}
	q, arg := byUser, any(sh.UserID)
	if sh.UserID == nil {
		q, arg = byGuest, sh.GuestHash
	}
	if err := s.stmts.Select(ctx, ext, &rows, q, arg); err != nil {
		return checkoutCart{}, fmt.Errorf("order: lock cart: %w", err)
	}
	if len(rows) == 0 {
		return checkoutCart{}, nil
	}
	out := checkoutCart{ID: rows[0].CartID, Items: map[uuid.UUID]Item{}, Rules: map[uuid.UUID]ShippingRules{}}
	for _, r := range rows {
		if r.ID == nil {
			continue // an empty cart
		}
		out.Lines = append(out.Lines, cartItemRow{ID: *r.ID, VariantID: *r.VariantID, Quantity: *r.Quantity})
		if r.ProductID == nil {
			continue // a variant deleted outright: price leaves the line out
		}
		it := Item{VariantID: *r.VariantID, ProductID: *r.ProductID, ProductSlug: *r.ProductSlug, ProductName: *r.ProductName,
			CooperativeID: *r.CoopID, CooperativeSlug: *r.CoopSlug, CooperativeName: *r.CoopName,
			CooperativeProvince: *r.CoopProv, SKU: *r.SKU, Unit: *r.Unit, PriceVND: *r.PriceVND, Stock: *r.Stock,
			OnSale: *r.OnSale, Tiers: []Tier{}}
		if r.MinQty != nil {
			it.WholesaleMinQty = *r.MinQty
		}
		if err := json.Unmarshal(r.Tiers, &it.Tiers); err != nil {
			return checkoutCart{}, fmt.Errorf("order: tiers of %s: %w", it.VariantID, err)
		}
		out.Items[it.VariantID] = it
		if r.HasRules {
			out.Rules[it.CooperativeID] = ShippingRules{InProvinceVND: *r.InProvince, OtherProvinceVND: *r.Other, FreeOverVND: r.FreeOver}
		}
	}
	return out, nil
}

func (s *Store) cartItems(ctx context.Context, ext sqlx.ExtContext, cartID uuid.UUID) ([]cartItemRow, error) {
	const q = `
SELECT id, variant_id, quantity
FROM cart_items
WHERE cart_id = $1
ORDER BY created_at, id`
	var rows []cartItemRow
	if err := sqlx.SelectContext(ctx, ext, &rows, q, cartID); err != nil {
		return nil, fmt.Errorf("order: cart items: %w", err)
	}
	return rows, nil
}

// addItem adds quantity units of a variant, to its line when there is one;
// it returns the line's new quantity.
func (s *Store) addItem(ctx context.Context, ext sqlx.ExtContext, cartID, variantID uuid.UUID, qty int) (int, error) {
	const q = `
INSERT INTO cart_items (id, cart_id, variant_id, quantity)
VALUES ($1, $2, $3, $4)
ON CONFLICT (cart_id, variant_id) DO UPDATE
SET quantity = least(cart_items.quantity + EXCLUDED.quantity, 1000000), updated_at = now()
RETURNING quantity`
	var n int
	if err := sqlx.GetContext(ctx, ext, &n, q, uuid.Must(uuid.NewV7()), cartID, variantID, qty); err != nil {
		return 0, fmt.Errorf("order: add to cart: %w", db.Classify(err))
	}
	return n, s.touchCart(ctx, ext, cartID)
}

func (s *Store) setItem(ctx context.Context, ext sqlx.ExtContext, cartID, itemID uuid.UUID, qty int) error {
	const q = `
UPDATE cart_items
SET quantity = $3, updated_at = now()
WHERE id = $2
  AND cart_id = $1`
	res, err := ext.ExecContext(ctx, q, cartID, itemID, qty)
	if err != nil {
		return fmt.Errorf("order: set cart line: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrLineNotFound
	}
	return s.touchCart(ctx, ext, cartID)
}

func (s *Store) deleteItem(ctx context.Context, ext sqlx.ExtContext, cartID, itemID uuid.UUID) error {
	const q = `
DELETE FROM cart_items
WHERE id = $2
  AND cart_id = $1`
	res, err := ext.ExecContext(ctx, q, cartID, itemID)
	if err != nil {
		return fmt.Errorf("order: delete cart line: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrLineNotFound
	}
	return s.touchCart(ctx, ext, cartID)
}

func (s *Store) itemVariant(ctx context.Context, ext sqlx.ExtContext, cartID, itemID uuid.UUID) (cartItemRow, error) {
	const q = `
SELECT id, variant_id, quantity
FROM cart_items
WHERE id = $2
  AND cart_id = $1`
	var r cartItemRow
	err := sqlx.GetContext(ctx, ext, &r, q, cartID, itemID)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrLineNotFound
	}
	if err != nil {
		return r, fmt.Errorf("order: cart line: %w", err)
	}
	return r, nil
}

func (s *Store) touchCart(ctx context.Context, ext sqlx.ExtContext, cartID uuid.UUID) error {
	const q = `
UPDATE carts
SET updated_at = now()
WHERE id = $1`
	if _, err := ext.ExecContext(ctx, q, cartID); err != nil {
		return fmt.Errorf("order: touch cart: %w", err)
	}
	return nil
}

// mergeCart moves a guest cart's lines into a user's cart (adding
// quantities of the same variant) and deletes the guest cart.
func (s *Store) mergeCart(ctx context.Context, ext sqlx.ExtContext, from, into uuid.UUID) error {
	const q = `
INSERT INTO cart_items (id, cart_id, variant_id, quantity)
SELECT gen_random_uuid(), $2, variant_id, quantity
FROM cart_items
WHERE cart_id = $1
ON CONFLICT (cart_id, variant_id) DO UPDATE
SET quantity = least(cart_items.quantity + EXCLUDED.quantity, 1000000), updated_at = now()`
	const del = `
DELETE FROM carts
WHERE id = $1`
	if _, err := ext.ExecContext(ctx, q, from, into); err != nil {
		return fmt.Errorf("order: merge cart: %w", err)
	}
	if _, err := ext.ExecContext(ctx, del, from); err != nil {
		return fmt.Errorf("order: delete merged cart: %w", err)
	}
	return nil
}

// pruneGuestCarts deletes guest carts untouched since before.
func (s *Store) pruneGuestCarts(ctx context.Context, ext sqlx.ExtContext, before time.Time) (int64, error) {
	const q = `
DELETE FROM carts
WHERE user_id IS NULL
  AND updated_at < $1`
	res, err := ext.ExecContext(ctx, q, before)
	if err != nil {
		return 0, fmt.Errorf("order: prune carts: %w", err)
	}
	return res.RowsAffected()
}

type rulesRow struct {
	CoopID     uuid.UUID `db:"cooperative_id"`
	InProvince int64     `db:"in_province_vnd"`
	Other      int64     `db:"other_province_vnd"`
	FreeOver   *int64    `db:"free_over_vnd"`
}

// shippingRules returns the rules the cooperatives set; those without are
// left out.
func (s *Store) shippingRules(ctx context.Context, ext sqlx.ExtContext, coopIDs []uuid.UUID) (map[uuid.UUID]ShippingRules, error) {
	const q = `
SELECT cooperative_id, in_province_vnd, other_province_vnd, free_over_vnd
FROM shipping_rules
WHERE cooperative_id = ANY($1)`
	var rows []rulesRow
	if err := s.stmts.Select(ctx, ext, &rows, q, db.UUIDs(coopIDs)); err != nil {
		return nil, fmt.Errorf("order: shipping rules: %w", err)
	}
	out := make(map[uuid.UUID]ShippingRules, len(rows))
	for _, r := range rows {
		out[r.CoopID] = ShippingRules{InProvinceVND: r.InProvince, OtherProvinceVND: r.Other, FreeOverVND: r.FreeOver}
	}
	return out, nil
}

func (s *Store) putShippingRules(ctx context.Context, ext sqlx.ExtContext, coopID uuid.UUID, r ShippingRules) error {
	const q = `
INSERT INTO shipping_rules (cooperative_id, in_province_vnd, other_province_vnd, free_over_vnd)
VALUES ($1, $2, $3, $4)
ON CONFLICT (cooperative_id) DO UPDATE
SET in_province_vnd = EXCLUDED.in_province_vnd,
    other_province_vnd = EXCLUDED.other_province_vnd,
    free_over_vnd = EXCLUDED.free_over_vnd,
    updated_at = now()`
	if _, err := ext.ExecContext(ctx, q, coopID, r.InProvinceVND, r.OtherProvinceVND, r.FreeOverVND); err != nil {
		return fmt.Errorf("order: put shipping rules: %w", db.Classify(err))
	}
	return nil
}

// insertOrder writes a new order with its sub-orders, lines and first
// timeline events, takes the lines it ordered out of the cart and stores the answer
// under its idempotency key: one statement, so one round trip (foreign
// keys between the CTEs are checked at its end).
func (s *Store) insertOrder(ctx context.Context, ext sqlx.ExtContext, o *Order, actorRole string, cartID uuid.UUID,
	taken []cartItemRow, caller, key string, reqHash, response, announcement []byte) error {
	const q = `
WITH o AS (
    INSERT INTO orders (id, number, buyer_id, guest_token_hash, email, recipient, phone, province_slug, commune, street,
                        note, payment_method, payment_status, items_vnd, shipping_vnd, total_vnd, payment_deadline)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
), s AS (
    INSERT INTO sub_orders (id, order_id, number, cooperative_id, status, items_vnd, shipping_vnd, total_vnd)
    SELECT t.id, $1, t.number, t.coop, t.status, t.items, t.ship, t.items + t.ship
    FROM unnest($18::uuid[], $19::text[], $20::uuid[], $21::text[], $22::bigint[], $23::bigint[])
         AS t (id, number, coop, status, items, ship)
), l AS (
    INSERT INTO order_lines (id, sub_order_id, product_id, variant_id, product_name, product_slug, sku, unit,
                             quantity, unit_price_vnd, tier_min_qty, line_vnd, position)
    SELECT t.id, t.sub, t.product, t.variant, t.name, t.slug, t.sku, t.unit, t.qty, t.price, t.tier, t.qty * t.price, t.pos
    FROM unnest($24::uuid[], $25::uuid[], $26::uuid[], $27::uuid[], $28::text[], $29::text[], $30::text[], $31::text[],
                $32::int[], $33::bigint[], $34::int[], $35::int[])
         AS t (id, sub, product, variant, name, slug, sku, unit, qty, price, tier, pos)
), e AS (
    INSERT INTO sub_order_events (sub_order_id, from_status, to_status, actor_id, actor_role)
    SELECT t.id, NULL, t.status, $3, $36
    FROM unnest($18::uuid[], $21::text[]) AS t (id, status)
), c AS (
    -- The lines the order took, as it read them: a line added or changed
    -- by a request that held the cart while this checkout waited for it
    -- was not read (the reading statement's snapshot is older) and stays.
    DELETE FROM cart_items i
    USING unnest($46::uuid[], $47::int[]) AS t (id, qty)
    WHERE i.cart_id = $37
      AND i.id = t.id
      AND i.quantity = t.qty
), k AS (
    -- The key, with the answer a retry gets: a second use of it fails
    -- here (the primary key) and its caller reads the first answer.
    INSERT INTO idempotency_keys (caller, key, request_hash, status, response)
    VALUES ($38, $39, $41, 201, $40)
), m AS (
    -- The order's announcement: outbox.Write's row, whose trigger queues
    -- it for the consumers (notifications), written in the same statement.
    INSERT INTO outbox (topic, key, payload)
    VALUES ($42, $1::text, $43)
), a AS (
    -- A signed-in buyer's address book puts the address first and keeps
    -- maxAddresses of them; nothing for guests ($3 is NULL).
    INSERT INTO addresses (id, user_id, recipient, phone, province_slug, commune, street)
    SELECT $44, $3, $6, $7, $8, $9, $10
    WHERE $3::uuid IS NOT NULL
    ON CONFLICT (user_id, recipient, phone, province_slug, commune, street) DO UPDATE
    SET used_at = now(), updated_at = now()
), ad AS (
    DELETE FROM addresses
    WHERE user_id = $3
      AND id IN (SELECT id FROM addresses WHERE user_id = $3 ORDER BY used_at DESC OFFSET $45)
)
SELECT 1`
	var (
		sID, sCoop                []uuid.UUID
		sNum, sStatus             []string
		sItems, sShip             []int64
		lID, lSub, lProd, lVar    []uuid.UUID
		lName, lSlug, lSKU, lUnit []string
		lQty, lPos                []int64
		lTier                     []sql.NullInt64
		lPrice                    []int64
	)
	for _, so := range o.SubOrders {
		sID, sNum, sCoop = append(sID, so.ID), append(sNum, so.Number), append(sCoop, so.CooperativeID)
		sStatus = append(sStatus, string(so.Status))
		sItems, sShip = append(sItems, so.ItemsVND), append(sShip, so.ShippingVND)
		for i, l := range so.Lines {
			lID, lSub, lProd, lVar = append(lID, l.ID), append(lSub, so.ID), append(lProd, l.ProductID), append(lVar, l.VariantID)
			lName, lSlug, lSKU, lUnit = append(lName, l.ProductName), append(lSlug, l.ProductSlug), append(lSKU, l.SKU), append(lUnit, l.Unit)
			lQty, lPos = append(lQty, int64(l.Quantity)), append(lPos, int64(i))
			tier := sql.NullInt64{}
			if l.TierMinQty != nil {
				tier = sql.NullInt64{Int64: int64(*l.TierMinQty), Valid: true}
			}
			lTier, lPrice = append(lTier, tier), append(lPrice, l.UnitPriceVND)
		}
	}
	takenIDs, takenQty := make([]uuid.UUID, len(taken)), make([]int64, len(taken))
	for i, l := range taken {
		takenIDs[i], takenQty[i] = l.ID, int64(l.Quantity)
	}
	a := o.ShippingAddress
	_, err := s.stmts.Exec(ctx, ext, q, o.ID, o.Number, o.buyerID, o.guestHash, o.email, a.Recipient, a.Phone,
		a.Province, a.Commune, a.Street, o.Note, o.PaymentMethod, o.PaymentStatus, o.ItemsVND, o.ShippingVND,
		o.TotalVND, o.PaymentDeadline,
		db.UUIDs(sID), pq.StringArray(sNum), db.UUIDs(sCoop), pq.StringArray(sStatus), pq.Int64Array(sItems), pq.Int64Array(sShip),
		db.UUIDs(lID), db.UUIDs(lSub), db.UUIDs(lProd), db.UUIDs(lVar), pq.StringArray(lName), pq.StringArray(lSlug),
		pq.StringArray(lSKU), pq.StringArray(lUnit), pq.Int64Array(lQty), pq.Int64Array(lPrice), db.NullInt64s(lTier), pq.Int64Array(lPos),
		actorRole, cartID, caller, key, response, reqHash, TopicOrderPlaced, announcement,
		uuid.Must(uuid.NewV7()), maxAddresses-1, db.UUIDs(takenIDs), pq.Int64Array(takenQty))
	if err != nil {
		return fmt.Errorf("order: insert order: %w", db.Classify(err))
	}
	return nil
}

type orderRow struct {
	ID              uuid.UUID  `db:"id"`
	Number          string     `db:"number"`
	BuyerID         *uuid.UUID `db:"buyer_id"`
	GuestHash       []byte     `db:"guest_token_hash"`
	Email           string     `db:"email"`
	Recipient       string     `db:"recipient"`
	Phone           string     `db:"phone"`
	Province        string     `db:"province_slug"`
	ProvinceName    string     `db:"province_name"`
	Commune         string     `db:"commune"`
	Street          string     `db:"street"`
	Note            string     `db:"note"`
	PaymentMethod   string     `db:"payment_method"`
	PaymentStatus   string     `db:"payment_status"`
	ItemsVND        int64      `db:"items_vnd"`
	ShippingVND     int64      `db:"shipping_vnd"`
	TotalVND        int64      `db:"total_vnd"`
	DepositVND      int64      `db:"deposit_vnd"`
	PaymentDeadline *time.Time `db:"payment_deadline"`
	CreatedAt       time.Time  `db:"created_at"`
	UpdatedAt       time.Time  `db:"updated_at"`
}

func toOrder(r orderRow) Order {
	return Order{
		ID: r.ID, Number: r.Number, PaymentMethod: r.PaymentMethod, PaymentStatus: r.PaymentStatus,
		ShippingAddress: Address{Recipient: r.Recipient, Phone: r.Phone, Province: r.Province, Commune: r.Commune, Street: r.Street},
		ProvinceName:    r.ProvinceName, Note: r.Note, ItemsVND: r.ItemsVND, ShippingVND: r.ShippingVND, TotalVND: r.TotalVND,
		DepositVND: r.DepositVND, PaymentDeadline: r.PaymentDeadline, Guest: r.BuyerID == nil, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		buyerID: r.BuyerID, guestHash: r.GuestHash, email: r.Email, SubOrders: []SubOrder{},
	}
}

const orderColumns = `
SELECT o.id, o.number, o.buyer_id, o.guest_token_hash, o.email, o.recipient, o.phone, o.province_slug,
       pr.name AS province_name, o.commune, o.street, o.note, o.payment_method, o.payment_status, o.items_vnd,
       o.shipping_vnd, o.total_vnd, o.deposit_vnd, o.payment_deadline, o.created_at, o.updated_at
FROM orders o
JOIN provinces pr ON pr.slug = o.province_slug`

// getOrder reads an order by ID or number, without its sub-orders.
func (s *Store) getOrder(ctx context.Context, ext sqlx.ExtContext, id uuid.UUID, number string, lock bool) (Order, error) {
	q := orderColumns + `
WHERE o.id = $1 OR o.number = $2`
	if lock {
		q += "\nFOR UPDATE OF o"
	}
	var r orderRow
	err := sqlx.GetContext(ctx, ext, &r, q, id, number)
	if errors.Is(err, sql.ErrNoRows) {
		return Order{}, ErrNotFound
	}
	if err != nil {
		return Order{}, fmt.Errorf("order: get order: %w", err)
	}
	return toOrder(r), nil
}

func (s *Store) listOrders(ctx context.Context, ext sqlx.ExtContext, buyer uuid.UUID, after uuid.UUID, limit int) ([]Order, error) {
	const q = orderColumns + `
WHERE o.buyer_id = $1
  AND ($2 = '00000000-0000-0000-0000-000000000000'::uuid OR o.id < $2)
ORDER BY o.id DESC
LIMIT $3`
	var rows []orderRow
	if err := sqlx.SelectContext(ctx, ext, &rows, q, buyer, after, limit); err != nil {
		return nil, fmt.Errorf("order: list orders: %w", err)
	}
	out := make([]Order, len(rows))
	for i, r := range rows {
		out[i] = toOrder(r)
	}
	return out, nil
}

type subOrderRow struct {
	ID           uuid.UUID  `db:"id"`
	OrderID      uuid.UUID  `db:"order_id"`
	OrderNumber  string     `db:"order_number"`
	Number       string     `db:"number"`
	CoopID       uuid.UUID  `db:"cooperative_id"`
	CoopSlug     string     `db:"coop_slug"`
	CoopName     string     `db:"coop_name"`
	Status       Status     `db:"status"`
	ItemsVND     int64      `db:"items_vnd"`
	ShippingVND  int64      `db:"shipping_vnd"`
	TotalVND     int64      `db:"total_vnd"`
	Carrier      string     `db:"carrier"`
	TrackingCode string     `db:"tracking_code"`
	ReceivedVND  int64      `db:"received_vnd"`
	PaymentFlag  string     `db:"payment_flag"`
	DepositVND   int64      `db:"deposit_vnd"`
	BalanceAt    *time.Time `db:"balance_paid_at"`
	BalanceHow   string     `db:"balance_method"`
	CreatedAt    time.Time  `db:"created_at"`
	UpdatedAt    time.Time  `db:"updated_at"`
}

func toSubOrder(r subOrderRow) SubOrder {
	so := SubOrder{
		ID: r.ID, OrderID: r.OrderID, OrderNumber: r.OrderNumber, Number: r.Number, CooperativeID: r.CoopID,
		CooperativeSlug: r.CoopSlug, CooperativeName: r.CoopName, Status: r.Status, ItemsVND: r.ItemsVND,
		ShippingVND: r.ShippingVND, TotalVND: r.TotalVND, Carrier: r.Carrier, TrackingCode: r.TrackingCode,
		ReceivedVND: r.ReceivedVND, PaymentFlag: r.PaymentFlag, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		DepositVND: r.DepositVND, BalancePaidAt: r.BalanceAt, BalanceMethod: r.BalanceHow,
		Lines: []Line{}, Timeline: []Event{}, Moves: []Status{},
	}
	so.BalanceVND = balanceDue(so)
	return so
}

const subOrderColumns = `
SELECT s.id, s.order_id, o.number AS order_number, s.number, s.cooperative_id, c.slug AS coop_slug,
       c.name AS coop_name, s.status, s.items_vnd, s.shipping_vnd, s.total_vnd, s.carrier, s.tracking_code,
       s.received_vnd, s.payment_flag, s.deposit_vnd, s.balance_paid_at, s.balance_method, s.created_at, s.updated_at
FROM sub_orders s
JOIN orders o ON o.id = s.order_id
JOIN cooperatives c ON c.id = s.cooperative_id`

// subOrders reads the sub-orders of orders, with lines and timelines.
func (s *Store) subOrders(ctx context.Context, ext sqlx.ExtContext, orderIDs []uuid.UUID) (map[uuid.UUID][]SubOrder, error) {
	const q = subOrderColumns + `
WHERE s.order_id = ANY($1)
ORDER BY s.number`
	var rows []subOrderRow
	if err := sqlx.SelectContext(ctx, ext, &rows, q, pq.Array(orderIDs)); err != nil {
		return nil, fmt.Errorf("order: sub-orders: %w", err)
	}
	subs := make([]SubOrder, len(rows))
	for i, r := range rows {
		subs[i] = toSubOrder(r)
	}
	if err := s.fillSubOrders(ctx, ext, subs); err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID][]SubOrder, len(orderIDs))
	for _, so := range subs {
		out[so.OrderID] = append(out[so.OrderID], so)
	}
	return out, nil
}

// getSubOrder reads one sub-order with its lines and timeline; lock locks
// its row (and its order's) for the transaction.
func (s *Store) getSubOrder(ctx context.Context, ext sqlx.ExtContext, id uuid.UUID, lock bool) (SubOrder, error) {
	q := subOrderColumns + `
WHERE s.id = $1`
	if lock {
		q += "\nFOR UPDATE OF s"
	}
	var r subOrderRow
	err := sqlx.GetContext(ctx, ext, &r, q, id)
	if errors.Is(err, sql.ErrNoRows) {
		return SubOrder{}, ErrNotFound
	}
	if err != nil {
		return SubOrder{}, fmt.Errorf("order: get sub-order: %w", err)
	}
	subs := []SubOrder{toSubOrder(r)}
	if err := s.fillSubOrders(ctx, ext, subs); err != nil {
		return SubOrder{}, err
	}
	return subs[0], nil
}

func (s *Store) listSubOrders(ctx context.Context, ext sqlx.ExtContext, coopID uuid.UUID, status Status, after uuid.UUID, limit int) ([]SubOrder, error) {
	const q = subOrderColumns + `
WHERE s.cooperative_id = $1
  AND ($2 = '' OR s.status = $2)
  AND ($3 = '00000000-0000-0000-0000-000000000000'::uuid OR s.id < $3)
ORDER BY s.id DESC
LIMIT $4`
	var rows []subOrderRow
	if err := sqlx.SelectContext(ctx, ext, &rows, q, coopID, string(status), after, limit); err != nil {
		return nil, fmt.Errorf("order: list sub-orders: %w", err)
	}
	subs := make([]SubOrder, len(rows))
	for i, r := range rows {
		subs[i] = toSubOrder(r)
	}
	return subs, s.fillSubOrders(ctx, ext, subs)
}

type lineRow struct {
	SubOrderID   uuid.UUID `db:"sub_order_id"`
	ID           uuid.UUID `db:"id"`
	ProductID    uuid.UUID `db:"product_id"`
	ProductSlug  string    `db:"product_slug"`
	ProductName  string    `db:"product_name"`
	VariantID    uuid.UUID `db:"variant_id"`
	SKU          string    `db:"sku"`
	Unit         string    `db:"unit"`
	Quantity     int       `db:"quantity"`
	UnitPriceVND int64     `db:"unit_price_vnd"`
	TierMinQty   *int      `db:"tier_min_qty"`
	LineVND      int64     `db:"line_vnd"`
}

type eventRow struct {
	SubOrderID uuid.UUID `db:"sub_order_id"`
	From       *Status   `db:"from_status"`
	To         Status    `db:"to_status"`
	ActorRole  string    `db:"actor_role"`
	Note       string    `db:"note"`
	At         time.Time `db:"created_at"`
}

// fillSubOrders reads the lines and timelines of subs.
func (s *Store) fillSubOrders(ctx context.Context, ext sqlx.ExtContext, subs []SubOrder) error {
	if len(subs) == 0 {
		return nil
	}
	const ql = `
SELECT sub_order_id, id, product_id, product_slug, product_name, variant_id, sku, unit, quantity,
       unit_price_vnd, tier_min_qty, line_vnd
FROM order_lines
WHERE sub_order_id = ANY($1)
ORDER BY sub_order_id, position`
	const qe = `
SELECT sub_order_id, from_status, to_status, actor_role, note, created_at
FROM sub_order_events
WHERE sub_order_id = ANY($1)
ORDER BY sub_order_id, id`
	ids := make([]uuid.UUID, len(subs))
	at := make(map[uuid.UUID]int, len(subs))
	for i, so := range subs {
		ids[i], at[so.ID] = so.ID, i
	}
	var lines []lineRow
	if err := sqlx.SelectContext(ctx, ext, &lines, ql, pq.Array(ids)); err != nil {
		return fmt.Errorf("order: lines: %w", err)
	}
	for _, l := range lines {
		so := &subs[at[l.SubOrderID]]
		so.Lines = append(so.Lines, Line{ID: l.ID, ProductID: l.ProductID, ProductSlug: l.ProductSlug,
			ProductName: l.ProductName, VariantID: l.VariantID, SKU: l.SKU, Unit: l.Unit, Quantity: l.Quantity,
			UnitPriceVND: l.UnitPriceVND, TierMinQty: l.TierMinQty, LineVND: l.LineVND})
	}
	var events []eventRow
	if err := sqlx.SelectContext(ctx, ext, &events, qe, pq.Array(ids)); err != nil {
		return fmt.Errorf("order: timeline: %w", err)
	}
	for _, e := range events {
		so := &subs[at[e.SubOrderID]]
		so.Timeline = append(so.Timeline, Event{From: e.From, To: e.To, ActorRole: e.ActorRole, Note: e.Note, At: e.At})
	}
	return nil
}

// moveSubOrder records a move of a locked sub-order.
func (s *Store) moveSubOrder(ctx context.Context, ext sqlx.ExtContext, so SubOrder, to Status, actor *uuid.UUID, role, note string) error {
	const q = `
UPDATE sub_orders
SET status = $2, carrier = $3, tracking_code = $4, received_vnd = $5, payment_flag = $6, updated_at = now()
WHERE id = $1`
	const qe = `
INSERT INTO sub_order_events (sub_order_id, from_status, to_status, actor_id, actor_role, note)
VALUES ($1, $2, $3, $4, $5, $6)`
	if _, err := ext.ExecContext(ctx, q, so.ID, to, so.Carrier, so.TrackingCode, so.ReceivedVND, so.PaymentFlag); err != nil {
		return fmt.Errorf("order: move sub-order: %w", err)
	}
	if _, err := ext.ExecContext(ctx, qe, so.ID, so.Status, to, actor, role, note); err != nil {
		return fmt.Errorf("order: record move: %w", err)
	}
	return nil
}

// updatePayment records a sub-order's received amount and flag without a move.
func (s *Store) updatePayment(ctx context.Context, ext sqlx.ExtContext, so SubOrder) error {
	const q = `
UPDATE sub_orders
SET received_vnd = $2, payment_flag = $3, updated_at = now()
WHERE id = $1`
	if _, err := ext.ExecContext(ctx, q, so.ID, so.ReceivedVND, so.PaymentFlag); err != nil {
		return fmt.Errorf("order: update sub-order payment: %w", err)
	}
	return nil
}

func (s *Store) setPaymentStatus(ctx context.Context, ext sqlx.ExtContext, orderID uuid.UUID, status string) error {
	const q = `
UPDATE orders
SET payment_status = $2, updated_at = now()
WHERE id = $1`
	if _, err := ext.ExecContext(ctx, q, orderID, status); err != nil {
		return fmt.Errorf("order: set payment status: %w", err)
	}
	return nil
}

// expiredOrders lists unpaid orders past their deadline.
func (s *Store) expiredOrders(ctx context.Context, ext sqlx.ExtContext, now time.Time, limit int) ([]uuid.UUID, error) {
	const q = `
SELECT id
FROM orders
WHERE payment_status = 'unpaid'
  AND payment_deadline < $1
ORDER BY payment_deadline
LIMIT $2`
	var ids []uuid.UUID
	if err := sqlx.SelectContext(ctx, ext, &ids, q, now, limit); err != nil {
		return nil, fmt.Errorf("order: expired orders: %w", err)
	}
	return ids, nil
}

type idemRow struct {
	RequestHash []byte `db:"request_hash"`
	Status      int    `db:"status"`
	Response    []byte `db:"response"`
}

// readKey reads an idempotency key's row.
func (s *Store) readKey(ctx context.Context, ext sqlx.QueryerContext, caller, key string) (idemRow, bool, error) {
	const q = `
SELECT request_hash, status, response
FROM idempotency_keys
WHERE caller = $1
  AND key = $2`
	var r idemRow
	err := sqlx.GetContext(ctx, ext, &r, q, caller, key)
	if errors.Is(err, sql.ErrNoRows) {
		return idemRow{}, false, nil
	}
	if err != nil {
		return idemRow{}, false, fmt.Errorf("order: read idempotency key: %w", err)
	}
	return r, true, nil
}

func (s *Store) pruneKeys(ctx context.Context, ext sqlx.ExtContext, before time.Time) (int64, error) {
	const q = `
DELETE FROM idempotency_keys
WHERE created_at < $1`
	res, err := ext.ExecContext(ctx, q, before)
	if err != nil {
		return 0, fmt.Errorf("order: prune idempotency keys: %w", err)
	}
	return res.RowsAffected()
}
