package identity_test

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"htxmarket/internal/app/apptest"
)

// serve runs env's app on a real loopback listener, so that requests come
// from 127.0.0.1 (app.Test's come from 0.0.0.0), and returns its base URL.
func serve(t *testing.T, env *apptest.Env) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go env.Server.App.Listener(ln)
	t.Cleanup(func() { env.Server.App.Shutdown() })
	return "http://" + ln.Addr().String()
}

func get(t *testing.T, url string, header map[string]string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// fast keeps password hashing cheap on servers that are not APP_ENV=test.
var fast = map[string]string{"ARGON2_MEMORY_KIB": "64", "ARGON2_TIME": "1"}

func with(vars map[string]string, more ...string) map[string]string {
	out := map[string]string{}
	for k, v := range vars {
		out[k] = v
	}
	for i := 0; i+1 < len(more); i += 2 {
		out[more[i]] = more[i+1]
	}
	return out
}

// TestDevMailboxOnlyForLocalDevelopment: the development mailbox shows
// reset tokens, so it exists only in development and only for a client on
// the same machine. Before, any test or staging server showed it to anyone.
func TestDevMailboxOnlyForLocalDevelopment(t *testing.T) {
	const path = "/api/v1/dev/mailbox?to=lan@example.vn"
	dev := apptest.New(t, with(fast, "APP_ENV", "development"))
	wantStatus(t, dev.Client.Get(path), 404) // from 0.0.0.0: not this machine
	base := serve(t, dev)
	if got := get(t, base+path, nil); got != 200 {
		t.Errorf("development, from 127.0.0.1: %d", got)
	}
	if got := get(t, base+path, map[string]string{"X-Forwarded-For": "203.0.113.7"}); got != 200 {
		t.Errorf("development, a forwarded-for header from an untrusted peer is ignored: %d", got)
	}

	proxied := apptest.New(t, with(fast, "APP_ENV", "development", "TRUSTED_PROXIES", "127.0.0.1"))
	base = serve(t, proxied)
	if got := get(t, base+path, map[string]string{"X-Forwarded-For": "203.0.113.7"}); got != 404 {
		t.Errorf("development behind a local proxy, for a remote client: %d", got)
	}

	staging := apptest.New(t, nil) // APP_ENV=test
	base = serve(t, staging)
	if got := get(t, base+path, nil); got != 404 {
		t.Errorf("test server, from 127.0.0.1: %d", got)
	}
}

func postLogin(t *testing.T, base, login, forwardedFor string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/api/v1/auth/login",
		strings.NewReader(`{"login":"`+login+`","password":"sai mật khẩu"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", origin)
	req.Header.Set("X-Forwarded-For", forwardedFor)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// TestForwardedForOnlyFromTrustedProxies: a client cannot choose the
// address its log-in attempts are counted under by sending its own
// X-Forwarded-For. Before, the header was believed from any private
// address, loopback included.
func TestForwardedForOnlyFromTrustedProxies(t *testing.T) {
	env := apptest.New(t, map[string]string{"LOGIN_LIMIT_IP": "2"})
	base := serve(t, env)
	statuses := []int{}
	for i, xff := range []string{"198.51.100.1", "198.51.100.2", "198.51.100.3"} {
		statuses = append(statuses, postLogin(t, base, "ai"+string(rune('a'+i))+"@example.vn", xff))
	}
	if statuses[2] != 429 {
		t.Errorf("three accounts from one client under three made-up addresses: %v, want the third refused", statuses)
	}

	// Behind a configured proxy, the header names the client.
	env = apptest.New(t, map[string]string{"LOGIN_LIMIT_IP": "2", "TRUSTED_PROXIES": "127.0.0.1"})
	base = serve(t, env)
	statuses = statuses[:0]
	for i, xff := range []string{"198.51.100.1", "198.51.100.2", "198.51.100.3"} {
		statuses = append(statuses, postLogin(t, base, "ai"+string(rune('a'+i))+"@example.vn", "10.9.9.9, "+xff))
	}
	if statuses[2] != 401 {
		t.Errorf("three clients behind the proxy: %v, want each its own allowance", statuses)
	}
}

// TestSignInLinkOverHTTP asks for a link for an account and for an
// unknown address, which get the same answer, and signs in with it.
func TestSignInLinkOverHTTP(t *testing.T) {
	env := apptest.New(t, nil)
	register(t, env, "lan@example.vn")
	b := newBrowser(t, env)
	for _, login := range []string{"lan@example.vn", "ai@example.vn"} {
		res := b.do("POST", "/api/v1/auth/login-link", map[string]string{"login": login}, false)
		wantStatus(t, res, 202)
		if len(res.Body) != 0 {
			t.Errorf("202 must have an empty body, got %q", res.Body)
		}
	}
	ms, err := env.Server.Identity.Mailbox(ctx, "lan@example.vn")
	if err != nil || len(ms) != 1 {
		t.Fatalf("mail: %+v %v", ms, err)
	}
	token := linkRE.FindStringSubmatch(ms[0].Text)[1]
	res := b.do("POST", "/api/v1/auth/login-link/confirm", map[string]string{"token": token}, false)
	wantStatus(t, res, 200)
	wantStatus(t, b.do("GET", "/api/v1/me", nil, false), 200)
	res = b.do("POST", "/api/v1/auth/login-link/confirm", map[string]string{"token": token}, true)
	wantStatus(t, res, 400)
	if p := res.Problem(t); p.Type != "/problems/invalid-login-link" {
		t.Fatalf("a used link: %+v", p)
	}
}
