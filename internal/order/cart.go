package order

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/web"
)

// Limits of a cart.
const (
	maxCartLines = 100
	maxQuantity  = 100_000
)

// price is what qty units of it cost each, the tier that set it (nil for
// the retail price) and the next tier up.
func price(it Item, qty int) (int64, *Tier, *NextTier) {
	unit := it.PriceVND
	var tier *Tier
	var next *NextTier
	for i := range it.Tiers {
		t := it.Tiers[i]
		if t.MinQty < it.WholesaleMinQty {
			continue // a tier below the wholesale minimum never applies
		}
		if qty >= t.MinQty {
			if t.UnitPriceVND < unit || tier == nil {
				unit, tier = t.UnitPriceVND, &Tier{MinQty: t.MinQty, UnitPriceVND: t.UnitPriceVND}
			}
			continue
		}
		if next == nil || t.MinQty < next.MinQty {
			next = &NextTier{Tier: t, MoreQty: t.MinQty - qty}
		}
	}
	return unit, tier, next
}

// Cart returns the shopper's cart priced now, with shipping to shipTo (a
// province's slug or name; "" for each cooperative's own province).
func (s *Service) Cart(ctx context.Context, sh Shopper, shipTo string) (Cart, error) {
	province := ""
	if shipTo != "" {
		var ok bool
		if province, ok = s.province(ctx, shipTo); !ok {
			return Cart{}, &web.ValidationError{Fields: []web.FieldError{{Field: "ship_to", Message: "không có tỉnh, thành phố này"}}}
		}
	}
	id, err := s.store.findCart(ctx, s.db, sh, false)
	if err != nil {
		return Cart{}, err
	}
	return s.priced(ctx, s.db, id, province)
}

// priced prices the lines of a cart (uuid.Nil: an empty cart).
func (s *Service) priced(ctx context.Context, ext sqlx.ExtContext, cartID uuid.UUID, province string) (Cart, error) {
	cart := Cart{Lines: []CartLine{}, Groups: []CartGroup{}, Problems: []string{}, ShipTo: province}
	if cartID == uuid.Nil {
		return cart, nil
	}
	rows, err := s.store.cartItems(ctx, ext, cartID)
	if err != nil {
		return cart, err
	}
	return s.price(ctx, ext, rows, province)
}

// price prices cart lines.
func (s *Service) price(ctx context.Context, ext sqlx.ExtContext, rows []cartItemRow, province string) (Cart, error) {
	if len(rows) == 0 {
		return Cart{Lines: []CartLine{}, Groups: []CartGroup{}, Problems: []string{}, ShipTo: province}, nil
	}
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.VariantID
	}
	items, err := s.inventory.Items(ctx, ext, ids)
	if err != nil {
		return Cart{}, err
	}
	coops := make([]uuid.UUID, 0, len(items))
	for _, it := range items {
		if !slices.Contains(coops, it.CooperativeID) {
			coops = append(coops, it.CooperativeID)
		}
	}
	rules, err := s.store.shippingRules(ctx, ext, coops)
	if err != nil {
		return Cart{}, err
	}
	return s.priceWith(rows, items, rules, province), nil
}

