package order_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/app/authtest"
	"htxmarket/internal/catalog"
	"htxmarket/internal/order"
	"htxmarket/internal/platform/auth"
)

var admin = &auth.Principal{UserID: uuid.New(), Roles: []auth.Role{auth.RoleAdmin}}

// newProduct creates an active product of coop with one variant.
func newProduct(t testing.TB, env *apptest.Env, coop, name string, price int64, stock int, tiers ...catalog.PriceTier) catalog.Product {
	t.Helper()
	v := catalog.NewVariant{SKU: catalog.Slugify(name), Unit: "hộp", PriceVND: price, Stock: stock}
	if len(tiers) > 0 {
		v.WholesaleMinQty = tiers[0].MinQty
		v.PriceTiers = tiers
	}
	p, err := env.Server.Catalog.Create(context.Background(), admin, coop, catalog.NewProduct{
		Name: name, Group: "do-uong", Province: "thai-nguyen", Status: catalog.StatusActive,
		Variants: []catalog.NewVariant{v},
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// browser is a guest or user client: it keeps the cart cookie like a browser.
type browser struct {
	t      testing.TB
	env    *apptest.Env
	cookie string
	token  string
}

func (b *browser) do(method, path string, body any, header ...string) (int, []byte, http.Header) {
	b.t.Helper()
	var r io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		r = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if b.cookie != "" {
		req.AddCookie(&http.Cookie{Name: order.CartCookie, Value: b.cookie})
	}
	if b.token != "" {
		req.Header.Set("Authorization", "Bearer "+b.token)
	}
	res := b.env.Client.Do(req)
	for _, c := range (&http.Response{Header: res.Header}).Cookies() {
		if c.Name == order.CartCookie {
			b.cookie = c.Value
		}
	}
	return res.Status, res.Body, res.Header
}

func decode[T any](t testing.TB, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return v
}

var address = map[string]any{
	"recipient": "Nguyễn Thị Lan", "phone": "090 123 4567", "province": "Hà Nội",
	"commune": "Phường Ba Đình", "street": "12 Phan Đình Phùng",
}

func stockOf(t testing.TB, env *apptest.Env, variant uuid.UUID) int {
	t.Helper()
	var n int
	if err := env.DB.Get(&n, `SELECT stock FROM product_variants WHERE id = $1`, variant); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestGuestCheckoutCashOnDeliveryAcrossTwoCooperatives(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	tea := newProduct(t, env, f.Coop.Slug, "Chè Tân Cương", 150_000, 10)
	coffee := newProduct(t, env, f.OtherCoop.Slug, "Cà phê Cầu Đất", 200_000, 5)
	g := &browser{t: t, env: env}

	st, body, _ := g.do("POST", "/api/v1/cart/items", map[string]any{"variant_id": tea.Variants[0].ID, "quantity": 2})
	if st != 201 || g.cookie == "" {
		t.Fatalf("add: %d %s (cookie %q)", st, body, g.cookie)
	}
	g.do("POST", "/api/v1/cart/items", map[string]any{"variant_id": coffee.Variants[0].ID, "quantity": 1})
	st, body, _ = g.do("GET", "/api/v1/cart?ship_to=ha-noi", nil)
	cart := decode[order.Cart](t, body)
	if st != 200 || len(cart.Lines) != 2 || len(cart.Groups) != 2 {
		t.Fatalf("cart: %d %s", st, body)
	}
	// Default fees: 35.000 ₫ to another province, for each cooperative.
	if cart.ItemsVND != 500_000 || cart.ShippingVND != 70_000 || cart.TotalVND != 570_000 {
		t.Errorf("cart totals %d + %d = %d", cart.ItemsVND, cart.ShippingVND, cart.TotalVND)
	}

	req := map[string]any{"shipping_address": address, "payment_method": "cod", "note": "Giao giờ hành chính"}
	st, body, hdr := g.do("POST", "/api/v1/checkout", req, "Idempotency-Key", "k-1")
	if st != 201 {
		t.Fatalf("checkout: %d %s", st, body)
	}
	o := decode[order.Order](t, body)
	if o.Status != "confirmed" || o.PaymentStatus != "cod" || len(o.SubOrders) != 2 || o.TotalVND != 570_000 {
		t.Errorf("order: %s", body)
	}
	if o.ShippingAddress.Phone != "0901234567" || o.ShippingAddress.Province != "ha-noi" {
		t.Errorf("address normalised to %+v", o.ShippingAddress)
	}
	if hdr.Get("Location") != "/api/v1/orders/"+o.ID.String() {
		t.Errorf("Location %q", hdr.Get("Location"))
	}
	if got := stockOf(t, env, tea.Variants[0].ID); got != 8 {
		t.Errorf("tea stock %d, want 8", got)
	}

	// A retry answers the first response and creates nothing.
	st, again, hdr := g.do("POST", "/api/v1/checkout", req, "Idempotency-Key", "k-1")
	if st != 201 || !bytes.Equal(again, body) || hdr.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry: %d %s", st, again)
	}
	var orders int
	env.DB.Get(&orders, `SELECT count(*) FROM orders`)
	if orders != 1 || stockOf(t, env, tea.Variants[0].ID) != 8 {
		t.Errorf("a retry made %d orders", orders)
	}
	// The same key with another body is refused.
	req["note"] = "khác"
	if st, body, _ = g.do("POST", "/api/v1/checkout", req, "Idempotency-Key", "k-1"); st != 422 {
		t.Errorf("reused key: %d %s", st, body)
	}
	// The cart is empty now: a new key finds nothing to buy.
	if st, body, _ = g.do("POST", "/api/v1/checkout", req, "Idempotency-Key", "k-2"); st != 409 || !strings.Contains(string(body), "trống") {
		t.Errorf("empty cart: %d %s", st, body)
	}

	// The guest's browser sees the order; another guest does not; the
	// number and phone find it.
	if st, _, _ = g.do("GET", "/api/v1/orders/"+o.ID.String(), nil); st != 200 {
		t.Errorf("own order: %d", st)
	}
	other := &browser{t: t, env: env}
	other.do("POST", "/api/v1/cart/items", map[string]any{"variant_id": tea.Variants[0].ID, "quantity": 1})
	if st, _, _ = other.do("GET", "/api/v1/orders/"+o.ID.String(), nil); st != 404 {
		t.Errorf("another guest's order: %d", st)
	}
	if st, _, _ = other.do("GET", "/api/v1/orders/lookup?number="+o.Number+"&phone=%2B84901234567", nil); st != 200 {
		t.Errorf("lookup: %d", st)
	}
	if st, _, _ = other.do("GET", "/api/v1/orders/lookup?number="+o.Number+"&phone=0901234568", nil); st != 404 {
		t.Errorf("lookup with a wrong phone: %d", st)
	}

	// Each cooperative sees its own sub-order only, and ships it.
	mgr := &browser{t: t, env: env, token: f.Token(t, env, authtest.CoopManager)}
	st, body, _ = mgr.do("GET", "/api/v1/cooperatives/"+f.Coop.Slug+"/sub-orders", nil)
	page := decode[order.SubOrderPage](t, body)
	if st != 200 || len(page.Items) != 1 || page.Items[0].Lines[0].ProductName != "Chè Tân Cương" {
		t.Fatalf("coop board: %d %s", st, body)
	}
	sub := page.Items[0]
	if st, body, _ = mgr.do("POST", "/api/v1/sub-orders/"+sub.ID.String()+"/moves", map[string]any{"to": "shipped", "carrier": "GHN"}); st != 409 {
		t.Errorf("ship before packing: %d %s", st, body)
	}
	mgr.do("POST", "/api/v1/sub-orders/"+sub.ID.String()+"/moves", map[string]any{"to": "packed"})
	if st, body, _ = mgr.do("POST", "/api/v1/sub-orders/"+sub.ID.String()+"/moves", map[string]any{"to": "shipped"}); st != 400 {
		t.Errorf("ship without a carrier: %d %s", st, body)
	}
	st, body, _ = mgr.do("POST", "/api/v1/sub-orders/"+sub.ID.String()+"/moves",
		map[string]any{"to": "shipped", "carrier": "Viettel Post", "tracking_code": "VTP123"})
	moved := decode[order.SubOrder](t, body)
	if st != 200 || moved.Status != "shipped" || moved.TrackingCode != "VTP123" || len(moved.Timeline) != 3 {
		t.Errorf("ship: %d %s", st, body)
	}
	// The guest confirms receipt; the other cooperative cannot touch it.
	otherMgr := &browser{t: t, env: env, token: f.Token(t, env, authtest.OtherCoopManager)}
	if st, _, _ = otherMgr.do("POST", "/api/v1/sub-orders/"+sub.ID.String()+"/moves", map[string]any{"to": "delivered"}); st != 404 {
		t.Errorf("another cooperative's move: %d", st)
	}
	if st, body, _ = g.do("POST", "/api/v1/sub-orders/"+sub.ID.String()+"/moves", map[string]any{"to": "delivered"}); st != 200 {
		t.Errorf("buyer confirms receipt: %d %s", st, body)
	}
	var events int
	env.DB.Get(&events, `SELECT count(*) FROM outbox WHERE topic = $1`, order.TopicSubOrderMoved)
	if events != 3 {
		t.Errorf("%d move messages in the outbox, want 3", events)
	}
}

func TestBuyerCancelsBeforePackingAndStockReturns(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	p := newProduct(t, env, f.Coop.Slug, "Mật ong rừng", 250_000, 3)
	buyer := &browser{t: t, env: env, token: f.Token(t, env, authtest.Consumer)}
	buyer.do("POST", "/api/v1/cart/items", map[string]any{"variant_id": p.Variants[0].ID, "quantity": 3})
	st, body, _ := buyer.do("POST", "/api/v1/checkout", map[string]any{"shipping_address": address, "payment_method": "cod"}, "Idempotency-Key", "a")
	if st != 201 {
		t.Fatalf("checkout %d %s", st, body)
	}
	o := decode[order.Order](t, body)
	if stockOf(t, env, p.Variants[0].ID) != 0 {
		t.Fatal("stock not taken")
	}
	sub := o.SubOrders[0].ID.String()
	if st, _, _ = buyer.do("POST", "/api/v1/sub-orders/"+sub+"/moves", map[string]any{"to": "packed"}); st != 403 {
		t.Errorf("buyer packs: %d", st)
	}
	if st, body, _ = buyer.do("POST", "/api/v1/sub-orders/"+sub+"/moves", map[string]any{"to": "cancelled", "note": "Đặt nhầm"}); st != 200 {
		t.Fatalf("cancel: %d %s", st, body)
	}
	if got := stockOf(t, env, p.Variants[0].ID); got != 3 {
		t.Errorf("stock after cancel %d, want 3", got)
	}
	st, body, _ = buyer.do("GET", "/api/v1/orders", nil)
	page := decode[order.OrderPage](t, body)
	if st != 200 || len(page.Items) != 1 || page.Items[0].Status != "cancelled" {
		t.Errorf("my orders: %d %s", st, body)
	}
}

func TestTierPricesAndStockChecksInTheCart(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	p := newProduct(t, env, f.Coop.Slug, "Gạo ST25", 40_000, 100,
		catalog.PriceTier{MinQty: 10, UnitPriceVND: 36_000}, catalog.PriceTier{MinQty: 50, UnitPriceVND: 33_000})
	g := &browser{t: t, env: env}
	tests := []struct {
		name     string
		qty      int
		unit     int64
		tier     int
		nextMore int
	}{
		{"retail", 3, 40_000, 0, 7},
		{"first tier", 10, 36_000, 10, 40},
		{"second tier", 60, 33_000, 50, 0},
	}
	st, body, _ := g.do("POST", "/api/v1/cart/items", map[string]any{"variant_id": p.Variants[0].ID, "quantity": 1})
	if st != 201 {
		t.Fatal(st, string(body))
	}
	line := decode[order.Cart](t, body).Lines[0].ID.String()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, body, _ := g.do("PATCH", "/api/v1/cart/items/"+line, map[string]any{"quantity": tc.qty})
			l := decode[order.Cart](t, body).Lines[0]
			if st != 200 || l.UnitPriceVND != tc.unit || l.LineVND != tc.unit*int64(tc.qty) {
				t.Fatalf("%d %s", st, body)
			}
			if (tc.tier == 0) != (l.Tier == nil) || l.Tier != nil && l.Tier.MinQty != tc.tier {
				t.Errorf("tier %+v, want %d", l.Tier, tc.tier)
			}
			if (tc.nextMore == 0) != (l.NextTier == nil) || l.NextTier != nil && l.NextTier.MoreQty != tc.nextMore {
				t.Errorf("next tier %+v, want %d more", l.NextTier, tc.nextMore)
			}
		})
	}
	st, body, _ = g.do("PATCH", "/api/v1/cart/items/"+line, map[string]any{"quantity": 101})
	if st != 409 || !strings.Contains(string(body), "Gạo ST25") {
		t.Errorf("more than in stock: %d %s", st, body)
	}
	for _, q := range []any{0, -1, 100_001, "2"} {
		if st, body, _ = g.do("PATCH", "/api/v1/cart/items/"+line, map[string]any{"quantity": q}); st != 400 {
			t.Errorf("quantity %v: %d %s", q, st, body)
		}
	}
	if st, _, _ = g.do("PATCH", "/api/v1/cart/items/"+uuid.NewString(), map[string]any{"quantity": 1}); st != 404 {
		t.Errorf("unknown line: %d", st)
	}
	if st, _, _ = g.do("POST", "/api/v1/cart/items", map[string]any{"variant_id": uuid.New(), "quantity": 1}); st != 404 {
		t.Errorf("unknown variant: %d", st)
	}
}

