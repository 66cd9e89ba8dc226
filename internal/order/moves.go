package order

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/outbox"
	"htxmarket/internal/platform/web"
)

// Capacity is in which role someone acts on a sub-order.
type Capacity string

// Capacities. System is the platform itself: a payment webhook, the
// payment deadline.
const (
	AsBuyer       Capacity = "buyer"
	AsCooperative Capacity = "cooperative"
	AsStaff       Capacity = "staff"
	AsAdmin       Capacity = "admin"
	AsSystem      Capacity = "system"
)

// moves says who may move a sub-order from one status to another. Paying
// (pending_payment → confirmed) is done by the payment capability, as
// system or as the cooperative that saw a bank transfer arrive; refunds by
// payment too, after the card processor has refunded.
var moves = map[Status]map[Status][]Capacity{
	StatusPendingPayment: {
		StatusCancelled: {AsBuyer, AsStaff, AsAdmin, AsSystem},
	},
	StatusConfirmed: {
		StatusPacked:    {AsCooperative},
		StatusCancelled: {AsBuyer, AsCooperative, AsStaff, AsAdmin},
	},
	StatusPacked: {
		StatusShipped:   {AsCooperative},
		StatusCancelled: {AsStaff, AsAdmin},
	},
	StatusShipped: {
		StatusDelivered: {AsCooperative, AsBuyer},
	},
	StatusDelivered: {
		StatusCompleted: {AsBuyer, AsStaff, AsAdmin, AsSystem},
	},
}

// Actor is someone acting on an order: a signed-in user, or a guest known
// by their cart cookie.
type Actor struct {
	Principal *auth.Principal
	GuestHash []byte
}

// capacities lists in which capacities the actor may act on a sub-order of o.
func (a Actor) capacities(o Order, so SubOrder, coopProvince string) []Capacity {
	var out []Capacity
	p := a.Principal
	if p != nil && o.buyerID != nil && *o.buyerID == p.UserID ||
		p == nil && o.buyerID == nil && len(a.GuestHash) == 32 && bytes.Equal(a.GuestHash, o.guestHash) {
		out = append(out, AsBuyer)
	}
	if p.MemberOf(so.CooperativeID, auth.RoleCoopManager, auth.RoleCoopStaff) {
		out = append(out, AsCooperative)
	}
	if p.StaffOf(coopProvince) {
		out = append(out, AsStaff)
	}
	if p.Has(auth.RoleAdmin) {
		out = append(out, AsAdmin)
	}
	return out
}

// allowedMoves lists where actor capacities may move so now.
func allowedMoves(so SubOrder, caps []Capacity, paidByCard bool) []Status {
	out := []Status{}
	for to, who := range moves[so.Status] {
		if to == StatusCancelled && paidByCard {
			continue // a paid card order is refunded, not cancelled
		}
		if slices.ContainsFunc(caps, func(c Capacity) bool { return slices.Contains(who, c) }) {
			out = append(out, to)
		}
	}
	slices.Sort(out)
	return out
}

// Move changes a sub-order's status for an actor. The cooperative gives a
// carrier and tracking code when it ships; the buyer confirms receipt; a
// cancellation gives the stock back. Every move is recorded in the
// timeline and announced through the outbox.
func (s *Service) Move(ctx context.Context, actor Actor, subOrderID uuid.UUID, m Move) (SubOrder, error) {
	var v web.ValidationError
	var ok bool
	m.Carrier, ok = cleanText(m.Carrier, 100)
	v.Check(ok, "carrier", "tên đơn vị vận chuyển tối đa 100 ký tự")
	m.TrackingCode, ok = cleanText(m.TrackingCode, 100)
	v.Check(ok, "tracking_code", "mã vận đơn tối đa 100 ký tự")
	m.Note, ok = cleanText(m.Note, maxNote)
	v.Check(ok, "note", "ghi chú tối đa 500 ký tự")
	if err := v.Err(); err != nil {
		return SubOrder{}, err
	}
	var out SubOrder
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		so, o, province, err := s.lockForActor(ctx, tx, actor, subOrderID)
		if err != nil {
			return err
		}
		caps := actor.capacities(o, so, province)
		who := moves[so.Status][m.To]
		if who == nil {
			return web.Detail(ErrWrongStatus, "Đơn %s đang ở trạng thái %s, không chuyển sang %s được.", so.Number, so.Status, m.To)
		}
		var capacity Capacity
		for _, c := range caps {
			if slices.Contains(who, c) {
				capacity = c
				break
			}
		}
		if capacity == "" {
			return ErrMoveForbidden
		}
		if m.To == StatusCancelled && cardPaid(o) {
			return web.Detail(ErrWrongStatus, "Đơn %s đã thanh toán bằng thẻ: hãy hoàn tiền thay vì hủy.", so.Number)
		}
		if err := unpaidBalance(so, m.To); err != nil {
			return err
		}
		if m.To == StatusShipped {
			sh, err := s.carrier.Ship(ctx, so, m)
			if err != nil {
				return err
			}
			so.Carrier, so.TrackingCode = sh.Carrier, sh.TrackingCode
		}
		if err := s.apply(ctx, tx, o, so, m.To, actorID(actor), capacity, m.Note); err != nil {
			return err
		}
		out, err = s.store.getSubOrder(ctx, tx, so.ID, false)
		if err != nil {
			return err
		}
		out.Moves = allowedMoves(out, caps, cardPaid(o))
		return nil
	})
	return out, err
}

