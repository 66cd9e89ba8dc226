package web_test

import (
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"

	"htxmarket/internal/platform/web"
)

func TestPageLimit(t *testing.T) {
	tests := []struct {
		query string
		want  int
		ok    bool
	}{
		{"", 0, true},
		{"?limit=1", 1, true},
		{"?limit=200", 200, true},
		{"?limit=0", 0, false},
		{"?limit=201", 201, false},
		{"?limit=ten", 0, false},
	}
	for _, tt := range tests {
		app := fiber.New()
		var got int
		var v web.ValidationError
		app.Get("/", func(c *fiber.Ctx) error { got = web.PageLimit(c, &v); return nil })
		if _, err := app.Test(httptest.NewRequest("GET", "/"+tt.query, nil)); err != nil {
			t.Fatal(err)
		}
		if got != tt.want || (v.Err() == nil) != tt.ok {
			t.Errorf("%q: %d, %v", tt.query, got, v.Err())
		}
	}
	for n, want := range map[int]int{-1: 50, 0: 50, 7: 7, 500: 200} {
		if got := web.PageSize(n); got != want {
			t.Errorf("PageSize(%d) = %d, want %d", n, got, want)
		}
	}
}