func TestCheckoutRefusesBadInputAndChangesNothing(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	p := newProduct(t, env, f.Coop.Slug, "Nước mắm Phú Quốc", 90_000, 5)
	g := &browser{t: t, env: env}
	g.do("POST", "/api/v1/cart/items", map[string]any{"variant_id": p.Variants[0].ID, "quantity": 1})
	bad := map[string]any{
		"recipient": "", "phone": "12345", "province": "Tỉnh Không Có", "commune": strings.Repeat("x", 101), "street": "",
	}
	st, body, _ := g.do("POST", "/api/v1/checkout", map[string]any{"shipping_address": bad, "payment_method": "bitcoin"}, "Idempotency-Key", "x")
	if st != 400 {
		t.Fatalf("%d %s", st, body)
	}
	for _, field := range []string{"shipping_address.recipient", "shipping_address.phone", "shipping_address.province",
		"shipping_address.commune", "shipping_address.street", "payment_method"} {
		if !strings.Contains(string(body), `"field":"`+field+`"`) {
			t.Errorf("no error for %s: %s", field, body)
		}
	}
	if st, _, _ = g.do("POST", "/api/v1/checkout", map[string]any{"shipping_address": address, "payment_method": "cod"}); st != 400 {
		t.Errorf("no Idempotency-Key: %d", st)
	}
	// Invisible characters in what others read, a separator in an e-mail.
	hidden := map[string]any{"recipient": "Lan\u200b", "phone": "0901234567", "province": "ha-noi", "commune": "Ba\u2029Đình", "street": "1 Đội Cấn"}
	st, body, _ = g.do("POST", "/api/v1/checkout", map[string]any{"shipping_address": hidden, "payment_method": "cod", "email": "a\u2029@b.vn"}, "Idempotency-Key", "h")
	for _, field := range []string{"shipping_address.recipient", "shipping_address.commune", "email"} {
		if st != 400 || !strings.Contains(string(body), `"field":"`+field+`"`) {
			t.Errorf("invisible characters in %s: %d %s", field, st, body)
		}
	}
	// A former province name is accepted and resolved.
	old := map[string]any{"recipient": "Lê Văn Tám", "phone": "0912345678", "province": "Bắc Giang", "commune": "Xã Lục Ngạn", "street": "Thôn 3"}
	st, body, _ = g.do("POST", "/api/v1/checkout", map[string]any{"shipping_address": old, "payment_method": "cod"}, "Idempotency-Key", "y")
	if st != 201 || decode[order.Order](t, body).ShippingAddress.Province != "bac-ninh" {
		t.Errorf("former province: %d %s", st, body)
	}
	if got := stockOf(t, env, p.Variants[0].ID); got != 4 {
		t.Errorf("stock %d, want 4 (one order placed)", got)
	}
}

