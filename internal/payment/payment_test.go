package payment_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/app/authtest"
	"htxmarket/internal/catalog"
	"htxmarket/internal/order"
	"htxmarket/internal/payment"
	"htxmarket/internal/payment/stripecard"
	"htxmarket/internal/payment/stripecard/stripetest"
	"htxmarket/internal/payment/vietqr"
	"htxmarket/internal/platform/auth"
)

func TestMain(m *testing.M) { os.Exit(stripetest.Main(m)) }

const (
	webhookSecret = "whsec_test_htxmarket"
	bankSecret    = "bank-secret-for-tests"
)

// conflict is a 409: allowed to ask, refused by the rules.
const conflict = authtest.Outcome(http.StatusConflict)

var admin = &auth.Principal{UserID: uuid.New(), Roles: []auth.Role{auth.RoleAdmin}}

func newEnv(t *testing.T) (*apptest.Env, *authtest.Fixture) {
	t.Helper()
	env := apptest.New(t, map[string]string{
		"STRIPE_SECRET_KEY": stripetest.SecretKey, "STRIPE_WEBHOOK_SECRET": webhookSecret,
		"STRIPE_PUBLISHABLE_KEY": "pk_test_htxmarket", "STRIPE_API_URL": stripetest.URL(t),
		"BANK_WEBHOOK_SECRET": bankSecret, "COMMISSION_BPS": "500",
	})
	return env, authtest.Setup(t, env)
}

func newProduct(t *testing.T, env *apptest.Env, coop, name string, price int64) catalog.Product {
	t.Helper()
	p, err := env.Server.Catalog.Create(context.Background(), admin, coop, catalog.NewProduct{
		Name: name, Group: "do-uong", Province: "thai-nguyen", Status: catalog.StatusActive,
		Variants: []catalog.NewVariant{{SKU: catalog.Slugify(name), Unit: "hộp", PriceVND: price, Stock: 10}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// client is a browser or API client: it keeps the cart cookie.
type client struct {
	t      *testing.T
	env    *apptest.Env
	cookie string
	token  string
}

func (c *client) do(method, path string, body any, header ...string) (int, []byte) {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		raw, ok := body.([]byte)
		if !ok {
			raw, _ = json.Marshal(body)
		}
		r = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: order.CartCookie, Value: c.cookie})
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res := c.env.Client.Do(req)
	for _, ck := range (&http.Response{Header: res.Header}).Cookies() {
		if ck.Name == order.CartCookie {
			c.cookie = ck.Value
		}
	}
	return res.Status, res.Body
}

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return v
}

var address = map[string]any{"recipient": "Trần Văn Bình", "phone": "0987654321", "province": "thai-nguyen",
	"commune": "Phường Phan Đình Phùng", "street": "5 Hoàng Văn Thụ"}

// checkout buys the products (one unit each) as a new guest and returns
// the guest and the order.
func checkout(t *testing.T, env *apptest.Env, method string, products ...catalog.Product) (*client, order.Order) {
	t.Helper()
	g := &client{t: t, env: env}
	for _, p := range products {
		if st, b := g.do("POST", "/api/v1/cart/items", map[string]any{"variant_id": p.Variants[0].ID, "quantity": 1}); st != 201 {
			t.Fatalf("add: %d %s", st, b)
		}
	}
	st, b := g.do("POST", "/api/v1/checkout", map[string]any{"shipping_address": address, "payment_method": method},
		"Idempotency-Key", uuid.NewString())
	if st != 201 {
		t.Fatalf("checkout: %d %s", st, b)
	}
	return g, decode[order.Order](t, b)
}

func webhook(t *testing.T, env *apptest.Env, eventID, typ string, object any, secret string) (int, string) {
	t.Helper()
	payload, header := stripetest.SignedEvent(t, secret, eventID, typ, object)
	c := &client{t: t, env: env}
	st, b := c.do("POST", "/api/v1/payments/stripe/webhook", payload, "Stripe-Signature", header)
	if st != 200 {
		return st, string(b)
	}
	return st, decode[struct{ Outcome string }](t, b).Outcome
}

func orderOf(t *testing.T, g *client, id uuid.UUID) order.Order {
	t.Helper()
	st, b := g.do("GET", "/api/v1/orders/"+id.String(), nil)
	if st != 200 {
		t.Fatalf("order: %d %s", st, b)
	}
	return decode[order.Order](t, b)
}

func trialBalance(t *testing.T, env *apptest.Env) int64 {
	t.Helper()
	n, err := env.Server.Payments.Ledger().TrialBalance(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCardPaymentAppliedOnceWhateverTheEvents(t *testing.T) {
	env, f := newEnv(t)
	tea := newProduct(t, env, f.Coop.Slug, "Chè đinh", 300_000)
	coffee := newProduct(t, env, f.OtherCoop.Slug, "Cà phê Moka", 250_000)
	g, o := checkout(t, env, "card", tea, coffee)

	st, b := g.do("POST", "/api/v1/orders/"+o.ID.String()+"/payments/card", nil)
	p := decode[payment.CardPayment](t, b)
	if st != 200 || p.ClientSecret == "" || p.AmountVND != o.TotalVND || p.PublishableKey != "pk_test_htxmarket" {
		t.Fatalf("start card: %d %s", st, b)
	}
	if _, again := g.do("POST", "/api/v1/orders/"+o.ID.String()+"/payments/card", nil); decode[payment.CardPayment](t, again).IntentID != p.IntentID {
		t.Error("a second call made another intent")
	}
	stranger := &client{t: t, env: env, token: f.Token(t, env, authtest.Consumer)}
	if st, _ := stranger.do("POST", "/api/v1/orders/"+o.ID.String()+"/payments/card", nil); st != 404 {
		t.Errorf("someone else's order: %d", st)
	}

	intent := stripetest.IntentObject(p.IntentID, o.ID.String(), o.Number, o.TotalVND, "succeeded")
	// A bad signature is refused and changes nothing.
	if st, _ := webhook(t, env, "evt_bad", stripecard.EventIntentSucceeded, intent, "whsec_wrong"); st != 400 {
		t.Errorf("bad signature: %d", st)
	}
	if got := orderOf(t, g, o.ID); got.PaymentStatus != "unpaid" {
		t.Fatalf("after a bad signature: %s", got.PaymentStatus)
	}
	if _, out := webhook(t, env, "evt_1", stripecard.EventIntentSucceeded, intent, webhookSecret); out != "paid" {
		t.Fatalf("succeeded: %s", out)
	}
	// Replayed and duplicated events change nothing.
	if _, out := webhook(t, env, "evt_1", stripecard.EventIntentSucceeded, intent, webhookSecret); out != "replay" {
		t.Errorf("replay: %s", out)
	}
	if _, out := webhook(t, env, "evt_1b", stripecard.EventIntentSucceeded, intent, webhookSecret); out != "paid" {
		t.Errorf("duplicate under a new id: %s", out)
	}
	got := orderOf(t, g, o.ID)
	if got.PaymentStatus != "paid" || got.Status != "confirmed" {
		t.Fatalf("after payment: %s / %s", got.PaymentStatus, got.Status)
	}
	var journals int
	env.DB.Get(&journals, `SELECT count(*) FROM ledger_journals`)
	if journals != 2 {
		t.Errorf("%d journals after one payment of two sub-orders, want 2", journals)
	}
	// A paid card order is not cancelled but refunded.
	if st, b := g.do("POST", "/api/v1/sub-orders/"+got.SubOrders[0].ID.String()+"/moves", map[string]any{"to": "cancelled"}); st != 409 {
		t.Errorf("cancel a paid card order: %d %s", st, b)
	}
	// Refund of the whole charge, twice (a replay under a new event id).
	charge := stripetest.ChargeObject("ch_1", p.IntentID, o.ID.String(), o.TotalVND, o.TotalVND)
	if _, out := webhook(t, env, "evt_2", stripecard.EventChargeRefunded, charge, webhookSecret); out != "refunded" {
		t.Fatalf("refunded: %s", out)
	}
	webhook(t, env, "evt_3", stripecard.EventChargeRefunded, charge, webhookSecret)
	got = orderOf(t, g, o.ID)
	if got.PaymentStatus != "refunded" || got.Status != "refunded" {
		t.Errorf("after refund: %s / %s", got.PaymentStatus, got.Status)
	}
	var stock int
	env.DB.Get(&stock, `SELECT stock FROM product_variants WHERE id = $1`, tea.Variants[0].ID)
	if stock != 10 {
		t.Errorf("stock after refund %d, want 10", stock)
	}
	// A late "succeeded" changes nothing any more.
	webhook(t, env, "evt_4", stripecard.EventIntentSucceeded, intent, webhookSecret)
	if got = orderOf(t, g, o.ID); got.PaymentStatus != "refunded" {
		t.Errorf("after a late success: %s", got.PaymentStatus)
	}
	if tb := trialBalance(t, env); tb != 0 {
		t.Errorf("trial balance %d", tb)
	}
}

func TestRefundBeforeSuccessArrives(t *testing.T) {
	env, f := newEnv(t)
	p := newProduct(t, env, f.Coop.Slug, "Mắm tôm", 80_000)
	g, o := checkout(t, env, "card", p)
	_, b := g.do("POST", "/api/v1/orders/"+o.ID.String()+"/payments/card", nil)
	intent := decode[payment.CardPayment](t, b).IntentID
	// Stripe sent both; the refund arrives first.
	charge := stripetest.ChargeObject("ch_9", intent, o.ID.String(), o.TotalVND, o.TotalVND)
	if _, out := webhook(t, env, "evt_r", stripecard.EventChargeRefunded, charge, webhookSecret); out != "refunded" {
		t.Fatalf("refund first: %s", out)
	}
	webhook(t, env, "evt_s", stripecard.EventIntentSucceeded, stripetest.IntentObject(intent, o.ID.String(), o.Number, o.TotalVND, "succeeded"), webhookSecret)
	if got := orderOf(t, g, o.ID); got.PaymentStatus != "refunded" || got.Status != "refunded" {
		t.Errorf("final: %s / %s", got.PaymentStatus, got.Status)
	}
	if tb := trialBalance(t, env); tb != 0 {
		t.Errorf("trial balance %d", tb)
	}
}

func TestBankTransferWithVietQR(t *testing.T) {
	env, f := newEnv(t)
	p := newProduct(t, env, f.Coop.Slug, "Bưởi Diễn", 120_000)
	g := &client{t: t, env: env}
	g.do("POST", "/api/v1/cart/items", map[string]any{"variant_id": p.Variants[0].ID, "quantity": 2})
	req := map[string]any{"shipping_address": address, "payment_method": "bank_transfer"}
	if st, b := g.do("POST", "/api/v1/checkout", req, "Idempotency-Key", "b1"); st != 409 || !strings.Contains(string(b), f.Coop.Name) {
		t.Fatalf("no bank account: %d %s", st, b)
	}
	mgr := &client{t: t, env: env, token: f.Token(t, env, authtest.CoopManager)}
	acct := map[string]any{"bank_bin": "970436", "account_number": "0011001234567", "account_name": "HTX Chè Tân Cương"}
	if st, b := mgr.do("PUT", "/api/v1/cooperatives/"+f.Coop.Slug+"/bank-account", acct); st != 200 || !strings.Contains(string(b), "HTX CHE TAN CUONG") {
		t.Fatalf("set account: %d %s", st, b)
	}
	if st, b := mgr.do("PUT", "/api/v1/cooperatives/"+f.Coop.Slug+"/bank-account", map[string]any{"bank_bin": "97", "account_number": "x y", "account_name": ""}); st != 400 {
		t.Errorf("bad account: %d %s", st, b)
	}
	st, b := g.do("POST", "/api/v1/checkout", req, "Idempotency-Key", "b2")
	if st != 201 {
		t.Fatalf("checkout: %d %s", st, b)
	}
	o := decode[order.Order](t, b)
	st, b = g.do("GET", "/api/v1/orders/"+o.ID.String()+"/payments/bank", nil)
	var view struct {
		Transfers []payment.BankTransfer `json:"transfers"`
	}
	if err := json.Unmarshal(b, &view); st != 200 || err != nil || len(view.Transfers) != 1 {
		t.Fatalf("bank transfers: %d %s", st, b)
	}
	tr := view.Transfers[0]
	tags, err := vietqr.ParseTLV(tr.Payload)
	if err != nil || tags["54"] != fmt.Sprint(o.TotalVND) || !strings.Contains(tags["62"], strings.ReplaceAll(tr.Content, "-", " ")) && !strings.Contains(tags["62"], tr.Content) {
		t.Errorf("payload %s: %v %v", tr.Payload, tags, err)
	}
	if !strings.HasPrefix(tr.QRSVG, "<svg") && !strings.Contains(tr.QRSVG, "<svg") {
		t.Errorf("no SVG QR")
	}

	notify := func(id string, amount int64, content, secret string) (int, payment.NotificationResult) {
		body, _ := json.Marshal(map[string]any{"transaction_id": id, "amount_vnd": amount, "content": content, "account_number": "0011001234567"})
		c := &client{t: t, env: env}
		st, b := c.do("POST", "/api/v1/payments/bank/webhook", body, "X-Signature", payment.SignBank(secret, body))
		if st != 200 {
			return st, payment.NotificationResult{}
		}
		return st, decode[payment.NotificationResult](t, b)
	}
	if st, _ := notify("FT1", 1000, tr.Content, "wrong"); st != 400 {
		t.Errorf("bad HMAC: %d", st)
	}
	// A short payment is flagged for a person and confirms nothing.
	if _, r := notify("FT2", 100_000, "CK "+tr.SubOrderNumber+" thanh toan", bankSecret); r.Outcome != "flagged" {
		t.Errorf("short: %+v", r)
	}
	if _, r := notify("FT2", 100_000, tr.Content, bankSecret); r.Outcome != "replay" {
		t.Errorf("replayed notification: %+v", r)
	}
	if _, r := notify("FT3", 5_000, "chuyen tien khong ro", bankSecret); r.Outcome != "unmatched" {
		t.Errorf("unmatched: %+v", r)
	}
	if _, r := notify("FT4", o.TotalVND-100_000, strings.ReplaceAll(tr.SubOrderNumber, "-", ""), bankSecret); r.Outcome != "matched" {
		t.Errorf("the rest: %+v", r)
	}
	got := orderOf(t, g, o.ID)
	if got.PaymentStatus != "paid" || got.Status != "confirmed" || got.SubOrders[0].ReceivedVND != o.TotalVND {
		t.Errorf("after the transfers: %s / %s / %d", got.PaymentStatus, got.Status, got.SubOrders[0].ReceivedVND)
	}
	if tb := trialBalance(t, env); tb != 0 {
		t.Errorf("trial balance %d", tb)
	}
}

func TestManualTransferOnceAndLedgerDay(t *testing.T) {
	env, f := newEnv(t)
	p := newProduct(t, env, f.Coop.Slug, "Trà shan tuyết", 200_000)
	mgr := &client{t: t, env: env, token: f.Token(t, env, authtest.CoopManager)}
	mgr.do("PUT", "/api/v1/cooperatives/"+f.Coop.Slug+"/bank-account",
		map[string]any{"bank_bin": "970415", "account_number": "108002345678", "account_name": "HTX Che"})
	_, o := checkout(t, env, "bank_transfer", p)
	sub := o.SubOrders[0].ID.String()
	if st, b := mgr.do("POST", "/api/v1/sub-orders/"+sub+"/transfers", map[string]any{"amount_vnd": o.TotalVND}); st != 400 {
		t.Errorf("no Idempotency-Key: %d %s", st, b)
	}
	for range 2 { // a retry records it once
		st, b := mgr.do("POST", "/api/v1/sub-orders/"+sub+"/transfers", map[string]any{"amount_vnd": o.TotalVND}, "Idempotency-Key", "t1")
		if st != 200 {
			t.Fatalf("transfer: %d %s", st, b)
		}
		if moves := decode[order.SubOrder](t, b).Moves; !slices.Contains(moves, order.StatusPacked) {
			t.Errorf("after the transfer the cooperative may %v, want packing among them", moves)
		}
	}
	var received int64
	env.DB.Get(&received, `SELECT received_vnd FROM sub_orders WHERE id = $1`, sub)
	if received != o.TotalVND {
		t.Errorf("received %d, want %d", received, o.TotalVND)
	}
	other := &client{t: t, env: env, token: f.Token(t, env, authtest.OtherCoopManager)}
	if st, _ := other.do("POST", "/api/v1/sub-orders/"+sub+"/transfers", map[string]any{"amount_vnd": 1}, "Idempotency-Key", "x"); st != 404 {
		t.Errorf("another cooperative: %d", st)
	}

	// A cash-on-delivery sale delivered, then a payout: the books balance.
	g, cod := checkout(t, env, "cod", p)
	csub := cod.SubOrders[0].ID.String()
	mgr.do("POST", "/api/v1/sub-orders/"+csub+"/moves", map[string]any{"to": "packed"})
	mgr.do("POST", "/api/v1/sub-orders/"+csub+"/moves", map[string]any{"to": "shipped", "carrier": "VNPost"})
	if st, b := g.do("POST", "/api/v1/sub-orders/"+csub+"/moves", map[string]any{"to": "delivered"}); st != 200 {
		t.Fatalf("delivered: %d %s", st, b)
	}
	st, b := mgr.do("GET", "/api/v1/cooperatives/"+f.Coop.Slug+"/ledger", nil)
	var bal struct {
		DirectSales int64 `json:"direct_sales_vnd"`
		Receivable  int64 `json:"receivable_vnd"`
	}
	json.Unmarshal(b, &bal)
	if st != 200 || bal.DirectSales != o.TotalVND+cod.TotalVND || bal.Receivable != (o.TotalVND+cod.TotalVND)*5/100 {
		t.Errorf("balances: %d %s", st, b)
	}
	st, b = mgr.do("GET", "/api/v1/cooperatives/"+f.Coop.Slug+"/statement.csv", nil)
	if st != 200 || !bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		t.Errorf("statement: %d %q", st, b[:min(len(b), 80)])
	}
	staff := &client{t: t, env: env, token: f.Token(t, env, authtest.TradeStaff)}
	if st, b := staff.do("POST", "/api/v1/cooperatives/"+f.Coop.Slug+"/payouts",
		map[string]any{"amount_vnd": 1_000, "reference": "UNC001", "paid_on": "2026-12-01"}); st != 409 {
		t.Errorf("payout beyond the payable balance: %d %s", st, b)
	}
	if tb := trialBalance(t, env); tb != 0 {
		t.Errorf("trial balance %d", tb)
	}
}

func TestRoleMatrix(t *testing.T) {
	env, f := newEnv(t)
	coop := "/api/v1/cooperatives/" + f.Coop.Slug
	env.Server.Payments.SetBankAccount(context.Background(), f.Coop.ID, payment.BankAccount{BankBIN: "970436", AccountNumber: "123456789", AccountName: "HTX"})
	members := authtest.Everyone(authtest.NotFound).With(authtest.Unauthorized, authtest.Anonymous).
		With(authtest.OK, authtest.CoopManager, authtest.CoopStaff, authtest.Admin)
	p := newProduct(t, env, f.Coop.Slug, "Chè xanh", 100_000)
	tests := []struct {
		name  string
		want  authtest.Want
		build func() *http.Request
	}{
		{"bank account", members, func() *http.Request { return httptest.NewRequest("GET", coop+"/bank-account", nil) }},
		{"set bank account", members.With(authtest.Forbidden, authtest.CoopStaff), func() *http.Request {
			return jsonReq("PUT", coop+"/bank-account", map[string]any{"bank_bin": "970436", "account_number": "123456789", "account_name": "HTX"})
		}},
		{"ledger", members.With(authtest.OK, authtest.TradeStaff, authtest.NationalTradeStaff).With(authtest.Forbidden, authtest.OtherTradeStaff),
			func() *http.Request { return httptest.NewRequest("GET", coop+"/ledger", nil) }},
		{"statement", members.With(authtest.OK, authtest.TradeStaff, authtest.NationalTradeStaff).With(authtest.Forbidden, authtest.OtherTradeStaff),
			func() *http.Request { return httptest.NewRequest("GET", coop+"/statement.csv", nil) }},
		{"payout (beyond the balance: 409 for those allowed)", authtest.Everyone(authtest.Forbidden).With(authtest.Unauthorized, authtest.Anonymous).
			With(conflict, authtest.TradeStaff, authtest.NationalTradeStaff, authtest.Admin),
			func() *http.Request {
				return jsonReq("POST", coop+"/payouts", map[string]any{"amount_vnd": 5, "reference": "R1", "paid_on": "2026-12-01"})
			}},
		{"record a transfer (a fresh order each time)", authtest.Everyone(authtest.NotFound).With(authtest.Unauthorized, authtest.Anonymous).
			With(authtest.OK, authtest.CoopManager, authtest.CoopStaff, authtest.TradeStaff, authtest.NationalTradeStaff, authtest.Admin),
			func() *http.Request {
				_, o := checkout(t, env, "bank_transfer", p)
				r := jsonReq("POST", "/api/v1/sub-orders/"+o.SubOrders[0].ID.String()+"/transfers", map[string]any{"amount_vnd": o.TotalVND})
				r.Header.Set("Idempotency-Key", uuid.NewString())
				return r
			}},
		{"refund", authtest.Everyone(authtest.Forbidden).With(authtest.Unauthorized, authtest.Anonymous).
			With(authtest.NotFound, authtest.TradeStaff, authtest.OtherTradeStaff, authtest.NationalTradeStaff, authtest.Admin),
			func() *http.Request {
				r := jsonReq("POST", "/api/v1/orders/"+uuid.NewString()+"/refunds", map[string]any{})
				r.Header.Set("Idempotency-Key", "k")
				return r
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			authtest.Check(t, env, tc.want, func(*authtest.Fixture, authtest.Actor) *http.Request { return tc.build() })
		})
	}
}

func jsonReq(method, path string, body any) *http.Request {
	b, _ := json.Marshal(body)
	req := httptest.NewRequest(method, path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	return req
}

// TestContentSecurityPolicyAdmitsStripeOnlyWhenConfigured: Stripe.js, its
// frames and API are allowed by the page's policy when a publishable key is
// set, and not otherwise.
func TestContentSecurityPolicyAdmitsStripeOnlyWhenConfigured(t *testing.T) {
	env, _ := newEnv(t)
	csp := env.Client.Get("/healthz").Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self' https://js.stripe.com", "frame-src 'self' https://js.stripe.com https://hooks.stripe.com", "connect-src 'self' https://api.stripe.com"} {
		if !strings.Contains(csp, want) {
			t.Errorf("policy %q lacks %q", csp, want)
		}
	}
	plain := apptest.New(t, nil)
	if csp := plain.Client.Get("/healthz").Header.Get("Content-Security-Policy"); strings.Contains(csp, "stripe") {
		t.Errorf("without a key the policy admits Stripe: %q", csp)
	}
}
