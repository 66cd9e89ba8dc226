package seo

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"htxmarket/internal/platform/web"
)

// The site's name, the end of every title and the og:site_name.
const (
	siteName    = "HTX Market"
	titleSuffix = " – " + siteName
)

// The default head: the home page's, and of any page the server knows
// nothing particular about (the application sets their titles itself).
const (
	defaultTitle       = "Chợ sản phẩm hợp tác xã và OCOP Việt Nam"
	defaultDescription = "Mua đặc sản, nông sản và sản phẩm OCOP trực tiếp từ các hợp tác xã trên cả nước: " +
		"giá của hợp tác xã, giao hàng tận nơi, thanh toán khi nhận hàng, chuyển khoản VietQR hoặc thẻ."
	// defaultImage is in frontend/public: 1200×630, the size link previews want.
	defaultImage       = "/og-image.png"
	defaultImageWidth  = 1200
	defaultImageHeight = 630
)

// Lengths that link previews and search results show.
const (
	maxDescription = 200 // runes
	maxQueryTitle  = 80  // runes of a search query in a title
)

// head is the content of one page's head.
type head struct {
	title       string // without the site's name
	description string
	path        string // canonical path and query; "" for none (a 404)
	image       string // absolute URL; "" for the site's image
	ogType      string // "website" unless set
	priceVND    int64  // a product's, 0 without one
	noindex     bool
	status      int
}

// Head returns the head of the page at path (web.PageHeads). Products and
// cooperatives that no visitor may see are 404: their address does not
// exist for the public, and the application shows its not-found page.
func (s *Service) Head(ctx context.Context, path string, query url.Values) (web.PageHead, error) {
	h, err := s.head(ctx, path, query)
	if err != nil {
		return web.PageHead{}, err
	}
	return web.PageHead{HTML: s.render(h), Status: h.status}, nil
}

func (s *Service) head(ctx context.Context, path string, query url.Values) (head, error) {
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	section, slug, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	switch {
	case path == "/":
		return head{title: defaultTitle, description: defaultDescription, path: "/"}, nil
	case section == "san-pham" && slug != "" && !strings.Contains(slug, "/"):
		return s.productHead(ctx, slug)
	case section == "hop-tac-xa" && slug != "" && !strings.Contains(slug, "/"):
		return s.cooperativeHead(ctx, slug)
	case path == "/san-pham":
		return head{title: "Sản phẩm", path: path,
			description: "Đặc sản, nông sản và sản phẩm OCOP của các hợp tác xã Việt Nam: lọc theo tỉnh, nhóm sản phẩm, số sao OCOP và giá."}, nil
	case path == "/hop-tac-xa":
		return head{title: "Hợp tác xã", path: path,
			description: "Các hợp tác xã đã được cán bộ xúc tiến thương mại xác minh, theo tỉnh, thành phố và nhóm sản phẩm."}, nil
	case path == "/tim-kiem":
		return searchHead(strings.TrimSpace(query.Get("q"))), nil
	case private(path):
		return head{title: defaultTitle, description: defaultDescription, noindex: true}, nil
	}
	return head{title: defaultTitle, description: defaultDescription, path: path}, nil
}

func (s *Service) productHead(ctx context.Context, slug string) (head, error) {
	p, err := s.products.Product(ctx, slug)
	if errors.Is(err, ErrNotFound) {
		return head{title: "Không tìm thấy sản phẩm", description: defaultDescription, noindex: true, status: 404}, nil
	}
	if err != nil {
		return head{}, fmt.Errorf("seo: product %q: %w", slug, err)
	}
	var facts []string
	if p.PriceVND > 0 {
		facts = append(facts, "Giá từ "+formatVND(p.PriceVND))
	}
	if origin := joinNonEmpty(", ", p.Cooperative, p.Province); origin != "" {
		facts = append(facts, origin)
	}
	lead := joinNonEmpty(" · ", facts...)
	if lead != "" {
		lead += ". "
	}
	return head{
		title:       p.Name,
		description: clip(lead+textOf(p.DescriptionHTML), maxDescription),
		path:        "/san-pham/" + url.PathEscape(p.Slug),
		image:       s.absolute(p.ImageURL),
		ogType:      "product",
		priceVND:    p.PriceVND,
	}, nil
}

