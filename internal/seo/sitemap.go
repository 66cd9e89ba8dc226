package seo

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// maxSitemapURLs is the sitemap protocol's limit of URLs in one file.
const maxSitemapURLs = 50_000

// buildTimeout bounds a build of the sitemaps; requests waiting for it do
// not cancel it.
const buildTimeout = time.Minute

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// sitemap is the sitemap index and its pages, built together.
type sitemap struct {
	expires time.Time
	index   []byte
	pages   map[string][]byte // by file name: "products-1.xml"
}

type xmlURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type xmlURLSet struct {
	XMLName xml.Name `xml:"urlset"`
	NS      string   `xml:"xmlns,attr"`
	URLs    []xmlURL `xml:"url"`
}

type xmlIndex struct {
	XMLName  xml.Name `xml:"sitemapindex"`
	NS       string   `xml:"xmlns,attr"`
	Sitemaps []xmlURL `xml:"sitemap"`
}

// entry is one URL of a sitemap page.
type entry struct {
	path     string
	modified time.Time
}

// SitemapIndex returns the sitemap index (sitemap.xml), which lists the
// sitemap pages.
func (s *Service) SitemapIndex(ctx context.Context) ([]byte, error) {
	m, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	return m.index, nil
}

// SitemapPage returns the sitemap page of that file name (pages.xml,
// products-N.xml, cooperatives-N.xml), or ErrNotFound.
func (s *Service) SitemapPage(ctx context.Context, name string) ([]byte, error) {
	m, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	b, ok := m.pages[name]
	if !ok {
		return nil, fmt.Errorf("seo: sitemap %q: %w", name, ErrNotFound)
	}
	return b, nil
}

// current returns the sitemaps, built again from the catalog once they
// are older than the TTL. One build runs at a time and the requests that
// arrive meanwhile wait for it.
func (s *Service) current(ctx context.Context) (*sitemap, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sitemap != nil && s.now().Before(s.sitemap.expires) {
		return s.sitemap, nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), buildTimeout)
	defer cancel()
	m, err := s.build(ctx)
	if err != nil {
		return nil, err
	}
	s.sitemap = m
	return m, nil
}

// build reads every public product and verified cooperative and writes the
// pages: the fixed pages, then the products and the cooperatives, each cut
// into pages of at most SitemapURLs.
func (s *Service) build(ctx context.Context) (*sitemap, error) {
	var products, coops []entry
	err := s.products.EachProduct(ctx, func(slug string, modified time.Time) error {
		products = append(products, entry{"/san-pham/" + url.PathEscape(slug), modified})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("seo: sitemap of products: %w", err)
	}
	err = s.coops.EachCooperative(ctx, func(slug string, modified time.Time) error {
		coops = append(coops, entry{"/hop-tac-xa/" + url.PathEscape(slug), modified})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("seo: sitemap of cooperatives: %w", err)
	}
	// The home page, the product list and the directory show the newest
	// of what they list.
	newestProduct, newestCoop := newest(products), newest(coops)
	fixed := []entry{
		{"/", later(newestProduct, newestCoop)},
		{"/san-pham", newestProduct},
		{"/hop-tac-xa", newestCoop},
	}

	m := &sitemap{expires: s.now().Add(s.opt.SitemapTTL), pages: map[string][]byte{}}
	index := xmlIndex{NS: sitemapNS}
	add := func(name string, entries []entry) error {
		b, err := s.urlSet(entries)
		if err != nil {
			return err
		}
		m.pages[name] = b
		index.Sitemaps = append(index.Sitemaps, xmlURL{Loc: s.origin + "/sitemap/" + name, LastMod: lastMod(newest(entries))})
		return nil
	}
	if err := add("pages.xml", fixed); err != nil {
		return nil, err
	}
	for _, part := range []struct {
		kind    string
		entries []entry
	}{{"products", products}, {"cooperatives", coops}} {
		for i, n := 0, 1; i < len(part.entries); i, n = i+s.opt.SitemapURLs, n+1 {
			page := part.entries[i:min(i+s.opt.SitemapURLs, len(part.entries))]
			if err := add(part.kind+"-"+strconv.Itoa(n)+".xml", page); err != nil {
				return nil, err
			}
		}
	}
	b, err := encodeXML(index)
	if err != nil {
		return nil, err
	}
	m.index = b
	return m, nil
}

func (s *Service) urlSet(entries []entry) ([]byte, error) {
	set := xmlURLSet{NS: sitemapNS, URLs: make([]xmlURL, len(entries))}
	for i, e := range entries {
		set.URLs[i] = xmlURL{Loc: s.origin + e.path, LastMod: lastMod(e.modified)}
	}
	return encodeXML(set)
}

func encodeXML(v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", " ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("seo: sitemap: %w", err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// lastMod is a sitemap's date and time (W3C), "" for the zero time.
func lastMod(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func newest(entries []entry) time.Time {
	var t time.Time
	for _, e := range entries {
		t = later(t, e.modified)
	}
	return t
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
