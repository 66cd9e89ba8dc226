// Package payment takes the money of orders: card payments through Stripe
// (a PaymentIntent per order, webhooks applied exactly once, refunds),
// bank transfers with VietQR codes to each cooperative's account (recorded
// by the cooperative or notified by the bank), and the cooperatives'
// settlement ledger (its balances, statements and payouts).
package payment

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/order"
	"htxmarket/internal/payment/ledger"
	"htxmarket/internal/payment/stripecard"
	"htxmarket/internal/payment/vietqr"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/web"
)

// Errors of payment.
var (
	ErrCardsOff      = errors.New("thanh toán bằng thẻ chưa được bật trên máy chủ này")
	ErrNotCard       = errors.New("đơn hàng này không thanh toán bằng thẻ")
	ErrNotBank       = errors.New("đơn hàng này không thanh toán bằng chuyển khoản")
	ErrAlreadyPaid   = errors.New("đơn hàng đã được thanh toán hoặc đã hủy")
	ErrNotPaid       = errors.New("đơn hàng chưa được thanh toán bằng thẻ nên không hoàn tiền được")
	ErrBadSignature  = errors.New("chữ ký không hợp lệ")
	ErrNoBankAccount = errors.New("hợp tác xã chưa khai báo tài khoản ngân hàng")
	ErrWebhooksOff   = errors.New("webhook ngân hàng chưa được bật trên máy chủ này")
	ErrStripeDown    = errors.New("không kết nối được cổng thanh toán thẻ, vui lòng thử lại sau")
)

// CardGateway is the card processor (stripecard.Gateway).
type CardGateway interface {
	CreateIntent(ctx context.Context, orderID, orderNumber string, amountVND int64, idempotencyKey string) (stripecard.Intent, error)
	Refund(ctx context.Context, intentID string, amountVND int64, idempotencyKey string) (stripecard.Refund, error)
	ParseWebhook(payload []byte, signature string) (stripecard.Event, error)
}

var _ CardGateway = (*stripecard.Gateway)(nil)

// Orders is what payment needs of buying.
type Orders interface {
	Get(ctx context.Context, actor order.Actor, id uuid.UUID) (order.Order, error)
	SubOrder(ctx context.Context, actor order.Actor, id uuid.UUID) (order.SubOrder, order.Order, error)
	MarkPaid(ctx context.Context, tx *sqlx.Tx, orderID uuid.UUID, amountVND int64) (order.Order, error)
	Refunded(ctx context.Context, tx *sqlx.Tx, orderID uuid.UUID, refundedTotal int64) (order.Order, error)
	RecordTransfer(ctx context.Context, tx *sqlx.Tx, actor order.Actor, subOrderID uuid.UUID, amountVND int64, system bool) (order.SubOrder, error)
	RecordBalance(ctx context.Context, tx *sqlx.Tx, actor order.Actor, subOrderID uuid.UUID, method string) (order.SubOrder, error)
	FindSubOrderByReference(ctx context.Context, ext sqlx.ExtContext, content string) (uuid.UUID, bool, error)
}

// Options configure payment.
type Options struct {
	// PublishableKey is Stripe's key for the browser; "" hides card payment.
	PublishableKey string
	// BankWebhookSecret keys the HMAC-SHA256 of bank notifications; ""
	// refuses them.
	BankWebhookSecret string
}

// Service is payment.
type Service struct {
	db     *sqlx.DB
	orders Orders
	card   CardGateway // nil: cards are off
	ledger *ledger.Service
	opts   Options
	log    *slog.Logger
}

// NewService returns the payment service; card may be nil.
func NewService(d *sqlx.DB, orders Orders, card CardGateway, l *ledger.Service, opts Options, log *slog.Logger) *Service {
	return &Service{db: d, orders: orders, card: card, ledger: l, opts: opts, log: log}
}

// HasBankAccount reports whether a cooperative can take transfers; buying
// asks before it accepts a bank-transfer order.
func (s *Service) HasBankAccount(ctx context.Context, ext sqlx.ExtContext, coopID uuid.UUID) (bool, error) {
	const q = `
SELECT EXISTS (SELECT 1 FROM bank_accounts WHERE cooperative_id = $1)`
	var ok bool
	if err := sqlx.GetContext(ctx, ext, &ok, q, coopID); err != nil {
		return false, fmt.Errorf("payment: bank account of %s: %w", coopID, err)
	}
	return ok, nil
}

