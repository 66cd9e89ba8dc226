// Package ledger is the platform's double-entry settlement ledger: for each
// cooperative, what the platform collected for it by card, what it owes
// it, the commission it earns, the commission a cooperative owes on sales
// it collected itself (cash on delivery, bank transfer), refunds and the
// payouts staff make by bank transfer; and the statement a cooperative
// downloads.
//
// Every business event is one journal of signed entries (debit > 0,
// credit < 0) that sum to zero. The rule is checked here before writing and
// again by the database at commit, which also keeps the ledger append-only.
// Each journal has a key ("sale:<sub-order>", "refund:<refund key>", …):
// posting the same key again changes nothing and returns the first journal,
// so that webhooks and state changes may be retried.
//
// Money is int64 VND. A commission is amount × rate / 10 000 rounded half
// up, in integers (see Commission).
package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/web"
)

// Errors of this package.
var (
	ErrInvalidAmount       = errors.New("số tiền không hợp lệ")
	ErrInvalidRate         = errors.New("tỷ lệ hoa hồng không hợp lệ")
	ErrInvalidKey          = errors.New("mã giao dịch không hợp lệ")
	ErrKeyConflict         = errors.New("mã giao dịch này đã được dùng cho một giao dịch khác")
	ErrUnbalanced          = errors.New("bút toán không cân: tổng ghi nợ và ghi có phải bằng nhau")
	ErrJournalNotFound     = errors.New("không tìm thấy bút toán")
	ErrCooperativeNotFound = errors.New("không tìm thấy hợp tác xã")
	ErrSaleNotFound        = errors.New("chưa ghi nhận doanh thu của đơn hàng này cho hợp tác xã")
	ErrRefundTooLarge      = errors.New("tổng số tiền hoàn vượt quá giá trị đơn hàng")
	ErrRefundMethod        = errors.New("cách hoàn tiền không khớp với cách đơn hàng đã được thanh toán")
	ErrPayoutTooLarge      = errors.New("số tiền chi trả vượt quá số dư phải trả cho hợp tác xã")
	ErrNothingToOffset     = errors.New("không có khoản hoa hồng phải thu nào để bù trừ")
	ErrInvalidPeriod       = errors.New("khoảng thời gian sao kê không hợp lệ")
)

// MaxAmountVND bounds every amount (one thousand billion đồng), far above
// any sub-order, so that amount × rate never overflows int64.
const MaxAmountVND int64 = 1_000_000_000_000

// maxKeyLen bounds refund keys and bank references.
const maxKeyLen = 200

// vietnam is the time zone of dates on statements and of "today" for
// payouts; Vietnam keeps no daylight saving time.
var vietnam = time.FixedZone("ICT", 7*60*60)

// Commission returns amountVND × bps / 10 000 rounded half up, in integers:
// 5% of 10 đồng is 1 (0.5 rounds up), of 9 đồng is 0 (0.45 rounds down).
// amountVND must be in [0, MaxAmountVND] and bps in [0, 10 000].
func Commission(amountVND int64, bps int) int64 {
	return (amountVND*int64(bps) + 5_000) / 10_000
}

// Service posts the ledger's journals and reads its balances and
// statements.
type Service struct {
	db    *sqlx.DB
	store *Store
	bps   int
	now   func() time.Time
}

// NewService returns a Service on d that charges commissionBPS basis points
// (500 = 5%) on sales. A rate outside [0, 10 000] makes every sale fail
// with ErrInvalidRate; the configuration should refuse it first.
func NewService(d *sqlx.DB, commissionBPS int) *Service {
	return &Service{db: d, store: NewStore(), bps: commissionBPS, now: time.Now}
}

// RecordCardSale books a delivered sub-order paid by card: the platform
// holds the amount, owes the cooperative all but the commission and earns
// the commission. It runs in the caller's transaction (the sub-order's
// state change), so that the ledger moves with it. Post it on delivery,
// not on payment: what is payable is then only what was delivered, and a
// sub-order cancelled before delivery is refunded without the ledger.
//
//	platform_cash       +amount
//	coop_payable        -(amount - commission)
//	commission_revenue  -commission
func (s *Service) RecordCardSale(ctx context.Context, ext sqlx.ExtContext, coopID, subOrderID uuid.UUID, amountVND int64) error {
	_, err := s.recordSale(ctx, ext, KindCardSale, coopID, subOrderID, amountVND)
	return err
}