// priceWith prices cart lines with their variants and their cooperatives'
// shipping rules (those without rules get the defaults).
func (s *Service) priceWith(rows []cartItemRow, items map[uuid.UUID]Item, rules map[uuid.UUID]ShippingRules, province string) Cart {
	cart := Cart{Lines: []CartLine{}, Groups: []CartGroup{}, Problems: []string{}, ShipTo: province}
	groups := map[uuid.UUID]*CartGroup{}
	var order []uuid.UUID
	coopProvince := map[uuid.UUID]string{}
	for _, r := range rows {
		it, ok := items[r.VariantID]
		if !ok {
			continue // a variant deleted outright; archived ones stay and say so
		}
		unit, tier, next := price(it, r.Quantity)
		l := CartLine{
			ID: r.ID, VariantID: it.VariantID, ProductID: it.ProductID, ProductSlug: it.ProductSlug,
			ProductName: it.ProductName, CooperativeID: it.CooperativeID, CooperativeSlug: it.CooperativeSlug,
			CooperativeName: it.CooperativeName, SKU: it.SKU, Unit: it.Unit, ThumbURL: it.ThumbURL,
			Quantity: r.Quantity, RetailPriceVND: it.PriceVND, UnitPriceVND: unit, LineVND: unit * int64(r.Quantity),
			Tier: tier, NextTier: next, Stock: it.Stock, Available: it.OnSale && it.Stock >= r.Quantity,
		}
		switch {
		case !it.OnSale:
			l.Problem = fmt.Sprintf("%s (%s) hiện không bán", it.ProductName, it.Unit)
		case it.Stock == 0:
			l.Problem = fmt.Sprintf("%s (%s) đã hết hàng", it.ProductName, it.Unit)
		case it.Stock < r.Quantity:
			l.Problem = fmt.Sprintf("%s (%s) chỉ còn %d", it.ProductName, it.Unit, it.Stock)
		}
		if l.Problem != "" {
			cart.Problems = append(cart.Problems, l.Problem)
		}
		cart.Lines = append(cart.Lines, l)
		g := groups[it.CooperativeID]
		if g == nil {
			g = &CartGroup{CooperativeID: it.CooperativeID, CooperativeSlug: it.CooperativeSlug, CooperativeName: it.CooperativeName, LineIDs: []uuid.UUID{}}
			groups[it.CooperativeID] = g
			order = append(order, it.CooperativeID)
			coopProvince[it.CooperativeID] = it.CooperativeProvince
		}
		g.LineIDs = append(g.LineIDs, l.ID)
		g.ItemsVND += l.LineVND
		cart.ItemsVND += l.LineVND
		cart.Count += l.Quantity
	}
	for _, id := range order {
		g := groups[id]
		r := s.rulesFor(rules, id)
		dest := province
		if dest == "" {
			dest = coopProvince[id]
		}
		g.ShippingVND = r.Fee(g.ItemsVND, dest == coopProvince[id])
		g.FreeOverVND = r.FreeOverVND
		cart.ShippingVND += g.ShippingVND
		cart.Groups = append(cart.Groups, *g)
	}
	cart.TotalVND = cart.ItemsVND + cart.ShippingVND
	return cart
}

func (s *Service) rulesFor(rules map[uuid.UUID]ShippingRules, coop uuid.UUID) ShippingRules {
	if r, ok := rules[coop]; ok {
		return r
	}
	return s.opts.DefaultShipping
}

func checkQuantity(qty int) error {
	if qty < 1 || qty > maxQuantity {
		return &web.ValidationError{Fields: []web.FieldError{{Field: "quantity", Message: "số lượng phải từ 1 đến 100.000"}}}
	}
	return nil
}

// AddItem puts quantity units of a variant in the shopper's cart. The
// quantity in the cart afterwards must be in stock.
func (s *Service) AddItem(ctx context.Context, sh Shopper, in AddItem) (Cart, error) {
	var v web.ValidationError
	v.Check(in.VariantID != uuid.Nil, "variant_id", "cần chọn loại hàng")
	v.Check(in.Quantity >= 1 && in.Quantity <= maxQuantity, "quantity", "số lượng phải từ 1 đến 100.000")
	if err := v.Err(); err != nil {
		return Cart{}, err
	}
	var cart Cart
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		items, err := s.inventory.Items(ctx, tx, []uuid.UUID{in.VariantID})
		if err != nil {
			return err
		}
		it, ok := items[in.VariantID]
		if !ok {
			return ErrVariantNotFound
		}
		if !it.OnSale {
			return web.Detail(ErrNotOnSale, "%s (%s) hiện không bán.", it.ProductName, it.Unit)
		}
		id, err := s.store.ensureCart(ctx, tx, sh)
		if err != nil {
			return err
		}
		if _, err := s.store.findCart(ctx, tx, sh, true); err != nil {
			return err
		}
		rows, err := s.store.cartItems(ctx, tx, id)
		if err != nil {
			return err
		}
		if len(rows) >= maxCartLines && !slices.ContainsFunc(rows, func(r cartItemRow) bool { return r.VariantID == in.VariantID }) {
			return ErrCartFull
		}
		n, err := s.store.addItem(ctx, tx, id, in.VariantID, in.Quantity)
		if err != nil {
			return err
		}
		if n > it.Stock {
			return stockShort(it, n)
		}
		cart, err = s.priced(ctx, tx, id, "")
		return err
	})
	return cart, err
}

