package order

import (
	"context"
	"crypto/subtle"
	"fmt"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/web"
)

// Get returns an order to its buyer (the signed-in user who placed it, or
// the guest browser that did) and to admins; to anyone else it does not
// exist.
func (s *Service) Get(ctx context.Context, actor Actor, id uuid.UUID) (Order, error) {
	o, err := s.store.getOrder(ctx, s.db, id, "", false)
	if err != nil {
		return Order{}, err
	}
	var caps []Capacity
	for _, c := range actor.capacities(o, SubOrder{}, "") {
		if c == AsBuyer || c == AsAdmin {
			caps = append(caps, c)
		}
	}
	if len(caps) == 0 {
		return Order{}, ErrNotFound
	}
	return s.withSubOrders(ctx, s.db, o, caps)
}

// Lookup finds a guest's (or anyone's) order by its number and the phone
// number it ships to; a wrong pair is ErrNotFound, whichever half is wrong.
func (s *Service) Lookup(ctx context.Context, number, phone string) (Order, error) {
	p := NormalizePhone(phone)
	if len(number) != 11 || p == "" {
		return Order{}, ErrNotFound
	}
	o, err := s.store.getOrder(ctx, s.db, uuid.Nil, number, false)
	if err != nil {
		return Order{}, err
	}
	if subtle.ConstantTimeCompare([]byte(o.ShippingAddress.Phone), []byte(p)) != 1 {
		return Order{}, ErrNotFound
	}
	return s.withSubOrders(ctx, s.db, o, nil)
}

func (s *Service) withSubOrders(ctx context.Context, ext sqlx.ExtContext, o Order, caps []Capacity) (Order, error) {
	subs, err := s.store.subOrders(ctx, ext, []uuid.UUID{o.ID})
	if err != nil {
		return Order{}, err
	}
	o.SubOrders = subs[o.ID]
	if o.SubOrders == nil {
		o.SubOrders = []SubOrder{}
	}
	paidByCard := cardPaid(o)
	for i := range o.SubOrders {
		o.SubOrders[i].Moves = allowedMoves(o.SubOrders[i], caps, paidByCard)
	}
	o.Status = summary(o.SubOrders)
	o.sumPayments()
	return o, nil
}

// List returns a signed-in buyer's orders, newest first.
func (s *Service) List(ctx context.Context, buyer uuid.UUID, cursor string, limit int) (OrderPage, error) {
	after, err := parseCursor(cursor)
	if err != nil {
		return OrderPage{}, err
	}
	limit = web.PageSize(limit)
	orders, err := s.store.listOrders(ctx, s.db, buyer, after, limit+1)
	if err != nil {
		return OrderPage{}, err
	}
	page := OrderPage{Items: []Order{}}
	if len(orders) > limit {
		orders = orders[:limit]
		page.NextCursor = orders[limit-1].ID.String()
	}
	ids := make([]uuid.UUID, len(orders))
	for i, o := range orders {
		ids[i] = o.ID
	}
	subs, err := s.store.subOrders(ctx, s.db, ids)
	if err != nil {
		return OrderPage{}, err
	}
	for _, o := range orders {
		o.SubOrders = subs[o.ID]
		paidByCard := cardPaid(o)
		for i := range o.SubOrders {
			o.SubOrders[i].Moves = allowedMoves(o.SubOrders[i], []Capacity{AsBuyer}, paidByCard)
		}
		o.Status = summary(o.SubOrders)
		o.sumPayments()
		page.Items = append(page.Items, o)
	}
	return page, nil
}

func parseCursor(c string) (uuid.UUID, error) {
	if c == "" {
		return uuid.Nil, nil
	}
	id, err := uuid.Parse(c)
	if err != nil {
		return uuid.Nil, &web.ValidationError{Fields: []web.FieldError{{Field: "cursor", Message: "con trỏ trang không hợp lệ"}}}
	}
	return id, nil
}