// RecordDirectSale books a delivered sub-order paid to the cooperative
// itself, by cash on delivery or bank transfer: the cooperative owes the
// platform the commission. The gross is kept on the journal only, since
// that money never passes through the platform. It runs in the caller's
// transaction.
//
//	coop_receivable     +commission
//	commission_revenue  -commission
func (s *Service) RecordDirectSale(ctx context.Context, ext sqlx.ExtContext, coopID, subOrderID uuid.UUID, amountVND int64) error {
	_, err := s.recordSale(ctx, ext, KindDirectSale, coopID, subOrderID, amountVND)
	return err
}

// RecordBalanceSale books the balance of a sub-order bought with a deposit
// (đặt cọc), paid to the cooperative itself on delivery, in cash or by
// transfer: a direct sale of that amount, with its commission, under its
// own key ("balance:<sub-order>"), so that the deposit's sale
// ("sale:<sub-order>", by card or direct) and the balance are each
// recorded exactly once. Refunds reverse the deposit's sale only.
//
//	coop_receivable     +commission
//	commission_revenue  -commission
func (s *Service) RecordBalanceSale(ctx context.Context, ext sqlx.ExtContext, coopID, subOrderID uuid.UUID, amountVND int64) error {
	_, err := s.recordSaleKey(ctx, ext, KindDirectSale, balanceKey(subOrderID), coopID, subOrderID, amountVND)
	return err
}

func balanceKey(subOrderID uuid.UUID) string { return "balance:" + subOrderID.String() }

func (s *Service) recordSale(ctx context.Context, ext sqlx.ExtContext, kind Kind, coopID, subOrderID uuid.UUID, amount int64) (Journal, error) {
	return s.recordSaleKey(ctx, ext, kind, saleKey(subOrderID), coopID, subOrderID, amount)
}

func (s *Service) recordSaleKey(ctx context.Context, ext sqlx.ExtContext, kind Kind, key string, coopID, subOrderID uuid.UUID, amount int64) (Journal, error) {
	if err := checkAmount(amount); err != nil {
		return Journal{}, err
	}
	if s.bps < 0 || s.bps > 10_000 {
		return Journal{}, fmt.Errorf("ledger: %d bps: %w", s.bps, ErrInvalidRate)
	}
	c := Commission(amount, s.bps)
	var entries []Entry
	if kind == KindCardSale {
		entries = []Entry{{PlatformCash, amount}, {CoopPayable, -(amount - c)}, {CommissionRevenue, -c}}
	} else {
		entries = []Entry{{CoopReceivable, c}, {CommissionRevenue, -c}}
	}
	bps := s.bps
	return s.post(ctx, ext, Journal{
		Key: key, Kind: kind, CooperativeID: coopID, SubOrderID: &subOrderID,
		AmountVND: amount, CommissionBPS: &bps, Entries: entries,
	})
}

func saleKey(subOrderID uuid.UUID) string { return "sale:" + subOrderID.String() }

// RecordRefund books a refund of part or all of a sub-order's sale, in the
// caller's transaction. key identifies the refund (the Stripe refund's id,
// or the return's id for a refund the cooperative pays) and makes the call
// idempotent; it is stored as "refund:<key>". card says the platform
// returns the money to the card; otherwise the cooperative returns it
// itself. It must match how the sale was paid (ErrRefundMethod), and the
// refunds of a sub-order may not exceed its sale (ErrRefundTooLarge).
//
// The commission is reversed so that what is kept after any number of
// refunds is exactly the commission on what remains sold, at the sale's
// rate: a full refund reverses all of it, and partial refunds add up to
// the same. For a card refund:
//
//	platform_cash       -refund
//	coop_payable        +(refund - reversed commission)
//	commission_revenue  +reversed commission
//
// and for a refund by the cooperative:
//
//	coop_receivable     -reversed commission
//	commission_revenue  +reversed commission
//
// A card refund after a payout may leave the cooperative owing the
// platform (a negative payable): the customer's refund cannot wait. A
// sub-order whose sale was never booked (cancelled before delivery) has
// nothing to reverse: ErrSaleNotFound.
func (s *Service) RecordRefund(ctx context.Context, ext sqlx.ExtContext, coopID, subOrderID uuid.UUID, key string, amountVND int64, card bool) error {
	_, err := s.recordRefund(ctx, ext, coopID, subOrderID, key, amountVND, card)
	return err
}

