package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"htxmarket/internal/app"
	"htxmarket/internal/platform/web"
)

// TestDatabaseOutageAnswers503 points a server at a port where nothing
// listens, as while PostgreSQL restarts: every request that needs the
// database answers 503 with Retry-After instead of 500, and the outage is
// logged once, not once per request.
func TestDatabaseOutageAnswers503(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	d, err := sqlx.Open("postgres", "postgres://app@"+addr+"/htxmarket?sslmode=disable&connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	cfg := testConfig(t, map[string]string{"LOG_FORMAT": "json"})
	logs := &bytes.Buffer{}
	srv, err := app.NewServer(cfg, app.NewLogger(cfg, logs), d, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	requests := []struct{ method, path, body string }{
		{"GET", "/api/v1/products", ""},
		{"GET", "/api/v1/cooperatives", ""},
		{"GET", "/api/v1/provinces", ""},
		{"POST", "/api/v1/auth/login", `{"login":"lan@example.vn","password":"Chè Thái Nguyên ngon"}`},
		{"GET", "/api/v1/products", ""},
	}
	for _, r := range requests {
		req := httptest.NewRequest(r.method, r.path, strings.NewReader(r.body))
		if r.body != "" {
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Origin", cfg.Auth.PublicOrigin)
		}
		res, err := srv.App.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		var p web.Problem
		_ = json.Unmarshal(body, &p)
		if res.StatusCode != 503 || res.Header.Get("Retry-After") != "5" || p.Type != "/problems/service-unavailable" {
			t.Fatalf("%s %s: status %d, Retry-After %q: %s", r.method, r.path, res.StatusCode, res.Header.Get("Retry-After"), body)
		}
	}
	var errorLines []string
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if strings.Contains(line, `"level":"ERROR"`) {
			errorLines = append(errorLines, line)
		}
	}
	if len(errorLines) != 1 || !strings.Contains(errorLines[0], "connection refused") {
		t.Errorf("%d error lines for %d refused requests, want 1 naming the cause:\n%s", len(errorLines), len(requests), logs)
	}
}