// CoopSubOrders returns a cooperative's sub-orders, newest first, with the
// moves viewer may make; status filters when not "". The route admits only
// the cooperative's members and admins.
func (s *Service) CoopSubOrders(ctx context.Context, viewer *auth.Principal, coopID uuid.UUID, status Status, cursor string, limit int) (SubOrderPage, error) {
	if status != "" {
		if _, ok := statusRank[status]; !ok {
			return SubOrderPage{}, &web.ValidationError{Fields: []web.FieldError{{Field: "status", Message: "trạng thái không hợp lệ"}}}
		}
	}
	after, err := parseCursor(cursor)
	if err != nil {
		return SubOrderPage{}, err
	}
	limit = web.PageSize(limit)
	subs, err := s.store.listSubOrders(ctx, s.db, coopID, status, after, limit+1)
	if err != nil {
		return SubOrderPage{}, err
	}
	page := SubOrderPage{Items: []SubOrder{}}
	if len(subs) > limit {
		subs = subs[:limit]
		page.NextCursor = subs[limit-1].ID.String()
	}
	var caps []Capacity
	if viewer.MemberOf(coopID, auth.RoleCoopManager, auth.RoleCoopStaff) {
		caps = append(caps, AsCooperative)
	}
	if viewer.Has(auth.RoleAdmin) {
		caps = append(caps, AsAdmin)
	}
	for _, so := range subs {
		so.Moves = allowedMoves(so, caps, false)
		page.Items = append(page.Items, so)
	}
	return page, nil
}

var statusRank = map[Status]int{StatusPendingPayment: 0, StatusConfirmed: 1, StatusPacked: 2, StatusShipped: 3,
	StatusDelivered: 4, StatusCompleted: 5, StatusCancelled: 6, StatusRefunded: 7}

// SubOrder returns one sub-order to those who may act on it (the buyer, the
// cooperative, staff of its province, admins), with the address it ships
// to (the packing slip needs it).
func (s *Service) SubOrder(ctx context.Context, actor Actor, id uuid.UUID) (SubOrder, Order, error) {
	so, err := s.store.getSubOrder(ctx, s.db, id, false)
	if err != nil {
		return SubOrder{}, Order{}, err
	}
	o, err := s.store.getOrder(ctx, s.db, so.OrderID, "", false)
	if err != nil {
		return SubOrder{}, Order{}, err
	}
	province, err := s.coopProvince(ctx, s.db, so.CooperativeID)
	if err != nil {
		return SubOrder{}, Order{}, err
	}
	caps := actor.capacities(o, so, province)
	if len(caps) == 0 {
		return SubOrder{}, Order{}, ErrNotFound
	}
	so.Moves = allowedMoves(so, caps, cardPaid(o))
	o.SubOrders = []SubOrder{}
	return so, o, nil
}

// Shipping returns a cooperative's shipping fees (the defaults when it set
// none).
func (s *Service) Shipping(ctx context.Context, coopID uuid.UUID) (ShippingRules, error) {
	rules, err := s.store.shippingRules(ctx, s.db, []uuid.UUID{coopID})
	if err != nil {
		return ShippingRules{}, err
	}
	return s.rulesFor(rules, coopID), nil
}

// SetShipping sets a cooperative's shipping fees.
func (s *Service) SetShipping(ctx context.Context, coopID uuid.UUID, r ShippingRules) (ShippingRules, error) {
	var v web.ValidationError
	const maxFee = 10_000_000
	v.Check(r.InProvinceVND >= 0 && r.InProvinceVND <= maxFee, "in_province_vnd", "phí giao hàng từ 0 đến 10.000.000 ₫")
	v.Check(r.OtherProvinceVND >= 0 && r.OtherProvinceVND <= maxFee, "other_province_vnd", "phí giao hàng từ 0 đến 10.000.000 ₫")
	if r.FreeOverVND != nil {
		v.Check(*r.FreeOverVND > 0 && *r.FreeOverVND <= 1_000_000_000_000, "free_over_vnd", "ngưỡng miễn phí giao hàng phải lớn hơn 0")
	}
	if err := v.Err(); err != nil {
		return ShippingRules{}, err
	}
	if err := s.store.putShippingRules(ctx, s.db, coopID, r); err != nil {
		return ShippingRules{}, fmt.Errorf("order: shipping of %s: %w", coopID, err)
	}
	r.Default = false
	return r, nil
}

// Recipient is whom an order's news goes to: its buyer's account (nil for
// a guest) and e-mail address ("" when none was given).
type Recipient struct {
	BuyerID *uuid.UUID
	Email   string
}

// ForNotice returns an order with its sub-orders, and its buyer, for the
// worker's notifications.
func (s *Service) ForNotice(ctx context.Context, id uuid.UUID) (Order, Recipient, error) {
	o, err := s.store.getOrder(ctx, s.db, id, "", false)
	if err != nil {
		return Order{}, Recipient{}, err
	}
	o, err = s.withSubOrders(ctx, s.db, o, nil)
	return o, Recipient{BuyerID: o.buyerID, Email: o.email}, err
}