func (s *Service) cooperativeHead(ctx context.Context, slug string) (head, error) {
	c, err := s.coops.Cooperative(ctx, slug)
	if errors.Is(err, ErrNotFound) {
		return head{title: "Không tìm thấy hợp tác xã", description: defaultDescription, noindex: true, status: 404}, nil
	}
	if err != nil {
		return head{}, fmt.Errorf("seo: cooperative %q: %w", slug, err)
	}
	lead := c.Name
	if c.Province != "" {
		lead += ", " + c.Province
	}
	if c.ProductCount > 0 {
		lead += fmt.Sprintf(" – %d sản phẩm trên HTX Market", c.ProductCount)
	}
	return head{
		title:       c.Name,
		description: clip(lead+". "+collapse(c.Story), maxDescription),
		path:        "/hop-tac-xa/" + url.PathEscape(c.Slug),
		image:       s.absolute(c.LogoURL),
	}, nil
}

// searchHead is a search page's: its title names the query, and search
// engines are asked not to index result pages (they are endless and
// repeat the product pages) but to follow their links.
func searchHead(q string) head {
	if q == "" {
		return head{title: "Tìm kiếm sản phẩm", description: defaultDescription, path: "/tim-kiem", noindex: true}
	}
	return head{
		title:       "Tìm kiếm: " + clip(q, maxQueryTitle),
		description: clip("Sản phẩm “"+q+"” của các hợp tác xã và chủ thể OCOP trên HTX Market.", maxDescription),
		path:        "/tim-kiem?" + url.Values{"q": {q}}.Encode(),
		noindex:     true,
	}
}

// render writes h as tags. Every value is escaped for an attribute or
// text: names, descriptions and queries are whatever people typed.
func (s *Service) render(h head) []byte {
	var b strings.Builder
	tag := func(format string, args ...any) {
		for i, a := range args {
			if v, ok := a.(string); ok {
				args[i] = html.EscapeString(v)
			}
		}
		b.WriteString("    ")
		fmt.Fprintf(&b, format, args...)
		b.WriteByte('\n')
	}
	ogType := h.ogType
	if ogType == "" {
		ogType = "website"
	}
	b.WriteString("<title>" + html.EscapeString(h.title+titleSuffix) + "</title>\n")
	tag(`<meta name="description" content="%s" />`, h.description)
	if h.noindex {
		tag(`<meta name="robots" content="noindex, follow" />`)
	}
	if h.path != "" {
		tag(`<link rel="canonical" href="%s" />`, s.origin+h.path)
	}
	tag(`<meta property="og:site_name" content="%s" />`, siteName)
	tag(`<meta property="og:locale" content="vi_VN" />`)
	tag(`<meta property="og:type" content="%s" />`, ogType)
	tag(`<meta property="og:title" content="%s" />`, h.title)
	tag(`<meta property="og:description" content="%s" />`, h.description)
	if h.path != "" {
		tag(`<meta property="og:url" content="%s" />`, s.origin+h.path)
	}
	if h.image != "" {
		tag(`<meta property="og:image" content="%s" />`, h.image)
	} else {
		tag(`<meta property="og:image" content="%s" />`, s.origin+defaultImage)
		tag(`<meta property="og:image:width" content="%d" />`, defaultImageWidth)
		tag(`<meta property="og:image:height" content="%d" />`, defaultImageHeight)
	}
	if h.priceVND > 0 {
		tag(`<meta property="product:price:amount" content="%d" />`, h.priceVND)
		tag(`<meta property="product:price:currency" content="VND" />`)
	}
	tag(`<meta name="twitter:card" content="summary_large_image" />`)
	return []byte(strings.TrimSuffix(b.String(), "\n"))
}

// absolute makes u, a path on this site or an absolute http(s) URL, an
// absolute URL; anything else is "" (the site's image is used).
func (s *Service) absolute(u string) string {
	switch {
	case strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//"):
		return s.origin + u
	case strings.HasPrefix(u, "https://"), strings.HasPrefix(u, "http://"):
		return u
	}
	return ""
}

var tagPattern = regexp.MustCompile(`<[^>]*>`)

// textOf is the text of sanitised HTML: tags dropped, entities decoded,
// white space collapsed.
func textOf(fragment string) string {
	return collapse(html.UnescapeString(tagPattern.ReplaceAllString(fragment, " ")))
}

// collapse turns every run of white space into one space.
func collapse(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

// clip shortens s to at most n runes, at a word boundary when there is
// one in its last part, ending with "…".
func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	cut := r[:n-1]
	if !unicode.IsSpace(r[n-1]) { // in a word: back to its start, unless that is far
		for i := len(cut) - 1; i > len(cut)*2/3; i-- {
			if unicode.IsSpace(cut[i]) {
				cut = cut[:i]
				break
			}
		}
	}
	return strings.TrimRight(string(cut), " ,.;:–-") + "…"
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// formatVND writes a price as Vietnamese shoppers read it: 130.000 ₫.
func formatVND(v int64) string {
	digits := strconv.FormatInt(v, 10)
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(d)
	}
	return b.String() + " ₫"
}
