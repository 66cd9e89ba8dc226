package web_test

import (
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/google/go-cmp/cmp"

	"htxmarket/internal/platform/web"
)

func TestValidInput(t *testing.T) {
	app := fiber.New(fiber.Config{ErrorHandler: web.ErrorHandler(slog.New(slog.NewTextHandler(testLog{t}, nil)), 0, nil)})
	app.Use(web.ValidInput())
	app.Get("/api/products/:slug", func(c *fiber.Ctx) error {
		return c.JSON(fiber.Map{"slug": c.Params("slug"), "q": c.Query("q")})
	})
	tests := []struct {
		name, target string
		want         []web.FieldError // nil: accepted
	}{
		{"Vietnamese text", "/api/products/b%C6%B0%E1%BB%9Fi?q=b%C6%B0%E1%BB%9Fi+di%E1%BB%85n", nil},
		{"NUL in a query value", "/api/products/a?q=b%00", []web.FieldError{{Field: "q", Message: "chứa ký tự NUL"}}},
		{"invalid UTF-8 in a query value", "/api/products/a?province=%FF%FE",
			[]web.FieldError{{Field: "province", Message: "không phải văn bản UTF-8 hợp lệ"}}},
		{"NUL in a query key", "/api/products/a?q%00=1",
			[]web.FieldError{{Field: "q\uFFFD", Message: "tên tham số chứa ký tự NUL"}}},
		{"every bad parameter", "/api/products/a?a=%00&b=ok&c=%C3",
			[]web.FieldError{{Field: "a", Message: "chứa ký tự NUL"}, {Field: "c", Message: "không phải văn bản UTF-8 hợp lệ"}}},
		{"NUL in a path parameter", "/api/products/a%00b", []web.FieldError{{Field: "path", Message: "đường dẫn chứa ký tự NUL"}}},
		{"invalid UTF-8 in a path parameter", "/api/products/%C0%AF",
			[]web.FieldError{{Field: "path", Message: "đường dẫn không phải văn bản UTF-8 hợp lệ"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", tt.target, nil)
			res, err := app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == nil {
				var got map[string]string
				_ = json.NewDecoder(res.Body).Decode(&got)
				if res.StatusCode != 200 || got["q"] != "bưởi diễn" {
					t.Fatalf("status %d, %v", res.StatusCode, got)
				}
				return
			}
			var p web.Problem
			_ = json.NewDecoder(res.Body).Decode(&p)
			if res.StatusCode != 400 || p.Type != "/problems/validation" {
				t.Fatalf("status %d, problem %+v", res.StatusCode, p)
			}
			if diff := cmp.Diff(tt.want, p.Errors); diff != "" {
				t.Errorf("field errors (-want +got):\n%s", diff)
			}
		})
	}
}
