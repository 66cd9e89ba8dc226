package web_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gofiber/fiber/v2"
	"github.com/google/go-cmp/cmp"

	"htxmarket/internal/platform/web"
)

var errThing = errors.New("không tìm thấy thứ này")

// newApp builds a Fiber app with the platform middleware and a few routes
// that exercise each kind of error.
func newApp(t *testing.T, logs *bytes.Buffer) *fiber.App {
	t.Helper()
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	app := fiber.New(fiber.Config{
		ErrorHandler: web.ErrorHandler(log, 1024, []web.Rule{{Err: errThing, Status: 404, Type: "thing-not-found"}}),
		BodyLimit:    1024,
	})
	app.Use(web.RequestIDMiddleware(), web.Observe(log, nil), web.Recover(log), web.SecurityHeaders(false))
	type input struct {
		Name  string `json:"name"`
		Price int64  `json:"price"`
	}
	app.Post("/api/things", func(c *fiber.Ctx) error {
		var in input
		if err := web.DecodeJSON(c, &in); err != nil {
			return err
		}
		var v web.ValidationError
		v.Check(in.Name != "", "name", "không được để trống")
		v.Check(in.Price > 0, "price", "phải lớn hơn 0")
		if err := v.Err(); err != nil {
			return err
		}
		return c.Status(201).JSON(in)
	})
	app.Get("/api/things/:id", func(c *fiber.Ctx) error {
		if c.Params("id") == "detail" {
			return web.Detail(errThing, "Không có thứ số %s.", "42")
		}
		return errThing
	})
	app.Get("/api/panic", func(c *fiber.Ctx) error { panic("kaboom") })
	app.Get("/api/secret", func(c *fiber.Ctx) error { return errors.New("pq: password authentication failed for user app") })
	app.Use(web.SPA(fstest.MapFS{
		"index.html":    {Data: []byte("<html>app</html>")},
		"assets/app.js": {Data: []byte("js")},
		"robots.txt":    {Data: []byte("User-agent: *")},
	}, nil, "/api"))
	return app
}

func do(t *testing.T, app *fiber.App, method, path, ctype, body string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	return res, b
}

