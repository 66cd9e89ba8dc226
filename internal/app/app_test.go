package app_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"htxmarket/internal/app"
	"htxmarket/internal/app/apptest"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/platform/web/webtest"
)

func TestProvincesAPI(t *testing.T) {
	env := apptest.New(t, nil)
	res := env.Client.Get("/api/v1/provinces")
	if res.Status != 200 {
		t.Fatalf("status %d: %s", res.Status, res.Body)
	}
	var list struct {
		Items []struct {
			Name       string   `json:"name"`
			MergedFrom []string `json:"merged_from"`
		} `json:"items"`
	}
	res.JSON(t, &list)
	if len(list.Items) != 34 {
		t.Fatalf("%d provinces", len(list.Items))
	}

	tests := []struct {
		name, query string
		status      int
		want        string
	}{
		{"old name", "B%E1%BA%AFc%20Giang", 200, "Bắc Ninh"},
		{"without diacritics", "bac+giang", 200, "Bắc Ninh"},
		{"current", "H%C3%A0%20N%E1%BB%99i", 200, "Hà Nội"},
		{"unknown", "Atlantis", 404, ""},
		{"empty", "", 400, ""},
		{"SQL fragment", "%27%20OR%201%3D1%20--", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := env.Client.Get("/api/v1/provinces/resolve?name=" + tt.query)
			if res.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.Status, tt.status, res.Body)
			}
			if tt.status != 200 {
				p := res.Problem(t)
				if tt.status == 404 && p.Type != "/problems/unknown-province" {
					t.Errorf("type %q", p.Type)
				}
				return
			}
			var r struct {
				Province struct{ Name string } `json:"province"`
			}
			res.JSON(t, &r)
			if r.Province.Name != tt.want {
				t.Errorf("got %s, want %s", r.Province.Name, tt.want)
			}
		})
	}
}

// TestEveryAPIRouteIsDocumented keeps the OpenAPI document and the router in
// step in both directions.
func TestEveryAPIRouteIsDocumented(t *testing.T) {
	// Development: the dev mailbox is mounted there only.
	env := apptest.New(t, map[string]string{"APP_ENV": "development", "ARGON2_MEMORY_KIB": "64", "ARGON2_TIME": "1"})
	documented := env.Client.Paths()
	registered := map[string]bool{}
	for _, r := range env.Server.App.GetRoutes(true) {
		if r.Method == http.MethodHead || r.Method == "USE" {
			continue
		}
		if !strings.HasPrefix(r.Path, "/api/") && r.Path != "/healthz" && r.Path != "/readyz" && r.Path != "/metrics" && r.Path != "/media/*" {
			continue
		}
		// The media route's wildcard is the document's {key}.
		key := r.Method + " " + strings.Replace(openAPIPath(r.Path), "/*", "/{key}", 1)
		registered[key] = true
		if !documented[key] {
			t.Errorf("route %s is not in openapi.yaml", key)
		}
	}
	for key := range documented {
		if !registered[key] {
			t.Errorf("openapi.yaml documents %s, which the app does not serve", key)
		}
	}
}

// openAPIPath turns Fiber's /things/:id into OpenAPI's /things/{id}.
func openAPIPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") {
			parts[i] = "{" + strings.TrimSuffix(s[1:], "?") + "}"
		}
	}
	return strings.Join(parts, "/")
}

func TestOpenAPIDocumentIsServed(t *testing.T) {
	env := apptest.New(t, nil)
	res := env.Client.Get("/api/openapi.json")
	if res.Status != 200 {
		t.Fatalf("status %d", res.Status)
	}
	var doc map[string]any
	res.JSON(t, &doc)
	if doc["openapi"] != "3.0.3" || doc["paths"] == nil {
		t.Fatalf("unexpected document: %.200s", res.Body)
	}
	// The served JSON is itself a valid document.
	webtest.New(t, env.Server.App, res.Body)
}

