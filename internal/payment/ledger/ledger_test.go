package ledger

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/platform/web"
)

// The tests are in the package so that they can set the service's clock.

const bps = 500 // 5%

func newCoop(t *testing.T, d *sqlx.DB) uuid.UUID {
	t.Helper()
	id := uuid.Must(uuid.NewV7())
	const q = `
INSERT INTO cooperatives (id, slug, name, province_slug, status)
VALUES ($1, $2, $3, 'thai-nguyen', 'verified')`
	if _, err := d.Exec(q, id, "htx-"+id.String(), "HTX "+id.String()[:8]); err != nil {
		t.Fatal(err)
	}
	return id
}

func newUser(t *testing.T, d *sqlx.DB) uuid.UUID {
	t.Helper()
	id := uuid.Must(uuid.NewV7())
	const q = `
INSERT INTO users (id, email, password_hash, full_name)
VALUES ($1, $2, 'x', 'Nhân viên Đối soát')`
	if _, err := d.Exec(q, id, id.String()+"@example.vn"); err != nil {
		t.Fatal(err)
	}
	return id
}

// inTx runs fn as a caller would: inside the transaction of an order's
// state change.
func inTx(t *testing.T, d *sqlx.DB, fn func(tx *sqlx.Tx) error) error {
	t.Helper()
	return db.InTx(context.Background(), d, fn)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// checkBooks asserts the ledger's invariants: every journal sums to zero,
// and so does the whole ledger.
func checkBooks(t *testing.T, s *Service) {
	t.Helper()
	ctx := context.Background()
	if tb, err := s.TrialBalance(ctx); err != nil || tb != 0 {
		t.Errorf("trial balance = %d, %v; want 0", tb, err)
	}
	var bad []string
	const q = `
SELECT j.key
FROM ledger_journals j
JOIN ledger_entries e ON e.journal_id = j.id
GROUP BY j.key
HAVING sum(e.amount_vnd) <> 0`
	if err := s.db.Select(&bad, q); err != nil {
		t.Fatal(err)
	}
	if len(bad) > 0 {
		t.Errorf("unbalanced journals: %v", bad)
	}
}

func platformSum(t *testing.T, d *sqlx.DB, a Account) int64 {
	t.Helper()
	var n int64
	if err := d.Get(&n, `SELECT coalesce(sum(amount_vnd), 0)::bigint FROM ledger_entries WHERE account = $1`, string(a)); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCommission(t *testing.T) {
	tests := []struct {
		name   string
		amount int64
		bps    int
		want   int64
	}{
		{"exact", 100_000, 500, 5_000},
		{"half rounds up", 10, 500, 1},           // 0.5
		{"below half rounds down", 9, 500, 0},    // 0.45
		{"one and a half rounds up", 30, 500, 2}, // 1.5
		{"odd amount", 123_457, 500, 6_173},      // 6172.85
		{"fractional rate", 12_345, 250, 309},    // 308.625
		{"just under half", 3, 1_666, 0},         // 0.4998
		{"just at half", 1, 5_000, 1},            // 0.5
		{"zero amount", 0, 500, 0},               // nothing sold
		{"zero rate", 1_000_000, 0, 0},           // no commission
		{"whole amount", 777, 10_000, 777},       // 100%
		{"largest amount", MaxAmountVND, 10_000, MaxAmountVND},
		{"largest amount 5%", MaxAmountVND, 500, MaxAmountVND / 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Commission(tt.amount, tt.bps); got != tt.want {
				t.Errorf("Commission(%d, %d) = %d, want %d", tt.amount, tt.bps, got, tt.want)
			}
		})
	}
}

// TestReversedCommissionAddsUp checks that however a sale is refunded in
// parts, the reversals are never negative and add up to the sale's
// commission, and that what is kept is the commission on what remains.
func TestReversedCommissionAddsUp(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 10_000; i++ {
		amount := 1 + r.Int64N(5_000_000)
		rate := r.IntN(10_001)
		var refunded, reversed int64
		for refunded < amount {
			part := 1 + r.Int64N(amount-refunded)
			rev := reversedCommission(amount, rate, refunded, refunded+part)
			if rev < 0 {
				t.Fatalf("sale %d at %d bps: refund %d after %d reverses %d", amount, rate, part, refunded, rev)
			}
			refunded += part
			reversed += rev
			if kept := Commission(amount, rate) - reversed; kept != Commission(amount-refunded, rate) {
				t.Fatalf("sale %d at %d bps, %d refunded: kept %d, want %d", amount, rate, refunded, kept, Commission(amount-refunded, rate))
			}
		}
		if reversed != Commission(amount, rate) {
			t.Fatalf("sale %d at %d bps: reversed %d of %d", amount, rate, reversed, Commission(amount, rate))
		}
	}
}

func TestFormatVND(t *testing.T) {
	for in, want := range map[int64]string{0: "0", 999: "999", 1_000: "1.000", 1_250_000: "1.250.000", -285_001: "-285.001"} {
		if got := formatVND(in); got != want {
			t.Errorf("formatVND(%d) = %q, want %q", in, got, want)
		}
	}
}

// TestDayOfTrade posts a day of card and cash-on-delivery sales, refunds
// in full and in part, payouts and an offset across two cooperatives, and
// checks the books against the arithmetic written out beside each step.
func TestDayOfTrade(t *testing.T) {
	d := dbtest.New(t)
	s := NewService(d, bps)
	ctx := context.Background()
	a, b := newCoop(t, d), newCoop(t, d)
	staff := newUser(t, d)
	sub := map[string]uuid.UUID{}
	for _, k := range []string{"a1", "a2", "a3", "a4", "b1", "b2"} {
		sub[k] = uuid.Must(uuid.NewV7())
	}
	step := func(name string, fn func(tx *sqlx.Tx) error) {
		t.Helper()
		if err := inTx(t, d, fn); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}

	// Cooperative A.
	step("card sale a1", func(tx *sqlx.Tx) error { // commission 50 000, payable 950 000
		return s.RecordCardSale(ctx, tx, a, sub["a1"], 1_000_000)
	})
	step("card sale a2", func(tx *sqlx.Tx) error { // commission 12 500, payable 1 187 500
		return s.RecordCardSale(ctx, tx, a, sub["a2"], 250_000)
	})
	step("COD sale a3", func(tx *sqlx.Tx) error { // receivable 20 000
		return s.RecordDirectSale(ctx, tx, a, sub["a3"], 400_000)
	})
	step("bank transfer sale a4", func(tx *sqlx.Tx) error { // 6 172.85 → 6 173; receivable 26 173
		return s.RecordDirectSale(ctx, tx, a, sub["a4"], 123_457)
	})
	step("full card refund a2", func(tx *sqlx.Tx) error { // reverses 12 500; payable 950 000
		return s.RecordRefund(ctx, tx, a, sub["a2"], "re_a2", 250_000, true)
	})
	step("partial card refund a1", func(tx *sqlx.Tx) error {
		// kept: commission on 699 999 = 34 999.95 → 35 000, so 15 000 is
		// reversed; payable 950 000 - (300 001 - 15 000) = 664 999
		return s.RecordRefund(ctx, tx, a, sub["a1"], "re_a1", 300_001, true)
	})
	step("partial COD refund a3", func(tx *sqlx.Tx) error { // kept 15 000, reverses 5 000; receivable 21 173
		return s.RecordRefund(ctx, tx, a, sub["a3"], "return-a3", 100_000, false)
	})
	if _, err := s.RecordPayout(ctx, a, 600_000, "FT24001", time.Now(), staff); err != nil { // payable 64 999
		t.Fatal(err)
	}
	off, err := s.OffsetReceivable(ctx, a, staff) // min(64 999, 21 173): payable 43 826, receivable 0
	if err != nil || off.AmountVND != 21_173 {
		t.Fatalf("offset: %+v, %v", off, err)
	}
	if _, err := s.OffsetReceivable(ctx, a, staff); !errors.Is(err, ErrNothingToOffset) {
		t.Fatalf("second offset: %v, want ErrNothingToOffset", err)
	}

	// Cooperative B: a full card refund after the payout leaves it owing.
	step("card sale b1", func(tx *sqlx.Tx) error { // commission 100 000, payable 1 900 000
		return s.RecordCardSale(ctx, tx, b, sub["b1"], 2_000_000)
	})
	step("COD sale b2", func(tx *sqlx.Tx) error { // 27 777.75 → 27 778
		return s.RecordDirectSale(ctx, tx, b, sub["b2"], 555_555)
	})
	if _, err := s.RecordPayout(ctx, b, 1_900_000, "FT24002", time.Now(), staff); err != nil { // payable 0
		t.Fatal(err)
	}
	step("full card refund b1 after payout", func(tx *sqlx.Tx) error { // payable -1 900 000
		return s.RecordRefund(ctx, tx, b, sub["b1"], "re_b1", 2_000_000, true)
	})

	tests := []struct {
		name string
		coop uuid.UUID
		want Balances
	}{
		{"cooperative A", a, Balances{
			CooperativeID: a,
			PayableVND:    43_826, ReceivableVND: 0, NetVND: 43_826,
			CardSalesVND: 1_250_000, DirectSalesVND: 523_457,
			// 50 000 + 12 500 + 20 000 + 6 173 - 12 500 - 15 000 - 5 000
			CommissionVND: 56_173,
			RefundsVND:    650_001, PayoutsVND: 600_000, OffsetsVND: 21_173,
		}},
		{"cooperative B", b, Balances{
			CooperativeID: b,
			PayableVND:    -1_900_000, ReceivableVND: 27_778, NetVND: -1_927_778,
			CardSalesVND: 2_000_000, DirectSalesVND: 555_555,
			CommissionVND: 27_778,
			RefundsVND:    2_000_000, PayoutsVND: 1_900_000,
		}},
		{"cooperative without sales", newCoop(t, d), Balances{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Balances(ctx, tt.coop)
			if err != nil {
				t.Fatal(err)
			}
			tt.want.CooperativeID = tt.coop
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("balances (-want +got):\n%s", diff)
			}
		})
	}

	// The platform's side: cash is card sales less card refunds and
	// payouts: 3 250 000 - 2 550 001 - 2 500 000; its revenue is the
	// cooperatives' commission.
	if got := platformSum(t, d, PlatformCash); got != -1_800_001 {
		t.Errorf("platform cash = %d, want -1 800 001", got)
	}
	if got := -platformSum(t, d, CommissionRevenue); got != 56_173+27_778 {
		t.Errorf("commission revenue = %d, want 83 951", got)
	}
	checkBooks(t, s)

	// Cooperative A's sale a1 is now 1 000 000 with 300 001 refunded: the
	// rest may be refunded, no more.
	err = inTx(t, d, func(tx *sqlx.Tx) error {
		return s.RecordRefund(ctx, tx, a, sub["a1"], "re_a1_too_much", 700_000, true)
	})
	if !errors.Is(err, ErrRefundTooLarge) {
		t.Fatalf("refund beyond the sale: %v, want ErrRefundTooLarge", err)
	}
	step("refund the rest of a1", func(tx *sqlx.Tx) error { // reverses the last 35 000
		return s.RecordRefund(ctx, tx, a, sub["a1"], "re_a1_rest", 699_999, true)
	})
	var kept int64
	must(t, d.Get(&kept, `
SELECT coalesce(-sum(e.amount_vnd), 0)::bigint
FROM ledger_entries e
JOIN ledger_journals j ON j.id = e.journal_id
WHERE j.sub_order_id = $1 AND e.account = 'commission_revenue'`, sub["a1"]))
	if kept != 0 {
		t.Errorf("commission kept on a fully refunded sale = %d, want 0", kept)
	}
	checkBooks(t, s)
}

