package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/identity"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/web"
)

// TestBadBytesAnswer400 sends a NUL character or bytes that are not UTF-8
// in query parameters, path parameters and JSON fields of real routes:
// each answered 500 (pq: invalid byte sequence for encoding "UTF8") before
// they were refused at the edge.
func TestBadBytesAnswer400(t *testing.T) {
	env := apptest.New(t, nil)
	ctx := context.Background()
	admin, err := env.Server.Identity.CreateUser(ctx, identity.NewUser{Email: "quantri@example.vn",
		Password: "Chợ phiên HTX 2025", FullName: "Quản trị", Role: auth.RoleAdmin}, identity.Caller{})
	if err != nil {
		t.Fatal(err)
	}
	ns, err := env.Server.Identity.StartSession(ctx, admin.ID, identity.KindBearer, identity.Caller{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, target, body string
		field                      string
	}{
		{"products filter", "GET", "/api/v1/products?province=h%00a", "", "province"},
		{"products certification", "GET", "/api/v1/products?certification=%FF", "", "certification"},
		{"product slug", "GET", "/api/v1/products/b%00i", "", "path"},
		{"cooperatives filter", "GET", "/api/v1/cooperatives?province=%C3%28", "", "province"},
		{"cooperative slug", "GET", "/api/v1/cooperatives/htx%00", "", "path"},
		{"admin users search", "GET", "/api/v1/admin/users?q=ng%00", "", "q"},
		{"audit log action", "GET", "/api/v1/admin/audit-log?action=role.%FF", "", "action"},
		{"search", "GET", "/api/v1/search?q=b%C6%B0%E1%BB%9Fi%00", "", "q"},
		{"suggestions", "GET", "/api/v1/search/suggest?q=%E1%BB", "", "q"},
		{"registration name", "POST", "/api/v1/auth/register",
			`{"email":"lan@example.vn","password":"Chè Thái Nguyên ngon","full_name":"Lan\u0000"}`, "full_name"},
		{"log-in", "POST", "/api/v1/auth/login", "{\"login\":\"lan\xff@example.vn\",\"password\":\"x\"}", "login"},
		{"cooperative registration", "POST", "/api/v1/cooperatives",
			`{"name":"HTX\u0000","registration_number":"0101234567","province":"ha-noi","commune":"Xã A"}`, "name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
			req.Header.Set("Authorization", "Bearer "+ns.Token)
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Origin", "http://localhost:8080")
			}
			res, err := env.Server.App.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			var p web.Problem
			if err := json.Unmarshal(body, &p); err != nil || res.StatusCode != 400 || p.Type != "/problems/validation" ||
				len(p.Errors) != 1 || p.Errors[0].Field != tt.field {
				t.Fatalf("status %d: %s", res.StatusCode, body)
			}
		})
	}
	if strings.Contains(env.Logs.String(), `"level":"ERROR"`) {
		t.Error("bad input logged an error")
	}
}