// stockShort is the refusal of n units of an item with fewer in stock.
func stockShort(it Item, n int) error {
	if it.Stock == 0 {
		return web.Detail(ErrOutOfStock, "%s (%s) đã hết hàng.", it.ProductName, it.Unit)
	}
	return web.Detail(ErrOutOfStock, "%s (%s) chỉ còn %d, không đủ %d.", it.ProductName, it.Unit, it.Stock, n)
}

// SetQuantity changes a line's quantity, within stock.
func (s *Service) SetQuantity(ctx context.Context, sh Shopper, lineID uuid.UUID, qty int) (Cart, error) {
	if err := checkQuantity(qty); err != nil {
		return Cart{}, err
	}
	var cart Cart
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		id, err := s.store.findCart(ctx, tx, sh, true)
		if err != nil {
			return err
		}
		if id == uuid.Nil {
			return ErrLineNotFound
		}
		row, err := s.store.itemVariant(ctx, tx, id, lineID)
		if err != nil {
			return err
		}
		items, err := s.inventory.Items(ctx, tx, []uuid.UUID{row.VariantID})
		if err != nil {
			return err
		}
		if it, ok := items[row.VariantID]; ok && qty > row.Quantity && qty > it.Stock {
			return stockShort(it, qty)
		}
		if err := s.store.setItem(ctx, tx, id, lineID, qty); err != nil {
			return err
		}
		cart, err = s.priced(ctx, tx, id, "")
		return err
	})
	return cart, err
}

// RemoveItem takes a line out of the cart.
func (s *Service) RemoveItem(ctx context.Context, sh Shopper, lineID uuid.UUID) (Cart, error) {
	var cart Cart
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		id, err := s.store.findCart(ctx, tx, sh, true)
		if err != nil {
			return err
		}
		if id == uuid.Nil {
			return ErrLineNotFound
		}
		if err := s.store.deleteItem(ctx, tx, id, lineID); err != nil {
			return err
		}
		cart, err = s.priced(ctx, tx, id, "")
		return err
	})
	return cart, err
}

// MergeGuestCart moves a guest's cart into the user's, the first time the
// user asks for the cart after signing in on that browser. It reports
// whether there was a guest cart.
func (s *Service) MergeGuestCart(ctx context.Context, user uuid.UUID, guestHash []byte) (bool, error) {
	if len(guestHash) != 32 {
		return false, nil
	}
	merged := false
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		guest, err := s.store.findCart(ctx, tx, Shopper{GuestHash: guestHash}, true)
		if err != nil || guest == uuid.Nil {
			return err
		}
		into, err := s.store.ensureCart(ctx, tx, Shopper{UserID: &user})
		if err != nil {
			return err
		}
		merged = true
		return s.store.mergeCart(ctx, tx, guest, into)
	})
	return merged, err
}

// province resolves a province's slug, current or former name to its slug.
func (s *Service) province(ctx context.Context, in string) (string, bool) {
	if p, err := s.provinces.Get(ctx, in); err == nil {
		return p.Slug, true
	}
	res, err := s.provinces.Resolve(ctx, in)
	if err != nil {
		return "", false
	}
	return res.Province.Slug, true
}
