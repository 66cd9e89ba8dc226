// Package storagetest is the contract every storage.Storage implementation
// passes: run Run against each backend so that they stay interchangeable.
package storagetest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"htxmarket/internal/platform/storage"
)

// Run checks s, a fresh, empty storage.
func Run(t *testing.T, s storage.Storage) {
	ctx := context.Background()
	read := func(t *testing.T, key string) ([]byte, storage.Info) {
		t.Helper()
		r, info, err := s.Open(ctx, key)
		if err != nil {
			t.Fatalf("open %s: %v", key, err)
		}
		defer r.Close()
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		return b, info
	}

	t.Run("put and open", func(t *testing.T) {
		body := bytes.Repeat([]byte{0xff, 0xd8, 0x00}, 10_000)
		if err := s.Put(ctx, "products/p1/abc-w400.jpg", "image/jpeg", bytes.NewReader(body)); err != nil {
			t.Fatal(err)
		}
		got, info := read(t, "products/p1/abc-w400.jpg")
		if !bytes.Equal(got, body) || info.Size != int64(len(body)) || info.ContentType != "image/jpeg" {
			t.Fatalf("read back %d bytes, %+v", len(got), info)
		}
	})

	t.Run("put replaces", func(t *testing.T) {
		for _, body := range []string{"first version, longer", "second"} {
			if err := s.Put(ctx, "a/b.png", "image/png", strings.NewReader(body)); err != nil {
				t.Fatal(err)
			}
		}
		if got, _ := read(t, "a/b.png"); string(got) != "second" {
			t.Fatalf("got %q", got)
		}
	})

	t.Run("a failed put leaves the old file", func(t *testing.T) {
		if err := s.Put(ctx, "a/c.png", "image/png", strings.NewReader("old")); err != nil {
			t.Fatal(err)
		}
		broken := io.MultiReader(strings.NewReader("new, then"), errReader{})
		if err := s.Put(ctx, "a/c.png", "image/png", broken); err == nil {
			t.Fatal("put from a failing reader succeeded")
		}
		if got, _ := read(t, "a/c.png"); string(got) != "old" {
			t.Fatalf("got %q", got)
		}
	})

	t.Run("delete", func(t *testing.T) {
		if err := s.Put(ctx, "a/d.webp", "image/webp", strings.NewReader("x")); err != nil {
			t.Fatal(err)
		}
		for range 2 { // deleting twice is fine
			if err := s.Delete(ctx, "a/d.webp"); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := s.Open(ctx, "a/d.webp"); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("open after delete: %v", err)
		}
	})

	t.Run("missing", func(t *testing.T) {
		if _, _, err := s.Open(ctx, "nothing/here.jpg"); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("unsafe keys", func(t *testing.T) {
		for _, key := range []string{"", "../escape.jpg", "a/../../b.jpg", "/etc/passwd", "a//b.jpg", "a/./b.jpg",
			`a\b.jpg`, ".hidden", "a/", "Upper.JPG", "a b.jpg", "a/\x00.jpg", strings.Repeat("a", storage.MaxKeyLen+1)} {
			if err := s.Put(ctx, key, "image/jpeg", strings.NewReader("x")); !errors.Is(err, storage.ErrInvalidKey) {
				t.Errorf("put %q: %v", key, err)
			}
			if _, _, err := s.Open(ctx, key); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("open %q: %v", key, err)
			}
			if err := s.Delete(ctx, key); !errors.Is(err, storage.ErrInvalidKey) {
				t.Errorf("delete %q: %v", key, err)
			}
		}
	})

	t.Run("url", func(t *testing.T) {
		if u := s.URL("products/p1/abc-w400.jpg"); !strings.HasSuffix(u, "/products/p1/abc-w400.jpg") {
			t.Fatalf("URL %q", u)
		}
	})
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }
