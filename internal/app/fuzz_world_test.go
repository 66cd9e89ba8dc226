package app_test

// The fuzz and property tests of the public inputs (fuzz_*_test.go): query
// parameters, JSON bodies, CSV files and images, sent to the whole server
// on a real database. Whatever the bytes, the answer is below 500, and a
// 4xx is problem+json. Each family has a property test that sends a fixed
// number of generated inputs from a fixed seed (plain `go test`, bounded
// time) and a native fuzz target for longer runs:
//
//	go test ./internal/app -run '^$' -fuzz FuzzQueryParameters -fuzztime 60s

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/app/authtest"
)

// fuzzWorld is a server with the authtest fixture and one active product
// of the fixture's cooperative, and the tokens of the callers that reach
// the most code: an admin and the cooperative's manager.
type fuzzWorld struct {
	env     *apptest.Env
	f       *authtest.Fixture
	admin   string
	manager string
	product string // slug
	variant string // ID
}

func newFuzzWorld(t testing.TB) *fuzzWorld {
	t.Helper()
	// The server's log goes to env.Logs only: a fuzz target may not write
	// to the *testing.F, and thousands of requests would drown the output.
	env := apptest.New(quietTB{t}, map[string]string{"LOG_LEVEL": "warn"})
	f := authtest.Setup(t, env)
	w := &fuzzWorld{env: env, f: f, admin: f.Token(t, env, authtest.Admin), manager: f.Token(t, env, authtest.CoopManager)}
	res := w.send(t, "POST", "/api/v1/cooperatives/"+f.Coop.Slug+"/products", w.manager, "application/json",
		[]byte(`{"name":"Chè búp Tân Cương","group":"thuc-pham","province":"thai-nguyen","status":"active",`+
			`"description":"Chè hái tay.","keywords":["chè"],"variants":[{"sku":"CHE-100","unit":"gói 100 g","price_vnd":85000,"stock":40}]}`))
	if res.Code != 201 {
		t.Fatalf("fuzz world: product: %d %s", res.Code, res.Body)
	}
	var p struct {
		Slug     string `json:"slug"`
		Variants []struct {
			ID string `json:"id"`
		} `json:"variants"`
	}
	if err := json.Unmarshal(res.Body.Bytes(), &p); err != nil || len(p.Variants) == 0 {
		t.Fatalf("fuzz world: product: %v %s", err, res.Body)
	}
	w.product, w.variant = p.Slug, p.Variants[0].ID
	return w
}

// quietTB is t without its log.
type quietTB struct{ testing.TB }

func (quietTB) Log(...any)          {}
func (quietTB) Logf(string, ...any) {}