// TestLedgerMovesWithCallersTransaction: a sale posted in a transaction
// that rolls back leaves no trace.
func TestLedgerMovesWithCallersTransaction(t *testing.T) {
	d := dbtest.New(t)
	s := NewService(d, bps)
	ctx := context.Background()
	coop := newCoop(t, d)
	boom := errors.New("the order's state change failed")
	err := inTx(t, d, func(tx *sqlx.Tx) error {
		if err := s.RecordCardSale(ctx, tx, coop, uuid.New(), 500_000); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if b, _ := s.Balances(ctx, coop); b.CardSalesVND != 0 || b.PayableVND != 0 {
		t.Fatalf("rolled-back sale left %+v", b)
	}
}

func TestSameKeyTwiceChangesNothing(t *testing.T) {
	d := dbtest.New(t)
	s := NewService(d, bps)
	ctx := context.Background()
	coop, other := newCoop(t, d), newCoop(t, d)
	staff := newUser(t, d)
	sale, cod := uuid.New(), uuid.New()
	count := func() (journals, entries int) {
		t.Helper()
		must(t, d.Get(&journals, `SELECT count(*) FROM ledger_journals`))
		must(t, d.Get(&entries, `SELECT count(*) FROM ledger_entries`))
		return
	}

	for i := 0; i < 2; i++ {
		must(t, inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordCardSale(ctx, tx, coop, sale, 1_000_000) }))
		must(t, inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordDirectSale(ctx, tx, coop, cod, 200_000) }))
		must(t, inTx(t, d, func(tx *sqlx.Tx) error {
			return s.RecordRefund(ctx, tx, coop, sale, "re_1", 400_000, true)
		}))
	}
	first, err := s.RecordPayout(ctx, coop, 100_000, "FT-1", time.Now(), staff)
	must(t, err)
	before, _ := s.Balances(ctx, coop)
	j0, e0 := count()
	if j0 != 4 || e0 != 3+2+3+2 {
		t.Fatalf("%d journals, %d entries; want 4 and 10", j0, e0)
	}

	// The same events again, one after another and at once.
	again, err := s.RecordPayout(ctx, coop, 100_000, " FT-1 ", time.Now(), staff)
	if err != nil || again.ID != first.ID {
		t.Fatalf("payout again: %v, %v; want the first journal %s", again.ID, err, first.ID)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 30)
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordCardSale(ctx, tx, coop, sale, 1_000_000) })
			errs <- inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordRefund(ctx, tx, coop, sale, "re_1", 400_000, true) })
			_, err := s.RecordPayout(ctx, coop, 100_000, "FT-1", time.Now(), staff)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("retry failed: %v", err)
		}
	}
	after, _ := s.Balances(ctx, coop)
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("balances changed by retries (-before +after):\n%s", diff)
	}
	if j, e := count(); j != j0 || e != e0 {
		t.Errorf("after retries %d journals, %d entries; want %d, %d", j, e, j0, e0)
	}
	got, err := s.Journal(ctx, "sale:"+sale.String())
	if err != nil || got.Kind != KindCardSale || len(got.Entries) != 3 {
		t.Fatalf("sale journal %+v, %v", got, err)
	}

	// The same key for another event is a defect, not a retry.
	conflicts := []struct {
		name string
		post func(tx *sqlx.Tx) error
	}{
		{"card sale of another amount", func(tx *sqlx.Tx) error { return s.RecordCardSale(ctx, tx, coop, sale, 999_999) }},
		{"direct sale of a card-sold sub-order", func(tx *sqlx.Tx) error { return s.RecordDirectSale(ctx, tx, coop, sale, 1_000_000) }},
		{"sale of the sub-order for another cooperative", func(tx *sqlx.Tx) error { return s.RecordCardSale(ctx, tx, other, sale, 1_000_000) }},
		{"refund key of another amount", func(tx *sqlx.Tx) error { return s.RecordRefund(ctx, tx, coop, sale, "re_1", 1, true) }},
		{"refund key reused on another sub-order", func(tx *sqlx.Tx) error { return s.RecordRefund(ctx, tx, coop, cod, "re_1", 1, false) }},
	}
	for _, c := range conflicts {
		t.Run(c.name, func(t *testing.T) {
			if err := inTx(t, d, c.post); !errors.Is(err, ErrKeyConflict) {
				t.Errorf("got %v, want ErrKeyConflict", err)
			}
		})
	}
	if _, err := s.RecordPayout(ctx, coop, 50_000, "FT-1", time.Now(), staff); !errors.Is(err, ErrKeyConflict) {
		t.Errorf("payout reference reused with another amount: %v, want ErrKeyConflict", err)
	}
	if j, e := count(); j != j0 || e != e0 {
		t.Errorf("after conflicts %d journals, %d entries; want %d, %d", j, e, j0, e0)
	}
}

