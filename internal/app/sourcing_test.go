package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"htxmarket/internal/app"
	"htxmarket/internal/app/apptest"
	"htxmarket/internal/app/authtest"
	"htxmarket/internal/catalog"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/outbox"
	"htxmarket/internal/sourcing"
)

// sourcingWorld is a server with the authtest fixture, a product of each
// cooperative to quote with, and an offer of each.
type sourcingWorld struct {
	env      *apptest.Env
	f        *authtest.Fixture
	variants map[authtest.Actor]uuid.UUID // by the cooperative's manager
	offers   map[authtest.Actor]uuid.UUID
}

func newSourcingWorld(t *testing.T) *sourcingWorld {
	t.Helper()
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	w := &sourcingWorld{env: env, f: f, variants: map[authtest.Actor]uuid.UUID{}, offers: map[authtest.Actor]uuid.UUID{}}
	admin := &auth.Principal{UserID: uuid.New(), Roles: []auth.Role{auth.RoleAdmin}}
	for _, c := range []struct {
		manager  authtest.Actor
		coop     authtest.Coop
		sku      string
		price    int64
		quantity float64
	}{{authtest.CoopManager, f.Coop, "VAI-1", 30_000_000, 12}, {authtest.OtherCoopManager, f.OtherCoop, "VAI-2", 28_000_000, 10}} {
		p, err := env.Server.Catalog.Create(context.Background(), admin, c.coop.Slug, catalog.NewProduct{
			Name: "Vải thiều " + c.coop.Name, Group: "thuc-pham", Province: c.coop.Province, Status: catalog.StatusActive,
			Certifications: []string{"VietGAP"}, Keywords: []string{"vải", "lychee"},
			Variants: []catalog.NewVariant{{SKU: c.sku, Unit: "tấn", PriceVND: c.price, Stock: 50}}})
		if err != nil {
			t.Fatal(err)
		}
		w.variants[c.manager] = p.Variants[0].ID
		res := w.do(t, c.manager, "POST", "/api/v1/sourcing/offers", map[string]any{
			"cooperative": c.coop.Slug, "product_id": p.ID, "quantity": c.quantity, "min_quantity": 1, "unit": "tấn",
			"months": []int{5, 6, 7}, "unit_price_vnd": c.price})
		if res.Status != http.StatusCreated {
			t.Fatalf("offer: %d %s", res.Status, res.Body)
		}
		var o sourcing.Offer
		res.JSON(t, &o)
		w.offers[c.manager] = o.ID
	}
	return w
}

type response struct {
	Status int
	Body   []byte
}

func (r response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// do sends a JSON request as actor.
func (w *sourcingWorld) do(t *testing.T, a authtest.Actor, method, path string, body any, headers ...string) response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, path, rd)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if tok := w.f.Token(t, w.env, a); tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	res := w.env.Client.Do(req)
	return response{Status: res.Status, Body: res.Body}
}

func (w *sourcingWorld) request(t *testing.T, body map[string]any) sourcing.Request {
	t.Helper()
	// The lychee season of next year: June and July.
	next := time.Now().Year() + 1
	in := map[string]any{"text": "vai thieu", "quantity": 20, "unit": "tan", "province": "Hà Nội",
		"wanted_from": fmt.Sprintf("%d-06-01", next), "wanted_to": fmt.Sprintf("%d-07-31", next),
		"certifications": []string{"vietgap"}}
	for k, v := range body {
		in[k] = v
	}
	res := w.do(t, authtest.Wholesaler, "POST", "/api/v1/sourcing/requests", in)
	if res.Status != http.StatusCreated {
		t.Fatalf("request: %d %s", res.Status, res.Body)
	}
	var r sourcing.Request
	res.JSON(t, &r)
	return r
}