func actorID(a Actor) *uuid.UUID {
	if a.Principal == nil {
		return nil
	}
	return &a.Principal.UserID
}

// lockForActor locks a sub-order and its order, and hides both from an
// actor with no business with them (ErrNotFound).
func (s *Service) lockForActor(ctx context.Context, tx *sqlx.Tx, actor Actor, id uuid.UUID) (SubOrder, Order, string, error) {
	so, err := s.store.getSubOrder(ctx, tx, id, true)
	if err != nil {
		return SubOrder{}, Order{}, "", err
	}
	o, err := s.store.getOrder(ctx, tx, so.OrderID, "", true)
	if err != nil {
		return SubOrder{}, Order{}, "", err
	}
	province, err := s.coopProvince(ctx, tx, so.CooperativeID)
	if err != nil {
		return SubOrder{}, Order{}, "", err
	}
	if len(actor.capacities(o, so, province)) == 0 {
		return SubOrder{}, Order{}, "", ErrNotFound
	}
	return so, o, province, nil
}

func (s *Service) coopProvince(ctx context.Context, ext sqlx.ExtContext, coopID uuid.UUID) (string, error) {
	const q = `
SELECT province_slug
FROM cooperatives
WHERE id = $1`
	var p string
	if err := sqlx.GetContext(ctx, ext, &p, q, coopID); err != nil {
		return "", fmt.Errorf("order: cooperative province: %w", err)
	}
	return p, nil
}

// apply makes a move of a locked sub-order: the stock it gives back, the
// ledger entries it causes, the timeline and the outbox message.
func (s *Service) apply(ctx context.Context, tx *sqlx.Tx, o Order, so SubOrder, to Status, actor *uuid.UUID, capacity Capacity, note string) error {
	from := so.Status
	if to == StatusCancelled && from != StatusShipped && from != StatusDelivered {
		changes := make([]StockChange, len(so.Lines))
		for i, l := range so.Lines {
			changes[i] = StockChange{VariantID: l.VariantID, Quantity: l.Quantity}
		}
		if err := s.inventory.Return(ctx, tx, changes); err != nil {
			return err
		}
	}
	if to == StatusDelivered && o.PaymentMethod == MethodCOD && s.ledger != nil {
		if err := s.ledger.RecordDirectSale(ctx, tx, so.CooperativeID, so.ID, so.TotalVND); err != nil {
			return err
		}
	}
	if err := s.store.moveSubOrder(ctx, tx, so, to, actor, string(capacity), note); err != nil {
		return err
	}
	if to == StatusCancelled {
		if err := s.settleCancelled(ctx, tx, o); err != nil {
			return err
		}
	}
	return outbox.Write(ctx, tx, TopicSubOrderMoved, so.ID.String(), MoveMessage{
		OrderID: o.ID, SubOrderID: so.ID, CooperativeID: so.CooperativeID, From: from, To: to})
}

// settleCancelled marks an unpaid order cancelled once none of its
// sub-orders is live, and a deposit-paid one paid once no live sub-order
// has a balance due.
func (s *Service) settleCancelled(ctx context.Context, tx *sqlx.Tx, o Order) error {
	if o.PaymentStatus == PaymentDepositPaid {
		return s.settleBalances(ctx, tx, o)
	}
	subs, err := s.store.subOrders(ctx, tx, []uuid.UUID{o.ID})
	if err != nil {
		return err
	}
	if summary(subs[o.ID]) == string(StatusCancelled) && o.PaymentStatus == PaymentUnpaid {
		return s.store.setPaymentStatus(ctx, tx, o.ID, PaymentCancelled)
	}
	return nil
}