// TestLastUnitsUnderConcurrency: 200 guests check out at once for the last
// 50 units. Exactly 50 are sold, stock never goes negative, every refusal is
// a 409 naming the product.
func TestLastUnitsUnderConcurrency(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	p := newProduct(t, env, f.Coop.Slug, "Vải thiều Lục Ngạn", 60_000, 50)
	const guests = 200
	cookies := make([]string, guests)
	for i := range cookies {
		g := &browser{t: t, env: env}
		if st, body, _ := g.do("POST", "/api/v1/cart/items", map[string]any{"variant_id": p.Variants[0].ID, "quantity": 1}); st != 201 {
			t.Fatalf("add %d: %d %s", i, st, body)
		}
		cookies[i] = g.cookie
	}
	body, _ := json.Marshal(map[string]any{"shipping_address": address, "payment_method": "cod"})
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		statuses = map[int]int{}
		refusals []string
	)
	for i := range guests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := httptest.NewRequest("POST", "/api/v1/checkout", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Idempotency-Key", fmt.Sprint("guest-", i))
			req.AddCookie(&http.Cookie{Name: order.CartCookie, Value: cookies[i]})
			res, err := env.Server.App.Test(req, -1)
			if err != nil {
				t.Error(err)
				return
			}
			b, _ := io.ReadAll(res.Body)
			mu.Lock()
			defer mu.Unlock()
			statuses[res.StatusCode]++
			if res.StatusCode != 201 {
				refusals = append(refusals, string(b))
			}
		}()
	}
	wg.Wait()
	if statuses[201] != 50 || statuses[409] != 150 {
		t.Errorf("statuses %v", statuses)
	}
	for _, r := range refusals {
		if !strings.Contains(r, "Vải thiều Lục Ngạn") || !strings.Contains(r, "out-of-stock") {
			t.Errorf("refusal does not name the product: %s", r)
			break
		}
	}
	var sold, stock int
	env.DB.Get(&sold, `SELECT coalesce(sum(quantity), 0) FROM order_lines WHERE variant_id = $1`, p.Variants[0].ID)
	stock = stockOf(t, env, p.Variants[0].ID)
	if sold != 50 || stock != 0 {
		t.Errorf("sold %d, stock %d", sold, stock)
	}
}

