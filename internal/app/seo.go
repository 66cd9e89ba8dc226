package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"htxmarket/internal/catalog"
	"htxmarket/internal/cooperative"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/seo"
)

// seoCatalog gives page heads and sitemaps the public products. A product
// page's head is read from the catalog's public read cache, which the
// page's own request to the API then finds warm.
type seoCatalog struct {
	products  *catalog.Service
	provinces *geo.Service
}

var _ seo.Catalog = seoCatalog{}

func (a seoCatalog) Product(ctx context.Context, slug string) (seo.Product, error) {
	pub, err := a.products.PublicProduct(ctx, slug)
	if errors.Is(err, catalog.ErrNotFound) {
		return seo.Product{}, fmt.Errorf("%w: %w", seo.ErrNotFound, err)
	}
	if err != nil {
		return seo.Product{}, err
	}
	var p catalog.Product
	if err := json.Unmarshal(pub.Body, &p); err != nil {
		return seo.Product{}, fmt.Errorf("app: read product %q: %w", slug, err)
	}
	out := seo.Product{Slug: p.Slug, Name: p.Name, DescriptionHTML: p.DescriptionHTML,
		Cooperative: p.Cooperative.Name, Province: provinceName(ctx, a.provinces, p.Province)}
	if p.PriceVND != nil {
		out.PriceVND = *p.PriceVND
	}
	if len(p.Images) > 0 {
		// The medium size: large enough for a preview, a fraction of the original.
		out.ImageURL = p.Images[0].MediumURL
		if out.ImageURL == "" {
			out.ImageURL = p.Images[0].URL
		}
	}
	return out, nil
}

func (a seoCatalog) EachProduct(ctx context.Context, fn func(slug string, modified time.Time) error) error {
	return a.products.EachPublic(ctx, fn)
}

// seoCooperatives gives page heads and sitemaps the verified cooperatives.
type seoCooperatives struct {
	coops     *cooperative.Service
	provinces *geo.Service
}

var _ seo.Cooperatives = seoCooperatives{}

func (a seoCooperatives) Cooperative(ctx context.Context, slug string) (seo.Cooperative, error) {
	c, err := a.coops.Storefront(ctx, slug)
	if errors.Is(err, cooperative.ErrNotFound) {
		return seo.Cooperative{}, fmt.Errorf("%w: %w", seo.ErrNotFound, err)
	}
	if err != nil {
		return seo.Cooperative{}, err
	}
	return seo.Cooperative{Slug: c.Slug, Name: c.Name, Province: provinceName(ctx, a.provinces, c.Province),
		Story: c.Story, ProductCount: c.ProductCount, LogoURL: c.LogoURL}, nil
}

func (a seoCooperatives) EachCooperative(ctx context.Context, fn func(slug string, modified time.Time) error) error {
	return a.coops.EachVerified(ctx, fn)
}

// provinceName is a province's name, or its slug when geo does not know it.
func provinceName(ctx context.Context, provinces *geo.Service, slug string) string {
	if p, err := provinces.Get(ctx, slug); err == nil {
		return p.Name
	}
	return slug
}