// TestDatabaseRefusesWhatGoNeverWrites writes journals by hand in SQL: the
// schema must refuse unbalanced ones, additions to a closed journal and any
// change of history.
func TestDatabaseRefusesWhatGoNeverWrites(t *testing.T) {
	d := dbtest.New(t)
	s := NewService(d, bps)
	ctx := context.Background()
	coop := newCoop(t, d)
	must(t, inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordCardSale(ctx, tx, coop, uuid.New(), 100_000) }))
	sale := func() uuid.UUID {
		var id uuid.UUID
		must(t, d.Get(&id, `SELECT id FROM ledger_journals LIMIT 1`))
		return id
	}()

	const journal = `
INSERT INTO ledger_journals (id, key, kind, cooperative_id, amount_vnd, reference, posted_at)
VALUES ($1, $2, 'offset', $3, 100, '', now())`
	const entry = `
INSERT INTO ledger_entries (journal_id, cooperative_id, account, amount_vnd)
VALUES ($1, $2, $3, $4)`
	tests := []struct {
		name       string
		constraint string
		write      func(tx *sqlx.Tx) error
	}{
		{"entries that do not sum to zero", "ledger_journal_balanced", func(tx *sqlx.Tx) error {
			id := uuid.New()
			if _, err := tx.Exec(journal, id, "hand:1", coop); err != nil {
				return err
			}
			if _, err := tx.Exec(entry, id, coop, "coop_payable", 100); err != nil {
				return err
			}
			_, err := tx.Exec(entry, id, coop, "coop_receivable", -99)
			return err
		}},
		{"a single entry", "ledger_journal_balanced", func(tx *sqlx.Tx) error {
			id := uuid.New()
			if _, err := tx.Exec(journal, id, "hand:2", coop); err != nil {
				return err
			}
			_, err := tx.Exec(entry, id, coop, "coop_payable", 100)
			return err
		}},
		{"an entry added to a committed journal", "ledger_journal_closed", func(tx *sqlx.Tx) error {
			_, err := tx.Exec(entry, sale, coop, "coop_payable", 1)
			return err
		}},
		{"a balanced pair added to a committed journal", "ledger_journal_closed", func(tx *sqlx.Tx) error {
			if _, err := tx.Exec(entry, sale, coop, "coop_payable", 1); err != nil {
				return err
			}
			_, err := tx.Exec(entry, sale, coop, "coop_receivable", -1)
			return err
		}},
		{"an amount changed", "ledger_append_only", func(tx *sqlx.Tx) error {
			_, err := tx.Exec(`UPDATE ledger_entries SET amount_vnd = amount_vnd * 2`)
			return err
		}},
		{"an entry deleted", "ledger_append_only", func(tx *sqlx.Tx) error {
			_, err := tx.Exec(`DELETE FROM ledger_entries WHERE account = 'commission_revenue'`)
			return err
		}},
		{"a journal deleted", "ledger_append_only", func(tx *sqlx.Tx) error {
			_, err := tx.Exec(`DELETE FROM ledger_journals`)
			return err
		}},
		{"the ledger truncated", "ledger_append_only", func(tx *sqlx.Tx) error {
			_, err := tx.Exec(`TRUNCATE ledger_entries, ledger_journals`)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := inTx(t, d, tt.write)
			if c := db.Constraint(err); c != tt.constraint {
				t.Fatalf("got %v (constraint %q), want a refusal by %s", err, c, tt.constraint)
			}
		})
	}

	// One statement outside a transaction is checked at its end.
	_, err := d.Exec(`
WITH j AS (
    INSERT INTO ledger_journals (id, key, kind, cooperative_id, amount_vnd, posted_at)
    VALUES (gen_random_uuid(), 'hand:3', 'offset', $1, 5, now())
    RETURNING id, cooperative_id
)
INSERT INTO ledger_entries (journal_id, cooperative_id, account, amount_vnd)
SELECT id, cooperative_id, 'platform_cash', 5
FROM j`, coop)
	if db.Constraint(err) != "ledger_journal_balanced" || !errors.Is(classify(err), ErrUnbalanced) {
		t.Fatalf("single unbalanced statement: %v", err)
	}

	// Go refuses before the database is asked.
	_, err = s.post(ctx, d, Journal{Key: "go:1", Kind: KindOffset, CooperativeID: coop, AmountVND: 1,
		Entries: []Entry{{CoopPayable, 1}, {CoopReceivable, -2}}})
	if !errors.Is(err, ErrUnbalanced) {
		t.Fatalf("Go check: %v", err)
	}
	checkBooks(t, s)
	var n int
	must(t, d.Get(&n, `SELECT count(*) FROM ledger_journals`))
	if n != 1 {
		t.Fatalf("%d journals, want only the sale", n)
	}
}