func TestProblems(t *testing.T) {
	tests := []struct {
		name, method, path, ctype, body string
		want                            web.Problem
	}{
		{name: "unknown API path", method: "GET", path: "/api/nope",
			want: web.Problem{Type: "/problems/not-found", Title: "Not Found", Status: 404, Detail: "Không tìm thấy đường dẫn được yêu cầu."}},
		{name: "wrong method", method: "DELETE", path: "/api/things",
			want: web.Problem{Type: "/problems/method-not-allowed", Title: "Method Not Allowed", Status: 405, Detail: "Phương thức này không được hỗ trợ ở đường dẫn này."}},
		{name: "malformed JSON", method: "POST", path: "/api/things", ctype: "application/json", body: `{"name": "Bưởi",}`,
			want: web.Problem{Type: "/problems/invalid-json", Title: "Bad Request", Status: 400, Detail: "Dữ liệu JSON sai cú pháp ở ký tự thứ 17."}},
		{name: "truncated JSON", method: "POST", path: "/api/things", ctype: "application/json", body: `{"name": "Bưởi"`,
			want: web.Problem{Type: "/problems/invalid-json", Title: "Bad Request", Status: 400, Detail: "Dữ liệu JSON bị cắt cụt."}},
		{name: "empty body", method: "POST", path: "/api/things", ctype: "application/json",
			want: web.Problem{Type: "/problems/invalid-json", Title: "Bad Request", Status: 400, Detail: "Thiếu nội dung JSON trong yêu cầu."}},
		{name: "trailing data", method: "POST", path: "/api/things", ctype: "application/json", body: `{"name":"a","price":1} {}`,
			want: web.Problem{Type: "/problems/invalid-json", Title: "Bad Request", Status: 400, Detail: "Dữ liệu JSON có phần thừa sau đối tượng chính."}},
		{name: "not JSON content type", method: "POST", path: "/api/things", ctype: "text/plain", body: `{}`,
			want: web.Problem{Type: "/problems/unsupported-media-type", Title: "Unsupported Media Type", Status: 415, Detail: "Nội dung phải có kiểu application/json."}},
		{name: "validation lists every field", method: "POST", path: "/api/things", ctype: "application/json", body: `{"name":"","price":0}`,
			want: web.Problem{Type: "/problems/validation", Title: "Bad Request", Status: 400,
				Detail: "Dữ liệu gửi lên chưa hợp lệ, vui lòng kiểm tra các trường được liệt kê.",
				Errors: []web.FieldError{{Field: "name", Message: "không được để trống"}, {Field: "price", Message: "phải lớn hơn 0"}}}},
		{name: "wrong type names the field", method: "POST", path: "/api/things", ctype: "application/json", body: `{"name":"a","price":"nhiều"}`,
			want: web.Problem{Type: "/problems/validation", Title: "Bad Request", Status: 400,
				Detail: "Dữ liệu gửi lên chưa hợp lệ, vui lòng kiểm tra các trường được liệt kê.",
				Errors: []web.FieldError{{Field: "price", Message: "sai kiểu dữ liệu, cần số nguyên"}}}},
		{name: "unknown field", method: "POST", path: "/api/things", ctype: "application/json", body: `{"name":"a","price":1,"admin":true}`,
			want: web.Problem{Type: "/problems/validation", Title: "Bad Request", Status: 400,
				Detail: "Dữ liệu gửi lên chưa hợp lệ, vui lòng kiểm tra các trường được liệt kê.",
				Errors: []web.FieldError{{Field: "admin", Message: "trường này không được hỗ trợ"}}}},
		{name: "sentinel from the table", method: "GET", path: "/api/things/1",
			want: web.Problem{Type: "/problems/thing-not-found", Title: "Not Found", Status: 404, Detail: "Không tìm thấy thứ này."}},
		{name: "sentinel with a detail", method: "GET", path: "/api/things/detail",
			want: web.Problem{Type: "/problems/thing-not-found", Title: "Not Found", Status: 404, Detail: "Không có thứ số 42."}},
		{name: "panic", method: "GET", path: "/api/panic",
			want: web.Problem{Type: "/problems/internal", Title: "Internal Server Error", Status: 500, Detail: "Đã có lỗi ở máy chủ, vui lòng thử lại sau."}},
		{name: "unknown error hides its text", method: "GET", path: "/api/secret",
			want: web.Problem{Type: "/problems/internal", Title: "Internal Server Error", Status: 500, Detail: "Đã có lỗi ở máy chủ, vui lòng thử lại sau."}},
		{name: "missing file is not a page", method: "GET", path: "/favicon.ico",
			want: web.Problem{Type: "/problems/not-found", Title: "Not Found", Status: 404, Detail: "Không tìm thấy đường dẫn được yêu cầu."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := &bytes.Buffer{}
			res, body := do(t, newApp(t, logs), tt.method, tt.path, tt.ctype, tt.body)
			if res.StatusCode != tt.want.Status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.want.Status, body)
			}
			if ct := res.Header.Get("Content-Type"); ct != web.ProblemContentType {
				t.Fatalf("Content-Type %q", ct)
			}
			var got web.Problem
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			if got.RequestID == "" || got.RequestID != res.Header.Get(web.HeaderRequestID) {
				t.Errorf("request_id %q does not match header %q", got.RequestID, res.Header.Get(web.HeaderRequestID))
			}
			if got.Instance != tt.path {
				t.Errorf("instance %q, want %q", got.Instance, tt.path)
			}
			got.RequestID, got.Instance = "", ""
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problem (-want +got):\n%s", diff)
			}
			if strings.Contains(string(body), "kaboom") || strings.Contains(string(body), "pq:") || strings.Contains(string(body), "goroutine") {
				t.Errorf("internal detail leaked: %s", body)
			}
		})
	}
}