func (s *Service) recordRefund(ctx context.Context, ext sqlx.ExtContext, coopID, subOrderID uuid.UUID, key string, amount int64, card bool) (Journal, error) {
	if err := checkAmount(amount); err != nil {
		return Journal{}, err
	}
	if err := checkText(key); err != nil {
		return Journal{}, err
	}
	// Locking the sale makes the refunds of a sub-order add up one at a
	// time, so that together they cannot exceed it.
	sale, err := s.store.ByKey(ctx, ext, saleKey(subOrderID), true)
	if errors.Is(err, ErrJournalNotFound) || (err == nil && sale.CooperativeID != coopID) {
		return Journal{}, fmt.Errorf("ledger: refund of sub-order %s: %w", subOrderID, ErrSaleNotFound)
	}
	if err != nil {
		return Journal{}, err
	}
	kind := KindDirectRefund
	if card {
		kind = KindCardRefund
	}
	if card != (sale.Kind == KindCardSale) {
		return Journal{}, fmt.Errorf("ledger: %s of a %s: %w", kind, sale.Kind, ErrRefundMethod)
	}
	j := Journal{
		Key: "refund:" + key, Kind: kind, CooperativeID: coopID, SubOrderID: &subOrderID,
		AmountVND: amount, Reference: key,
	}
	// A retried refund is already among the refunds summed below: answer
	// it before the sum refuses it.
	if prev, err := s.store.ByKey(ctx, ext, j.Key, false); err == nil {
		return prev, sameEvent(prev, j)
	} else if !errors.Is(err, ErrJournalNotFound) {
		return Journal{}, err
	}
	before, err := s.store.Refunded(ctx, ext, subOrderID)
	if err != nil {
		return Journal{}, err
	}
	if before+amount > sale.AmountVND {
		return Journal{}, web.Detail(ErrRefundTooLarge,
			"Tổng số tiền hoàn (%s đ) vượt quá giá trị đơn hàng (%s đ).", formatVND(before+amount), formatVND(sale.AmountVND))
	}
	rev := reversedCommission(sale.AmountVND, *sale.CommissionBPS, before, before+amount)
	if card {
		j.Entries = []Entry{{PlatformCash, -amount}, {CoopPayable, amount - rev}, {CommissionRevenue, rev}}
	} else {
		j.Entries = []Entry{{CoopReceivable, -rev}, {CommissionRevenue, rev}}
	}
	return s.post(ctx, ext, j)
}

// reversedCommission returns the commission to reverse when the refunds of
// a sale of amount at bps grow from before to after: the commission kept is
// always the commission on the amount not refunded.
func reversedCommission(amount int64, bps int, before, after int64) int64 {
	return Commission(amount-before, bps) - Commission(amount-after, bps)
}

