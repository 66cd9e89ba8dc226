package payment_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/app/authtest"
	"htxmarket/internal/catalog"
	"htxmarket/internal/order"
	"htxmarket/internal/payment"
	"htxmarket/internal/payment/ledger"
	"htxmarket/internal/payment/stripecard"
	"htxmarket/internal/payment/stripecard/stripetest"
	"htxmarket/internal/payment/vietqr"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/sourcing"
)

// depositWorld is a server where both cooperatives of the fixture sell a
// product, take bank transfers, and quote on a wholesaler's request.
type depositWorld struct {
	t        *testing.T
	env      *apptest.Env
	f        *authtest.Fixture
	buyer    *client
	mgr      *client // the manager of f.Coop
	other    *client // the manager of f.OtherCoop
	products map[string]catalog.Product
}

func newDepositWorld(t *testing.T) *depositWorld {
	t.Helper()
	env, f := newEnv(t)
	w := &depositWorld{t: t, env: env, f: f, products: map[string]catalog.Product{},
		buyer: &client{t: t, env: env, token: f.Token(t, env, authtest.Wholesaler)},
		mgr:   &client{t: t, env: env, token: f.Token(t, env, authtest.CoopManager)},
		other: &client{t: t, env: env, token: f.Token(t, env, authtest.OtherCoopManager)}}
	w.products[f.Coop.Slug] = newProduct(t, env, f.Coop.Slug, "Chè móc câu", 1_000_000)
	w.products[f.OtherCoop.Slug] = newProduct(t, env, f.OtherCoop.Slug, "Cà phê Arabica", 333_333)
	for _, slug := range []string{f.Coop.Slug, f.OtherCoop.Slug} {
		if _, err := env.Server.Payments.SetBankAccount(context.Background(), coopID(w, slug),
			payment.BankAccount{BankBIN: "970436", AccountNumber: "0011001234567", AccountName: "HTX"}); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func coopID(w *depositWorld, slug string) uuid.UUID {
	if slug == w.f.Coop.Slug {
		return w.f.Coop.ID
	}
	return w.f.OtherCoop.ID
}

// request posts a wholesaler's request for quotes.
func (w *depositWorld) request() uuid.UUID {
	w.t.Helper()
	next := time.Now().Year() + 1
	st, b := w.buyer.do("POST", "/api/v1/sourcing/requests", map[string]any{"text": "chè và cà phê", "quantity": 6,
		"unit": "hộp", "province": "ha-noi", "wanted_from": fmt.Sprintf("%d-06-01", next), "wanted_to": fmt.Sprintf("%d-07-31", next)})
	if st != 201 {
		w.t.Fatalf("request: %d %s", st, b)
	}
	return decode[sourcing.Request](w.t, b).ID
}

// noDeposit leaves deposit_percent out of a quote.
const noDeposit = -1

// quote sends the cooperative's quote of 3 units at its product's price.
func (w *depositWorld) quote(c *client, slug string, request uuid.UUID, percent int) (int, []byte) {
	w.t.Helper()
	p := w.products[slug]
	body := map[string]any{"cooperative": slug, "variant_id": p.Variants[0].ID, "unit_price_vnd": p.Variants[0].PriceVND,
		"quantity": 3, "delivery_date": time.Now().AddDate(0, 0, 10).Format("2006-01-02"),
		"valid_until": time.Now().AddDate(0, 0, 5).Format("2006-01-02")}
	if percent != noDeposit {
		body["deposit_percent"] = percent
	}
	return c.do("POST", "/api/v1/sourcing/requests/"+request.String()+"/quotes", body)
}

func (w *depositWorld) mustQuote(c *client, slug string, request uuid.UUID, percent int) sourcing.Quote {
	w.t.Helper()
	st, b := w.quote(c, slug, request, percent)
	if st != 201 {
		w.t.Fatalf("quote of %s: %d %s", slug, st, b)
	}
	return decode[sourcing.Quote](w.t, b)
}

func (w *depositWorld) accept(request uuid.UUID, method, pay string, quotes ...uuid.UUID) (int, []byte) {
	w.t.Helper()
	return w.buyer.do("POST", "/api/v1/sourcing/requests/"+request.String()+"/accept", map[string]any{
		"quote_ids": quotes, "payment_method": method, "shipping_address": address, "pay": pay}, "Idempotency-Key", uuid.NewString())
}

// depositOrder has both cooperatives quote (30% and 25% deposits) and the
// wholesaler accept both, paying the deposits by method.
func (w *depositWorld) depositOrder(method string) order.Order {
	w.t.Helper()
	r := w.request()
	qa := w.mustQuote(w.mgr, w.f.Coop.Slug, r, 30)
	qb := w.mustQuote(w.other, w.f.OtherCoop.Slug, r, 25)
	st, b := w.accept(r, method, "deposit", qa.ID, qb.ID)
	if st != 201 {
		w.t.Fatalf("accept: %d %s", st, b)
	}
	return orderOf(w.t, w.buyer, decode[sourcing.Accepted](w.t, b).OrderID)
}

func subOf(t *testing.T, o order.Order, coop uuid.UUID) order.SubOrder {
	t.Helper()
	for _, so := range o.SubOrders {
		if so.CooperativeID == coop {
			return so
		}
	}
	t.Fatalf("order %s has no sub-order of %s", o.Number, coop)
	return order.SubOrder{}
}

func journal(t *testing.T, env *apptest.Env, key string) (ledger.Journal, bool) {
	t.Helper()
	j, err := env.Server.Payments.Ledger().Journal(context.Background(), key)
	if err != nil {
		return ledger.Journal{}, false
	}
	return j, true
}

func count(t *testing.T, env *apptest.Env, q string, args ...any) int {
	t.Helper()
	var n int
	if err := env.DB.Get(&n, q, args...); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDepositBadInputChangesNothing: a deposit out of range is a field
// error on the quote; paying deposits when a quote allows none, or an
// unknown way to pay, is a field error and places no order.
func TestDepositBadInputChangesNothing(t *testing.T) {
	w := newDepositWorld(t)
	r := w.request()
	for _, percent := range []int{5, 9, 91, 100, -10} {
		st, b := w.quote(w.mgr, w.f.Coop.Slug, r, percent)
		if st != http.StatusBadRequest && st != http.StatusUnprocessableEntity || !strings.Contains(string(b), "deposit_percent") {
			t.Errorf("deposit %d%%: %d %s", percent, st, b)
		}
	}
	if n := count(t, w.env, `SELECT count(*) FROM sourcing_quotes WHERE request_id = $1`, r); n != 0 {
		t.Errorf("%d quotes stored from bad input", n)
	}
	qa := w.mustQuote(w.mgr, w.f.Coop.Slug, r, 30)
	qb := w.mustQuote(w.other, w.f.OtherCoop.Slug, r, noDeposit) // full payment
	if qa.DepositPercent != 30 || qb.DepositPercent != 0 {
		t.Errorf("quotes' deposits %d%% and %d%%", qa.DepositPercent, qb.DepositPercent)
	}
	orders := count(t, w.env, `SELECT count(*) FROM orders`)
	for _, tc := range []struct {
		name, pay string
	}{{"a deposit a quote does not allow", "deposit"}, {"an unknown way to pay", "later"}} {
		st, b := w.accept(r, "bank_transfer", tc.pay, qa.ID, qb.ID)
		if st != http.StatusBadRequest && st != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"pay"`) {
			t.Errorf("%s: %d %s", tc.name, st, b)
		}
	}
	if n := count(t, w.env, `SELECT count(*) FROM orders`); n != orders {
		t.Errorf("%d orders after refused acceptances, want %d", n, orders)
	}
	if n := count(t, w.env, `SELECT count(*) FROM sourcing_quotes WHERE request_id = $1 AND status = 'submitted'`, r); n != 2 {
		t.Errorf("%d quotes still submitted, want 2", n)
	}
	var stock int
	w.env.DB.Get(&stock, `SELECT stock FROM product_variants WHERE id = $1`, w.products[w.f.Coop.Slug].Variants[0].ID)
	if stock != 10 {
		t.Errorf("stock %d after refused acceptances, want 10", stock)
	}
	// Paying in full stays possible with quotes that allow a deposit.
	st, b := w.accept(r, "bank_transfer", "full", qa.ID, qb.ID)
	if st != 201 || decode[sourcing.Accepted](t, b).DepositVND != 0 {
		t.Errorf("full payment: %d %s", st, b)
	}
}

// TestDepositByBankTransferThenBalance: the VietQR codes ask for the
// deposits; a transfer short of a deposit is flagged, one of at least the
// deposit confirms its sub-order; delivery waits for the balance, which
// the cooperative records once; the order is paid when both balances are
// in, and each part is in the ledger once.
func TestDepositByBankTransferThenBalance(t *testing.T) {
	w := newDepositWorld(t)
	o := w.depositOrder("bank_transfer")
	a, b := subOf(t, o, w.f.Coop.ID), subOf(t, o, w.f.OtherCoop.ID)
	if a.TotalVND != 3_000_000 || a.DepositVND != 900_000 || b.TotalVND != 999_999 || b.DepositVND != 250_000 {
		t.Fatalf("sub-orders: %d/%d and %d/%d", a.TotalVND, a.DepositVND, b.TotalVND, b.DepositVND)
	}
	if o.DepositVND != 1_150_000 || o.PaymentStatus != "unpaid" || o.BalanceVND != o.TotalVND-1_150_000 || o.PaidVND != 0 {
		t.Fatalf("order: deposit %d, balance %d, paid %d, %s", o.DepositVND, o.BalanceVND, o.PaidVND, o.PaymentStatus)
	}

	st, body := w.buyer.do("GET", "/api/v1/orders/"+o.ID.String()+"/payments/bank", nil)
	view := decode[struct {
		Transfers []payment.BankTransfer `json:"transfers"`
	}](t, body)
	if st != 200 || len(view.Transfers) != 2 {
		t.Fatalf("transfers: %d %s", st, body)
	}
	for _, tr := range view.Transfers {
		want := map[uuid.UUID]int64{a.ID: a.DepositVND, b.ID: b.DepositVND}[tr.SubOrderID]
		tags, err := vietqr.ParseTLV(tr.Payload)
		if err != nil || tr.AmountVND != want || tags["54"] != fmt.Sprint(want) || tr.DepositVND != want {
			t.Errorf("transfer of %s: amount %d, QR amount %q, want %d (%v)", tr.SubOrderNumber, tr.AmountVND, tags["54"], want, err)
		}
	}

	notify := func(id string, amount int64, content string) payment.NotificationResult {
		raw := fmt.Appendf(nil, `{"transaction_id":%q,"amount_vnd":%d,"content":%q}`, id, amount, content)
		st, b := (&client{t: t, env: w.env}).do("POST", "/api/v1/payments/bank/webhook", raw, "X-Signature", payment.SignBank(bankSecret, raw))
		if st != 200 {
			t.Fatalf("notification: %d %s", st, b)
		}
		return decode[payment.NotificationResult](t, b)
	}
	// Short of the deposit: flagged, nothing confirmed.
	if r := notify("FT1", a.DepositVND-100_000, "HTX "+a.Number); r.Outcome != "flagged" {
		t.Errorf("short of the deposit: %+v", r)
	}
	// The cooperative records the rest of the deposit: confirmed.
	st, body = w.mgr.do("POST", "/api/v1/sub-orders/"+a.ID.String()+"/transfers", map[string]any{"amount_vnd": 100_000}, "Idempotency-Key", "t-a")
	if got := decode[order.SubOrder](t, body); st != 200 || got.Status != order.StatusConfirmed || got.BalanceVND != a.TotalVND-a.DepositVND {
		t.Fatalf("rest of the deposit: %d %s", st, body)
	}
	if got := orderOf(t, w.buyer, o.ID); got.PaymentStatus != "unpaid" {
		t.Errorf("one deposit of two in: %s", got.PaymentStatus)
	}
	if r := notify("FT2", b.DepositVND, "HTX "+b.Number); r.Outcome != "matched" {
		t.Errorf("the other deposit: %+v", r)
	}
	got := orderOf(t, w.buyer, o.ID)
	if got.PaymentStatus != order.PaymentDepositPaid || got.Status != "confirmed" || got.PaidVND != o.DepositVND || got.BalanceVND != o.TotalVND-o.DepositVND {
		t.Fatalf("deposits in: %s / %s, paid %d, balance %d", got.PaymentStatus, got.Status, got.PaidVND, got.BalanceVND)
	}

	// Delivery waits for the balance.
	for _, to := range []string{"packed", "shipped"} {
		if st, b := w.mgr.do("POST", "/api/v1/sub-orders/"+a.ID.String()+"/moves", map[string]any{"to": to, "carrier": "VNPost"}); st != 200 {
			t.Fatalf("%s: %d %s", to, st, b)
		}
	}
	st, body = w.mgr.do("POST", "/api/v1/sub-orders/"+a.ID.String()+"/moves", map[string]any{"to": "delivered"})
	if st != http.StatusConflict || !strings.Contains(string(body), "phần còn lại") {
		t.Errorf("delivered with the balance due: %d %s", st, body)
	}
	if st, b := w.mgr.do("POST", "/api/v1/sub-orders/"+a.ID.String()+"/balance", map[string]any{"method": "cheque"}); st != 400 && st != 422 {
		t.Errorf("unknown method: %d %s", st, b)
	}
	for range 2 { // recording it again changes nothing
		st, body = w.mgr.do("POST", "/api/v1/sub-orders/"+a.ID.String()+"/balance", map[string]any{"method": "cash"})
		so := decode[order.SubOrder](t, body)
		if st != 200 || so.BalanceVND != 0 || so.ReceivedVND != a.TotalVND || so.BalancePaidAt == nil || so.BalanceMethod != "cash" {
			t.Fatalf("balance: %d %s", st, body)
		}
	}
	if st, b := w.mgr.do("POST", "/api/v1/sub-orders/"+a.ID.String()+"/moves", map[string]any{"to": "delivered"}); st != 200 {
		t.Errorf("delivered after the balance: %d %s", st, b)
	}
	if got := orderOf(t, w.buyer, o.ID); got.PaymentStatus != order.PaymentDepositPaid {
		t.Errorf("one balance of two in: %s", got.PaymentStatus)
	}
	// The other balance arrives by transfer, notified by the bank: an amount
	// that is not the balance is kept for a person, the balance recorded.
	if r := notify("FT3", 1_000, "HTX "+b.Number); r.Outcome != "unmatched" {
		t.Errorf("a transfer that is not the balance: %+v", r)
	}
	if r := notify("FT4", b.TotalVND-b.DepositVND, "HTX "+b.Number+" con lai"); r.Outcome != "matched" {
		t.Errorf("the balance by transfer: %+v", r)
	}
	got = orderOf(t, w.buyer, o.ID)
	if so := subOf(t, got, b.CooperativeID); so.BalanceMethod != "transfer" || so.BalancePaidAt == nil {
		t.Errorf("the other balance: %q %v", so.BalanceMethod, so.BalancePaidAt)
	}
	if got.PaymentStatus != order.PaymentPaid || got.PaidVND != o.TotalVND || got.BalanceVND != 0 {
		t.Errorf("both balances in: %s, paid %d, balance %d", got.PaymentStatus, got.PaidVND, got.BalanceVND)
	}

	// The ledger: each part once, as a direct sale with its commission.
	for _, tc := range []struct {
		key    string
		amount int64
	}{
		{"sale:" + a.ID.String(), a.DepositVND}, {"balance:" + a.ID.String(), a.TotalVND - a.DepositVND},
		{"sale:" + b.ID.String(), b.DepositVND}, {"balance:" + b.ID.String(), b.TotalVND - b.DepositVND},
	} {
		j, ok := journal(t, w.env, tc.key)
		if !ok || j.Kind != ledger.KindDirectSale || j.AmountVND != tc.amount {
			t.Errorf("%s: %+v", tc.key, j)
		}
	}
	if n := count(t, w.env, `SELECT count(*) FROM ledger_journals WHERE sub_order_id = $1`, a.ID); n != 2 {
		t.Errorf("%d journals for the sub-order, want 2", n)
	}
	st, body = w.mgr.do("GET", "/api/v1/cooperatives/"+w.f.Coop.Slug+"/ledger", nil)
	bal := decode[ledger.Balances](t, body)
	if want := ledger.Commission(a.DepositVND, 500) + ledger.Commission(a.TotalVND-a.DepositVND, 500); st != 200 || bal.ReceivableVND != want || bal.DirectSalesVND != a.TotalVND {
		t.Errorf("balances: %d %+v, want receivable %d", st, bal, want)
	}
	if tb := trialBalance(t, w.env); tb != 0 {
		t.Errorf("trial balance %d", tb)
	}
}

// TestDepositByCard: the PaymentIntent is for the deposits; its success
// confirms the order as deposit_paid; the card sale is the deposit and the
// balance a direct sale; a refund of the charge refunds the deposits.
func TestDepositByCard(t *testing.T) {
	w := newDepositWorld(t)
	o := w.depositOrder("card")
	a, b := subOf(t, o, w.f.Coop.ID), subOf(t, o, w.f.OtherCoop.ID)
	st, body := w.buyer.do("POST", "/api/v1/orders/"+o.ID.String()+"/payments/card", nil)
	p := decode[payment.CardPayment](t, body)
	if st != 200 || p.AmountVND != o.DepositVND || o.DepositVND != 1_150_000 {
		t.Fatalf("card payment for %d: %d %s", o.DepositVND, st, body)
	}
	// Balance before the deposit: refused.
	if st, b := w.mgr.do("POST", "/api/v1/sub-orders/"+a.ID.String()+"/balance", map[string]any{"method": "cash"}); st != http.StatusConflict {
		t.Errorf("balance before the deposit: %d %s", st, b)
	}
	intent := stripetest.IntentObject(p.IntentID, o.ID.String(), o.Number, o.DepositVND, "succeeded")
	if _, out := webhook(t, w.env, "evt_dep_1", stripecard.EventIntentSucceeded, intent, webhookSecret); out != "paid" {
		t.Fatalf("succeeded: %s", out)
	}
	got := orderOf(t, w.buyer, o.ID)
	if got.PaymentStatus != order.PaymentDepositPaid || got.Status != "confirmed" || got.PaidVND != o.DepositVND ||
		subOf(t, got, a.CooperativeID).BalanceVND != a.TotalVND-a.DepositVND {
		t.Fatalf("after the deposit: %s / %s, paid %d", got.PaymentStatus, got.Status, got.PaidVND)
	}
	if j, ok := journal(t, w.env, "sale:"+a.ID.String()); !ok || j.Kind != ledger.KindCardSale || j.AmountVND != a.DepositVND {
		t.Errorf("card sale of the deposit: %+v", j)
	}
	// A deposit-paid card order is refunded, not cancelled.
	if st, b := w.buyer.do("POST", "/api/v1/sub-orders/"+a.ID.String()+"/moves", map[string]any{"to": "cancelled"}); st != http.StatusConflict {
		t.Errorf("cancel a deposit paid by card: %d %s", st, b)
	}
	// The balance of one sub-order, by transfer to the cooperative.
	if st, b := w.mgr.do("POST", "/api/v1/sub-orders/"+a.ID.String()+"/balance", map[string]any{"method": "transfer"}); st != 200 {
		t.Fatalf("balance: %d %s", st, b)
	}
	if j, ok := journal(t, w.env, "balance:"+a.ID.String()); !ok || j.Kind != ledger.KindDirectSale || j.AmountVND != a.TotalVND-a.DepositVND {
		t.Errorf("direct sale of the balance: %+v", j)
	}
	if tb := trialBalance(t, w.env); tb != 0 {
		t.Errorf("trial balance %d", tb)
	}

	// A second order, refunded whole: the deposits go back to the card.
	o2 := w.depositOrder("card")
	_, body = w.buyer.do("POST", "/api/v1/orders/"+o2.ID.String()+"/payments/card", nil)
	p2 := decode[payment.CardPayment](t, body)
	webhook(t, w.env, "evt_dep_2", stripecard.EventIntentSucceeded, stripetest.IntentObject(p2.IntentID, o2.ID.String(), o2.Number, o2.DepositVND, "succeeded"), webhookSecret)
	charge := stripetest.ChargeObject("ch_dep", p2.IntentID, o2.ID.String(), o2.DepositVND, o2.DepositVND)
	if _, out := webhook(t, w.env, "evt_dep_3", stripecard.EventChargeRefunded, charge, webhookSecret); out != "refunded" {
		t.Fatalf("refund: %s", out)
	}
	got = orderOf(t, w.buyer, o2.ID)
	if got.PaymentStatus != order.PaymentRefunded || got.Status != "refunded" || got.BalanceVND != 0 {
		t.Errorf("after the refund: %s / %s, balance %d", got.PaymentStatus, got.Status, got.BalanceVND)
	}
	for _, so := range got.SubOrders {
		if j, ok := journal(t, w.env, "refund:refund:"+so.ID.String()); !ok || j.AmountVND != so.DepositVND {
			t.Errorf("refund of %s: %+v, want %d", so.Number, j, so.DepositVND)
		}
	}
	if tb := trialBalance(t, w.env); tb != 0 {
		t.Errorf("trial balance %d", tb)
	}
	_ = b
}

// TestDepositCancelledPart: when one balance is in and the other
// sub-order is cancelled after its deposit, the order is paid.
func TestDepositCancelledPart(t *testing.T) {
	w := newDepositWorld(t)
	o := w.depositOrder("bank_transfer")
	a, b := subOf(t, o, w.f.Coop.ID), subOf(t, o, w.f.OtherCoop.ID)
	for _, so := range []order.SubOrder{a, b} {
		c := map[uuid.UUID]*client{a.ID: w.mgr, b.ID: w.other}[so.ID]
		if st, body := c.do("POST", "/api/v1/sub-orders/"+so.ID.String()+"/transfers", map[string]any{"amount_vnd": so.DepositVND},
			"Idempotency-Key", "dep-"+so.ID.String()); st != 200 {
			t.Fatalf("deposit of %s: %d %s", so.Number, st, body)
		}
	}
	if st, body := w.mgr.do("POST", "/api/v1/sub-orders/"+a.ID.String()+"/balance", map[string]any{"method": "cash"}); st != 200 {
		t.Fatalf("balance: %d %s", st, body)
	}
	if got := orderOf(t, w.buyer, o.ID); got.PaymentStatus != order.PaymentDepositPaid || got.BalanceVND != b.TotalVND-b.DepositVND {
		t.Fatalf("one balance of two in: %s, balance %d", got.PaymentStatus, got.BalanceVND)
	}
	if st, body := w.buyer.do("POST", "/api/v1/sub-orders/"+b.ID.String()+"/moves", map[string]any{"to": "cancelled"}); st != 200 {
		t.Fatalf("cancel: %d %s", st, body)
	}
	if got := orderOf(t, w.buyer, o.ID); got.PaymentStatus != order.PaymentPaid || got.BalanceVND != 0 {
		t.Errorf("after the cancellation of the other: %s, balance %d", got.PaymentStatus, got.BalanceVND)
	}
	// Balance of a cancelled sub-order: refused.
	if st, body := w.other.do("POST", "/api/v1/sub-orders/"+b.ID.String()+"/balance", map[string]any{"method": "cash"}); st != http.StatusConflict {
		t.Errorf("balance of a cancelled sub-order: %d %s", st, body)
	}
	if tb := trialBalance(t, w.env); tb != 0 {
		t.Errorf("trial balance %d", tb)
	}
}

// TestDepositExpires: an unpaid deposit past the deadline cancels the
// order and returns the stock, as for any unpaid order; a sub-order whose
// deposit came in time goes on.
func TestDepositExpires(t *testing.T) {
	w := newDepositWorld(t)
	o := w.depositOrder("bank_transfer")
	if _, err := w.env.DB.Exec(`UPDATE orders SET payment_deadline = now() - interval '1 minute' WHERE id = $1`, o.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.env.Server.Orders.ExpireUnpaid(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := orderOf(t, w.buyer, o.ID)
	if got.PaymentStatus != order.PaymentCancelled || got.Status != "cancelled" || got.BalanceVND != 0 {
		t.Errorf("expired: %s / %s, balance %d", got.PaymentStatus, got.Status, got.BalanceVND)
	}
	var stock int
	w.env.DB.Get(&stock, `SELECT stock FROM product_variants WHERE id = $1`, w.products[w.f.Coop.Slug].Variants[0].ID)
	if stock != 10 {
		t.Errorf("stock %d, want 10", stock)
	}

	// One deposit of two paid in time: that sub-order goes on, deposit-paid.
	o = w.depositOrder("bank_transfer")
	a := subOf(t, o, w.f.Coop.ID)
	if st, body := w.mgr.do("POST", "/api/v1/sub-orders/"+a.ID.String()+"/transfers", map[string]any{"amount_vnd": a.DepositVND},
		"Idempotency-Key", "dep-a"); st != 200 {
		t.Fatalf("deposit: %d %s", st, body)
	}
	w.env.DB.MustExec(`UPDATE orders SET payment_deadline = now() - interval '1 minute' WHERE id = $1`, o.ID)
	if _, err := w.env.Server.Orders.ExpireUnpaid(context.Background()); err != nil {
		t.Fatal(err)
	}
	got = orderOf(t, w.buyer, o.ID)
	if got.PaymentStatus != order.PaymentDepositPaid || subOf(t, got, w.f.OtherCoop.ID).Status != order.StatusCancelled ||
		got.BalanceVND != a.TotalVND-a.DepositVND {
		t.Errorf("half expired: %s, balance %d", got.PaymentStatus, got.BalanceVND)
	}
}

// TestBalanceRoleMatrix: the cooperative of the sub-order and staff of
// its province and admins record the balance; the buyer may not; anyone
// else does not see the sub-order.
func TestBalanceRoleMatrix(t *testing.T) {
	w := newDepositWorld(t)
	variant := w.products[w.f.Coop.Slug].Variants[0]
	buyer := w.f.Users[authtest.Wholesaler].ID
	if _, err := w.env.DB.Exec(`UPDATE product_variants SET stock = 1000 WHERE id = $1`, variant.ID); err != nil {
		t.Fatal(err)
	}
	want := authtest.Everyone(authtest.NotFound).With(authtest.Unauthorized, authtest.Anonymous).
		With(authtest.Forbidden, authtest.Wholesaler).
		With(authtest.OK, authtest.CoopManager, authtest.CoopStaff, authtest.TradeStaff, authtest.NationalTradeStaff, authtest.Admin)
	authtest.Check(t, w.env, want, func(*authtest.Fixture, authtest.Actor) *http.Request {
		// A fresh order each time, its deposit in.
		ctx := context.Background()
		var sub order.SubOrder
		err := db.InTx(ctx, w.env.Server.Orders.DB(), func(tx *sqlx.Tx) error {
			o, err := w.env.Server.Orders.PlaceQuoted(ctx, tx, buyer, "", order.Checkout{PaymentMethod: "bank_transfer",
				ShippingAddress: order.Address{Recipient: "Bình", Phone: "0987654321", Province: "ha-noi", Commune: "Ba Đình", Street: "1 Đội Cấn"}},
				[]order.QuotedLine{{VariantID: variant.ID, Quantity: 1, UnitPriceVND: 500_000, DepositPercent: 20}}, true)
			if err != nil {
				return err
			}
			sub, err = w.env.Server.Orders.RecordTransfer(ctx, tx, order.Actor{}, o.SubOrders[0].ID, o.DepositVND, true)
			return err
		})
		if err != nil || sub.Status != order.StatusConfirmed || sub.BalanceVND != 400_000 {
			t.Fatalf("order: %v %+v", err, sub)
		}
		return jsonReq("POST", "/api/v1/sub-orders/"+sub.ID.String()+"/balance", map[string]any{"method": "cash"})
	})
}