func TestHealthAndReadiness(t *testing.T) {
	env := apptest.New(t, nil)
	if res := env.Client.Get("/healthz"); res.Status != 200 {
		t.Fatalf("healthz %d", res.Status)
	}
	if res := env.Client.Get("/readyz"); res.Status != 200 {
		t.Fatalf("readyz %d: %s", res.Status, res.Body)
	}
}

// An instance is not ready before its search index is loaded.
func TestNotReadyBeforeTheSearchIndexIsLoaded(t *testing.T) {
	d := dbtest.New(t)
	cfg := testConfig(t, nil)
	srv, err := app.NewServer(cfg, app.NewLogger(cfg, &bytes.Buffer{}), d, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	spec, _ := app.OpenAPIDocument()
	client := webtest.New(t, srv.App, spec)
	res := client.Get("/readyz")
	if res.Status != http.StatusServiceUnavailable {
		t.Fatalf("readyz before the index is loaded: %d %s", res.Status, res.Body)
	}
	if p := res.Problem(t); p.Detail != "Chỉ mục tìm kiếm đang được nạp." {
		t.Errorf("detail %q", p.Detail)
	}
	if err := srv.WarmSearch(context.Background()); err != nil {
		t.Fatal(err)
	}
	if res := client.Get("/readyz"); res.Status != 200 {
		t.Errorf("readyz once loaded: %d %s", res.Status, res.Body)
	}
}

// TestReadinessFailsWhenDatabaseIsDown removes the server's database from
// under it: liveness stays green, readiness turns 503 with a problem.
func TestReadinessFailsWhenDatabaseIsDown(t *testing.T) {
	url := dbtest.NewURL(t)
	d, err := db.Open(context.Background(), url, db.Options{MaxOpenConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	env := newEnvOn(t, d)
	if res := env.Get("/readyz"); res.Status != 200 {
		t.Fatalf("readyz before: %d", res.Status)
	}
	dbtest.Drop(t, url[strings.LastIndex(url, "/")+1:strings.Index(url, "?")])
	res := env.Get("/readyz")
	if res.Status != http.StatusServiceUnavailable {
		t.Fatalf("readyz with the database gone: %d %s", res.Status, res.Body)
	}
	if p := res.Problem(t); p.Detail != "Cơ sở dữ liệu chưa sẵn sàng." {
		t.Errorf("detail %q", p.Detail)
	}
	if res := env.Get("/healthz"); res.Status != 200 {
		t.Errorf("healthz must not depend on the database: %d", res.Status)
	}
}

func newEnvOn(t *testing.T, d *sqlx.DB) *webtest.Client {
	t.Helper()
	cfg := testConfig(t, nil)
	srv, err := app.NewServer(cfg, app.NewLogger(cfg, &bytes.Buffer{}), d, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.WarmSearch(context.Background()); err != nil {
		t.Fatal(err)
	}
	spec, _ := app.OpenAPIDocument()
	return webtest.New(t, srv.App, spec)
}

func TestMetrics(t *testing.T) {
	env := apptest.New(t, nil)
	env.Client.Get("/api/v1/provinces")
	env.Client.Get("/api/v1/does-not-exist")
	res := env.Client.Get("/metrics")
	body := string(res.Body)
	for _, want := range []string{
		`htxmarket_http_requests_total{method="GET",route="/api/v1/provinces",status="200"} 1`,
		`htxmarket_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`htxmarket_http_request_duration_seconds_bucket{method="GET",route="/api/v1/provinces"`,
		`go_sql_max_open_connections{db_name="htxmarket"}`,
		`go_sql_in_use_connections{db_name="htxmarket"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestAccessLogCarriesRequestID(t *testing.T) {
	env := apptest.New(t, nil)
	req := httptest.NewRequest("GET", "/api/v1/provinces", nil)
	req.Header.Set("X-Request-ID", "trace-42")
	env.Client.Do(req)
	found := false
	for _, line := range strings.Split(env.Logs.String(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil {
			continue
		}
		if rec["msg"] == "request" && rec["request_id"] == "trace-42" {
			found = rec["route"] == "/api/v1/provinces" && rec["status"] == float64(200)
		}
	}
	if !found {
		t.Fatalf("no access-log line with the request ID:\n%s", env.Logs)
	}
}

func TestSPAIsServedOutsideTheAPI(t *testing.T) {
	env := apptest.New(t, nil)
	res := env.Client.Get("/dang-nhap")
	if res.Status != 200 || !strings.Contains(string(res.Body), "HTX Market") {
		t.Fatalf("page: %d %s", res.Status, res.Body)
	}
	// A storefront that does not exist is 404, still with the application,
	// which shows its not-found page (internal/seo tests the others).
	res = env.Client.Get("/hop-tac-xa/htx-gom-bat-trang")
	if res.Status != 404 || !strings.Contains(string(res.Body), `<div id="root">`) {
		t.Fatalf("unknown storefront: %d %s", res.Status, res.Body)
	}
	if res := env.Client.Get("/api/v1/unknown"); res.Status != 404 {
		t.Fatalf("unknown API path must be a 404 problem, got %d", res.Status)
	} else {
		res.Problem(t)
	}
}

// TestWritesFromTheServersOwnAddresses: outside production a form works
// whether the browser opened localhost, 127.0.0.1 or [::1] on the port the
// server listens on; any other origin is refused with a detail naming it
// and the expected one.
func TestWritesFromTheServersOwnAddresses(t *testing.T) {
	env := apptest.New(t, map[string]string{"HTTP_ADDR": "127.0.0.1:8081"})
	login := func(origin string) *webtest.Response {
		req := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(`{"login":"ai@example.vn","password":"sai mật khẩu"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", origin)
		return env.Client.Do(req)
	}
	for _, origin := range []string{"http://localhost:8081", "http://127.0.0.1:8081", "http://[::1]:8081"} {
		if p := login(origin).Problem(t); p.Type != "/problems/invalid-credentials" {
			t.Errorf("origin %s: %+v", origin, p)
		}
	}
	for _, origin := range []string{"http://localhost:8080", "http://127.0.0.1:3000", "https://evil.example"} {
		res := login(origin)
		p := res.Problem(t)
		if res.Status != 403 || p.Type != "/problems/csrf" || !strings.Contains(p.Detail, origin) ||
			!strings.Contains(p.Detail, "http://localhost:8081") {
			t.Errorf("origin %s: %d %+v", origin, res.Status, p)
		}
	}
}

func TestCLI(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
		wantOut string
	}{
		{name: "version", args: []string{"version"}, wantOut: "htxmarket dev"},
		{name: "help", args: []string{"--help"}, wantOut: "migrate"},
		{name: "serve help", args: []string{"serve", "--help"}, wantOut: "Usage: htxmarket serve"},
		{name: "unknown command", args: []string{"frobnicate"}, wantErr: "usage"},
		{name: "bad migrate argument", args: []string{"migrate", "sideways"}, wantErr: "usage"},
		{name: "bad config names the variable", args: []string{"serve"}, env: map[string]string{"HTTP_ADDR": "nope"},
			wantErr: `config: HTTP_ADDR="nope" is invalid`},
		{name: "production needs a database URL", args: []string{"migrate", "status"}, env: map[string]string{"APP_ENV": "production"},
			wantErr: "config: DATABASE_URL is required in production"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := app.Run(context.Background(), tt.args, &app.Env{Stdout: &out, Stderr: &errOut,
				Lookup: func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }})
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error %v, want %q", err, tt.wantErr)
			}
			if tt.wantOut != "" && !strings.Contains(out.String(), tt.wantOut) {
				t.Fatalf("output %q lacks %q", out.String(), tt.wantOut)
			}
		})
	}
}

func TestMigrateCommand(t *testing.T) {
	url := dbtest.NewURL(t)
	var out bytes.Buffer
	env := &app.Env{Stdout: &out, Stderr: &bytes.Buffer{}, Lookup: func(k string) (string, bool) {
		v, ok := map[string]string{"DATABASE_URL": url, "APP_ENV": "test"}[k]
		return v, ok
	}}
	if err := app.Run(context.Background(), []string{"migrate", "status"}, env); err != nil {
		t.Fatal(err)
	}
	// "pending" as the status column says it, not inside a file name
	// (00100_cooperative_pending_changes.sql).
	pending := regexp.MustCompile(`\bpending\b`)
	if !strings.Contains(out.String(), "00002_provinces.sql") || pending.MatchString(out.String()) {
		t.Fatalf("status: %s", out.String())
	}
	if err := app.Run(context.Background(), []string{"migrate", "down"}, env); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	app.Run(context.Background(), []string{"migrate", "status"}, env)
	if len(pending.FindAllString(out.String(), -1)) != 1 {
		t.Fatalf("after down one migration must be pending: %s", out.String())
	}
	if err := app.Run(context.Background(), []string{"migrate", "up"}, env); err != nil {
		t.Fatal(err)
	}
	if err := app.Run(context.Background(), []string{"migrate", "up"}, env); err != nil {
		t.Fatalf("up with nothing pending: %v", err)
	}
}

// TestConfigurationIsLoggedOncePerServer: `make run` runs migrate, seed,
// worker and serve; only the two that keep running log the configuration at
// info, the short commands at debug.
func TestConfigurationIsLoggedOncePerServer(t *testing.T) {
	url := dbtest.NewURL(t)
	taken, err := net.Listen("tcp", "127.0.0.1:0") // serve stops right after start-up
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	tests := []struct {
		name  string
		args  []string
		level string
		want  int
	}{
		{"migrate at info", []string{"migrate", "status"}, "info", 0},
		{"migrate at debug", []string{"migrate", "status"}, "debug", 1},
		{"serve at info", []string{"serve"}, "info", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars := map[string]string{"APP_ENV": "test", "DATABASE_URL": url, "LOG_LEVEL": tt.level,
				"HTTP_ADDR": taken.Addr().String(), "STORAGE_DIR": t.TempDir()}
			var logs bytes.Buffer
			app.Run(context.Background(), tt.args, &app.Env{Stdout: io.Discard, Stderr: &logs,
				Lookup: func(k string) (string, bool) { v, ok := vars[k]; return v, ok }})
			if got := strings.Count(logs.String(), "starting htxmarket"); got != tt.want {
				t.Fatalf("configuration logged %d times, want %d:\n%s", got, tt.want, logs.String())
			}
		})
	}
}

// TestResponsesAreCompressed: a client that accepts gzip gets text
// compressed, with Vary, and the same bytes once decompressed; one that
// does not gets them as they are.
func TestResponsesAreCompressed(t *testing.T) {
	env := apptest.New(t, nil)
	get := func(encoding string) *http.Response {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/provinces", nil)
		if encoding != "" {
			req.Header.Set("Accept-Encoding", encoding)
		}
		res, err := env.Server.App.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	plain := get("")
	want, _ := io.ReadAll(plain.Body)
	if plain.StatusCode != 200 || plain.Header.Get("Content-Encoding") != "" {
		t.Fatalf("without Accept-Encoding: %d, Content-Encoding %q", plain.StatusCode, plain.Header.Get("Content-Encoding"))
	}
	gz := get("gzip")
	if gz.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(gz.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("with gzip: Content-Encoding %q, Vary %q", gz.Header.Get("Content-Encoding"), gz.Header.Get("Vary"))
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("decompressed body differs from the plain one: %d and %d bytes", len(got), len(want))
	}
	if n, _ := strconv.Atoi(gz.Header.Get("Content-Length")); n == 0 || n >= len(want) {
		t.Errorf("compressed %d bytes of %d", n, len(want))
	}
}