func (w *sourcingWorld) quote(t *testing.T, a authtest.Actor, coop string, req uuid.UUID, qty int, price int64) sourcing.Quote {
	t.Helper()
	res := w.do(t, a, "POST", "/api/v1/sourcing/requests/"+req.String()+"/quotes", map[string]any{
		"cooperative": coop, "variant_id": w.variants[map[string]authtest.Actor{w.f.Coop.Slug: authtest.CoopManager,
			w.f.OtherCoop.Slug: authtest.OtherCoopManager}[coop]], "unit_price_vnd": price, "quantity": qty,
		"delivery_date": time.Now().AddDate(0, 0, 10).Format("2006-01-02"),
		"valid_until":   time.Now().AddDate(0, 0, 5).Format("2006-01-02")})
	if res.Status != http.StatusCreated {
		t.Fatalf("quote by %s: %d %s", a, res.Status, res.Body)
	}
	var q sourcing.Quote
	res.JSON(t, &q)
	return q
}

var testAddress = map[string]any{"recipient": "Công ty Thử nghiệm", "phone": "0901234567", "province": "ha-noi",
	"commune": "Phường Ba Đình", "street": "1 Đội Cấn"}

// A request in tấn typed without diacritics finds both cooperatives'
// offers, explains each score, combines them to cover 20 tonnes, and
// both cooperatives are told, quote and are accepted into one order.
func TestSourcingRequestToOrder(t *testing.T) {
	w := newSourcingWorld(t)
	r := w.request(t, nil)
	if r.Unit != "tấn" || r.Province != "ha-noi" || r.Certifications[0] != "VietGAP" || r.Status != "open" {
		t.Fatalf("request %+v", r)
	}

	res := w.do(t, authtest.Wholesaler, "GET", "/api/v1/sourcing/requests/"+r.ID.String()+"/matches", nil)
	if res.Status != 200 {
		t.Fatalf("matches: %d %s", res.Status, res.Body)
	}
	var m sourcing.Matches
	res.JSON(t, &m)
	if len(m.Matches) != 2 {
		t.Fatalf("%d matches, want 2: %s", len(m.Matches), res.Body)
	}
	for _, x := range m.Matches {
		if len(x.Breakdown) != 6 || x.Score <= 0 || x.Score > 1 {
			t.Errorf("match %+v", x)
		}
	}
	if len(m.Combinations) == 0 || len(m.Combinations[0].Parts) != 2 || !m.Optimal {
		t.Fatalf("combinations %+v", m.Combinations)
	}
	// Delivered to Hà Nội, Thái Nguyên's 30 million a tonne (63 km) is
	// cheaper than Lâm Đồng's 28 million (1,048 km at 2,500 ₫ a tonne-km,
	// 30.6 million): all 12 tonnes of the first, 8 of the other.
	best := m.Combinations[0]
	got := map[uuid.UUID]float64{}
	for _, p := range best.Parts {
		got[p.OfferID] = p.Quantity
	}
	if got[w.offers[authtest.OtherCoopManager]] != 8 || got[w.offers[authtest.CoopManager]] != 12 {
		t.Errorf("best combination %+v", best)
	}
	if best.GoodsVND != 8*28_000_000+12*30_000_000 || best.TotalVND != best.GoodsVND+best.TransportVND || best.TransportVND <= 0 {
		t.Errorf("best combination costs %+v", best)
	}

	// Both cooperatives see the request in their inbox and were notified.
	for _, c := range []struct {
		a    authtest.Actor
		coop string
	}{{authtest.CoopManager, w.f.Coop.Slug}, {authtest.OtherCoopManager, w.f.OtherCoop.Slug}} {
		res := w.do(t, c.a, "GET", "/api/v1/sourcing/cooperatives/"+c.coop+"/inbox", nil)
		var inbox struct{ Items []sourcing.InboxItem }
		res.JSON(t, &inbox)
		if len(inbox.Items) != 1 || inbox.Items[0].Request.ID != r.ID {
			t.Errorf("inbox of %s: %s", c.coop, res.Body)
		}
	}
	relay := outbox.NewRelay(w.env.DB, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	consumer := appSourcingConsumer(w.env)
	if _, err := relay.RunOnce(context.Background(), consumer); err != nil {
		t.Fatal(err)
	}
	var notes int
	if err := w.env.DB.Get(&notes, `SELECT count(*) FROM notifications WHERE user_id = $1 AND title LIKE 'Yêu cầu báo giá mới%'`,
		w.f.Users[authtest.CoopManager].ID); err != nil || notes != 1 {
		t.Errorf("manager's notices %d (%v), want 1", notes, err)
	}

	qa := w.quote(t, authtest.CoopManager, w.f.Coop.Slug, r.ID, 10, 29_500_000)
	qb := w.quote(t, authtest.OtherCoopManager, w.f.OtherCoop.Slug, r.ID, 10, 27_900_000)
	// A second quote replaces the first.
	qa = w.quote(t, authtest.CoopManager, w.f.Coop.Slug, r.ID, 10, 29_000_000)

	// The buyer sees both; each cooperative only its own.
	for _, c := range []struct {
		a    authtest.Actor
		want []uuid.UUID
	}{{authtest.Wholesaler, []uuid.UUID{qb.ID, qa.ID}}, {authtest.CoopManager, []uuid.UUID{qa.ID}},
		{authtest.CoopStaff, []uuid.UUID{qa.ID}}, {authtest.OtherCoopManager, []uuid.UUID{qb.ID}}} {
		res := w.do(t, c.a, "GET", "/api/v1/sourcing/requests/"+r.ID.String()+"/quotes", nil)
		var qs struct{ Items []sourcing.Quote }
		res.JSON(t, &qs)
		var ids []uuid.UUID
		for _, q := range qs.Items {
			ids = append(ids, q.ID)
		}
		if len(ids) != len(c.want) || (len(ids) > 0 && ids[0] != c.want[0]) || (len(ids) > 1 && ids[1] != c.want[1]) {
			t.Errorf("%s sees quotes %v, want %v", c.a, ids, c.want)
		}
	}

	accept := map[string]any{"quote_ids": []uuid.UUID{qa.ID, qb.ID}, "payment_method": "card", "shipping_address": testAddress}
	res = w.do(t, authtest.Wholesaler, "POST", "/api/v1/sourcing/requests/"+r.ID.String()+"/accept", accept, "Idempotency-Key", "acc-1")
	if res.Status != http.StatusCreated {
		t.Fatalf("accept: %d %s", res.Status, res.Body)
	}
	var a sourcing.Accepted
	res.JSON(t, &a)
	if a.TotalVND != 10*29_000_000+10*27_900_000 {
		t.Errorf("order total %d", a.TotalVND)
	}
	var subs int
	if err := w.env.DB.Get(&subs, `SELECT count(*) FROM sub_orders WHERE order_id = $1`, a.OrderID); err != nil || subs != 2 {
		t.Errorf("%d sub-orders (%v), want 2", subs, err)
	}
	var stock int
	if err := w.env.DB.Get(&stock, `SELECT stock FROM product_variants WHERE id = $1`, w.variants[authtest.CoopManager]); err != nil || stock != 40 {
		t.Errorf("stock %d (%v), want 40", stock, err)
	}
	// A retry gets the same order; the key with another body is refused.
	res = w.do(t, authtest.Wholesaler, "POST", "/api/v1/sourcing/requests/"+r.ID.String()+"/accept", accept, "Idempotency-Key", "acc-1")
	var again sourcing.Accepted
	res.JSON(t, &again)
	if res.Status != http.StatusCreated || again.OrderID != a.OrderID {
		t.Errorf("retry: %d %s", res.Status, res.Body)
	}
	accept["payment_method"] = "bank_transfer"
	if res := w.do(t, authtest.Wholesaler, "POST", "/api/v1/sourcing/requests/"+r.ID.String()+"/accept", accept, "Idempotency-Key", "acc-1"); res.Status != http.StatusUnprocessableEntity {
		t.Errorf("reused key: %d %s", res.Status, res.Body)
	}
	// Accepted quotes cannot be accepted again nor replaced.
	if res := w.do(t, authtest.Wholesaler, "POST", "/api/v1/sourcing/requests/"+r.ID.String()+"/accept", accept, "Idempotency-Key", "acc-2"); res.Status != http.StatusConflict {
		t.Errorf("accept twice: %d %s", res.Status, res.Body)
	}
	res = w.do(t, authtest.Wholesaler, "GET", "/api/v1/sourcing/requests/"+r.ID.String(), nil)
	var after sourcing.Request
	res.JSON(t, &after)
	if after.Status != "awarded" {
		t.Errorf("request status %q, want awarded", after.Status)
	}
	// A cooperative that quoted still sees the request and its own quote,
	// accepted, once the request is no longer open to all.
	res = w.do(t, authtest.OtherCoopManager, "GET", "/api/v1/sourcing/requests/"+r.ID.String()+"/quotes", nil)
	var mine struct{ Items []sourcing.Quote }
	res.JSON(t, &mine)
	if res.Status != 200 || len(mine.Items) != 1 || mine.Items[0].Status != "accepted" || mine.Items[0].OrderID == nil {
		t.Errorf("the second cooperative's quotes after the award: %d %s", res.Status, res.Body)
	}
}

// appSourcingConsumer is the worker's sourcing consumer on the test's
// database.
func appSourcingConsumer(env *apptest.Env) outbox.Consumer {
	c, _ := app.SourcingWorkerForTest(env.Config, env.DB, env.Server.Identity, env.Server.Cooperatives)
	return c
}

// Who may call each sourcing route; no cooperative sees another's quote.
func TestSourcingRoleMatrix(t *testing.T) {
	w := newSourcingWorld(t)
	open := w.request(t, nil)
	invited := w.request(t, map[string]any{"cooperatives": []string{w.f.Coop.Slug}})
	w.quote(t, authtest.CoopManager, w.f.Coop.Slug, invited.ID, 5, 29_000_000)
	get := func(path string) func(*authtest.Fixture, authtest.Actor) *http.Request {
		return func(*authtest.Fixture, authtest.Actor) *http.Request { return httptest.NewRequest("GET", path, nil) }
	}
	post := func(path, body string) func(*authtest.Fixture, authtest.Actor) *http.Request {
		return func(*authtest.Fixture, authtest.Actor) *http.Request {
			r := httptest.NewRequest("POST", path, strings.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			return r
		}
	}
	ownerAndAdmin := authtest.Everyone(authtest.Forbidden).With(authtest.Unauthorized, authtest.Anonymous).
		With(authtest.OK, authtest.Wholesaler, authtest.Admin)
	authtest.Check(t, w.env, authtest.Public(), get("/api/v1/sourcing/board"))
	authtest.Check(t, w.env, authtest.Public(), get("/api/v1/sourcing/units"))
	authtest.Check(t, w.env, authtest.Public(), get("/api/v1/sourcing/offers"))
	authtest.Check(t, w.env, authtest.Only(authtest.Wholesaler, authtest.Admin),
		post("/api/v1/sourcing/requests", `{"text":"bưởi","quantity":1,"unit":"tấn","province":"ha-noi","wanted_to":"`+
			time.Now().AddDate(0, 1, 0).Format("2006-01-02")+`"}`))
	authtest.Check(t, w.env, authtest.SignedIn(), get("/api/v1/sourcing/requests"))
	// An open request is public; an invited one is for its buyer, admins
	// and the invited cooperative only.
	authtest.Check(t, w.env, authtest.Public(), get("/api/v1/sourcing/requests/"+open.ID.String()))
	authtest.Check(t, w.env, authtest.Everyone(authtest.NotFound).With(authtest.OK, authtest.Wholesaler, authtest.Admin,
		authtest.CoopManager, authtest.CoopStaff), get("/api/v1/sourcing/requests/"+invited.ID.String()))
	authtest.Check(t, w.env, ownerAndAdmin, get("/api/v1/sourcing/requests/"+open.ID.String()+"/matches"))
	authtest.Check(t, w.env, authtest.Everyone(authtest.NotFound).With(authtest.Unauthorized, authtest.Anonymous).
		With(authtest.OK, authtest.Wholesaler, authtest.Admin).With(authtest.Forbidden, authtest.CoopManager, authtest.CoopStaff),
		get("/api/v1/sourcing/requests/"+invited.ID.String()+"/matches"))
	// Quotes: the buyer and admins, and the members of a cooperative
	// (their own only, checked in TestSourcingRequestToOrder).
	authtest.Check(t, w.env, authtest.Everyone(authtest.Forbidden).With(authtest.Unauthorized, authtest.Anonymous).
		With(authtest.OK, authtest.Wholesaler, authtest.Admin, authtest.CoopManager, authtest.CoopStaff, authtest.OtherCoopManager),
		get("/api/v1/sourcing/requests/"+open.ID.String()+"/quotes"))
	authtest.Check(t, w.env, authtest.Everyone(authtest.NotFound).With(authtest.Unauthorized, authtest.Anonymous).
		With(authtest.OK, authtest.Wholesaler, authtest.Admin, authtest.CoopManager, authtest.CoopStaff),
		get("/api/v1/sourcing/requests/"+invited.ID.String()+"/quotes"))
	// Sending a quote for the cooperative: its manager and staff; others
	// are no members (404), the anonymous caller 401.
	quote := `{"cooperative":"` + w.f.Coop.Slug + `","variant_id":"` + w.variants[authtest.CoopManager].String() +
		`","unit_price_vnd":29000000,"quantity":3,"delivery_date":"` + time.Now().AddDate(0, 0, 9).Format("2006-01-02") +
		`","valid_until":"` + time.Now().AddDate(0, 0, 4).Format("2006-01-02") + `"}`
	authtest.Check(t, w.env, authtest.Everyone(authtest.NotFound).With(authtest.Unauthorized, authtest.Anonymous).
		With(authtest.OK, authtest.CoopManager, authtest.CoopStaff), post("/api/v1/sourcing/requests/"+open.ID.String()+"/quotes", quote))
	offer := `{"cooperative":"` + w.f.Coop.Slug + `","text":"Vải thiều loại 2","quantity":3,"unit":"tấn","unit_price_vnd":20000000}`
	authtest.Check(t, w.env, authtest.Everyone(authtest.NotFound).With(authtest.Unauthorized, authtest.Anonymous).
		With(authtest.OK, authtest.CoopManager, authtest.CoopStaff), post("/api/v1/sourcing/offers", offer))
	member := authtest.Everyone(authtest.NotFound).With(authtest.Unauthorized, authtest.Anonymous).
		With(authtest.OK, authtest.CoopManager, authtest.CoopStaff, authtest.Admin)
	authtest.Check(t, w.env, member, get("/api/v1/sourcing/cooperatives/"+w.f.Coop.Slug+"/inbox"))
	authtest.Check(t, w.env, member, get("/api/v1/sourcing/cooperatives/"+w.f.Coop.Slug+"/offers"))
	authtest.Check(t, w.env, authtest.Public(), get("/api/v1/sourcing/offers?cooperative="+w.f.Coop.Slug))
	// Withdrawing an offer: the cooperative's managers and staff, admins
	// (a fresh offer per actor); another cooperative's manager is no member.
	authtest.Check(t, w.env, member, func(f *authtest.Fixture, a authtest.Actor) *http.Request {
		o, err := w.env.Server.Sourcing.CreateOffer(context.Background(), f.Coop.ID, sourcing.NewOffer{
			Text: "Vải thiều loại 3", Quantity: 1, Unit: "tấn", UnitPriceVND: 15_000_000})
		if err != nil {
			t.Fatal(err)
		}
		return httptest.NewRequest("POST", "/api/v1/sourcing/cooperatives/"+f.Coop.Slug+"/offers/"+o.ID.String()+"/withdraw", nil)
	})
	// Another cooperative's offer cannot be withdrawn through one's own.
	other, err := w.env.Server.Sourcing.CreateOffer(context.Background(), w.f.OtherCoop.ID, sourcing.NewOffer{
		Text: "Vải thiều loại 3", Quantity: 1, Unit: "tấn", UnitPriceVND: 15_000_000})
	if err != nil {
		t.Fatal(err)
	}
	if res := w.do(t, authtest.CoopManager, "POST", "/api/v1/sourcing/cooperatives/"+w.f.Coop.Slug+"/offers/"+other.ID.String()+"/withdraw", nil); res.Status != http.StatusNotFound {
		t.Errorf("withdraw another cooperative's offer: %d %s", res.Status, res.Body)
	}
	// Closing: the buyer and admins (a fresh request per actor).
	authtest.Check(t, w.env, ownerAndAdmin,
		func(f *authtest.Fixture, a authtest.Actor) *http.Request {
			r := w.request(t, nil)
			return httptest.NewRequest("POST", "/api/v1/sourcing/requests/"+r.ID.String()+"/close", nil)
		})
	// Accepting: the buyer only.
	authtest.Check(t, w.env, authtest.Everyone(authtest.Forbidden).With(authtest.Unauthorized, authtest.Anonymous).
		With(authtest.OK, authtest.Wholesaler),
		func(f *authtest.Fixture, a authtest.Actor) *http.Request {
			r := w.request(t, nil)
			q := w.quote(t, authtest.CoopManager, w.f.Coop.Slug, r.ID, 1, 29_000_000)
			b, _ := json.Marshal(map[string]any{"quote_ids": []uuid.UUID{q.ID}, "payment_method": "card", "shipping_address": testAddress})
			req := httptest.NewRequest("POST", "/api/v1/sourcing/requests/"+r.ID.String()+"/accept", bytes.NewReader(b))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Idempotency-Key", "k-"+string(a))
			return req
		})
}

// Bad input gets field errors and stores nothing.
func TestSourcingBadInput(t *testing.T) {
	w := newSourcingWorld(t)
	past := time.Now().AddDate(0, 0, -2).Format("2006-01-02")
	tests := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"negative quantity", map[string]any{"quantity": -5}, "quantity"},
		{"absurd quantity", map[string]any{"quantity": 5e9}, "quantity"},
		{"zero quantity", map[string]any{"quantity": 0}, "quantity"},
		{"unknown unit", map[string]any{"unit": "pound"}, "unit"},
		{"unknown province", map[string]any{"province": "Atlantis"}, "province"},
		{"wanted_to in the past", map[string]any{"wanted_to": past, "wanted_from": past}, "wanted_to"},
		{"bad date", map[string]any{"wanted_to": "mai"}, "wanted_to"},
		{"unknown certification", map[string]any{"certifications": []string{"ISO 99999"}}, "certifications"},
		{"stars", map[string]any{"min_stars": 2}, "min_stars"},
		{"empty text", map[string]any{"text": "  "}, "text"},
		{"unknown cooperative", map[string]any{"cooperatives": []string{"khong-co"}}, "cooperatives"},
	}
	in := map[string]any{"text": "vải", "quantity": 20, "unit": "tấn", "province": "ha-noi",
		"wanted_to": time.Now().AddDate(0, 1, 0).Format("2006-01-02")}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := map[string]any{}
			for k, v := range in {
				body[k] = v
			}
			for k, v := range tt.body {
				body[k] = v
			}
			res := w.do(t, authtest.Wholesaler, "POST", "/api/v1/sourcing/requests", body)
			if res.Status != http.StatusBadRequest {
				t.Fatalf("status %d: %s", res.Status, res.Body)
			}
			var p struct {
				Errors []struct{ Field string }
			}
			res.JSON(t, &p)
			found := false
			for _, e := range p.Errors {
				found = found || e.Field == tt.field
			}
			if !found {
				t.Errorf("no error on %s: %s", tt.field, res.Body)
			}
		})
	}
	var n int
	if err := w.env.DB.Get(&n, `SELECT count(*) FROM sourcing_requests`); err != nil || n != 0 {
		t.Errorf("%d requests stored (%v)", n, err)
	}
	for _, body := range []map[string]any{
		{"cooperative": w.f.Coop.Slug, "text": "vải", "quantity": 5, "min_quantity": 6, "unit": "tấn", "unit_price_vnd": 1},
		{"cooperative": w.f.Coop.Slug, "text": "vải", "quantity": 5, "unit": "thúng", "unit_price_vnd": 1},
		{"cooperative": w.f.Coop.Slug, "text": "vải", "quantity": 5, "unit": "kg", "unit_price_vnd": -1},
		{"cooperative": w.f.Coop.Slug, "text": "vải", "quantity": 5, "unit": "kg", "unit_price_vnd": 1, "months": []int{13}},
		{"cooperative": w.f.Coop.Slug, "text": "vải", "quantity": 5, "unit": "kg", "unit_price_vnd": 1, "kind": "surplus"},
	} {
		if res := w.do(t, authtest.CoopManager, "POST", "/api/v1/sourcing/offers", body); res.Status != http.StatusBadRequest {
			t.Errorf("offer %v: %d %s", body, res.Status, res.Body)
		}
	}
	r := w.request(t, nil)
	quotes := "/api/v1/sourcing/requests/" + r.ID.String() + "/quotes"
	good := func() map[string]any {
		return map[string]any{"cooperative": w.f.Coop.Slug, "variant_id": w.variants[authtest.CoopManager], "unit_price_vnd": 1000,
			"quantity": 1, "delivery_date": time.Now().AddDate(0, 0, 3).Format("2006-01-02"),
			"valid_until": time.Now().AddDate(0, 0, 3).Format("2006-01-02")}
	}
	for field, value := range map[string]any{"quantity": -1, "unit_price_vnd": 0, "valid_until": past,
		"delivery_date": "31/12/2026", "variant_id": w.variants[authtest.OtherCoopManager]} {
		body := good()
		body[field] = value
		res := w.do(t, authtest.CoopManager, "POST", quotes, body)
		if res.Status != http.StatusBadRequest || !strings.Contains(string(res.Body), `"field":"`+field+`"`) {
			t.Errorf("quote with bad %s: %d %s", field, res.Status, res.Body)
		}
	}
	accept := "/api/v1/sourcing/requests/" + r.ID.String() + "/accept"
	if res := w.do(t, authtest.Wholesaler, "POST", accept, map[string]any{"quote_ids": []string{}, "payment_method": "card",
		"shipping_address": testAddress}, "Idempotency-Key", "k1"); res.Status != http.StatusBadRequest {
		t.Errorf("accept nothing: %d %s", res.Status, res.Body)
	}
	if res := w.do(t, authtest.Wholesaler, "POST", accept, map[string]any{"quote_ids": []uuid.UUID{uuid.New()}, "payment_method": "card",
		"shipping_address": testAddress}); res.Status != http.StatusBadRequest {
		t.Errorf("accept without Idempotency-Key: %d %s", res.Status, res.Body)
	}
	if res := w.do(t, authtest.Wholesaler, "GET", "/api/v1/sourcing/requests?page=0", nil); res.Status != http.StatusBadRequest {
		t.Errorf("page 0: %d %s", res.Status, res.Body)
	}
	var quoted int
	if err := w.env.DB.Get(&quoted, `SELECT count(*) FROM sourcing_quotes`); err != nil || quoted != 0 {
		t.Errorf("%d quotes stored (%v)", quoted, err)
	}
}

