package web_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gofiber/fiber/v2"

	"htxmarket/internal/platform/web"
)

// heads is a PageHeads that names each page after its path and query.
type heads struct{}

func (heads) Head(_ context.Context, path string, query url.Values) (web.PageHead, error) {
	switch path {
	case "/missing":
		return web.PageHead{HTML: []byte("<title>Không có</title>"), Status: 404}, nil
	case "/down":
		return web.PageHead{}, fmt.Errorf("lookup: %w", web.ErrServiceUnavailable)
	case "/broken":
		return web.PageHead{}, errors.New("lookup failed")
	}
	return web.PageHead{HTML: []byte("<title>" + path + " " + query.Get("q") + "</title>")}, nil
}

func TestSPAPageHeads(t *testing.T) {
	index := "<html><head><meta charset=utf-8>\n<!--page-head--><title>Mặc định</title><!--/page-head-->\n<script src=/assets/a.js></script></head><body><div id=root></div></body></html>"
	page := func(title string) string {
		return strings.Replace(index, "<!--page-head--><title>Mặc định</title><!--/page-head-->", title, 1)
	}
	var logs bytes.Buffer
	app := fiber.New(fiber.Config{ErrorHandler: web.ErrorHandler(slog.New(slog.NewJSONHandler(&logs, nil)), 0, nil)})
	app.Use(web.SPA(fstest.MapFS{
		"index.html":  {Data: []byte(index)},
		"assets/a.js": {Data: []byte("js")},
	}, heads{}, "/api"))

	tests := []struct {
		name, path string
		status     int
		body       string
	}{
		{"a page", "/san-pham/buoi", 200, page("<title>/san-pham/buoi </title>")},
		{"the query counts", "/tim-kiem?q=b%C6%B0%E1%BB%9Fi", 200, page("<title>/tim-kiem bưởi</title>")},
		{"another query", "/tim-kiem?q=m%E1%BA%ADt", 200, page("<title>/tim-kiem mật</title>")},
		{"a page that does not exist", "/missing", 404, page("<title>Không có</title>")},
		// The status and logging are the error table's; the body is still the application.
		{"the lookup is unavailable", "/down", 503, index},
		{"the lookup fails", "/broken", 500, index},
		{"a file", "/assets/a.js", 200, "js"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := do(t, app, "GET", tt.path, "", "")
			if res.StatusCode != tt.status || string(body) != tt.body {
				t.Fatalf("status %d, want %d; body\n%s\nwant\n%s", res.StatusCode, tt.status, body, tt.body)
			}
			if tt.path != "/assets/a.js" && !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				t.Errorf("Content-Type %q", res.Header.Get("Content-Type"))
			}
		})
	}
	if !strings.Contains(logs.String(), "lookup failed") {
		t.Errorf("the failed lookup is not logged: %s", logs.String())
	}
}

func TestSPAIndexWithoutMarkers(t *testing.T) {
	tests := []struct{ name, index, want string }{
		{"its title is replaced", "<html><head><title>HTX</title></head></html>", "<html><head><title>/x </title></head></html>"},
		{"before </head>", "<html><head></head></html>", "<html><head><title>/x </title></head></html>"},
		{"no head at all", "<p>app</p>", "<p>app</p><title>/x </title>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := fiber.New()
			app.Use(web.SPA(fstest.MapFS{"index.html": {Data: []byte(tt.index)}}, heads{}))
			_, body := do(t, app, "GET", "/x", "", "")
			if string(body) != tt.want {
				t.Errorf("got %s, want %s", body, tt.want)
			}
		})
	}
}
