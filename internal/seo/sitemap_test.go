package seo

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// listing is a catalog and a directory of fixed slugs, counting its reads.
type listing struct {
	products, coops []string
	reads           int
	err             error
}

var modified = time.Date(2025, 3, 8, 9, 30, 0, 0, time.FixedZone("ICT", 7*3600))

func (l *listing) Product(context.Context, string) (Product, error) { return Product{}, ErrNotFound }

func (l *listing) Cooperative(context.Context, string) (Cooperative, error) {
	return Cooperative{}, ErrNotFound
}

func (l *listing) EachProduct(_ context.Context, fn func(string, time.Time) error) error {
	l.reads++
	if l.err != nil {
		return l.err
	}
	for i, s := range l.products {
		if err := fn(s, modified.Add(time.Duration(i)*time.Hour)); err != nil {
			return err
		}
	}
	return nil
}

func (l *listing) EachCooperative(_ context.Context, fn func(string, time.Time) error) error {
	for _, s := range l.coops {
		if err := fn(s, modified); err != nil {
			return err
		}
	}
	return nil
}

func locs(t *testing.T, b []byte, root string) ([]string, []string) {
	t.Helper()
	var doc struct {
		XMLName xml.Name
		Items   []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:",any"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, b)
	}
	if doc.XMLName.Local != root || doc.XMLName.Space != sitemapNS {
		t.Fatalf("root %v, want %s", doc.XMLName, root)
	}
	var out, mods []string
	for _, it := range doc.Items {
		out = append(out, it.Loc)
		mods = append(mods, it.LastMod)
	}
	return out, mods
}

func TestSitemapPages(t *testing.T) {
	l := &listing{products: []string{"a", "b", "c", "d", "e"}, coops: []string{"htx-x"}}
	s := NewService("https://htx.example.vn/", l, l, Options{SitemapURLs: 2})
	ctx := context.Background()
	index, err := s.SitemapIndex(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, mods := locs(t, index, "sitemapindex")
	want := []string{
		"https://htx.example.vn/sitemap/pages.xml",
		"https://htx.example.vn/sitemap/products-1.xml",
		"https://htx.example.vn/sitemap/products-2.xml",
		"https://htx.example.vn/sitemap/products-3.xml",
		"https://htx.example.vn/sitemap/cooperatives-1.xml",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("index (-want +got):\n%s", diff)
	}
	// A page's lastmod is its newest entry's, in UTC.
	if diff := cmp.Diff([]string{"2025-03-08T06:30:00Z", "2025-03-08T03:30:00Z", "2025-03-08T05:30:00Z",
		"2025-03-08T06:30:00Z", "2025-03-08T02:30:00Z"}, mods); diff != "" {
		t.Errorf("lastmod (-want +got):\n%s", diff)
	}
	pages := map[string][]string{
		"pages.xml":          {"https://htx.example.vn/", "https://htx.example.vn/san-pham", "https://htx.example.vn/hop-tac-xa"},
		"products-1.xml":     {"https://htx.example.vn/san-pham/a", "https://htx.example.vn/san-pham/b"},
		"products-3.xml":     {"https://htx.example.vn/san-pham/e"},
		"cooperatives-1.xml": {"https://htx.example.vn/hop-tac-xa/htx-x"},
	}
	for name, want := range pages {
		b, err := s.SitemapPage(ctx, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, _ := locs(t, b, "urlset")
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	if _, err := s.SitemapPage(ctx, "products-4.xml"); !errors.Is(err, ErrNotFound) {
		t.Errorf("products-4.xml: %v", err)
	}
}

func TestSitemapIsBuiltAgainAfterItsTTL(t *testing.T) {
	l := &listing{products: []string{"a"}}
	s := NewService("https://htx.example.vn", l, l, Options{SitemapTTL: time.Minute})
	now := time.Now()
	s.now = func() time.Time { return now }
	ctx := context.Background()
	for range 3 {
		if _, err := s.SitemapIndex(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if l.reads != 1 {
		t.Fatalf("read the catalog %d times within the TTL", l.reads)
	}
	l.products = append(l.products, "b")
	now = now.Add(time.Minute)
	b, err := s.SitemapPage(ctx, "products-1.xml")
	if err != nil {
		t.Fatal(err)
	}
	if l.reads != 2 || !strings.Contains(string(b), "/san-pham/b") {
		t.Errorf("after the TTL: %d reads\n%s", l.reads, b)
	}

	// A failed build is not kept: the next request tries again.
	now = now.Add(time.Minute)
	l.err = fmt.Errorf("database down")
	if _, err := s.SitemapIndex(ctx); err == nil {
		t.Fatal("no error")
	}
	l.err = nil
	if _, err := s.SitemapIndex(ctx); err != nil || l.reads != 4 {
		t.Errorf("after a failure: %v, %d reads", err, l.reads)
	}
}

func TestSitemapWithoutProducts(t *testing.T) {
	l := &listing{}
	s := NewService("https://htx.example.vn", l, l, Options{})
	b, err := s.SitemapIndex(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got, mods := locs(t, b, "sitemapindex")
	if diff := cmp.Diff([]string{"https://htx.example.vn/sitemap/pages.xml"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if mods[0] != "" {
		t.Errorf("lastmod %q of an empty catalog", mods[0])
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
		want     string
	}{
		{"short", "Mật ong rừng", 20, "Mật ong rừng"},
		{"at a word", "Mật ong rừng tràm U Minh thơm ngon", 20, "Mật ong rừng tràm U…"},
		{"one long word", strings.Repeat("ă", 30), 10, strings.Repeat("ă", 9) + "…"},
		{"trailing punctuation", "Một, hai, ba, bốn, năm", 11, "Một, hai…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clip(tt.in, tt.n); got != tt.want {
				t.Errorf("clip(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
		})
	}
}

func TestFormatVND(t *testing.T) {
	for in, want := range map[int64]string{5: "5 ₫", 999: "999 ₫", 1000: "1.000 ₫", 130000: "130.000 ₫", 1234567: "1.234.567 ₫"} {
		if got := formatVND(in); got != want {
			t.Errorf("formatVND(%d) = %q, want %q", in, got, want)
		}
	}
}