// Requests past their window and quotes past their validity expire; an
// expired quote cannot be accepted.
func TestSourcingExpiry(t *testing.T) {
	w := newSourcingWorld(t)
	today := time.Now().Format("2006-01-02")
	short := w.request(t, map[string]any{"wanted_from": today, "wanted_to": time.Now().AddDate(0, 0, 3).Format("2006-01-02")})
	long := w.request(t, map[string]any{"wanted_from": today, "wanted_to": time.Now().AddDate(0, 2, 0).Format("2006-01-02")})
	q := w.quote(t, authtest.CoopManager, w.f.Coop.Slug, long.ID, 2, 29_000_000) // valid 5 days
	s := w.env.Server.Sourcing
	s.SetClock(func() time.Time { return time.Now().AddDate(0, 0, 7) })
	defer s.SetClock(time.Now)
	nr, nq, err := s.Expire(context.Background())
	if err != nil || nr != 1 || nq != 1 {
		t.Fatalf("expired %d requests, %d quotes (%v); want 1, 1", nr, nq, err)
	}
	var status string
	if err := w.env.DB.Get(&status, `SELECT status FROM sourcing_requests WHERE id = $1`, short.ID); err != nil || status != "expired" {
		t.Errorf("short request %q (%v)", status, err)
	}
	if err := w.env.DB.Get(&status, `SELECT status FROM sourcing_requests WHERE id = $1`, long.ID); err != nil || status != "quoting" {
		t.Errorf("long request %q (%v)", status, err)
	}
	res := w.do(t, authtest.Wholesaler, "POST", "/api/v1/sourcing/requests/"+long.ID.String()+"/accept",
		map[string]any{"quote_ids": []uuid.UUID{q.ID}, "payment_method": "card", "shipping_address": testAddress}, "Idempotency-Key", "x")
	if res.Status != http.StatusConflict {
		t.Errorf("accept an expired quote: %d %s", res.Status, res.Body)
	}
}