// send sends one request through the whole app and returns its answer.
func (w *fuzzWorld) send(t testing.TB, method, target, token, contentType string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	// Past 4 KB of request line and headers the server answers 431 before
	// any route runs (and app.Test reports an error): stay below.
	target = wireSafe(target)
	if len(target) > 3500 {
		target = target[:3500]
	}
	req := httptest.NewRequest(method, "/", bytes.NewReader(body))
	// The target may hold bytes that http.NewRequest would refuse to parse:
	// set it as a client would send it.
	req.RequestURI = target
	if u, err := req.URL.Parse(target); err == nil {
		req.URL = u
	} else {
		req.URL.Path, req.URL.RawQuery, _ = strings.Cut(target, "?")
		req.URL.RawPath = req.URL.Path
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Origin", "http://localhost:8080")
	res, err := w.env.Server.App.Test(req, -1)
	if err != nil {
		t.Fatalf("%s %.200q: %v", method, target, err)
	}
	defer res.Body.Close()
	rec := httptest.NewRecorder()
	rec.Code = res.StatusCode
	for k, vs := range res.Header {
		rec.Header()[k] = vs
	}
	_, _ = io.Copy(rec.Body, res.Body)
	return rec
}

// wireSafe percent-encodes the bytes that cannot stand in an HTTP request
// line (controls, space, DEL) and the fragment mark: a client cannot send
// them raw. Every other byte, invalid UTF-8 included, goes as it is.
func wireSafe(target string) string {
	var b strings.Builder
	for i := 0; i < len(target); i++ {
		c := target[i]
		if c <= ' ' || c == 0x7f || c == '#' {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// check fails the test when the answer is a 5xx, or a 4xx that is not
// problem+json. what describes the input, for the failure message.
func check(t testing.TB, res *httptest.ResponseRecorder, method, target string, what string) {
	t.Helper()
	if res.Code == 503 && offProblem(res) {
		return
	}
	if res.Code >= 500 {
		t.Errorf("%s %.120q answered %d for %s: %.300s", method, target, res.Code, what, res.Body)
		return
	}
	if res.Code >= 400 && !strings.HasPrefix(res.Header().Get("Content-Type"), "application/problem+json") {
		t.Errorf("%s %.120q answered %d with %q, not problem+json, for %s: %.300s", method, target, res.Code,
			res.Header().Get("Content-Type"), what, res.Body)
	}
}

// statuses counts answers by status, so that a test can show that its
// inputs reached the handlers (some succeed) rather than all being turned
// away at one door.
type statuses map[int]int

func (s statuses) add(code int) { s[code]++ }

// expectSomeOK fails the test when no answer was a 2xx.
func (s statuses) expectSomeOK(t testing.TB) {
	t.Helper()
	t.Logf("answers by status: %v", map[int]int(s))
	for code, n := range s {
		if code < 300 && n > 0 {
			return
		}
	}
	t.Errorf("no input was accepted: %v", map[int]int(s))
}

// offProblems are the 503s that say a part is switched off in this
// configuration (the test server has no bank webhook secret and no Stripe
// key): an answer about the server, not a failure on the input.
var offProblems = []string{"/problems/webhooks-off", "/problems/card-processor-unavailable", "/problems/cards-off"}

func offProblem(res *httptest.ResponseRecorder) bool {
	var p struct {
		Type string `json:"type"`
	}
	return json.Unmarshal(res.Body.Bytes(), &p) == nil && contains(offProblems, p.Type)
}

// noErrorsLogged fails the test when the server logged an error: bad input
// is the client's fault, never the server's.
func noErrorsLogged(t testing.TB, w *fuzzWorld) {
	t.Helper()
	for _, line := range strings.Split(w.env.Logs.String(), "\n") {
		if strings.Contains(line, `"level":"ERROR"`) {
			t.Errorf("the server logged an error: %.500s", line)
			return
		}
	}
}

// route is a registered route with its parameters filled in.
type route struct {
	method, pattern, path string
}

// routes returns the /api/v1 routes the app registers for methods, their
// path parameters filled with the fixture's cooperative, product and
// variant, or a random UUID.
func (w *fuzzWorld) routes(methods ...string) []route {
	var out []route
	seen := map[string]bool{}
	for _, r := range w.env.Server.App.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/v1/") || !contains(methods, r.Method) || seen[r.Method+r.Path] {
			continue
		}
		seen[r.Method+r.Path] = true
		path := r.Path
		for _, p := range r.Params {
			v := uuid.NewSHA1(uuid.NameSpaceURL, []byte(p)).String()
			switch p {
			case "coop":
				v = w.f.Coop.Slug
			case "product":
				v = w.product
			case "variant":
				v = w.variant
			case "province":
				v = "thai-nguyen"
			}
			path = strings.Replace(path, ":"+p, v, 1)
		}
		out = append(out, route{method: r.Method, pattern: r.Path, path: path})
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// nasty are values that have broken servers: empty, NUL and other control
// characters, invalid UTF-8, overlong and lone surrogates, bidirectional
// overrides and separators, numbers past every integer type, SQL and
// markup, and the wildcards of LIKE.
var nasty = []string{
	"", " ", "0", "-1", "1.5", "1e309", "-9223372036854775809", "18446744073709551616", "NaN", "Infinity",
	"null", "true", "[]", "{}", "\x00", "a\x00b", "\xff", "\xc3\x28", "\xed\xa0\x80", "\xf4\x90\x80\x80",
	"\xe2\x80\xae", "\u202ebưởi", "\u2029", "\u200b", "\r\n", "\t", "'", "\"", "\\", "%", "_", "%00", "%ff",
	"' OR 1=1 --", "<script>alert(1)</script>", "=HYPERLINK(\"http://x\")", "../../etc/passwd",
	"ha-noi", "thai-nguyen", "thuc-pham", "chè", "Đ", "🍵", "pending", "verified", "active", "archived",
	"admin", "coop_manager", "2025-13-40", "2025-01-01T00:00:00Z", "00000000-0000-0000-0000-000000000000",
	strings.Repeat("a", 5000), strings.Repeat("đ", 3000), strings.Repeat("%", 300),
}

// randomString returns a nasty value, a random run of bytes or a mix.
func randomString(r *rand.Rand) string {
	switch r.IntN(5) {
	case 0, 1:
		return nasty[r.IntN(len(nasty))]
	case 2:
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		return string(b)
	case 3:
		return fmt.Sprint(r.Int64() - r.Int64())
	}
	return nasty[r.IntN(len(nasty))] + randomString(r)
}

// mutate changes b a few times: flipped bits, bytes set, inserted or
// removed, runs duplicated, the end cut off.
func mutate(r *rand.Rand, b []byte, max int) []byte {
	out := append([]byte(nil), b...)
	for range 1 + r.IntN(4) {
		if len(out) == 0 {
			out = append(out, byte(r.IntN(256)))
			continue
		}
		i := r.IntN(len(out))
		switch r.IntN(6) {
		case 0:
			out[i] ^= 1 << r.IntN(8)
		case 1:
			out[i] = []byte{0, 0xff, '"', ',', '\n', '{', '}', '[', ']', '\\', 0x80, 0xc3}[r.IntN(12)]
		case 2:
			out = append(out[:i], append([]byte(randomString(r)), out[i:]...)...)
		case 3:
			j := min(len(out), i+1+r.IntN(16))
			out = append(out[:i], out[j:]...)
		case 4:
			j := min(len(out), i+1+r.IntN(64))
			out = append(out[:j], append(append([]byte(nil), out[i:j]...), out[j:]...)...)
		case 5:
			out = out[:i]
		}
	}
	if len(out) > max {
		out = out[:max]
	}
	return out
}

func fuzzRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x48545821)) }
