// Package apptest builds the whole HTX Market server on a fresh database
// for tests in any package: the same middleware, routes and error table as
// production, driven through webtest so that every response is checked
// against the OpenAPI document.
package apptest

import (
	"bytes"
	"context"
	"io"
	"testing"
	"testing/fstest"

	"github.com/jmoiron/sqlx"

	"htxmarket/internal/app"
	"htxmarket/internal/platform/config"
	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/platform/web/webtest"
)

// Env is a server under test.
type Env struct {
	Server *app.Server
	DB     *sqlx.DB
	Client *webtest.Client
	Config config.Config
	// Logs holds everything the server logged (JSON lines).
	Logs *bytes.Buffer
}

// New starts a server on a fresh database. overrides set configuration
// variables (e.g. "HTTP_BODY_LIMIT": "1024").
func New(t testing.TB, overrides map[string]string) *Env {
	t.Helper()
	d := dbtest.New(t)
	vars := map[string]string{"APP_ENV": "test", "LOG_FORMAT": "json", "LOG_LEVEL": "debug", "STORAGE_DIR": t.TempDir()}
	for k, v := range overrides {
		vars[k] = v
	}
	cfg, err := config.FromLookup(func(k string) (string, bool) { v, ok := vars[k]; return v, ok })
	if err != nil {
		t.Fatalf("apptest: config: %v", err)
	}
	logs := &bytes.Buffer{}
	log := app.NewLogger(cfg, io.MultiWriter(logs, testWriter{t}))
	srv, err := app.NewServer(cfg, log, d, app.Options{Frontend: fstest.MapFS{
		"index.html":        {Data: []byte(IndexHTML)},
		"assets/app-abc.js": {Data: []byte("console.log(1)")},
	}})
	if err != nil {
		t.Fatalf("apptest: server: %v", err)
	}
	if err := srv.WarmSearch(context.Background()); err != nil {
		t.Fatalf("apptest: %v", err)
	}
	spec, err := app.OpenAPIDocument()
	if err != nil {
		t.Fatalf("apptest: %v", err)
	}
	return &Env{Server: srv, DB: d, Client: webtest.New(t, srv.App, spec), Config: cfg, Logs: logs}
}

// IndexHTML is the index.html of the test server's frontend: the head of
// frontend/index.html, whose default tags between the page-head markers the
// server replaces with each page's own.
const IndexHTML = `<!doctype html>
<html lang="vi">
  <head>
    <meta charset="UTF-8" />
    <!--page-head-->
    <title>Chợ sản phẩm hợp tác xã và OCOP Việt Nam – HTX Market</title>
    <meta name="description" content="Mua đặc sản, nông sản và sản phẩm OCOP trực tiếp từ các hợp tác xã trên cả nước." />
    <!--/page-head-->
    <script type="module" crossorigin src="/assets/app-abc.js"></script>
  </head>
  <body>
    <div id="root"></div>
  </body>
</html>
`

// testWriter sends the server's log to the test's log, shown on failure.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}
