package order

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/outbox"
	"htxmarket/internal/platform/web"
)

// QuotedLine is goods at a price a cooperative quoted and a buyer
// accepted (sourcing): one variant, its quantity in the variant's unit
// and the agreed unit price, delivery included.
type QuotedLine struct {
	VariantID    uuid.UUID
	Quantity     int
	UnitPriceVND int64
	// DepositPercent is the deposit the cooperative accepts (10–90), 0 for
	// payment in full before delivery.
	DepositPercent int
}

// PlaceQuoted places an order at quoted prices inside tx, the caller's
// transaction (which also marks the quotes accepted): one sub-order per
// cooperative, no shipping fee (the quotes include delivery), payment by
// card or bank transfer with the usual deadline. Stock is taken as at
// checkout, so that expiry and cancellation return it as for any order.
// With deposit, the buyer pays only the deposits now: each sub-order's is
// its lines' deposit percent of its total (DepositOf), and every line must
// allow one (the caller checks, with a field error).
func (s *Service) PlaceQuoted(ctx context.Context, tx *sqlx.Tx, buyer uuid.UUID, email string, in Checkout, lines []QuotedLine, deposit bool) (Order, error) {
	if err := s.checkCheckout(ctx, &in); err != nil {
		return Order{}, err
	}
	if in.PaymentMethod != MethodCard && in.PaymentMethod != MethodBankTransfer {
		return Order{}, &web.ValidationError{Fields: []web.FieldError{{Field: "payment_method",
			Message: "đơn theo báo giá thanh toán bằng thẻ hoặc chuyển khoản"}}}
	}
	if len(lines) == 0 {
		return Order{}, ErrCartEmpty
	}
	ids := make([]uuid.UUID, len(lines))
	for i, l := range lines {
		ids[i] = l.VariantID
	}
	items, err := s.inventory.Items(ctx, tx, ids)
	if err != nil {
		return Order{}, err
	}
	now := s.now()
	o := Order{ID: uuid.Must(uuid.NewV7()), Number: newNumber(), PaymentMethod: in.PaymentMethod, PaymentStatus: PaymentUnpaid,
		ShippingAddress: in.ShippingAddress, Note: in.Note, CreatedAt: now, UpdatedAt: now, buyerID: &buyer, email: email}
	deadline := now.Add(s.opts.CardDeadline)
	if in.PaymentMethod == MethodBankTransfer {
		deadline = now.Add(s.opts.BankDeadline)
	}
	o.PaymentDeadline = &deadline
	bySub := map[uuid.UUID]int{}
	percent := map[int]int{} // by sub-order: the highest percent of its lines
	for _, l := range lines {
		it, ok := items[l.VariantID]
		if !ok || !it.OnSale || l.Quantity <= 0 || l.UnitPriceVND <= 0 {
			return Order{}, ErrVariantNotFound
		}
		k, ok := bySub[it.CooperativeID]
		if !ok {
			if in.PaymentMethod == MethodBankTransfer && s.banks != nil {
				has, err := s.banks.HasBankAccount(ctx, tx, it.CooperativeID)
				if err != nil {
					return Order{}, err
				}
				if !has {
					return Order{}, web.Detail(ErrNoBankAccount, "%s chưa khai báo tài khoản ngân hàng để nhận chuyển khoản; hãy chọn thanh toán bằng thẻ.", it.CooperativeName)
				}
			}
			k = len(o.SubOrders)
			bySub[it.CooperativeID] = k
			o.SubOrders = append(o.SubOrders, SubOrder{ID: uuid.Must(uuid.NewV7()), OrderID: o.ID, OrderNumber: o.Number,
				Number: fmt.Sprintf("%s-%d", o.Number, k+1), CooperativeID: it.CooperativeID, CooperativeSlug: it.CooperativeSlug,
				CooperativeName: it.CooperativeName, Status: StatusPendingPayment, CreatedAt: now, UpdatedAt: now, Moves: []Status{},
				Timeline: []Event{{To: StatusPendingPayment, ActorRole: string(AsBuyer), At: now}}})
		}
		so := &o.SubOrders[k]
		if deposit && (l.DepositPercent < 10 || l.DepositPercent > 90) {
			return Order{}, &web.ValidationError{Fields: []web.FieldError{{Field: "pay",
				Message: "báo giá của " + it.CooperativeName + " không nhận đặt cọc: hãy thanh toán đủ"}}}
		}
		percent[k] = max(percent[k], l.DepositPercent)
		line := Line{ID: uuid.Must(uuid.NewV7()), ProductID: it.ProductID, ProductSlug: it.ProductSlug, ProductName: it.ProductName,
			VariantID: it.VariantID, SKU: it.SKU, Unit: it.Unit, Quantity: l.Quantity, UnitPriceVND: l.UnitPriceVND,
			LineVND: int64(l.Quantity) * l.UnitPriceVND}
		so.Lines = append(so.Lines, line)
		so.ItemsVND += line.LineVND
		so.TotalVND += line.LineVND
		o.ItemsVND += line.LineVND
	}
	o.TotalVND = o.ItemsVND
	if deposit {
		for k := range o.SubOrders {
			so := &o.SubOrders[k]
			so.DepositVND = DepositOf(so.TotalVND, percent[k])
			so.BalanceVND = balanceDue(*so)
			o.DepositVND += so.DepositVND
		}
		o.BalanceVND = o.TotalVND - o.DepositVND
	}
	o.Status = summary(o.SubOrders)
	if err := s.provinceName(ctx, &o); err != nil {
		return Order{}, err
	}
	if err := insertQuoted(ctx, tx, &o, buyer); err != nil {
		return Order{}, err
	}
	if err := outbox.Write(ctx, tx, TopicOrderPlaced, o.ID.String(), OrderMessage{OrderID: o.ID, Number: o.Number}); err != nil {
		return Order{}, err
	}
	return o, s.takeStock(ctx, tx, o)
}