// RecordPayout books a bank transfer that staff (by) made to a cooperative
// on paidOn (its calendar date, in its own location), refusing more than the platform owes it (ErrPayoutTooLarge).
// The bank's transaction reference identifies the payout: recording the
// same reference again for the cooperative returns the first payout, and
// with another amount fails with ErrKeyConflict.
//
//	coop_payable   +amount
//	platform_cash  -amount
//
// Commission the cooperative owes on its own sales is not deducted here:
// OffsetReceivable does that, and should come first.
func (s *Service) RecordPayout(ctx context.Context, coopID uuid.UUID, amountVND int64, reference string, paidOn time.Time, by uuid.UUID) (Journal, error) {
	reference = strings.TrimSpace(reference)
	var v web.ValidationError
	v.Check(amountVND > 0 && amountVND <= MaxAmountVND, "amount_vnd", "Số tiền chi trả phải lớn hơn 0.")
	v.Check(reference != "", "reference", "Hãy nhập mã giao dịch chuyển khoản của ngân hàng.")
	v.Check(checkText(reference) == nil || reference == "", "reference", "Mã giao dịch quá dài hoặc có ký tự không hợp lệ.")
	today := s.now().In(vietnam).Format(time.DateOnly)
	v.Check(!paidOn.IsZero(), "paid_on", "Hãy nhập ngày chuyển khoản.")
	v.Check(paidOn.IsZero() || paidOn.Format(time.DateOnly) <= today, "paid_on", "Ngày chuyển khoản không thể ở tương lai.")
	v.Check(by != uuid.Nil, "by", "Thiếu người ghi nhận khoản chi trả.")
	if err := v.Err(); err != nil {
		return Journal{}, err
	}
	day, _ := time.Parse(time.DateOnly, paidOn.Format(time.DateOnly))
	j := Journal{
		Key: "payout:" + coopID.String() + ":" + reference, Kind: KindPayout, CooperativeID: coopID,
		AmountVND: amountVND, Reference: reference, PaidOn: &day, CreatedBy: &by,
		Entries: []Entry{{CoopPayable, amountVND}, {PlatformCash, -amountVND}},
	}
	var out Journal
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := s.store.LockCooperative(ctx, tx, coopID); err != nil {
			return err
		}
		// A retry of a recorded payout must not be refused for the balance
		// that the payout itself spent.
		if prev, err := s.store.ByKey(ctx, tx, j.Key, false); err == nil {
			out = prev
			return sameEvent(prev, j)
		} else if !errors.Is(err, ErrJournalNotFound) {
			return err
		}
		payable, err := s.store.Payable(ctx, tx, coopID)
		if err != nil {
			return err
		}
		if amountVND > payable {
			return web.Detail(ErrPayoutTooLarge, "Số tiền chi trả (%s đ) vượt quá số dư phải trả cho hợp tác xã (%s đ).",
				formatVND(amountVND), formatVND(max(payable, 0)))
		}
		out, err = s.post(ctx, tx, j)
		return err
	})
	if err != nil {
		return Journal{}, err
	}
	return out, nil
}

// OffsetReceivable deducts the commission a cooperative owes on its own
// sales from what the platform owes it, as far as both go, and returns the
// journal (ErrNothingToOffset when either is zero). Staff run it before a
// payout, so that the transfer is the net amount.
//
//	coop_payable     +offset
//	coop_receivable  -offset
func (s *Service) OffsetReceivable(ctx context.Context, coopID uuid.UUID, by uuid.UUID) (Journal, error) {
	var out Journal
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := s.store.LockCooperative(ctx, tx, coopID); err != nil {
			return err
		}
		sums, err := s.store.AccountSums(ctx, tx, coopID, nil)
		if err != nil {
			return err
		}
		amount := min(-sums[CoopPayable], sums[CoopReceivable])
		if amount <= 0 {
			return ErrNothingToOffset
		}
		out, err = s.post(ctx, tx, Journal{
			Key: "offset:" + uuid.Must(uuid.NewV7()).String(), Kind: KindOffset, CooperativeID: coopID,
			AmountVND: amount, CreatedBy: &by,
			Entries: []Entry{{CoopPayable, amount}, {CoopReceivable, -amount}},
		})
		return err
	})
	if err != nil {
		return Journal{}, err
	}
	return out, nil
}

// post writes j unless its key is taken, and returns it, or the journal
// that took the key when that records the same event (else
// ErrKeyConflict). Entries of zero are dropped; the rest must sum to zero.
func (s *Service) post(ctx context.Context, ext sqlx.ExtContext, j Journal) (Journal, error) {
	entries := make([]Entry, 0, len(j.Entries))
	var sum int64
	for _, e := range j.Entries {
		if e.AmountVND != 0 {
			entries = append(entries, e)
			sum += e.AmountVND
		}
	}
	if sum != 0 {
		return Journal{}, fmt.Errorf("ledger: %s sums to %d: %w", j.Key, sum, ErrUnbalanced)
	}
	j.Entries = entries
	j.ID = uuid.Must(uuid.NewV7())
	j.PostedAt = s.now()
	created, err := s.store.Insert(ctx, ext, j)
	if err != nil {
		return Journal{}, err
	}
	if created {
		return j, nil
	}
	prev, err := s.store.ByKey(ctx, ext, j.Key, false)
	if err != nil {
		return Journal{}, err
	}
	return prev, sameEvent(prev, j)
}

