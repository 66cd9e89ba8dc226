package app_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// jsonSeeds are valid bodies of the routes that take JSON, by route
// pattern; the generator mutates them. Other routes start from {}.
var jsonSeeds = map[string]string{
	"POST /api/v1/auth/register":                `{"email":"nguoi.moi@example.vn","password":"Chè Thái Nguyên ngon","full_name":"Người Mới","phone":"0912345678"}`,
	"POST /api/v1/auth/login":                   `{"login":"nguoi.moi@example.vn","password":"Chè Thái Nguyên ngon"}`,
	"POST /api/v1/cooperatives":                 `{"name":"HTX Mật ong Bắc Kạn","registration_number":"4700123456","province":"thai-nguyen","commune":"Xã Phúc Xuân","certifications":["VietGAP"],"founded_year":2010,"member_count":12}`,
	"PATCH /api/v1/cooperatives/:coop":          `{"story":"Chè búp hái tay.","phone":"0208 3855 123","certifications":["VietGAP","OCOP 4 sao"]}`,
	"POST /api/v1/cooperatives/:coop/members":   `{"login":"ai-do@example.vn","role":"coop_staff"}`,
	"POST /api/v1/cooperatives/:coop/delegates": `{"login":"can-bo@example.vn"}`,
	"POST /api/v1/cooperatives/:coop/products": `{"name":"Chè móc câu","group":"thuc-pham","province":"thai-nguyen","keywords":["chè","trà"],` +
		`"certifications":["VietGAP"],"season_months":[3,4],"variants":[{"sku":"MC-1","unit":"gói","price_vnd":120000,"stock":5,"price_tiers":[{"min_qty":10,"unit_price_vnd":100000}]}]}`,
	"PATCH /api/v1/products/:product":                       `{"description":"Chè ngon.","keywords":["chè"],"ocop":{"stars":4,"certificate":"QĐ-1","expires_on":"2027-01-01"}}`,
	"POST /api/v1/products/:product/variants":               `{"sku":"CHE-200","unit":"gói 200 g","price_vnd":160000,"stock":10}`,
	"PATCH /api/v1/products/:product/variants/:variant":     `{"price_vnd":90000,"stock":3}`,
	"PUT /api/v1/products/:product/variants/:variant/stock": `{"stock":7}`,
	"POST /api/v1/cart/items":                               `{"variant_id":"00000000-0000-0000-0000-000000000000","quantity":2}`,
	"POST /api/v1/checkout":                                 `{"recipient":"Nguyễn Văn A","phone":"0912345678","province":"ha-noi","commune":"Phường Hoàn Kiếm","street":"1 Tràng Tiền","payment_method":"cod"}`,
	"POST /api/v1/search/synonyms":                          `{"terms":["chè","trà"]}`,
	"PUT /api/v1/cooperatives/:coop/shipping":               `{"fees":[{"province":"ha-noi","fee_vnd":30000}]}`,
}

// skipJSON are routes the generator leaves alone, and why.
var skipJSON = map[string]string{
	"POST /api/v1/auth/logout":                "ends the session every other request uses",
	"POST /api/v1/me/password":                "changes the admin's password, and its sessions",
	"PUT /api/v1/admin/users/:id/roles/:role": "takes roles from the fixture's admin",
}

// randomJSON returns a JSON value: nasty strings, numbers beyond every
// type, nested arrays and objects, up to depth levels deep.
func randomJSON(r *rand.Rand, depth int) any {
	switch k := r.IntN(9); {
	case k == 0:
		return nil
	case k == 1:
		return r.IntN(2) == 0
	case k == 2:
		return []any{0, -1, 1 << 62, 1e300, -1e300, 0.5, 9007199254740993, 1.5e-300}[r.IntN(8)]
	case k == 3 && depth > 0:
		n := r.IntN(5)
		if r.IntN(10) == 0 {
			n = 1000 + r.IntN(2000) // long lists are checked for size before work
		}
		a := make([]any, n)
		for i := range a {
			a[i] = randomJSON(r, depth-1)
		}
		return a
	case k == 4 && depth > 0:
		m := map[string]any{}
		for range r.IntN(4) {
			m[randomString(r)] = randomJSON(r, depth-1)
		}
		return m
	}
	return randomString(r)
}