// insertQuoted writes a quoted order, its sub-orders, lines and first
// events.
func insertQuoted(ctx context.Context, tx *sqlx.Tx, o *Order, buyer uuid.UUID) error {
	a := o.ShippingAddress
	if _, err := tx.ExecContext(ctx, `
INSERT INTO orders (id, number, buyer_id, email, recipient, phone, province_slug, commune, street,
                    note, payment_method, payment_status, items_vnd, shipping_vnd, total_vnd, payment_deadline, deposit_vnd)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 0, $13, $14, $15)`,
		o.ID, o.Number, buyer, o.email, a.Recipient, a.Phone, a.Province, a.Commune, a.Street, o.Note,
		o.PaymentMethod, o.PaymentStatus, o.ItemsVND, o.PaymentDeadline, o.DepositVND); err != nil {
		return fmt.Errorf("order: insert quoted order: %w", err)
	}
	for _, so := range o.SubOrders {
		if _, err := tx.ExecContext(ctx, `
INSERT INTO sub_orders (id, order_id, number, cooperative_id, status, items_vnd, shipping_vnd, total_vnd, deposit_vnd)
VALUES ($1, $2, $3, $4, $5, $6, 0, $6, $7)`, so.ID, o.ID, so.Number, so.CooperativeID, so.Status, so.ItemsVND, so.DepositVND); err != nil {
			return fmt.Errorf("order: insert quoted sub-order: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `
INSERT INTO sub_order_events (sub_order_id, from_status, to_status, actor_id, actor_role)
VALUES ($1, NULL, $2, $3, 'buyer')`, so.ID, so.Status, buyer); err != nil {
			return fmt.Errorf("order: insert quoted event: %w", err)
		}
		for i, l := range so.Lines {
			if _, err := tx.ExecContext(ctx, `
INSERT INTO order_lines (id, sub_order_id, product_id, variant_id, product_name, product_slug, sku, unit,
                         quantity, unit_price_vnd, line_vnd, position)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, l.ID, so.ID, l.ProductID, l.VariantID, l.ProductName,
				l.ProductSlug, l.SKU, l.Unit, l.Quantity, l.UnitPriceVND, l.LineVND, i); err != nil {
				return fmt.Errorf("order: insert quoted line: %w", err)
			}
		}
	}
	return nil
}
