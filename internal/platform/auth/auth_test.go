package auth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/web"
)

// sessions is a fake auth.Sessions: tokens map to principals.
type sessions map[string]*auth.Principal

func (s sessions) Authenticate(_ context.Context, token string) (*auth.Principal, error) {
	if token == "db-down" {
		return nil, errors.New("connection refused")
	}
	if p, ok := s[token]; ok {
		return p, nil
	}
	return nil, auth.ErrUnauthenticated
}

var (
	coopA = auth.Membership{CooperativeID: uuid.MustParse("0190a000-0000-7000-8000-00000000000a"), CooperativeSlug: "htx-a", Role: auth.RoleCoopManager}
	coopB = auth.Membership{CooperativeID: uuid.MustParse("0190a000-0000-7000-8000-00000000000b"), CooperativeSlug: "htx-b", Role: auth.RoleCoopStaff}

	principals = sessions{
		"consumer":  {UserID: uuid.New(), Roles: []auth.Role{auth.RoleConsumer}},
		"admin":     {UserID: uuid.New(), Roles: []auth.Role{auth.RoleAdmin}},
		"manager-a": {UserID: uuid.New(), Roles: []auth.Role{auth.RoleConsumer}, Memberships: []auth.Membership{coopA}},
		"staff-b":   {UserID: uuid.New(), Roles: []auth.Role{auth.RoleConsumer}, Memberships: []auth.Membership{coopB}},
		"trade-hn":  {UserID: uuid.New(), Roles: []auth.Role{auth.RoleTradeStaff}, Province: "ha-noi"},
		"trade-all": {UserID: uuid.New(), Roles: []auth.Role{auth.RoleTradeStaff}},
	}
)

const origin = "https://htxmarket.vn"

func newApp() *fiber.App {
	log := slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))
	app := fiber.New(fiber.Config{ErrorHandler: web.ErrorHandler(log, 0, []web.Rule{
		{Err: auth.ErrUnauthenticated, Status: 401, Type: "unauthorized"},
		{Err: auth.ErrForbidden, Status: 403, Type: "forbidden"},
		{Err: auth.ErrNotFound, Status: 404, Type: "not-found"},
		{Err: auth.ErrCSRF, Status: 403, Type: "csrf"},
	})})
	api := app.Group("/api", auth.Middleware(principals, auth.Cookies{Secure: true}), auth.CSRF(origin))
	ok := func(c *fiber.Ctx) error { return c.SendStatus(204) }
	api.Get("/open", ok)
	api.Post("/open", ok)
	api.Get("/user", auth.RequireUser(), ok)
	api.Get("/admin", auth.Require(auth.RoleAdmin), ok)
	api.Get("/managers", auth.Require(auth.RoleCoopManager), ok)
	api.Get("/coops/:coop", auth.RequireCoopMember("coop"), ok)
	api.Get("/coops/:coop/settings", auth.Require(auth.RoleAdmin, auth.CoopMember("coop", auth.RoleCoopManager)), ok)
	api.Get("/provinces/:slug/report", auth.Require(auth.ProvinceStaff("slug"), auth.RoleAdmin), ok)
	return app
}

func do(t *testing.T, app *fiber.App, req *http.Request) *http.Response {
	t.Helper()
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestGuards(t *testing.T) {
	app := newApp()
	idA, idB := coopA.CooperativeID.String(), coopB.CooperativeID.String()
	tests := []struct {
		name, path, token string
		want              int
	}{
		{"anonymous on public", "/api/open", "", 204},
		{"anonymous needs sign-in", "/api/user", "", 401},
		{"unknown token is anonymous", "/api/user", "stolen", 401},
		{"signed in", "/api/user", "consumer", 204},
		{"admin only: consumer", "/api/admin", "consumer", 403},
		{"admin only: admin", "/api/admin", "admin", 204},
		{"admin only: anonymous", "/api/admin", "", 401},
		{"coop role anywhere: manager", "/api/managers", "manager-a", 204},
		{"coop role anywhere: staff", "/api/managers", "staff-b", 403},
		{"member by id", "/api/coops/" + idA, "manager-a", 204},
		{"member by slug", "/api/coops/htx-a", "manager-a", 204},
		{"non-member gets 404", "/api/coops/" + idB, "manager-a", 404},
		{"non-member consumer gets 404", "/api/coops/htx-a", "consumer", 404},
		{"malformed coop gets 404", "/api/coops/nope", "consumer", 404},
		{"anonymous on coop gets 401", "/api/coops/htx-a", "", 401},
		{"member without the role gets 403", "/api/coops/" + idB + "/settings", "staff-b", 403},
		{"manager with the role", "/api/coops/htx-a/settings", "manager-a", 204},
		{"admin instead of membership", "/api/coops/htx-a/settings", "admin", 204},
		{"outsider on manager route gets 404", "/api/coops/htx-a/settings", "staff-b", 404},
		{"trade staff of the province", "/api/provinces/ha-noi/report", "trade-hn", 204},
		{"trade staff of another province", "/api/provinces/hue/report", "trade-hn", 403},
		{"national trade staff", "/api/provinces/hue/report", "trade-all", 204},
		{"consumer on province report", "/api/provinces/hue/report", "consumer", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", tt.path, nil)
			if tt.token != "" {
				req.Header.Set("Authorization", "Bearer "+tt.token)
			}
			res := do(t, app, req)
			if res.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.want)
			}
		})
	}
}