func TestUnpaidOrdersExpireAndReturnStock(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	p := newProduct(t, env, f.Coop.Slug, "Cà phê Robusta", 120_000, 4)
	g := &browser{t: t, env: env}
	g.do("POST", "/api/v1/cart/items", map[string]any{"variant_id": p.Variants[0].ID, "quantity": 4})
	st, body, _ := g.do("POST", "/api/v1/checkout", map[string]any{"shipping_address": address, "payment_method": "card"}, "Idempotency-Key", "c")
	o := decode[order.Order](t, body)
	if st != 201 || o.Status != "pending_payment" || o.PaymentStatus != "unpaid" || o.PaymentDeadline == nil {
		t.Fatalf("card checkout: %d %s", st, body)
	}
	if n, err := env.Server.Orders.ExpireUnpaid(context.Background()); err != nil || n != 0 {
		t.Fatalf("expired before the deadline: %d %v", n, err)
	}
	env.DB.MustExec(`UPDATE orders SET payment_deadline = now() - interval '1 second' WHERE id = $1`, o.ID)
	if n, err := env.Server.Orders.ExpireUnpaid(context.Background()); err != nil || n != 1 {
		t.Fatalf("expire: %d %v", n, err)
	}
	if got := stockOf(t, env, p.Variants[0].ID); got != 4 {
		t.Errorf("stock %d after expiry, want 4", got)
	}
	st, body, _ = g.do("GET", "/api/v1/orders/"+o.ID.String(), nil)
	o = decode[order.Order](t, body)
	if st != 200 || o.Status != "cancelled" || o.PaymentStatus != "cancelled" || o.SubOrders[0].Timeline[1].ActorRole != "system" {
		t.Errorf("after expiry: %s", body)
	}
}