func TestRefundRules(t *testing.T) {
	d := dbtest.New(t)
	s := NewService(d, bps)
	ctx := context.Background()
	coop, other := newCoop(t, d), newCoop(t, d)
	card, cod := uuid.New(), uuid.New()
	must(t, inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordCardSale(ctx, tx, coop, card, 1_000_000) }))
	must(t, inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordDirectSale(ctx, tx, coop, cod, 1_000_000) }))

	tests := []struct {
		name   string
		coop   uuid.UUID
		sub    uuid.UUID
		key    string
		amount int64
		card   bool
		want   error
	}{
		{"no sale recorded", coop, uuid.New(), "r1", 1, true, ErrSaleNotFound},
		{"another cooperative's sale", other, card, "r2", 1, true, ErrSaleNotFound},
		{"card refund of a COD sale", coop, cod, "r3", 1, true, ErrRefundMethod},
		{"cooperative refund of a card sale", coop, card, "r4", 1, false, ErrRefundMethod},
		{"more than the sale", coop, card, "r5", 1_000_001, true, ErrRefundTooLarge},
		{"zero", coop, card, "r6", 0, true, ErrInvalidAmount},
		{"negative", coop, card, "r7", -5, true, ErrInvalidAmount},
		{"no key", coop, card, "", 1, true, ErrInvalidKey},
		{"key with a line break", coop, card, "re\n1", 1, true, ErrInvalidKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := inTx(t, d, func(tx *sqlx.Tx) error {
				return s.RecordRefund(ctx, tx, tt.coop, tt.sub, tt.key, tt.amount, tt.card)
			})
			if !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}

	// Ten partial refunds of 300 000 at once on a 1 000 000 sale: three fit.
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = inTx(t, d, func(tx *sqlx.Tx) error {
				return s.RecordRefund(ctx, tx, coop, card, fmt.Sprintf("re_c%d", i), 300_000, true)
			})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, ErrRefundTooLarge):
			t.Errorf("concurrent refund: %v", err)
		}
	}
	if ok != 3 {
		t.Errorf("%d concurrent refunds of 300 000 went through on a 1 000 000 sale, want 3", ok)
	}
	b, _ := s.Balances(ctx, coop)
	// payable 950 000 - (900 000 - (50 000 - 5 000)) = 95 000
	if b.RefundsVND != 900_000 || b.PayableVND != 95_000 {
		t.Errorf("after concurrent refunds: %+v", b)
	}

	// A refund uses the rate of its sale, not today's.
	dearer := NewService(d, 1_000)
	must(t, inTx(t, d, func(tx *sqlx.Tx) error { return dearer.RecordRefund(ctx, tx, coop, cod, "ret-1", 1_000_000, false) }))
	b, _ = s.Balances(ctx, coop)
	if b.ReceivableVND != 0 {
		t.Errorf("receivable after a full refund at a changed rate = %d, want 0", b.ReceivableVND)
	}
	checkBooks(t, s)
}