// ExpireUnpaid cancels card and bank-transfer orders whose payment deadline
// has passed and gives their stock back. The worker runs it every minute.
func (s *Service) ExpireUnpaid(ctx context.Context) (int, error) {
	ids, err := s.store.expiredOrders(ctx, s.db, s.now(), 200)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
			o, err := s.store.getOrder(ctx, tx, id, "", true)
			if err != nil {
				return err
			}
			if o.PaymentStatus != PaymentUnpaid || o.PaymentDeadline == nil || !o.PaymentDeadline.Before(s.now()) {
				return nil // paid meanwhile
			}
			subs, err := s.store.subOrders(ctx, tx, []uuid.UUID{id})
			if err != nil {
				return err
			}
			var paid []SubOrder // confirmed by their own transfer (or deposit) before the deadline
			for _, so := range subs[id] {
				if so.Status != StatusPendingPayment {
					if so.Status != StatusCancelled && so.Status != StatusRefunded {
						paid = append(paid, so)
					}
					continue
				}
				if err := s.apply(ctx, tx, o, so, StatusCancelled, nil, AsSystem, "Quá hạn thanh toán"); err != nil {
					return err
				}
			}
			n++
			if len(paid) > 0 {
				// The sub-orders paid in time go on: the order is paid (or
				// deposit-paid) for them.
				return s.store.setPaymentStatus(ctx, tx, id, paidStatus(paid))
			}
			return s.store.setPaymentStatus(ctx, tx, id, PaymentCancelled)
		})
		if err != nil {
			return n, fmt.Errorf("order: expire %s: %w", id, err)
		}
	}
	return n, nil
}

// MarkPaid confirms every sub-order of an order paid by card, in tx (the
// payment capability's, which also stored the event that paid it). The
// amount must be what was due now: the total, or the deposits of an order
// paid by deposit, which then becomes deposit_paid. It records the card
// sales (of the deposits, for such an order) in the ledger. An order
// already paid is left as it is; one cancelled meanwhile reports
// ErrWrongStatus, for the payment capability to refund.
func (s *Service) MarkPaid(ctx context.Context, tx *sqlx.Tx, orderID uuid.UUID, amountVND int64) (Order, error) {
	o, err := s.store.getOrder(ctx, tx, orderID, "", true)
	if err != nil {
		return Order{}, err
	}
	switch {
	case o.PaymentStatus == PaymentPaid || o.PaymentStatus == PaymentDepositPaid:
		return o, nil
	case o.PaymentStatus != PaymentUnpaid:
		return o, fmt.Errorf("%w: đơn %s đã %s", ErrWrongStatus, o.Number, o.PaymentStatus)
	case amountVND != o.DueNowVND():
		return o, fmt.Errorf("order: %s paid %d, expected %d", o.Number, amountVND, o.DueNowVND())
	}
	subs, err := s.store.subOrders(ctx, tx, []uuid.UUID{orderID})
	if err != nil {
		return Order{}, err
	}
	for _, so := range subs[orderID] {
		if so.Status != StatusPendingPayment {
			continue
		}
		so.ReceivedVND = firstPayment(so)
		note := "Đã thanh toán bằng thẻ"
		if so.DepositVND > 0 {
			note = "Đã đặt cọc " + formatVND(so.DepositVND) + " ₫ bằng thẻ"
		}
		if err := s.apply(ctx, tx, o, so, StatusConfirmed, nil, AsSystem, note); err != nil {
			return Order{}, err
		}
		if s.ledger != nil {
			if err := s.ledger.RecordCardSale(ctx, tx, so.CooperativeID, so.ID, so.ReceivedVND); err != nil {
				return Order{}, err
			}
		}
	}
	status := PaymentPaid
	if o.DepositVND > 0 {
		status = PaymentDepositPaid
	}
	if err := s.store.setPaymentStatus(ctx, tx, orderID, status); err != nil {
		return Order{}, err
	}
	o.PaymentStatus = status
	return o, nil
}

