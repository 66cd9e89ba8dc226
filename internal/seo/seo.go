// Package seo makes the public pages of HTX Market shareable and findable:
// the title, description, canonical address and Open Graph tags that the
// server writes into the HTML of product pages, cooperative storefronts,
// the directory, search and the home page (for Zalo and Facebook link
// previews and for search engines, none of which run the application's
// JavaScript), robots.txt, and the sitemaps of the public catalog.
package seo

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"
)

// ErrNotFound is a product or cooperative that no visitor may see: unknown,
// a draft, archived, or of a cooperative not verified.
var ErrNotFound = errors.New("không tìm thấy trang")

// Product is what a product page's head tells of its product.
type Product struct {
	Slug string
	Name string
	// DescriptionHTML is the sanitised description; the head shows its text.
	DescriptionHTML string
	Cooperative     string // name
	Province        string // name
	// PriceVND is the lowest price of the product's packagings; 0 without one.
	PriceVND int64
	// ImageURL is the first image, a path on this site (/media/…) or an
	// absolute URL; "" without one.
	ImageURL string
}

// Cooperative is what a storefront's head tells of its cooperative.
type Cooperative struct {
	Slug         string
	Name         string
	Province     string // name
	Story        string // plain text
	ProductCount int
	// LogoURL is a path on this site or an absolute URL; "" without one.
	LogoURL string
}

// Catalog gives the public products.
type Catalog interface {
	// Product returns a public product by slug, or ErrNotFound.
	Product(ctx context.Context, slug string) (Product, error)
	// EachProduct calls fn with the slug and last change of every public
	// product.
	EachProduct(ctx context.Context, fn func(slug string, modified time.Time) error) error
}

// Cooperatives gives the verified cooperatives.
type Cooperatives interface {
	// Cooperative returns a verified cooperative by slug, or ErrNotFound.
	Cooperative(ctx context.Context, slug string) (Cooperative, error)
	// EachCooperative calls fn with the slug and last change of every
	// verified cooperative.
	EachCooperative(ctx context.Context, fn func(slug string, modified time.Time) error) error
}

// Options tune the sitemaps; zero fields take the defaults.
type Options struct {
	// SitemapTTL is how long a built sitemap is served before it is built
	// again from the catalog; 5 minutes by default.
	SitemapTTL time.Duration
	// SitemapURLs is the most URLs in one sitemap page: 50,000 by default,
	// the limit of the sitemap protocol.
	SitemapURLs int
}

// Service writes page heads and serves robots.txt and the sitemaps.
type Service struct {
	origin   string // scheme://host[:port], no trailing slash
	products Catalog
	coops    Cooperatives
	opt      Options
	now      func() time.Time

	mu      sync.Mutex // held while a sitemap is built: one build at a time
	sitemap *sitemap
}

// NewService returns the service of the site at origin (PUBLIC_ORIGIN):
// every address it writes (canonical, og:url, og:image, sitemap entries)
// is absolute on it.
func NewService(origin string, products Catalog, coops Cooperatives, opt Options) *Service {
	if opt.SitemapTTL <= 0 {
		opt.SitemapTTL = 5 * time.Minute
	}
	if opt.SitemapURLs <= 0 || opt.SitemapURLs > maxSitemapURLs {
		opt.SitemapURLs = maxSitemapURLs
	}
	return &Service{origin: strings.TrimSuffix(origin, "/"), products: products, coops: coops, opt: opt, now: time.Now}
}

// disallowed are the pages that robots must not crawl: the API and the
// pages of a signed-in user, a cooperative's or staff's work, and buying.
var disallowed = []string{"/api/", "/quan-ly", "/duyet-hop-tac-xa", "/quan-tri", "/tai-khoan", "/gio-hang", "/thanh-toan", "/don-hang"}

// private reports whether robots stay out of path.
func private(path string) bool {
	for _, d := range disallowed {
		if strings.HasPrefix(path, d) {
			return true
		}
	}
	return false
}