func TestSaleRules(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	coop := newCoop(t, d)
	s := NewService(d, bps)
	for _, amount := range []int64{0, -1, MaxAmountVND + 1} {
		err := inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordCardSale(ctx, tx, coop, uuid.New(), amount) })
		if !errors.Is(err, ErrInvalidAmount) {
			t.Errorf("sale of %d: %v, want ErrInvalidAmount", amount, err)
		}
	}
	for _, rate := range []int{-1, 10_001} {
		err := inTx(t, d, func(tx *sqlx.Tx) error {
			return NewService(d, rate).RecordDirectSale(ctx, tx, coop, uuid.New(), 100)
		})
		if !errors.Is(err, ErrInvalidRate) {
			t.Errorf("rate %d: %v, want ErrInvalidRate", rate, err)
		}
	}
	err := inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordCardSale(ctx, tx, uuid.New(), uuid.New(), 100) })
	if !errors.Is(err, ErrCooperativeNotFound) {
		t.Errorf("unknown cooperative: %v", err)
	}

	// At a zero rate a COD sale moves no money in the platform's books: its
	// journal has no entries but still counts the sale; a 100% card sale
	// owes the cooperative nothing.
	free := NewService(d, 0)
	must(t, inTx(t, d, func(tx *sqlx.Tx) error { return free.RecordDirectSale(ctx, tx, coop, uuid.New(), 70_000) }))
	must(t, inTx(t, d, func(tx *sqlx.Tx) error {
		return NewService(d, 10_000).RecordCardSale(ctx, tx, coop, uuid.New(), 30_000)
	}))
	b, err := s.Balances(ctx, coop)
	must(t, err)
	want := Balances{CooperativeID: coop, DirectSalesVND: 70_000, CardSalesVND: 30_000, CommissionVND: 30_000}
	if diff := cmp.Diff(want, b); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	checkBooks(t, s)
}