// RecordTransfer records a bank transfer received for a sub-order, by the
// cooperative or staff (actor) or a bank notification (system, actor
// zero). A transfer of the right amount confirms the sub-order and enters
// the sale in the ledger; a short or excess one is flagged for a person and
// confirms nothing. For a sub-order bought with a deposit, anything from
// the deposit to the total is right: the rest is its balance, paid on
// delivery; a later transfer of exactly that balance records it.
func (s *Service) RecordTransfer(ctx context.Context, tx *sqlx.Tx, actor Actor, subOrderID uuid.UUID, amountVND int64, system bool) (SubOrder, error) {
	var so SubOrder
	var o Order
	var err error
	if system {
		if so, err = s.store.getSubOrder(ctx, tx, subOrderID, true); err != nil {
			return SubOrder{}, err
		}
		if o, err = s.store.getOrder(ctx, tx, so.OrderID, "", true); err != nil {
			return SubOrder{}, err
		}
	} else {
		var province string
		so, o, province, err = s.lockForActor(ctx, tx, actor, subOrderID)
		if err != nil {
			return SubOrder{}, err
		}
		caps := actor.capacities(o, so, province)
		if !slices.ContainsFunc(caps, func(c Capacity) bool { return c != AsBuyer }) {
			return SubOrder{}, ErrMoveForbidden
		}
	}
	if o.PaymentMethod != MethodBankTransfer {
		return SubOrder{}, web.Detail(ErrPaymentMethod, "Đơn %s không thanh toán bằng chuyển khoản.", so.Number)
	}
	if amountVND <= 0 {
		return SubOrder{}, &web.ValidationError{Fields: []web.FieldError{{Field: "amount_vnd", Message: "số tiền phải lớn hơn 0"}}}
	}
	if so.Status != StatusPendingPayment && so.Status != StatusCancelled && so.Status != StatusRefunded &&
		balanceDue(so) > 0 && amountVND == balanceDue(so) {
		// The balance after a deposit, transferred to the cooperative.
		capacity := AsSystem
		if !system {
			capacity = AsCooperative
			if !actor.Principal.MemberOf(so.CooperativeID) {
				capacity = AsStaff
			}
		}
		return s.balanceIn(ctx, tx, actor, o, so, BalanceTransfer, capacity)
	}
	if so.Status != StatusPendingPayment {
		return SubOrder{}, web.Detail(ErrWrongStatus, "Đơn %s đang ở trạng thái %s, không chờ chuyển khoản.", so.Number, so.Status)
	}
	so.ReceivedVND += amountVND
	switch {
	case so.ReceivedVND < firstPayment(so):
		so.PaymentFlag = "short"
	case so.ReceivedVND > so.TotalVND:
		so.PaymentFlag = "excess"
	default:
		so.PaymentFlag = ""
	}
	if so.PaymentFlag != "" {
		if err := s.store.updatePayment(ctx, tx, so); err != nil {
			return SubOrder{}, err
		}
		return s.afterTransfer(ctx, tx, actor, o, so.ID, system)
	}
	capacity, note := AsSystem, "Ngân hàng báo đã nhận chuyển khoản"
	if !system {
		capacity, note = AsCooperative, "Đã nhận chuyển khoản"
		if !actor.Principal.MemberOf(so.CooperativeID) {
			capacity = AsStaff
		}
	}
	if so.DepositVND > 0 && so.ReceivedVND < so.TotalVND {
		note += " (tiền cọc " + formatVND(so.ReceivedVND) + " ₫)"
	}
	if err := s.apply(ctx, tx, o, so, StatusConfirmed, actorID(actor), capacity, note); err != nil {
		return SubOrder{}, err
	}
	if s.ledger != nil {
		if err := s.ledger.RecordDirectSale(ctx, tx, so.CooperativeID, so.ID, so.ReceivedVND); err != nil {
			return SubOrder{}, err
		}
	}
	if err := s.allTransfersIn(ctx, tx, o.ID); err != nil {
		return SubOrder{}, err
	}
	return s.afterTransfer(ctx, tx, actor, o, so.ID, system)
}

// afterTransfer reads a sub-order after a transfer, with the moves the
// actor may make now.
func (s *Service) afterTransfer(ctx context.Context, tx *sqlx.Tx, actor Actor, o Order, id uuid.UUID, system bool) (SubOrder, error) {
	so, err := s.store.getSubOrder(ctx, tx, id, false)
	if err != nil || system {
		return so, err
	}
	province, err := s.coopProvince(ctx, tx, so.CooperativeID)
	if err != nil {
		return SubOrder{}, err
	}
	so.Moves = allowedMoves(so, actor.capacities(o, so, province), false)
	return so, nil
}