func TestMiddleware(t *testing.T) {
	app := newApp()
	t.Run("cookie session", func(t *testing.T) {
		req := httptest.NewRequest("GET", "/api/user", nil)
		req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: "consumer"})
		if res := do(t, app, req); res.StatusCode != 204 {
			t.Fatalf("status %d", res.StatusCode)
		}
	})
	t.Run("bearer wins over cookie", func(t *testing.T) {
		req := httptest.NewRequest("GET", "/api/admin", nil)
		req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: "consumer"})
		req.Header.Set("Authorization", "bearer admin")
		if res := do(t, app, req); res.StatusCode != 204 {
			t.Fatalf("status %d", res.StatusCode)
		}
	})
	t.Run("dead cookie is cleared", func(t *testing.T) {
		req := httptest.NewRequest("GET", "/api/open", nil)
		req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: "expired"})
		res := do(t, app, req)
		if res.StatusCode != 204 {
			t.Fatalf("status %d", res.StatusCode)
		}
		cleared := false
		for _, c := range res.Cookies() {
			if c.Name == auth.SessionCookie && c.Value == "" && c.Expires.Year() < 2000 {
				cleared = true
			}
		}
		if !cleared {
			t.Fatalf("session cookie not cleared: %v", res.Header["Set-Cookie"])
		}
	})
	t.Run("store failure is a 500, not anonymity", func(t *testing.T) {
		req := httptest.NewRequest("GET", "/api/open", nil)
		req.Header.Set("Authorization", "Bearer db-down")
		if res := do(t, app, req); res.StatusCode != 500 {
			t.Fatalf("status %d", res.StatusCode)
		}
	})
}

func TestCookies(t *testing.T) {
	app := fiber.New()
	app.Get("/", func(c *fiber.Ctx) error {
		csrf := auth.Cookies{Secure: true}.Set(c, "tok", time.Now().Add(time.Hour))
		return c.SendString(csrf)
	})
	res := do(t, app, httptest.NewRequest("GET", "/", nil))
	got := map[string]*http.Cookie{}
	for _, c := range res.Cookies() {
		got[c.Name] = c
	}
	s, x := got[auth.SessionCookie], got[auth.CSRFCookie]
	if s == nil || !s.HttpOnly || !s.Secure || s.SameSite != http.SameSiteLaxMode || s.Value != "tok" {
		t.Errorf("session cookie: %+v", s)
	}
	if x == nil || x.HttpOnly || !x.Secure || x.Value != auth.CSRFToken("tok") {
		t.Errorf("CSRF cookie must be readable by the page: %+v", x)
	}
	if auth.CSRFToken("tok") == auth.CSRFToken("tok2") || strings.Contains(auth.CSRFToken("tok"), "tok") {
		t.Error("CSRF token must depend on, and not reveal, the session token")
	}
}

func TestCSRF(t *testing.T) {
	app := newApp()
	good := auth.CSRFToken("consumer")
	tests := []struct {
		name                   string
		method, path           string
		cookie, bearer, header string
		origin, referer        string
		want                   int
	}{
		{"safe method needs nothing", "GET", "/api/open", "consumer", "", "", "https://evil.example", "", 204},
		{"no session, own origin", "POST", "/api/open", "", "", "", origin, "", 204},
		{"no session, foreign origin", "POST", "/api/open", "", "", "", "https://evil.example", "", 403},
		{"no session, null origin", "POST", "/api/open", "", "", "", "null", "", 403},
		{"no session, foreign referer", "POST", "/api/open", "", "", "", "", "https://evil.example/page", 403},
		{"no session, own referer", "POST", "/api/open", "", "", "", "", origin + "/gio-hang", 204},
		{"no headers at all (not a browser)", "POST", "/api/open", "", "", "", "", "", 204},
		{"cookie without token", "POST", "/api/open", "consumer", "", "", origin, "", 403},
		{"cookie with wrong token", "POST", "/api/open", "consumer", "", auth.CSRFToken("admin"), origin, "", 403},
		{"cookie with token", "POST", "/api/open", "consumer", "", good, origin, "", 204},
		{"cookie with token, foreign origin", "POST", "/api/open", "consumer", "", good, "https://evil.example", "", 403},
		{"bearer needs no token", "POST", "/api/open", "", "consumer", "", "", "", 204},
		{"dead cookie is treated as no session", "POST", "/api/open", "expired", "", "", origin, "", 204},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, nil)
			if tt.cookie != "" {
				req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: tt.cookie})
			}
			if tt.bearer != "" {
				req.Header.Set("Authorization", "Bearer "+tt.bearer)
			}
			for k, v := range map[string]string{auth.HeaderCSRF: tt.header, "Origin": tt.origin, "Referer": tt.referer} {
				if v != "" {
					req.Header.Set(k, v)
				}
			}
			res := do(t, app, req)
			if res.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.want)
			}
		})
	}
}