func TestPayoutRules(t *testing.T) {
	d := dbtest.New(t)
	s := NewService(d, bps)
	ctx := context.Background()
	coop, other := newCoop(t, d), newCoop(t, d)
	staff := newUser(t, d)
	must(t, inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordCardSale(ctx, tx, coop, uuid.New(), 1_000_000) }))
	must(t, inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordDirectSale(ctx, tx, coop, uuid.New(), 1_000_000) }))
	// payable 950 000; the receivable of 50 000 does not count.

	if _, err := s.RecordPayout(ctx, coop, 950_001, "FT-1", time.Now(), staff); !errors.Is(err, ErrPayoutTooLarge) {
		t.Fatalf("payout above the balance: %v", err)
	} else if !strings.Contains(err.Error(), "950.000") {
		t.Errorf("the refusal should tell the balance: %q", err)
	}
	if _, err := s.RecordPayout(ctx, other, 1, "FT-1", time.Now(), staff); !errors.Is(err, ErrPayoutTooLarge) {
		t.Fatalf("payout to a cooperative owed nothing: %v", err)
	}
	j, err := s.RecordPayout(ctx, coop, 950_000, "FT-1", time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), staff)
	if err != nil {
		t.Fatal(err)
	}
	if j.PaidOn == nil || j.PaidOn.Format(time.DateOnly) != "2025-07-01" || j.CreatedBy == nil || *j.CreatedBy != staff ||
		j.Reference != "FT-1" || j.Key != "payout:"+coop.String()+":FT-1" {
		t.Errorf("payout journal %+v", j)
	}
	if _, err := s.RecordPayout(ctx, coop, 1, "FT-2", time.Now(), staff); !errors.Is(err, ErrPayoutTooLarge) {
		t.Fatalf("payout of an emptied balance: %v", err)
	}

	var v *web.ValidationError
	_, err = s.RecordPayout(ctx, coop, 0, "  ", time.Now().Add(72*time.Hour), uuid.Nil)
	if !errors.As(err, &v) {
		t.Fatalf("invalid payout: %v", err)
	}
	var fields []string
	for _, f := range v.Fields {
		fields = append(fields, f.Field)
	}
	if diff := cmp.Diff([]string{"amount_vnd", "reference", "paid_on", "by"}, fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	checkBooks(t, s)
}

// TestConcurrentPayoutsCannotOverdraw sends ten payouts of 300 000 at once
// against a balance of 1 000 000: three go through, seven are refused.
func TestConcurrentPayoutsCannotOverdraw(t *testing.T) {
	d := dbtest.New(t)
	s := NewService(d, bps)
	ctx := context.Background()
	coop := newCoop(t, d)
	staff := newUser(t, d)
	// 1 052 632 at 5%: commission 52 631.6 → 52 632, payable 1 000 000.
	must(t, inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordCardSale(ctx, tx, coop, uuid.New(), 1_052_632) }))
	if b, _ := s.Balances(ctx, coop); b.PayableVND != 1_000_000 {
		t.Fatalf("payable %d, want 1 000 000", b.PayableVND)
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, 10)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = s.RecordPayout(ctx, coop, 300_000, fmt.Sprintf("FT-%02d", i), time.Now(), staff)
		}()
	}
	close(start)
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, ErrPayoutTooLarge):
			t.Errorf("payout failed otherwise: %v", err)
		}
	}
	b, _ := s.Balances(ctx, coop)
	if ok != 3 || b.PayableVND != 100_000 || b.PayoutsVND != 900_000 {
		t.Errorf("%d payouts went through, balances %+v; want 3, payable 100 000", ok, b)
	}
	checkBooks(t, s)
}