// allTransfersIn marks a bank-transfer order paid once no sub-order waits
// for its money, or deposit_paid while balances are due on delivery.
func (s *Service) allTransfersIn(ctx context.Context, tx *sqlx.Tx, orderID uuid.UUID) error {
	subs, err := s.store.subOrders(ctx, tx, []uuid.UUID{orderID})
	if err != nil {
		return err
	}
	for _, so := range subs[orderID] {
		if so.Status == StatusPendingPayment {
			return nil
		}
	}
	return s.store.setPaymentStatus(ctx, tx, orderID, paidStatus(subs[orderID]))
}

// FindSubOrderByReference finds the sub-order a bank transfer's content
// names (its number, e.g. "HTX7K2M9QPA-1", anywhere in the text, with or
// without the dash).
func (s *Service) FindSubOrderByReference(ctx context.Context, ext sqlx.ExtContext, content string) (uuid.UUID, bool, error) {
	up := strings.ToUpper(content)
	i := strings.Index(up, "HTX")
	for i >= 0 {
		rest := up[i:]
		if len(rest) >= 12 {
			number := rest[:11]
			suffix := strings.TrimLeft(rest[11:], "- ")
			n := 0
			for n < len(suffix) && suffix[n] >= '0' && suffix[n] <= '9' {
				n++
			}
			if n > 0 {
				const q = `
SELECT id
FROM sub_orders
WHERE number = $1`
				var id uuid.UUID
				err := sqlx.GetContext(ctx, ext, &id, q, number+"-"+suffix[:n])
				if err == nil {
					return id, true, nil
				}
			}
		}
		next := strings.Index(up[i+3:], "HTX")
		if next < 0 {
			break
		}
		i += 3 + next
	}
	return uuid.Nil, false, nil
}

// Refunded records that an amount of a card order was refunded (the card
// processor's charge.refunded): the sub-orders are refunded latest first
// until the amount is used, their unshipped stock returns, and the ledger
// reverses the sales. refundedTotal is the charge's whole refunded amount
// so far, so a replayed or late event changes nothing.
func (s *Service) Refunded(ctx context.Context, tx *sqlx.Tx, orderID uuid.UUID, refundedTotal int64) (Order, error) {
	o, err := s.store.getOrder(ctx, tx, orderID, "", true)
	if err != nil {
		return Order{}, err
	}
	subs, err := s.store.subOrders(ctx, tx, []uuid.UUID{orderID})
	if err != nil {
		return Order{}, err
	}
	// What each sub-order's card payment was: its total, or its deposit.
	var already int64
	for _, so := range subs[orderID] {
		if so.Status == StatusRefunded {
			already += firstPayment(so)
		}
	}
	remaining := refundedTotal - already
	list := subs[orderID]
	for i := len(list) - 1; i >= 0 && remaining > 0; i-- {
		so := list[i]
		if so.Status == StatusRefunded || firstPayment(so) > remaining {
			continue
		}
		if so.Status != StatusShipped && so.Status != StatusDelivered && so.Status != StatusCompleted {
			changes := make([]StockChange, len(so.Lines))
			for j, l := range so.Lines {
				changes[j] = StockChange{VariantID: l.VariantID, Quantity: l.Quantity}
			}
			if err := s.inventory.Return(ctx, tx, changes); err != nil {
				return Order{}, err
			}
		}
		if err := s.store.moveSubOrder(ctx, tx, so, StatusRefunded, nil, string(AsSystem), "Đã hoàn tiền"); err != nil {
			return Order{}, err
		}
		if s.ledger != nil {
			if err := s.ledger.RecordRefund(ctx, tx, so.CooperativeID, so.ID, "refund:"+so.ID.String(), firstPayment(so), true); err != nil {
				return Order{}, err
			}
		}
		if err := outbox.Write(ctx, tx, TopicSubOrderMoved, so.ID.String(), MoveMessage{
			OrderID: o.ID, SubOrderID: so.ID, CooperativeID: so.CooperativeID, From: so.Status, To: StatusRefunded}); err != nil {
			return Order{}, err
		}
		remaining -= firstPayment(so)
	}
	status := PaymentPartiallyRefunded
	if refundedTotal >= o.DueNowVND() {
		status = PaymentRefunded
	}
	if refundedTotal > 0 {
		if err := s.store.setPaymentStatus(ctx, tx, orderID, status); err != nil {
			return Order{}, err
		}
		o.PaymentStatus = status
	}
	return o, nil
}
