package app_test

import (
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
)

// queryKeys are the query parameters the API reads somewhere, tried on
// every route, with a few it reads nowhere.
var queryKeys = []string{"q", "province", "group", "cursor", "limit", "page", "status", "sort", "order",
	"min_price", "max_price", "price_min", "price_max", "certification", "ocop_stars", "stars", "cooperative",
	"role", "action", "user", "from", "to", "after", "before", "dry_run", "in_season", "month", "code", "email",
	"token", "lang", "x", ""}

// randomQuery returns a query string: keys from queryKeys or random, values
// escaped as a browser would, or raw bytes and broken percent-escapes.
func randomQuery(r *rand.Rand) string {
	var parts []string
	for range 1 + r.IntN(4) {
		k := queryKeys[r.IntN(len(queryKeys))]
		if r.IntN(8) == 0 {
			k = randomString(r)
		}
		v := randomString(r)
		switch r.IntN(4) {
		case 0:
			parts = append(parts, k+"="+v) // raw, as a careless client sends it
		case 1:
			parts = append(parts, url.QueryEscape(k)+"="+[]string{"%", "%zz", "%F", "%C3", "%00", "%ED%A0%80"}[r.IntN(6)]+url.QueryEscape(v))
		default:
			parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	return strings.Join(parts, "&")
}

// TestQueryParametersProperty sends generated query strings to every GET
// route of the API, as an anonymous caller, an admin and a cooperative's
// manager: none answers 5xx, every 4xx is problem+json.
func TestQueryParametersProperty(t *testing.T) {
	w := newFuzzWorld(t)
	routes := w.routes("GET")
	if len(routes) < 20 {
		t.Fatalf("only %d GET routes found", len(routes))
	}
	r := fuzzRand(1)
	tokens := []string{"", w.admin, w.manager}
	const n = 1200
	seen := statuses{}
	for i := range n {
		rt := routes[i%len(routes)]
		target := rt.path + "?" + randomQuery(r)
		res := w.send(t, "GET", target, tokens[r.IntN(len(tokens))], "", nil)
		check(t, res, "GET", target, "a random query")
		seen.add(res.Code)
		if t.Failed() {
			break
		}
	}
	seen.expectSomeOK(t)
	noErrorsLogged(t, w)
}

// FuzzQueryParameters sends the fuzzer's query string to every GET route.
func FuzzQueryParameters(f *testing.F) {
	for _, s := range []string{"q=b%C6%B0%E1%BB%9Fi", "province=h%00a", "limit=-1&cursor=%FF", "limit=99999999999999999999",
		"q=%E1%BB", "status=verified&province=ha-noi", "certification=VietGAP&ocop_stars=6"} {
		f.Add(s)
	}
	w := newFuzzWorld(f)
	routes := w.routes("GET")
	f.Fuzz(func(t *testing.T, query string) {
		for _, rt := range routes {
			target := rt.path + "?" + query
			check(t, w.send(t, "GET", target, w.admin, "", nil), "GET", target, "the fuzzer's query")
		}
	})
}