func TestGuestCartMergesAtSignIn(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	p := newProduct(t, env, f.Coop.Slug, "Bánh pía", 50_000, 20)
	g := &browser{t: t, env: env}
	g.do("POST", "/api/v1/cart/items", map[string]any{"variant_id": p.Variants[0].ID, "quantity": 2})
	user := &browser{t: t, env: env, token: f.Token(t, env, authtest.Wholesaler)}
	user.do("POST", "/api/v1/cart/items", map[string]any{"variant_id": p.Variants[0].ID, "quantity": 1})
	// The guest signs in on the same browser: the cookie and the session together.
	g.token = user.token
	st, body, _ := g.do("GET", "/api/v1/cart", nil)
	cart := decode[order.Cart](t, body)
	if st != 200 || len(cart.Lines) != 1 || cart.Lines[0].Quantity != 3 {
		t.Fatalf("merged cart: %d %s", st, body)
	}
	var carts int
	env.DB.Get(&carts, `SELECT count(*) FROM carts`)
	if carts != 1 {
		t.Errorf("%d carts after merging, want 1", carts)
	}
}

// TestRoleMatrix tries buying's guarded routes as every kind of caller.
func TestRoleMatrix(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	p := newProduct(t, env, f.Coop.Slug, "Chè búp", 100_000, 100)
	buyer := &browser{t: t, env: env, token: f.Token(t, env, authtest.Consumer)}
	buyer.do("POST", "/api/v1/cart/items", map[string]any{"variant_id": p.Variants[0].ID, "quantity": 1})
	_, body, _ := buyer.do("POST", "/api/v1/checkout", map[string]any{"shipping_address": address, "payment_method": "cod"}, "Idempotency-Key", "m")
	o := decode[order.Order](t, body)
	sub := o.SubOrders[0].ID.String()
	coopPath := "/api/v1/cooperatives/" + f.Coop.Slug

	members := authtest.Everyone(authtest.NotFound).With(authtest.Unauthorized, authtest.Anonymous).
		With(authtest.OK, authtest.CoopManager, authtest.CoopStaff, authtest.Admin)
	tests := []struct {
		name  string
		want  authtest.Want
		build func(a authtest.Actor) *http.Request
	}{
		{"the order: its buyer and admins", authtest.Everyone(authtest.NotFound).With(authtest.OK, authtest.Consumer, authtest.Admin),
			func(authtest.Actor) *http.Request {
				return httptest.NewRequest("GET", "/api/v1/orders/"+o.ID.String(), nil)
			}},
		{"my orders", authtest.SignedIn(),
			func(authtest.Actor) *http.Request { return httptest.NewRequest("GET", "/api/v1/orders", nil) }},
		{"the sub-order: buyer, cooperative, its province's and national staff, admins",
			authtest.Everyone(authtest.NotFound).With(authtest.OK, authtest.Consumer, authtest.CoopManager, authtest.CoopStaff,
				authtest.TradeStaff, authtest.NationalTradeStaff, authtest.Admin),
			func(authtest.Actor) *http.Request { return httptest.NewRequest("GET", "/api/v1/sub-orders/"+sub, nil) }},
		{"the cooperative's board", members,
			func(authtest.Actor) *http.Request { return httptest.NewRequest("GET", coopPath+"/sub-orders", nil) }},
		{"shipping fees", authtest.Public(),
			func(authtest.Actor) *http.Request { return httptest.NewRequest("GET", coopPath+"/shipping", nil) }},
		{"set shipping fees", members.With(authtest.Forbidden, authtest.CoopStaff),
			func(authtest.Actor) *http.Request {
				return jsonReq("PUT", coopPath+"/shipping", map[string]any{"in_province_vnd": 15000, "other_province_vnd": 30000})
			}},
		// Packing is the cooperative's; a move a caller may not make is
		// 403 to those who see the sub-order, 404 to others.
		{"pack (a fresh order each time)", authtest.Everyone(authtest.NotFound).With(authtest.Forbidden, authtest.Consumer,
			authtest.TradeStaff, authtest.NationalTradeStaff, authtest.Admin).With(authtest.OK, authtest.CoopManager, authtest.CoopStaff),
			func(authtest.Actor) *http.Request {
				buyer.do("POST", "/api/v1/cart/items", map[string]any{"variant_id": p.Variants[0].ID, "quantity": 1})
				_, body, _ := buyer.do("POST", "/api/v1/checkout", map[string]any{"shipping_address": address, "payment_method": "cod"},
					"Idempotency-Key", uuid.NewString())
				fresh := decode[order.Order](t, body).SubOrders[0].ID.String()
				return jsonReq("POST", "/api/v1/sub-orders/"+fresh+"/moves", map[string]any{"to": "packed"})
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			authtest.Check(t, env, tc.want, func(_ *authtest.Fixture, a authtest.Actor) *http.Request { return tc.build(a) })
		})
	}
}

