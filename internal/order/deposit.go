package order

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/web"
)

// Deposits (đặt cọc). An order placed from quotes may be paid by deposits
// only: each sub-order then has a DepositVND, the order the sum of them,
// and the amount due now is that sum. A deposit received (by card, or a
// transfer of at least the deposit) confirms its sub-order; the order is
// then deposit_paid. The balance is paid to the cooperative on delivery,
// in cash or by transfer, and the cooperative (or staff) records it;
// the order is paid once every balance is in. A sub-order is not
// delivered or completed while its balance is due.
//
// In the ledger the deposit is the sub-order's sale ("sale:<id>": a card
// sale when the platform took it by card, a direct sale when it was
// transferred to the cooperative) and the balance a direct sale of its own
// ("balance:<id>"), each with its commission.

// Ways a balance is paid.
const (
	BalanceCash     = "cash"
	BalanceTransfer = "transfer"
)

// DepositOf returns percent (10–90) of totalVND rounded half up to whole
// đồng, kept within [1, totalVND-1] so that a deposit is never nothing nor
// everything; 0 when there is no deposit (percent 0, or a total under 2 đ).
func DepositOf(totalVND int64, percent int) int64 {
	if percent <= 0 || totalVND < 2 {
		return 0
	}
	d := (totalVND*int64(percent) + 50) / 100
	return min(max(d, 1), totalVND-1)
}

// DueNowVND is what the buyer pays to confirm the order: the deposits when
// they chose to pay deposits, else the total.
func (o Order) DueNowVND() int64 {
	if o.DepositVND > 0 {
		return o.DepositVND
	}
	return o.TotalVND
}

// firstPayment is what confirms a sub-order: its deposit, or its total.
func firstPayment(so SubOrder) int64 {
	if so.DepositVND > 0 {
		return so.DepositVND
	}
	return so.TotalVND
}

// balanceDue is what a sub-order bought with a deposit still waits for on
// delivery: before payment the total less the deposit, after it the total
// less what was received; 0 once recorded, without a deposit, or for a
// sub-order cancelled or refunded.
func balanceDue(so SubOrder) int64 {
	if so.DepositVND == 0 || so.BalancePaidAt != nil || so.Status == StatusCancelled || so.Status == StatusRefunded {
		return 0
	}
	return max(so.TotalVND-max(so.ReceivedVND, so.DepositVND), 0)
}

// sumPayments fills an order's paid and balance figures from its
// sub-orders.
func (o *Order) sumPayments() {
	o.PaidVND, o.BalanceVND = 0, 0
	for _, so := range o.SubOrders {
		o.PaidVND += so.ReceivedVND
		o.BalanceVND += so.BalanceVND
	}
}

// cardPaid tells whether the platform holds the card money of an order (in
// full or the deposits): such an order is refunded, not cancelled.
func cardPaid(o Order) bool {
	return o.PaymentMethod == MethodCard && (o.PaymentStatus == PaymentPaid || o.PaymentStatus == PaymentDepositPaid)
}

// unpaidBalance refuses delivering or completing a sub-order whose balance
// the cooperative has not recorded.
func unpaidBalance(so SubOrder, to Status) error {
	if (to == StatusDelivered || to == StatusCompleted) && balanceDue(so) > 0 && so.Status != StatusPendingPayment {
		return web.Detail(ErrWrongStatus, "Đơn %s còn %s ₫ chưa thanh toán: hợp tác xã cần ghi nhận “đã nhận phần còn lại” trước khi giao xong.",
			so.Number, formatVND(balanceDue(so)))
	}
	return nil
}

// RecordBalance records, for the sub-order's cooperative or staff (actor),
// that the balance of a sub-order bought with a deposit was paid on
// delivery, in cash or by transfer (method), inside tx. It enters the
// balance in the ledger and makes the order paid once no balance is due.
// Recording it again changes nothing. The buyer may not (ErrMoveForbidden);
// anyone else does not see the sub-order (ErrNotFound).
func (s *Service) RecordBalance(ctx context.Context, tx *sqlx.Tx, actor Actor, subOrderID uuid.UUID, method string) (SubOrder, error) {
	if method != BalanceCash && method != BalanceTransfer {
		return SubOrder{}, &web.ValidationError{Fields: []web.FieldError{{Field: "method",
			Message: "cách nhận phần còn lại: cash (tiền mặt) hoặc transfer (chuyển khoản)"}}}
	}
	so, o, province, err := s.lockForActor(ctx, tx, actor, subOrderID)
	if err != nil {
		return SubOrder{}, err
	}
	caps := actor.capacities(o, so, province)
	if !slices.ContainsFunc(caps, func(c Capacity) bool { return c != AsBuyer }) {
		return SubOrder{}, ErrMoveForbidden
	}
	if so.DepositVND == 0 {
		return SubOrder{}, web.Detail(ErrWrongStatus, "Đơn %s không đặt cọc: không có phần còn lại để ghi nhận.", so.Number)
	}
	if so.BalancePaidAt != nil || so.ReceivedVND >= so.TotalVND {
		return s.afterTransfer(ctx, tx, actor, o, so.ID, false) // already in: a retry
	}
	switch so.Status {
	case StatusPendingPayment:
		return SubOrder{}, web.Detail(ErrWrongStatus, "Đơn %s chưa nhận tiền cọc: chưa thể ghi nhận phần còn lại.", so.Number)
	case StatusCancelled, StatusRefunded:
		return SubOrder{}, web.Detail(ErrWrongStatus, "Đơn %s đã %s.", so.Number, so.Status)
	}
	capacity := AsCooperative
	if !actor.Principal.MemberOf(so.CooperativeID) {
		capacity = AsStaff
	}
	return s.balanceIn(ctx, tx, actor, o, so, method, capacity)
}