func TestPrincipal(t *testing.T) {
	p := principals["manager-a"]
	if !p.MemberOf(coopA.CooperativeID) || !p.MemberOf(coopA.CooperativeID, auth.RoleCoopManager) ||
		p.MemberOf(coopA.CooperativeID, auth.RoleCoopStaff) || p.MemberOf(coopB.CooperativeID) {
		t.Error("MemberOf")
	}
	if !principals["trade-all"].StaffOf("hue") || principals["trade-hn"].StaffOf("hue") || principals["admin"].StaffOf("hue") {
		t.Error("StaffOf")
	}
	// A delegate has the rights of coop_staff, and no more.
	delegate := &auth.Principal{Memberships: []auth.Membership{{CooperativeID: coopA.CooperativeID, Role: auth.RoleCoopDelegate}}}
	if !delegate.MemberOf(coopA.CooperativeID, auth.RoleCoopStaff) || !delegate.MemberOf(coopA.CooperativeID, auth.RoleCoopDelegate) ||
		delegate.MemberOf(coopA.CooperativeID, auth.RoleCoopManager) || delegate.MemberOf(coopB.CooperativeID) {
		t.Error("delegate MemberOf")
	}
	var nobody *auth.Principal
	if nobody.Has(auth.RoleConsumer) || nobody.StaffOf("hue") {
		t.Error("nil principal has nothing")
	}
	if !auth.RoleAdmin.Global() || auth.RoleCoopStaff.Global() || !auth.RoleCoopStaff.Valid() || auth.Role("root").Valid() {
		t.Error("roles")
	}
}

// TestCSRFOrigins: every origin given is accepted, in any case; the refusal
// says which origin was refused and which are expected, or which token is
// wrong, so that a developer who opened another address knows what to do.
func TestCSRFOrigins(t *testing.T) {
	log := slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))
	app := fiber.New(fiber.Config{ErrorHandler: web.ErrorHandler(log, 0, []web.Rule{
		{Err: auth.ErrCSRF, Status: 403, Type: "csrf"},
	})})
	api := app.Group("/api", auth.Middleware(principals, auth.Cookies{}), auth.CSRF("http://localhost:8080/", "http://127.0.0.1:8080"))
	api.Post("/open", func(c *fiber.Ctx) error { return c.SendStatus(204) })
	tests := []struct {
		name            string
		origin, referer string
		cookie, header  string
		want            int
		wantDetail      []string
	}{
		{name: "first origin", origin: "http://localhost:8080", want: 204},
		{name: "second origin", origin: "http://127.0.0.1:8080", want: 204},
		{name: "origin in capitals", origin: "HTTP://LOCALHOST:8080", want: 204},
		{name: "second origin as referer", referer: "http://127.0.0.1:8080/dang-nhap", want: 204},
		{name: "another port", origin: "http://127.0.0.1:3000", want: 403,
			wantDetail: []string{"http://127.0.0.1:3000", "http://localhost:8080, http://127.0.0.1:8080", "Hãy mở trang http://localhost:8080"}},
		{name: "another site by referer", referer: "https://evil.example/trang", want: 403,
			wantDetail: []string{"https://evil.example", "http://localhost:8080"}},
		{name: "cookie without token", origin: "http://localhost:8080", cookie: "consumer", want: 403,
			wantDetail: []string{"thiếu mã chống giả mạo", auth.HeaderCSRF}},
		{name: "cookie with another session's token", origin: "http://localhost:8080", cookie: "consumer",
			header: auth.CSRFToken("admin"), want: 403, wantDetail: []string{"không khớp", auth.HeaderCSRF}},
		{name: "cookie with its token", origin: "http://127.0.0.1:8080", cookie: "consumer",
			header: auth.CSRFToken("consumer"), want: 204},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/api/open", nil)
			if tt.cookie != "" {
				req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: tt.cookie})
			}
			for k, v := range map[string]string{auth.HeaderCSRF: tt.header, "Origin": tt.origin, "Referer": tt.referer} {
				if v != "" {
					req.Header.Set(k, v)
				}
			}
			res := do(t, app, req)
			if res.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.want)
			}
			var p web.Problem
			if tt.want == 403 {
				if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
					t.Fatal(err)
				}
				if p.Type != "/problems/csrf" {
					t.Fatalf("type %q", p.Type)
				}
			}
			for _, w := range tt.wantDetail {
				if !strings.Contains(p.Detail, w) {
					t.Errorf("detail %q lacks %q", p.Detail, w)
				}
			}
		})
	}
}