func jsonReq(method, path string, body any) *http.Request {
	b, _ := json.Marshal(body)
	req := httptest.NewRequest(method, path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	return req
}

func TestAddressBookFillsFromCheckouts(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	p := newProduct(t, env, f.Coop.Slug, "Nấm hương", 90_000, 50)
	buyer := &browser{t: t, env: env, token: f.Token(t, env, authtest.Consumer)}
	other := &browser{t: t, env: env, token: f.Token(t, env, authtest.Wholesaler)}
	home := map[string]any{"recipient": "Lê Thị Hoa", "phone": "0912 345 678", "province": "Đà Nẵng", "commune": "Phường Hải Châu", "street": "3 Bạch Đằng"}
	for i, addr := range []map[string]any{address, home, address} {
		buyer.do("POST", "/api/v1/cart/items", map[string]any{"variant_id": p.Variants[0].ID, "quantity": 1})
		if st, b, _ := buyer.do("POST", "/api/v1/checkout", map[string]any{"shipping_address": addr, "payment_method": "cod"},
			"Idempotency-Key", fmt.Sprint("a", i)); st != 201 {
			t.Fatalf("checkout %d: %d %s", i, st, b)
		}
	}
	st, b, _ := buyer.do("GET", "/api/v1/me/addresses", nil)
	var book struct{ Items []order.SavedAddress }
	if err := json.Unmarshal(b, &book); st != 200 || err != nil || len(book.Items) != 2 {
		t.Fatalf("book: %d %s", st, b)
	}
	if got := book.Items[0]; got.Recipient != "Nguyễn Thị Lan" || got.Phone != "0901234567" || got.Province != "ha-noi" || got.ProvinceName == "" {
		t.Errorf("most recent first, normalised: %+v", got)
	}
	if st, _, _ := other.do("DELETE", "/api/v1/me/addresses/"+book.Items[1].ID.String(), nil); st != 404 {
		t.Errorf("someone else's address: %d", st)
	}
	if st, _, _ := buyer.do("DELETE", "/api/v1/me/addresses/"+book.Items[1].ID.String(), nil); st != 204 {
		t.Errorf("delete own: %d", st)
	}
	if _, b, _ := buyer.do("GET", "/api/v1/me/addresses", nil); strings.Contains(string(b), "Hải Châu") {
		t.Errorf("deleted address still listed: %s", b)
	}
	authtest.Check(t, env, authtest.SignedIn(), func(*authtest.Fixture, authtest.Actor) *http.Request {
		return httptest.NewRequest("GET", "/api/v1/me/addresses", nil)
	})
}

func TestIdempotencyKeyIsChecked(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	p := newProduct(t, env, f.Coop.Slug, "Cà phê muối", 70_000, 5)
	g := &browser{t: t, env: env}
	g.do("POST", "/api/v1/cart/items", map[string]any{"variant_id": p.Variants[0].ID, "quantity": 1})
	for _, key := range []string{"a\x00b", "khóa-có-dấu", strings.Repeat("k", 201)} {
		req := jsonReq("POST", "/api/v1/checkout", map[string]any{"shipping_address": address, "payment_method": "cod"})
		req.Header["Idempotency-Key"] = []string{key}
		req.AddCookie(&http.Cookie{Name: order.CartCookie, Value: g.cookie})
		res, err := env.Server.App.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != 400 {
			t.Errorf("key %q: %d", key, res.StatusCode)
		}
	}
	if got := stockOf(t, env, p.Variants[0].ID); got != 5 {
		t.Errorf("stock %d after refused checkouts", got)
	}
}

// TestCheckoutRetriesReplayTheFirstAnswer: retries of one checkout sent at
// the same time, and a retry after the cart was filled again, all answer
// the first order and create no other; the new cart stays as it is.
func TestCheckoutRetriesReplayTheFirstAnswer(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	tea := newProduct(t, env, f.Coop.Slug, "Chè Tân Cương", 150_000, 100)
	g := &browser{t: t, env: env}
	if st, body, _ := g.do("POST", "/api/v1/cart/items", map[string]any{"variant_id": tea.Variants[0].ID, "quantity": 2}); st != 201 {
		t.Fatalf("add: %d %s", st, body)
	}
	req := map[string]any{"shipping_address": address, "payment_method": "cod"}

	const retries = 8
	bodies := make([][]byte, retries)
	codes := make([]int, retries)
	var wg sync.WaitGroup
	for i := range retries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], bodies[i], _ = g.do("POST", "/api/v1/checkout", req, "Idempotency-Key", "same")
		}()
	}
	wg.Wait()
	for i := range retries {
		if codes[i] != 201 || !bytes.Equal(bodies[i], bodies[0]) {
			t.Fatalf("retry %d: %d %s, want the first answer %s", i, codes[i], bodies[i], bodies[0])
		}
	}
	first := decode[order.Order](t, bodies[0])

	// The shopper fills the cart again; a late retry of the first checkout
	// must not buy it.
	g.do("POST", "/api/v1/cart/items", map[string]any{"variant_id": tea.Variants[0].ID, "quantity": 5})
	st, body, hdr := g.do("POST", "/api/v1/checkout", req, "Idempotency-Key", "same")
	if st != 201 || hdr.Get("Idempotent-Replayed") != "true" || decode[order.Order](t, body).ID != first.ID {
		t.Fatalf("late retry: %d %s", st, body)
	}
	var orders int
	if err := env.DB.Get(&orders, `SELECT count(*) FROM orders`); err != nil {
		t.Fatal(err)
	}
	if orders != 1 || stockOf(t, env, tea.Variants[0].ID) != 98 {
		t.Errorf("%d orders and stock %d after retries, want 1 order and 98", orders, stockOf(t, env, tea.Variants[0].ID))
	}
	_, body, _ = g.do("GET", "/api/v1/cart", nil)
	if c := decode[order.Cart](t, body); len(c.Lines) != 1 || c.Lines[0].Quantity != 5 {
		t.Errorf("the new cart changed: %s", body)
	}
}