// TestBodyTooLarge needs a real listener: fasthttp refuses the body before
// any handler runs, and app.Test bypasses that path.
func TestBodyTooLarge(t *testing.T) {
	app := newApp(t, &bytes.Buffer{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Listener(ln)
	t.Cleanup(func() { app.Shutdown() })
	res, err := http.Post("http://"+ln.Addr().String()+"/api/things", "application/json",
		strings.NewReader(`{"name":"`+strings.Repeat("a", 2000)+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got web.Problem
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	want := web.Problem{Type: "/problems/payload-too-large", Title: "Request Entity Too Large", Status: 413,
		Detail: "Dữ liệu gửi lên quá lớn (tối đa 1 KB).", Instance: "/api/things"}
	if diff := cmp.Diff(want, got); diff != "" || res.StatusCode != 413 || res.Header.Get("Content-Type") != web.ProblemContentType {
		t.Errorf("status %d, problem (-want +got):\n%s", res.StatusCode, diff)
	}
}

func TestMethodNotAllowedListsAllowedMethods(t *testing.T) {
	res, _ := do(t, newApp(t, &bytes.Buffer{}), "PUT", "/api/things", "", "")
	if got := res.Header.Get("Allow"); got != "POST" {
		t.Fatalf("Allow = %q, want POST", got)
	}
}

func TestPanicAndUnknownErrorsAreLoggedOnceWithRequestID(t *testing.T) {
	for _, path := range []string{"/api/panic", "/api/secret"} {
		logs := &bytes.Buffer{}
		res, _ := do(t, newApp(t, logs), "GET", path, "", "")
		id := res.Header.Get(web.HeaderRequestID)
		var errorLines int
		for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("log line is not JSON: %q", line)
			}
			if rec["request_id"] != id {
				t.Errorf("log line without the request ID %s: %s", id, line)
			}
			if rec["msg"] != "request" && rec["level"] == "ERROR" {
				errorLines++
			}
		}
		if errorLines != 1 {
			t.Errorf("%s: %d error lines besides the access log, want exactly 1:\n%s", path, errorLines, logs)
		}
	}
}

func TestRequestIDFromProxyIsKeptOnlyWhenWellFormed(t *testing.T) {
	app := newApp(t, &bytes.Buffer{})
	req := httptest.NewRequest("GET", "/api/things/1", nil)
	req.Header.Set(web.HeaderRequestID, "edge-123_abc")
	res, _ := app.Test(req)
	if got := res.Header.Get(web.HeaderRequestID); got != "edge-123_abc" {
		t.Errorf("request ID %q, want the proxy's", got)
	}
	req = httptest.NewRequest("GET", "/api/things/1", nil)
	req.Header.Set(web.HeaderRequestID, "bad id\nwith newline")
	res, _ = app.Test(req)
	if got := res.Header.Get(web.HeaderRequestID); got == "" || strings.Contains(got, " ") {
		t.Errorf("malformed request ID kept: %q", got)
	}
}

func TestSecurityHeaders(t *testing.T) {
	res, _ := do(t, newApp(t, &bytes.Buffer{}), "GET", "/", "", "")
	for _, h := range []string{"X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy", "Referrer-Policy"} {
		if res.Header.Get(h) == "" {
			t.Errorf("missing %s", h)
		}
	}
}

func TestSPA(t *testing.T) {
	app := newApp(t, &bytes.Buffer{})
	tests := []struct {
		path, wantBody, wantCache string
	}{
		{"/", "<html>app</html>", "no-cache"},
		{"/san-pham/buoi-dien", "<html>app</html>", "no-cache"},
		{"/assets/app.js", "js", "public, max-age=31536000, immutable"},
		{"/robots.txt", "User-agent: *", "public, max-age=3600"},
	}
	for _, tt := range tests {
		res, body := do(t, app, "GET", tt.path, "", "")
		if res.StatusCode != 200 || string(body) != tt.wantBody || res.Header.Get("Cache-Control") != tt.wantCache {
			t.Errorf("GET %s: %d %q cache %q", tt.path, res.StatusCode, body, res.Header.Get("Cache-Control"))
		}
	}
	// Without a built frontend a placeholder page explains what to do.
	bare := fiber.New()
	bare.Use(web.SPA(fstest.MapFS{}, nil, "/api"))
	res, body := do(t, bare, "GET", "/", "", "")
	if res.StatusCode != 200 || !strings.Contains(string(body), "make build") {
		t.Errorf("placeholder: %d %s", res.StatusCode, body)
	}
}