// CardPayment is what the browser needs to confirm a card payment with
// Stripe.js.
type CardPayment struct {
	OrderID        uuid.UUID `json:"order_id"`
	IntentID       string    `json:"intent_id"`
	ClientSecret   string    `json:"client_secret"`
	PublishableKey string    `json:"publishable_key"`
	AmountVND      int64     `json:"amount_vnd"`
	Currency       string    `json:"currency"`
	Status         string    `json:"status"`
}

// StartCard returns the order's PaymentIntent, creating it the first time:
// one per order, whatever the retries (Stripe's idempotency key is the
// order's ID), for the amount due now (the deposits of an order paid by
// deposit, else the total).
func (s *Service) StartCard(ctx context.Context, actor order.Actor, orderID uuid.UUID) (CardPayment, error) {
	if s.card == nil {
		return CardPayment{}, ErrCardsOff
	}
	o, err := s.orders.Get(ctx, actor, orderID)
	if err != nil {
		return CardPayment{}, err
	}
	if o.PaymentMethod != order.MethodCard {
		return CardPayment{}, ErrNotCard
	}
	if o.PaymentStatus != order.PaymentUnpaid {
		return CardPayment{}, ErrAlreadyPaid
	}
	const sel = `
SELECT intent_id, client_secret, amount_vnd, status
FROM card_payments
WHERE order_id = $1`
	var row struct {
		IntentID     string `db:"intent_id"`
		ClientSecret string `db:"client_secret"`
		AmountVND    int64  `db:"amount_vnd"`
		Status       string `db:"status"`
	}
	err = sqlx.GetContext(ctx, s.db, &row, sel, orderID)
	if err == nil {
		return CardPayment{OrderID: orderID, IntentID: row.IntentID, ClientSecret: row.ClientSecret,
			PublishableKey: s.opts.PublishableKey, AmountVND: row.AmountVND, Currency: "vnd", Status: row.Status}, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return CardPayment{}, fmt.Errorf("payment: card payment of %s: %w", orderID, err)
	}
	in, err := s.card.CreateIntent(ctx, o.ID.String(), o.Number, o.DueNowVND(), "order-"+o.ID.String())
	if err != nil {
		s.log.ErrorContext(ctx, "stripe: create intent", "order", o.Number, "err", err)
		return CardPayment{}, ErrStripeDown
	}
	const ins = `
INSERT INTO card_payments (order_id, intent_id, client_secret, amount_vnd, status)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (order_id) DO NOTHING`
	if _, err := s.db.ExecContext(ctx, ins, o.ID, in.ID, in.ClientSecret, o.DueNowVND(), in.Status); err != nil {
		return CardPayment{}, fmt.Errorf("payment: store intent of %s: %w", o.Number, err)
	}
	return s.StartCard(ctx, actor, orderID)
}