// An offer posted after a request is matched with it and told; a request
// typed with typos finds the offers of products the search engine finds.
func TestSourcingBothDirectionsAndTypos(t *testing.T) {
	w := newSourcingWorld(t)
	// A request for pomelos, which nobody offers yet.
	r := w.request(t, map[string]any{"text": "bưởi da xanh", "quantity": 3, "certifications": []string{}})
	inbox := func() []sourcing.InboxItem {
		res := w.do(t, authtest.OtherCoopManager, "GET", "/api/v1/sourcing/cooperatives/"+w.f.OtherCoop.Slug+"/inbox", nil)
		var body struct{ Items []sourcing.InboxItem }
		res.JSON(t, &body)
		return body.Items
	}
	if items := inbox(); len(items) != 0 {
		t.Fatalf("inbox before the offer: %+v", items)
	}
	res := w.do(t, authtest.OtherCoopManager, "POST", "/api/v1/sourcing/offers", map[string]any{
		"cooperative": w.f.OtherCoop.Slug, "text": "Bưởi da xanh Bến Tre", "quantity": 5, "unit": "tấn",
		"unit_price_vnd": 25_000_000})
	if res.Status != http.StatusCreated {
		t.Fatalf("offer: %d %s", res.Status, res.Body)
	}
	if items := inbox(); len(items) != 1 || items[0].Request.ID != r.ID {
		t.Fatalf("inbox after the offer: %+v", items)
	}
	// An offer in pieces is never matched with a request in tonnes.
	res = w.do(t, authtest.CoopManager, "POST", "/api/v1/sourcing/offers", map[string]any{
		"cooperative": w.f.Coop.Slug, "text": "Bưởi da xanh hộp quà", "quantity": 500, "unit": "hộp", "unit_price_vnd": 200_000})
	if res.Status != http.StatusCreated {
		t.Fatalf("offer: %d %s", res.Status, res.Body)
	}
	res = w.do(t, authtest.CoopManager, "GET", "/api/v1/sourcing/cooperatives/"+w.f.Coop.Slug+"/inbox", nil)
	var body struct{ Items []sourcing.InboxItem }
	res.JSON(t, &body)
	if len(body.Items) != 0 {
		t.Errorf("a countable offer matched a request in tonnes: %s", res.Body)
	}

	// Typos in every word: only the search engine finds the lychees, once
	// it has indexed them.
	typo := w.request(t, map[string]any{"text": "vaii thieuu"})
	matches := func() sourcing.Matches {
		res := w.do(t, authtest.Wholesaler, "GET", "/api/v1/sourcing/requests/"+typo.ID.String()+"/matches", nil)
		var m sourcing.Matches
		res.JSON(t, &m)
		return m
	}
	if m := matches(); len(m.Matches) != 0 {
		t.Fatalf("matches before the products are indexed: %+v", m.Matches)
	}
	var ids []uuid.UUID
	if err := w.env.DB.Select(&ids, `SELECT id FROM products`); err != nil {
		t.Fatal(err)
	}
	if err := w.env.Server.SearchIndexer.Index(context.Background(), ids); err != nil {
		t.Fatal(err)
	}
	if m := matches(); len(m.Matches) != 2 {
		t.Errorf("%d matches for a request with typos, want the 2 lychee offers", len(m.Matches))
	}
}