func TestStatement(t *testing.T) {
	d := dbtest.New(t)
	s := NewService(d, bps)
	ctx := context.Background()
	coop, other := newCoop(t, d), newCoop(t, d)
	staff := newUser(t, d)
	day := func(n int, hour int) time.Time { return time.Date(2025, 6, n, hour, 0, 0, 0, vietnam) }
	at := func(tm time.Time) { s.now = func() time.Time { return tm } }
	s1, s2, s3 := uuid.New(), uuid.New(), uuid.New()

	at(day(1, 9)) // before the period
	must(t, inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordCardSale(ctx, tx, coop, s1, 1_000_000) }))
	must(t, inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordDirectSale(ctx, tx, coop, s2, 200_000) }))
	at(day(2, 0)) // the first instant of the period
	must(t, inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordCardSale(ctx, tx, coop, s3, 500_000) }))
	must(t, inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordCardSale(ctx, tx, other, uuid.New(), 900_000) }))
	at(day(3, 15))
	if _, err := s.RecordPayout(ctx, coop, 1_000_000, "FT-JUNE", day(3, 0), staff); err != nil {
		t.Fatal(err)
	}
	must(t, inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordRefund(ctx, tx, coop, s2, "ret-2", 200_000, false) }))
	at(day(4, 0)) // the end of the period, excluded
	must(t, inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordRefund(ctx, tx, coop, s3, "re_3", 100_000, true) }))

	lines, err := s.Statement(ctx, coop, day(2, 0), day(4, 0))
	if err != nil {
		t.Fatal(err)
	}
	juneThird := time.Date(2025, 6, 3, 0, 0, 0, 0, time.UTC)
	want := []StatementLine{
		// Brought forward: 950 000 owed, 10 000 commission due.
		{PostedAt: day(2, 0), Kind: KindOpening, PayableBalanceVND: 950_000, ReceivableBalanceVND: 10_000},
		{PostedAt: day(2, 0), Kind: KindCardSale, SubOrderID: &s3, AmountVND: 500_000, CommissionVND: 25_000,
			PayableChangeVND: 475_000, PayableBalanceVND: 1_425_000, ReceivableBalanceVND: 10_000},
		{PostedAt: day(3, 15), Kind: KindPayout, Reference: "FT-JUNE", PaidOn: &juneThird, AmountVND: 1_000_000,
			PayableChangeVND: -1_000_000, PayableBalanceVND: 425_000, ReceivableBalanceVND: 10_000},
		{PostedAt: day(3, 15), Kind: KindDirectRefund, SubOrderID: &s2, Reference: "ret-2", AmountVND: 200_000,
			CommissionVND: -10_000, ReceivableChangeVND: -10_000, PayableBalanceVND: 425_000},
	}
	opts := cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })
	if diff := cmp.Diff(want, lines, opts); diff != "" {
		t.Errorf("statement (-want +got):\n%s", diff)
	}

	// A period with nothing in it still tells the balance.
	lines, err = s.Statement(ctx, coop, day(20, 0), day(21, 0))
	if err != nil || len(lines) != 1 || lines[0].PayableBalanceVND != 425_000-(100_000-5_000) {
		t.Errorf("empty period: %+v, %v", lines, err)
	}
	for _, p := range [][2]time.Time{{day(4, 0), day(2, 0)}, {day(2, 0), day(2, 0)}, {{}, day(2, 0)}} {
		if _, err := s.Statement(ctx, coop, p[0], p[1]); !errors.Is(err, ErrInvalidPeriod) {
			t.Errorf("period %v: %v, want ErrInvalidPeriod", p, err)
		}
	}
}