// randomBody returns a mutated JSON body from seed: a field's value
// replaced, a field added or removed, keys in other case or repeated,
// deep nesting, other top-level values, or bytes mutated.
func randomBody(r *rand.Rand, seed string) []byte {
	var obj map[string]any
	_ = json.Unmarshal([]byte(seed), &obj)
	if obj == nil {
		obj = map[string]any{}
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	for range 1 + r.IntN(3) {
		switch r.IntN(6) {
		case 0, 1:
			if len(keys) > 0 {
				obj[keys[r.IntN(len(keys))]] = randomJSON(r, 3)
			}
		case 2:
			obj[randomString(r)] = randomJSON(r, 2)
		case 3:
			if len(keys) > 0 {
				delete(obj, keys[r.IntN(len(keys))])
			}
		case 4:
			if len(keys) > 0 {
				k := keys[r.IntN(len(keys))]
				obj[strings.ToUpper(k)] = obj[k]
			}
		case 5:
			if len(keys) > 0 {
				// Array fields get long lists of their own kind of item.
				k := keys[r.IntN(len(keys))]
				if a, ok := obj[k].([]any); ok && len(a) > 0 {
					long := make([]any, 500+r.IntN(20000))
					for i := range long {
						long[i] = a[0]
					}
					obj[k] = long
				}
			}
		}
	}
	b, _ := json.Marshal(obj)
	switch r.IntN(10) {
	case 0:
		return mutate(r, b, 1<<16)
	case 1:
		if len(keys) > 0 { // a key twice
			k, _ := json.Marshal(keys[r.IntN(len(keys))])
			return append(append(append([]byte("{"), k...), []byte(`:1,`)...), b[1:]...)
		}
	case 2:
		d := 10 + r.IntN(200)
		return []byte(strings.Repeat("[", d) + strings.Repeat("]", d))
	case 3:
		v, _ := json.Marshal(randomJSON(r, 2))
		return v
	}
	return b
}

// TestJSONBodiesProperty sends generated bodies to every route that takes
// one (POST, PUT, PATCH), as an admin and as the cooperative's manager:
// none answers 5xx, every 4xx is problem+json, and a refused body is no
// reason for the server to log an error.
func TestJSONBodiesProperty(t *testing.T) {
	w := newFuzzWorld(t)
	var routes []route
	for _, rt := range w.routes("POST", "PUT", "PATCH") {
		if _, skip := skipJSON[rt.method+" "+rt.pattern]; !skip {
			routes = append(routes, rt)
		}
	}
	if len(routes) < 20 {
		t.Fatalf("only %d routes take bodies", len(routes))
	}
	r := fuzzRand(2)
	tokens := []string{w.admin, w.manager}
	seen := statuses{}
	const n = 1200
	for i := range n {
		rt := routes[i%len(routes)]
		seed, ok := jsonSeeds[rt.method+" "+rt.pattern]
		if !ok {
			seed = "{}"
		}
		body := randomBody(r, seed)
		if i < len(routes) {
			body = []byte(seed) // each route's seed once, as is
		}
		if len(body) > 1<<20 {
			body = body[:1<<20] // the body limit (413) is the server's, before any route
		}
		ct := "application/json"
		if r.IntN(20) == 0 {
			ct = []string{"", "text/plain", "application/json; charset=latin1", "application/x-www-form-urlencoded"}[r.IntN(4)]
		}
		res := w.send(t, rt.method, rt.path, tokens[r.IntN(len(tokens))], ct, body)
		check(t, res, rt.method, rt.path, fmt.Sprintf("the body %.200q", body))
		seen.add(res.Code)
		if t.Failed() {
			break
		}
	}
	seen.expectSomeOK(t)
	noErrorsLogged(t, w)
}

// FuzzJSONBodies sends the fuzzer's body to every route that takes one.
func FuzzJSONBodies(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"name":"HTX\u0000"}`))
	f.Add([]byte(`{"certifications":[` + strings.Repeat(`"a",`, 1000) + `"a"]}`))
	w := newFuzzWorld(f)
	var routes []route
	for _, rt := range w.routes("POST", "PUT", "PATCH") {
		if _, skip := skipJSON[rt.method+" "+rt.pattern]; !skip {
			routes = append(routes, rt)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > 1<<16 {
			return
		}
		for _, rt := range routes {
			check(t, w.send(t, rt.method, rt.path, w.admin, "application/json", body), rt.method, rt.path, fmt.Sprintf("the body %.200q", body))
		}
	})
}