// A line put in the cart by a request that held the cart while a checkout
// waited for it is not bought (the checkout read the cart as it was) and
// must not be lost either: it stays in the cart.
func TestALineAddedWhileCheckoutWaitsStaysInTheCart(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	tea := newProduct(t, env, f.Coop.Slug, "Chè Tân Cương", 150_000, 100)
	coffee := newProduct(t, env, f.Coop.Slug, "Cà phê Cầu Đất", 200_000, 100)
	g := &browser{t: t, env: env}
	if st, body, _ := g.do("POST", "/api/v1/cart/items", map[string]any{"variant_id": tea.Variants[0].ID, "quantity": 2}); st != 201 {
		t.Fatalf("add: %d %s", st, body)
	}

	// Another request holds the cart, as adding a line does.
	tx, err := env.DB.Beginx()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var cartID uuid.UUID
	if err := tx.Get(&cartID, `SELECT id FROM carts WHERE token_hash = $1 FOR UPDATE`, order.HashCartToken(g.cookie)); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		st   int
		body []byte
	}
	done := make(chan answer, 1)
	go func() {
		st, body, _ := g.do("POST", "/api/v1/checkout", map[string]any{"shipping_address": address, "payment_method": "cod"},
			"Idempotency-Key", "wait")
		done <- answer{st, body}
	}()
	// The checkout waits for the cart's lock…
	for start := time.Now(); ; {
		var waiting int
		if err := env.DB.Get(&waiting, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		if time.Since(start) > 10*time.Second {
			t.Fatal("the checkout never waited for the cart")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// …while the other request adds a line and lets go.
	if _, err := tx.Exec(`INSERT INTO cart_items (id, cart_id, variant_id, quantity) VALUES ($1, $2, $3, 1)`,
		uuid.New(), cartID, coffee.Variants[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	a := <-done
	if a.st != 201 {
		t.Fatalf("checkout: %d %s", a.st, a.body)
	}
	o := decode[order.Order](t, a.body)
	if len(o.SubOrders) != 1 || len(o.SubOrders[0].Lines) != 1 || o.SubOrders[0].Lines[0].VariantID != tea.Variants[0].ID {
		t.Fatalf("the order took %s, want the tea it read", a.body)
	}
	_, body, _ := g.do("GET", "/api/v1/cart", nil)
	if c := decode[order.Cart](t, body); len(c.Lines) != 1 || c.Lines[0].VariantID != coffee.Variants[0].ID {
		t.Errorf("cart after the checkout: %s, want the coffee added meanwhile", body)
	}
	if stockOf(t, env, coffee.Variants[0].ID) != 100 || stockOf(t, env, tea.Variants[0].ID) != 98 {
		t.Errorf("stock: coffee %d, tea %d", stockOf(t, env, coffee.Variants[0].ID), stockOf(t, env, tea.Variants[0].ID))
	}
}