func TestStatementCSV(t *testing.T) {
	s := NewService(nil, bps)
	sub := uuid.MustParse("01980000-0000-7000-8000-000000000001")
	paid := time.Date(2025, 6, 3, 0, 0, 0, 0, time.UTC)
	at := time.Date(2025, 6, 2, 17, 30, 0, 0, time.UTC) // 00:30 on 3 June in Vietnam
	lines := []StatementLine{
		{PostedAt: at, Kind: KindOpening, PayableBalanceVND: 950_000, ReceivableBalanceVND: 10_000},
		{PostedAt: at, Kind: KindCardRefund, SubOrderID: &sub, Reference: "-2+3", AmountVND: 300_001,
			CommissionVND: -15_000, PayableChangeVND: -285_001, PayableBalanceVND: 664_999, ReceivableBalanceVND: 10_000},
		{PostedAt: at, Kind: KindPayout, Reference: `=HYPERLINK("http://evil.example","Bấm vào")`, PaidOn: &paid,
			AmountVND: 600_000, PayableChangeVND: -600_000, PayableBalanceVND: 64_999, ReceivableBalanceVND: 10_000},
		{PostedAt: at, Kind: KindPayout, Reference: "@SUM(A1)", AmountVND: 1, PayableChangeVND: -1},
		{PostedAt: at, Kind: KindPayout, Reference: "+84 chuyển khoản", AmountVND: 1, PayableChangeVND: -1},
		{PostedAt: at, Kind: KindPayout, Reference: "FT 2024=ok", AmountVND: 1, PayableChangeVND: -1},
	}
	var buf bytes.Buffer
	if err := s.WriteStatementCSV(&buf, lines); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	if !strings.HasPrefix(raw, "\xEF\xBB\xBF") {
		t.Fatalf("no UTF-8 byte-order mark: %q", raw[:10])
	}
	if !strings.Contains(raw, "\r\n") {
		t.Error("lines should end in CRLF for Excel")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(raw, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(statementHeader, rows[0]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if rows[0][0] != "Ngày ghi sổ" || rows[0][9] != "Số dư phải trả cho HTX (VND)" {
		t.Errorf("header %q", rows[0])
	}
	want := [][]string{
		{"2025-06-03 00:30", "Số dư đầu kỳ", "", "", "", "0", "0", "0", "0", "950000", "10000"},
		{"2025-06-03 00:30", "Hoàn tiền về thẻ", sub.String(), "'-2+3", "", "300001", "-15000", "-285001", "0", "664999", "10000"},
		{"2025-06-03 00:30", "Chi trả cho HTX", "", `'=HYPERLINK("http://evil.example","Bấm vào")`, "2025-06-03", "600000", "0", "-600000", "0", "64999", "10000"},
		{"2025-06-03 00:30", "Chi trả cho HTX", "", "'@SUM(A1)", "", "1", "0", "-1", "0", "0", "0"},
		{"2025-06-03 00:30", "Chi trả cho HTX", "", "'+84 chuyển khoản", "", "1", "0", "-1", "0", "0", "0"},
		{"2025-06-03 00:30", "Chi trả cho HTX", "", "FT 2024=ok", "", "1", "0", "-1", "0", "0", "0"},
	}
	if diff := cmp.Diff(want, rows[1:]); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

// TestStatementCSVFromLedger writes a real statement whose payout
// reference a member of staff typed as a formula.
func TestStatementCSVFromLedger(t *testing.T) {
	d := dbtest.New(t)
	s := NewService(d, bps)
	ctx := context.Background()
	coop := newCoop(t, d)
	staff := newUser(t, d)
	must(t, inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordCardSale(ctx, tx, coop, uuid.New(), 100_000) }))
	if _, err := s.RecordPayout(ctx, coop, 95_000, "=1+1", time.Now(), staff); err != nil {
		t.Fatal(err)
	}
	lines, err := s.Statement(ctx, coop, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	must(t, s.WriteStatementCSV(&buf, lines))
	if !strings.Contains(buf.String(), ",'=1+1,") || strings.Contains(buf.String(), ",=1+1,") {
		t.Errorf("formula not neutralised:\n%s", buf.String())
	}
	if !strings.Contains(buf.String(), ",-95000,0,0,0\r\n") {
		t.Errorf("payout line should end with a payable of 0:\n%s", buf.String())
	}
}

// TestDepositAndBalance: a deposit taken by card and its balance paid to
// the cooperative are two sales under two keys, each posted once with its
// commission; a card refund reverses the deposit only, and the books
// balance throughout.
func TestDepositAndBalance(t *testing.T) {
	d := dbtest.New(t)
	s := NewService(d, bps)
	ctx := context.Background()
	coop := newCoop(t, d)
	sub := uuid.New()
	const deposit, balance = 300_001, 699_999
	for range 2 { // a retry posts nothing more
		must(t, inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordCardSale(ctx, tx, coop, sub, deposit) }))
		must(t, inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordBalanceSale(ctx, tx, coop, sub, balance) }))
	}
	dep, err := s.Journal(ctx, "sale:"+sub.String())
	must(t, err)
	bal, err := s.Journal(ctx, "balance:"+sub.String())
	must(t, err)
	if dep.Kind != KindCardSale || dep.AmountVND != deposit || bal.Kind != KindDirectSale || bal.AmountVND != balance {
		t.Fatalf("deposit %s %d, balance %s %d", dep.Kind, dep.AmountVND, bal.Kind, bal.AmountVND)
	}
	b, err := s.Balances(ctx, coop)
	must(t, err)
	want := Balances{CooperativeID: coop, PayableVND: deposit - Commission(deposit, bps), ReceivableVND: Commission(balance, bps),
		CardSalesVND: deposit, DirectSalesVND: balance, CommissionVND: Commission(deposit, bps) + Commission(balance, bps)}
	want.NetVND = want.PayableVND - want.ReceivableVND
	if b != want {
		t.Errorf("balances %+v, want %+v", b, want)
	}
	// Another balance amount under the same key is another event: refused.
	if err := inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordBalanceSale(ctx, tx, coop, sub, balance+1) }); !errors.Is(err, ErrKeyConflict) {
		t.Errorf("a second balance of another amount: %v", err)
	}
	// The card refund finds the deposit's sale and may not exceed it.
	if err := inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordRefund(ctx, tx, coop, sub, "re_dep", deposit+1, true) }); !errors.Is(err, ErrRefundTooLarge) {
		t.Errorf("refund beyond the deposit: %v", err)
	}
	must(t, inTx(t, d, func(tx *sqlx.Tx) error { return s.RecordRefund(ctx, tx, coop, sub, "re_dep", deposit, true) }))
	checkBooks(t, s)
}