// balanceIn records the balance of a locked, confirmed sub-order that has
// one due: the amount received, the timeline, the ledger, and the order
// paid once no balance is due.
func (s *Service) balanceIn(ctx context.Context, tx *sqlx.Tx, actor Actor, o Order, so SubOrder, method string, capacity Capacity) (SubOrder, error) {
	amount := so.TotalVND - so.ReceivedVND
	so.ReceivedVND = so.TotalVND
	if err := s.store.recordBalance(ctx, tx, so, method, actorID(actor)); err != nil {
		return SubOrder{}, err
	}
	note := "Đã nhận phần còn lại " + formatVND(amount) + " ₫ (tiền mặt)"
	if method == BalanceTransfer {
		note = "Đã nhận phần còn lại " + formatVND(amount) + " ₫ (chuyển khoản)"
	}
	if err := s.store.addEvent(ctx, tx, so, actorID(actor), string(capacity), note); err != nil {
		return SubOrder{}, err
	}
	if s.ledger != nil {
		if err := s.ledger.RecordBalanceSale(ctx, tx, so.CooperativeID, so.ID, amount); err != nil {
			return SubOrder{}, err
		}
	}
	if err := s.settleBalances(ctx, tx, o); err != nil {
		return SubOrder{}, err
	}
	return s.afterTransfer(ctx, tx, actor, o, so.ID, capacity == AsSystem)
}

// settleBalances marks a deposit-paid order paid once none of its live
// sub-orders waits for money.
func (s *Service) settleBalances(ctx context.Context, tx *sqlx.Tx, o Order) error {
	if o.PaymentStatus != PaymentDepositPaid {
		return nil
	}
	subs, err := s.store.subOrders(ctx, tx, []uuid.UUID{o.ID})
	if err != nil {
		return err
	}
	for _, so := range subs[o.ID] {
		if so.Status == StatusPendingPayment || so.BalanceVND > 0 {
			return nil
		}
	}
	return s.store.setPaymentStatus(ctx, tx, o.ID, PaymentPaid)
}

// paidStatus is the payment status of an order whose first payments are
// all in: deposit_paid while a live sub-order still has a balance due.
func paidStatus(subs []SubOrder) string {
	for _, so := range subs {
		if balanceDue(so) > 0 {
			return PaymentDepositPaid
		}
	}
	return PaymentPaid
}

// recordBalance stores that a sub-order's balance was received.
func (s *Store) recordBalance(ctx context.Context, ext sqlx.ExtContext, so SubOrder, method string, by *uuid.UUID) error {
	const q = `
UPDATE sub_orders
SET received_vnd = $2, balance_paid_at = now(), balance_method = $3, balance_by = $4, updated_at = now()
WHERE id = $1`
	if _, err := ext.ExecContext(ctx, q, so.ID, so.ReceivedVND, method, by); err != nil {
		return fmt.Errorf("order: record balance: %w", err)
	}
	return nil
}

// addEvent adds a line to a sub-order's timeline without a move.
func (s *Store) addEvent(ctx context.Context, ext sqlx.ExtContext, so SubOrder, actor *uuid.UUID, role, note string) error {
	const q = `
INSERT INTO sub_order_events (sub_order_id, from_status, to_status, actor_id, actor_role, note)
VALUES ($1, $2, $2, $3, $4, $5)`
	if _, err := ext.ExecContext(ctx, q, so.ID, so.Status, actor, role, note); err != nil {
		return fmt.Errorf("order: timeline: %w", err)
	}
	return nil
}

// formatVND writes an amount with dots between thousands: 1.250.000.
func formatVND(n int64) string {
	s := fmt.Sprint(n)
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			out = append(out, '.')
		}
		out = append(out, s[i])
	}
	return string(out)
}
