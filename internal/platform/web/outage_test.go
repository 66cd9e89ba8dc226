package web_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"htxmarket/internal/platform/web"
)

var errConnRefused = errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")

// TestOutageAnswers503AndIsLoggedOnce: a rule that matches a dependency's
// connection errors answers 503 with Retry-After, and logs the outage once
// however many requests it refuses.
func TestOutageAnswers503AndIsLoggedOnce(t *testing.T) {
	logs := &bytes.Buffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	app := fiber.New(fiber.Config{ErrorHandler: web.ErrorHandler(log, 0, []web.Rule{{
		Match:  func(err error) bool { return strings.Contains(err.Error(), "connection refused") },
		Status: 503, Type: "service-unavailable", Detail: "Cơ sở dữ liệu tạm thời không truy cập được.",
		RetryAfter: 5 * time.Second, LogEvery: time.Minute,
	}})})
	app.Use(web.RequestIDMiddleware(), web.Observe(log, nil))
	app.Get("/api/things", func(c *fiber.Ctx) error { return errConnRefused })
	for range 10 {
		res, err := app.Test(httptest.NewRequest("GET", "/api/things", nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		var p web.Problem
		_ = json.NewDecoder(res.Body).Decode(&p)
		if res.StatusCode != 503 || res.Header.Get("Retry-After") != "5" || p.Type != "/problems/service-unavailable" ||
			p.Detail != "Cơ sở dữ liệu tạm thời không truy cập được." {
			t.Fatalf("status %d, Retry-After %q, %+v", res.StatusCode, res.Header.Get("Retry-After"), p)
		}
	}
	var errorLines int
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		if rec["level"] == "ERROR" {
			errorLines++
		}
	}
	if errorLines != 1 {
		t.Errorf("%d error lines for 10 refused requests, want 1:\n%s", errorLines, logs)
	}
}