// sameEvent reports ErrKeyConflict when a journal found under j's key
// records another event, which a retry never does.
func sameEvent(prev, j Journal) error {
	same := prev.Kind == j.Kind && prev.CooperativeID == j.CooperativeID && prev.AmountVND == j.AmountVND &&
		(prev.SubOrderID == nil) == (j.SubOrderID == nil) && (j.SubOrderID == nil || *prev.SubOrderID == *j.SubOrderID)
	if !same {
		return fmt.Errorf("ledger: key %s holds a %s of %d đ for %s: %w",
			j.Key, prev.Kind, prev.AmountVND, prev.CooperativeID, ErrKeyConflict)
	}
	return nil
}

// Journal returns the journal with key and its entries.
func (s *Service) Journal(ctx context.Context, key string) (Journal, error) {
	return s.store.ByKey(ctx, s.db, key, false)
}

// Balances returns a cooperative's balances and totals, all read from one
// snapshot.
func (s *Service) Balances(ctx context.Context, coopID uuid.UUID) (Balances, error) {
	b := Balances{CooperativeID: coopID}
	err := readOnly(ctx, s.db, func(tx *sqlx.Tx) error {
		sums, err := s.store.AccountSums(ctx, tx, coopID, nil)
		if err != nil {
			return err
		}
		kinds, err := s.store.KindSums(ctx, tx, coopID)
		if err != nil {
			return err
		}
		b.PayableVND = -sums[CoopPayable]
		b.ReceivableVND = sums[CoopReceivable]
		b.NetVND = b.PayableVND - b.ReceivableVND
		b.CommissionVND = -sums[CommissionRevenue]
		b.CardSalesVND = kinds[KindCardSale]
		b.DirectSalesVND = kinds[KindDirectSale]
		b.RefundsVND = kinds[KindCardRefund] + kinds[KindDirectRefund]
		b.PayoutsVND = kinds[KindPayout]
		b.OffsetsVND = kinds[KindOffset]
		return nil
	})
	return b, err
}

// Statement returns a cooperative's journals posted in [from, to), oldest
// first, after an opening line with the balances at from; each line
// carries the balances after it.
func (s *Service) Statement(ctx context.Context, coopID uuid.UUID, from, to time.Time) ([]StatementLine, error) {
	if from.IsZero() || !from.Before(to) {
		return nil, ErrInvalidPeriod
	}
	var lines []StatementLine
	err := readOnly(ctx, s.db, func(tx *sqlx.Tx) error {
		opening, err := s.store.AccountSums(ctx, tx, coopID, &from)
		if err != nil {
			return err
		}
		rest, err := s.store.Lines(ctx, tx, coopID, from, to)
		if err != nil {
			return err
		}
		open := StatementLine{
			PostedAt: from, Kind: KindOpening,
			PayableBalanceVND: -opening[CoopPayable], ReceivableBalanceVND: opening[CoopReceivable],
		}
		lines = append(make([]StatementLine, 0, len(rest)+1), open)
		payable, receivable := open.PayableBalanceVND, open.ReceivableBalanceVND
		for _, l := range rest {
			payable += l.PayableChangeVND
			receivable += l.ReceivableChangeVND
			l.PayableBalanceVND, l.ReceivableBalanceVND = payable, receivable
			lines = append(lines, l)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return lines, nil
}

// TrialBalance returns the sum of every entry of the ledger, which is
// always zero; anything else is a defect to investigate.
func (s *Service) TrialBalance(ctx context.Context) (int64, error) {
	return s.store.Total(ctx, s.db)
}

// readOnly runs fn in a read-only repeatable-read transaction, so that its
// queries see one snapshot.
func readOnly(ctx context.Context, d *sqlx.DB, fn func(tx *sqlx.Tx) error) error {
	return db.InTxOpts(ctx, d, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}, fn)
}

func checkAmount(amount int64) error {
	if amount <= 0 || amount > MaxAmountVND {
		return fmt.Errorf("ledger: %d đ: %w", amount, ErrInvalidAmount)
	}
	return nil
}

// checkText accepts a refund key or bank reference: non-empty, short and
// free of control characters, since it is shown on statements.
func checkText(s string) error {
	if s == "" || len(s) > maxKeyLen || !utf8.ValidString(s) {
		return ErrInvalidKey
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return ErrInvalidKey
		}
	}
	return nil
}

// formatVND writes an amount with dots between thousands, as Vietnamese
// readers write it: 1.250.000.
func formatVND(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}
