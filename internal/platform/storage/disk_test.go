package storage_test

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"htxmarket/internal/platform/storage"
	"htxmarket/internal/platform/storage/storagetest"
)

func TestDisk(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "media", "nested") // created when missing
	d, err := storage.NewDisk(dir, "/media/")
	if err != nil {
		t.Fatal(err)
	}
	storagetest.Run(t, d)

	if u := d.URL("a/b.jpg"); u != "/media/a/b.jpg" {
		t.Errorf("URL %q", u)
	}
	// No temporary file survives, failed puts included.
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(e.Name(), ".put-") {
			t.Errorf("left behind: %s", p)
		}
		return nil
	})
	// Nothing is written outside the root.
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "escape.jpg")); err == nil {
		t.Error("a key escaped the root")
	}
}

func TestHandler(t *testing.T) {
	d, err := storage.NewDisk(t.TempDir(), "/media")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Put(context.Background(), "p/x-w400.jpg", "image/jpeg", strings.NewReader("jpeg bytes")); err != nil {
		t.Fatal(err)
	}
	// The application's error table turns ErrNotFound into a 404 problem.
	app := fiber.New(fiber.Config{ErrorHandler: func(c *fiber.Ctx, err error) error {
		if errors.Is(err, storage.ErrNotFound) {
			return c.SendStatus(fiber.StatusNotFound)
		}
		return c.SendStatus(fiber.StatusInternalServerError)
	}})
	app.Get("/media/*", storage.Handler(d))
	tests := []struct {
		name, method, path string
		status             int
		body               string
	}{
		{"file", "GET", "/media/p/x-w400.jpg", 200, "jpeg bytes"},
		{"head", "HEAD", "/media/p/x-w400.jpg", 200, ""},
		{"missing", "GET", "/media/p/y.jpg", 404, ""},
		{"traversal", "GET", "/media/..%2f..%2fetc%2fpasswd", 404, ""},
		{"dot segments", "GET", "/media/p/../p/x-w400.jpg", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := app.Test(httptest.NewRequest(tt.method, tt.path, nil), -1)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d: %s", res.StatusCode, body)
			}
			if tt.status != 200 {
				return
			}
			if string(body) != tt.body || res.Header.Get("Content-Type") != "image/jpeg" ||
				res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || res.ContentLength != 10 {
				t.Fatalf("%q %v", body, res.Header)
			}
		})
	}
}