// ApplyStripe verifies and applies a Stripe webhook. Each event is applied
// at most once (its id is stored in the transaction that applies it), and
// the effects do not depend on the order events arrive in: a refund seen
// before the payment first marks the order paid. Events of other
// currencies or without an order of ours are acknowledged and ignored.
func (s *Service) ApplyStripe(ctx context.Context, payload []byte, signature string) (string, error) {
	if s.card == nil {
		return "", ErrCardsOff
	}
	ev, err := s.card.ParseWebhook(payload, signature)
	if errors.Is(err, stripecard.ErrBadSignature) {
		return "", ErrBadSignature
	}
	if err != nil {
		return "", web.Detail(ErrBadSignature, "Sự kiện Stripe không đọc được: %v", err)
	}
	outcome := "ignored"
	err = db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		outcome = "ignored"
		const claim = `
INSERT INTO stripe_events (id, type)
VALUES ($1, $2)
ON CONFLICT (id) DO NOTHING`
		res, err := tx.ExecContext(ctx, claim, ev.ID, ev.Type)
		if err != nil {
			return fmt.Errorf("payment: store event %s: %w", ev.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			outcome = "replay"
			return nil
		}
		orderID, ok, err := s.orderOfIntent(ctx, tx, ev.IntentID)
		if err != nil || !ok {
			return err
		}
		switch ev.Type {
		case stripecard.EventIntentSucceeded:
			outcome = "paid"
			if _, err := s.orders.MarkPaid(ctx, tx, orderID, ev.AmountVND); err != nil {
				if errors.Is(err, order.ErrWrongStatus) {
					// Paid after the deadline cancelled it: a person refunds.
					outcome = "paid-after-cancel"
					s.log.WarnContext(ctx, "stripe: payment for a cancelled order", "order", orderID, "intent", ev.IntentID)
					return s.setIntent(ctx, tx, ev.IntentID, "succeeded", "đã thanh toán sau khi đơn bị hủy: cần hoàn tiền")
				}
				return err
			}
			return s.setIntent(ctx, tx, ev.IntentID, "succeeded", "")
		case stripecard.EventIntentFailed:
			outcome = "failed"
			return s.setIntent(ctx, tx, ev.IntentID, "payment_failed", ev.FailureMessage)
		case stripecard.EventChargeRefunded:
			outcome = "refunded"
			amount, err := s.intentAmount(ctx, tx, ev.IntentID)
			if err != nil {
				return err
			}
			if _, err := s.orders.MarkPaid(ctx, tx, orderID, amount); err != nil && !errors.Is(err, order.ErrWrongStatus) {
				return err
			}
			if _, err := s.orders.Refunded(ctx, tx, orderID, ev.AmountRefundedVND); err != nil {
				return err
			}
			return s.setIntent(ctx, tx, ev.IntentID, "refunded", "")
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE stripe_events SET outcome = $2, updated_at = now() WHERE id = $1 AND outcome = ''`, ev.ID, outcome); err != nil {
		return outcome, fmt.Errorf("payment: record outcome of %s: %w", ev.ID, err)
	}
	return outcome, nil
}

func (s *Service) orderOfIntent(ctx context.Context, ext sqlx.ExtContext, intentID string) (uuid.UUID, bool, error) {
	const q = `
SELECT order_id
FROM card_payments
WHERE intent_id = $1`
	var id uuid.UUID
	err := sqlx.GetContext(ctx, ext, &id, q, intentID)
	if errors.Is(err, sql.ErrNoRows) {
		return uuid.Nil, false, nil
	}
	if err != nil {
		return uuid.Nil, false, fmt.Errorf("payment: order of intent %s: %w", intentID, err)
	}
	return id, true, nil
}

func (s *Service) intentAmount(ctx context.Context, ext sqlx.ExtContext, intentID string) (int64, error) {
	var n int64
	if err := sqlx.GetContext(ctx, ext, &n, `SELECT amount_vnd FROM card_payments WHERE intent_id = $1`, intentID); err != nil {
		return 0, fmt.Errorf("payment: amount of intent %s: %w", intentID, err)
	}
	return n, nil
}

func (s *Service) setIntent(ctx context.Context, ext sqlx.ExtContext, intentID, status, failure string) error {
	const q = `
UPDATE card_payments
SET status = $2, failure = $3, updated_at = now()
WHERE intent_id = $1`
	if _, err := ext.ExecContext(ctx, q, intentID, status, failure); err != nil {
		return fmt.Errorf("payment: update intent %s: %w", intentID, err)
	}
	return nil
}

// Refund asks Stripe to refund amountVND (0: all that is left) of a paid
// card order. Only admins and trade staff may; the order changes when
// Stripe's charge.refunded webhook arrives. key is the request's
// Idempotency-Key, passed to Stripe so that a retry refunds once.
func (s *Service) Refund(ctx context.Context, orderID uuid.UUID, amountVND int64, key string) (stripecard.Refund, error) {
	if s.card == nil {
		return stripecard.Refund{}, ErrCardsOff
	}
	key, err := order.CheckIdempotencyKey(key)
	if err != nil {
		return stripecard.Refund{}, err
	}
	const q = `
SELECT c.intent_id, c.amount_vnd, o.payment_status
FROM card_payments c
JOIN orders o ON o.id = c.order_id
WHERE c.order_id = $1`
	var row struct {
		IntentID string `db:"intent_id"`
		Amount   int64  `db:"amount_vnd"`
		Status   string `db:"payment_status"`
	}
	err = sqlx.GetContext(ctx, s.db, &row, q, orderID)
	if errors.Is(err, sql.ErrNoRows) {
		return stripecard.Refund{}, order.ErrNotFound
	}
	if err != nil {
		return stripecard.Refund{}, fmt.Errorf("payment: refund of %s: %w", orderID, err)
	}
	if row.Status != order.PaymentPaid && row.Status != order.PaymentDepositPaid && row.Status != order.PaymentPartiallyRefunded {
		return stripecard.Refund{}, ErrNotPaid
	}
	if amountVND < 0 || amountVND > row.Amount {
		return stripecard.Refund{}, &web.ValidationError{Fields: []web.FieldError{{Field: "amount_vnd", Message: "số tiền hoàn từ 0 (toàn bộ) đến số đã thanh toán"}}}
	}
	r, err := s.card.Refund(ctx, row.IntentID, amountVND, "refund-"+orderID.String()+"-"+key)
	if err != nil {
		s.log.ErrorContext(ctx, "stripe: refund", "order", orderID, "err", err)
		return stripecard.Refund{}, ErrStripeDown
	}
	return r, nil
}

// BankAccount is where a cooperative takes transfers.
type BankAccount struct {
	BankBIN       string `json:"bank_bin"`
	AccountNumber string `json:"account_number"`
	AccountName   string `json:"account_name"`
}

// BankAccountOf returns a cooperative's account.
func (s *Service) BankAccountOf(ctx context.Context, coopID uuid.UUID) (BankAccount, error) {
	const q = `
SELECT bank_bin, account_number, account_name
FROM bank_accounts
WHERE cooperative_id = $1`
	var row struct {
		BIN    string `db:"bank_bin"`
		Number string `db:"account_number"`
		Name   string `db:"account_name"`
	}
	err := sqlx.GetContext(ctx, s.db, &row, q, coopID)
	if errors.Is(err, sql.ErrNoRows) {
		return BankAccount{}, ErrNoBankAccount
	}
	if err != nil {
		return BankAccount{}, fmt.Errorf("payment: bank account of %s: %w", coopID, err)
	}
	return BankAccount{BankBIN: row.BIN, AccountNumber: row.Number, AccountName: row.Name}, nil
}

// SetBankAccount sets a cooperative's account, checked as VietQR needs it.
func (s *Service) SetBankAccount(ctx context.Context, coopID uuid.UUID, a BankAccount) (BankAccount, error) {
	a.BankBIN, a.AccountNumber = strings.TrimSpace(a.BankBIN), strings.TrimSpace(a.AccountNumber)
	a.AccountName = strings.ToUpper(vietqr.FoldMessage(strings.TrimSpace(a.AccountName)))
	var v web.ValidationError
	if _, err := vietqr.Payload(vietqr.Transfer{BankBIN: a.BankBIN, Account: a.AccountNumber}); err != nil {
		var ve *vietqr.ValidationError
		if errors.As(err, &ve) {
			for _, f := range ve.Fields {
				field := map[string]string{"BankBIN": "bank_bin", "Account": "account_number"}[f.Field]
				if field != "" {
					v.Add(field, f.Message)
				}
			}
		}
	}
	v.Check(a.AccountName != "" && len(a.AccountName) <= 100, "account_name", "cần tên chủ tài khoản (tối đa 100 ký tự)")
	if err := v.Err(); err != nil {
		return BankAccount{}, err
	}
	const q = `
INSERT INTO bank_accounts (cooperative_id, bank_bin, account_number, account_name)
VALUES ($1, $2, $3, $4)
ON CONFLICT (cooperative_id) DO UPDATE
SET bank_bin = EXCLUDED.bank_bin, account_number = EXCLUDED.account_number,
    account_name = EXCLUDED.account_name, updated_at = now()`
	if _, err := s.db.ExecContext(ctx, q, coopID, a.BankBIN, a.AccountNumber, a.AccountName); err != nil {
		return BankAccount{}, fmt.Errorf("payment: set bank account of %s: %w", coopID, err)
	}
	return a, nil
}

// BankTransfer is one transfer the buyer makes: to one cooperative, for
// one sub-order, as a VietQR code. AmountVND is what is still due now:
// the rest of the deposit for a sub-order bought with one, else of the
// total; the sub-order's total, deposit, what it received and its balance
// due on delivery come with it.
type BankTransfer struct {
	SubOrderID      uuid.UUID `json:"sub_order_id"`
	SubOrderNumber  string    `json:"sub_order_number"`
	CooperativeName string    `json:"cooperative_name"`
	BankAccount
	TotalVND    int64  `json:"total_vnd"`
	DepositVND  int64  `json:"deposit_vnd"`
	ReceivedVND int64  `json:"received_vnd"`
	BalanceVND  int64  `json:"balance_vnd"`
	AmountVND   int64  `json:"amount_vnd"`
	Content     string `json:"content"`
	Payload     string `json:"payload"`
	QRSVG       string `json:"qr_svg"`
	Status      string `json:"status"`
}

// BankTransfers returns the transfers an unpaid bank-transfer order waits
// for, each with its VietQR code: the amount and the sub-order's number as
// the transfer's content, which the bank notification is matched by.
func (s *Service) BankTransfers(ctx context.Context, actor order.Actor, orderID uuid.UUID) ([]BankTransfer, *time.Time, error) {
	o, err := s.orders.Get(ctx, actor, orderID)
	if err != nil {
		return nil, nil, err
	}
	if o.PaymentMethod != order.MethodBankTransfer {
		return nil, nil, ErrNotBank
	}
	out := []BankTransfer{}
	for _, so := range o.SubOrders {
		acct, err := s.BankAccountOf(ctx, so.CooperativeID)
		if err != nil {
			return nil, nil, err
		}
		content := "HTX " + so.Number
		due := so.TotalVND
		if so.DepositVND > 0 {
			due = so.DepositVND
		}
		t := BankTransfer{SubOrderID: so.ID, SubOrderNumber: so.Number, CooperativeName: so.CooperativeName,
			BankAccount: acct, TotalVND: so.TotalVND, DepositVND: so.DepositVND, ReceivedVND: so.ReceivedVND,
			BalanceVND: so.BalanceVND, AmountVND: max(due-so.ReceivedVND, 0), Content: content, Status: string(so.Status)}
		if so.Status == order.StatusPendingPayment && t.AmountVND > 0 {
			t.Payload, err = vietqr.Payload(vietqr.Transfer{BankBIN: acct.BankBIN, Account: acct.AccountNumber,
				AmountVND: t.AmountVND, Message: content})
			if err != nil {
				return nil, nil, fmt.Errorf("payment: VietQR of %s: %w", so.Number, err)
			}
			svg, err := vietqr.SVG(t.Payload)
			if err != nil {
				return nil, nil, fmt.Errorf("payment: QR of %s: %w", so.Number, err)
			}
			t.QRSVG = string(svg)
		}
		out = append(out, t)
	}
	return out, o.PaymentDeadline, nil
}

// RecordTransfer records, for a person of the cooperative or staff, that a
// transfer for a sub-order arrived. key (the request's Idempotency-Key)
// makes a retry record it once.
func (s *Service) RecordTransfer(ctx context.Context, actor order.Actor, subOrderID uuid.UUID, amountVND int64, key string) (order.SubOrder, error) {
	key, err := order.CheckIdempotencyKey(key)
	if err != nil {
		return order.SubOrder{}, err
	}
	var so order.SubOrder
	err = db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		fresh, err := s.claimTransfer(ctx, tx, "manual", key, &subOrderID, amountVND, "", actorID(actor))
		if err != nil {
			return err
		}
		if !fresh {
			so, _, err = s.orders.SubOrder(ctx, actor, subOrderID)
			return err
		}
		so, err = s.orders.RecordTransfer(ctx, tx, actor, subOrderID, amountVND, false)
		return err
	})
	return so, err
}

// RecordBalance records, for a person of the cooperative or staff, that
// the balance of a sub-order bought with a deposit was paid on delivery,
// in cash or by transfer (method). Recording it again changes nothing.
func (s *Service) RecordBalance(ctx context.Context, actor order.Actor, subOrderID uuid.UUID, method string) (order.SubOrder, error) {
	var so order.SubOrder
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		var err error
		so, err = s.orders.RecordBalance(ctx, tx, actor, subOrderID, method)
		return err
	})
	return so, err
}

func actorID(a order.Actor) *uuid.UUID {
	if a.Principal == nil {
		return nil
	}
	return &a.Principal.UserID
}

// claimTransfer stores a transfer once per (source, reference); fresh is
// false for a repeat.
func (s *Service) claimTransfer(ctx context.Context, tx *sqlx.Tx, source, ref string, subOrder *uuid.UUID, amount int64, content string, actor *uuid.UUID) (bool, error) {
	if amount <= 0 || amount > 1_000_000_000_000 {
		return false, &web.ValidationError{Fields: []web.FieldError{{Field: "amount_vnd", Message: "số tiền phải lớn hơn 0"}}}
	}
	const q = `
INSERT INTO bank_transfers (source, reference, sub_order_id, amount_vnd, content, actor_id)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (source, reference) DO NOTHING`
	res, err := tx.ExecContext(ctx, q, source, ref, subOrder, amount, content, actor)
	if err != nil {
		return false, fmt.Errorf("payment: store transfer %s/%s: %w", source, ref, db.Classify(err))
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// BankNotification is what a bank-reconciliation service posts for each
// credit to a cooperative's account (the shape most Vietnamese services
// send): its transaction id, the amount, and the transfer's content.
type BankNotification struct {
	TransactionID string `json:"transaction_id"`
	AmountVND     int64  `json:"amount_vnd"`
	Content       string `json:"content"`
	AccountNumber string `json:"account_number"`
	ReceivedAt    string `json:"received_at"`
}

// NotificationResult says what a notification did.
type NotificationResult struct {
	Outcome        string `json:"outcome"` // matched, flagged, unmatched, replay
	SubOrderNumber string `json:"sub_order_number,omitempty"`
}

// ApplyBankNotification verifies a notification's HMAC-SHA256 (hex, of the
// raw body, keyed by BANK_WEBHOOK_SECRET) and records the transfer against
// the sub-order its content names. A transaction id is applied once; a
// short or excess amount is flagged for a person; a content that names no
// sub-order is kept unmatched.
func (s *Service) ApplyBankNotification(ctx context.Context, body []byte, signature string) (NotificationResult, error) {
	if s.opts.BankWebhookSecret == "" {
		return NotificationResult{}, ErrWebhooksOff
	}
	if !VerifyBankSignature(s.opts.BankWebhookSecret, body, signature) {
		return NotificationResult{}, ErrBadSignature
	}
	var n BankNotification
	if err := json.Unmarshal(body, &n); err != nil || n.TransactionID == "" || len(n.TransactionID) > 100 || len(n.Content) > 500 {
		return NotificationResult{}, web.Detail(web.ErrInvalidJSON, "Thông báo chuyển khoản thiếu transaction_id, amount_vnd hoặc content.")
	}
	var out NotificationResult
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		out = NotificationResult{}
		subID, found, err := s.orders.FindSubOrderByReference(ctx, tx, n.Content)
		if err != nil {
			return err
		}
		var ref *uuid.UUID
		if found {
			ref = &subID
		}
		fresh, err := s.claimTransfer(ctx, tx, "bank", n.TransactionID, ref, n.AmountVND, n.Content, nil)
		if err != nil {
			return err
		}
		switch {
		case !fresh:
			out.Outcome = "replay"
			return nil
		case !found:
			out.Outcome = "unmatched"
			return nil
		}
		so, err := s.orders.RecordTransfer(ctx, tx, order.Actor{}, subID, n.AmountVND, true)
		if err != nil {
			if errors.Is(err, order.ErrWrongStatus) || errors.Is(err, order.ErrPaymentMethod) {
				out.Outcome = "unmatched" // kept for a person: the money is there
				return nil
			}
			return err
		}
		out.SubOrderNumber = so.Number
		out.Outcome = "matched"
		if so.PaymentFlag != "" {
			out.Outcome = "flagged"
		}
		return nil
	})
	return out, err
}

// VerifyBankSignature checks a bank notification's signature: the hex
// HMAC-SHA256 of the raw body with the shared secret.
func VerifyBankSignature(secret string, body []byte, signature string) bool {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	want := m.Sum(nil)
	got, err := hex.DecodeString(strings.TrimSpace(strings.TrimPrefix(signature, "sha256=")))
	return err == nil && hmac.Equal(got, want)
}

// SignBank signs a body as a bank notification sender does (tests, tools).
func SignBank(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// Ledger is the settlement ledger.
func (s *Service) Ledger() *ledger.Service { return s.ledger }
