package web_test

import (
	"io"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"

	"htxmarket/internal/platform/web"
)

// TestRealIP: app.Test's requests come from 0.0.0.0, here a trusted proxy
// in front of another one in 10.0.0.0/8.
func TestRealIP(t *testing.T) {
	newApp := func(trusted ...string) *fiber.App {
		app := fiber.New()
		mw, err := web.RealIP(trusted)
		if err != nil {
			t.Fatal(err)
		}
		app.Use(mw)
		app.Get("/", func(c *fiber.Ctx) error { return c.SendString(web.ClientIP(c)) })
		return app
	}
	behind := newApp("0.0.0.0", "10.0.0.0/8")
	direct := newApp()
	tests := []struct {
		name string
		app  *fiber.App
		xff  []string
		want string
	}{
		{"no proxy header", behind, nil, "0.0.0.0"},
		{"the client behind one proxy", behind, []string{"203.0.113.7"}, "203.0.113.7"},
		{"a client that writes its own header", behind, []string{"198.51.100.1, 203.0.113.7"}, "203.0.113.7"},
		{"through two trusted proxies", behind, []string{"198.51.100.1, 203.0.113.7, 10.0.0.5"}, "203.0.113.7"},
		{"only trusted addresses", behind, []string{"10.0.0.9, 10.0.0.5"}, "10.0.0.9"},
		{"garbage left of the client", behind, []string{"<script>, 203.0.113.7"}, "203.0.113.7"},
		{"garbage where the proxy wrote", behind, []string{"203.0.113.7, unknown"}, "0.0.0.0"},
		{"two headers", behind, []string{"198.51.100.1", "203.0.113.8"}, "203.0.113.8"},
		{"with a port", behind, []string{"203.0.113.7:5555"}, "203.0.113.7"},
		{"IPv6", behind, []string{"2001:db8::1"}, "2001:db8::1"},
		{"no trusted proxy: the header is ignored", direct, []string{"203.0.113.7"}, "0.0.0.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/", nil)
			for _, v := range tt.xff {
				req.Header.Add("X-Forwarded-For", v)
			}
			res, err := tt.app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(res.Body)
			if string(got) != tt.want {
				t.Errorf("client %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := web.RealIP([]string{"proxy.local"}); err == nil {
		t.Error("a host name was taken for a trusted proxy")
	}
}
