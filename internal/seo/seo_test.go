package seo_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"html"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/catalog"
	"htxmarket/internal/cooperative"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/db"
)

const origin = "https://cho.htx.example.vn"

var admin = &auth.Principal{UserID: uuid.New(), Roles: []auth.Role{auth.RoleAdmin}}

// site is a server with a verified cooperative and its products.
type site struct {
	env    *apptest.Env
	coop   cooperative.Cooperative
	honey  catalog.Product // active, with an image
	draft  catalog.Product
	hidden catalog.Product // active, of a cooperative not verified
}

func newSite(t *testing.T) *site {
	t.Helper()
	env := apptest.New(t, map[string]string{"PUBLIC_ORIGIN": origin})
	ctx := context.Background()
	s := &site{env: env, coop: newCoop(t, env, "HTX Ong mật U Minh", "ca-mau")}
	s.honey = newProduct(t, env, s.coop.Slug, "Mật ong rừng tràm", catalog.StatusActive, 130000)
	var err error
	s.honey, err = env.Server.Catalog.Update(ctx, admin, s.honey.Slug, catalog.ProductUpdate{
		Description: ptr("**Mật ong** rừng tràm U Minh, thu hoạch tháng 4.\n\nKhông pha đường.")})
	if err != nil {
		t.Fatal(err)
	}
	s.honey, err = env.Server.Catalog.AddImage(ctx, admin, s.honey.Slug, catalog.NewImage{Data: picture(t), Alt: "Hũ mật ong"})
	if err != nil {
		t.Fatal(err)
	}
	s.draft = newProduct(t, env, s.coop.Slug, "Sáp ong nháp", catalog.StatusDraft, 50000)
	pending := newCoop(t, env, "HTX Chờ duyệt", "ca-mau")
	s.hidden = newProduct(t, env, pending.Slug, "Mắm chờ duyệt", catalog.StatusActive, 90000)
	env.DB.MustExec(`UPDATE cooperatives SET status = 'pending' WHERE id = $1`, pending.ID)
	env.DB.MustExec(`UPDATE cooperatives SET logo_url = '/media/logos/u-minh.png', story = 'Hai mươi hộ nuôi ong
giữa rừng tràm.' WHERE id = $1`, s.coop.ID)
	return s
}

func newCoop(t *testing.T, env *apptest.Env, name, province string) cooperative.Cooperative {
	t.Helper()
	ctx := context.Background()
	var c cooperative.Cooperative
	err := db.InTx(ctx, env.DB, func(tx *sqlx.Tx) (err error) {
		c, err = env.Server.Cooperatives.Store().EnsureForImport(ctx, tx, name, province)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newProduct(t *testing.T, env *apptest.Env, coop, name string, status catalog.Status, price int64) catalog.Product {
	t.Helper()
	p, err := env.Server.Catalog.Create(context.Background(), admin, coop, catalog.NewProduct{
		Name: name, Group: "thuc-pham", Province: "ca-mau", Status: status,
		Variants: []catalog.NewVariant{{SKU: catalog.Slugify(name), Unit: "hũ", PriceVND: price, Stock: 5}},
	})
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	return p
}

func picture(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		for y := range 30 {
			img.Set(x, y, color.RGBA{R: 240, G: 180, B: 40, A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func ptr[T any](v T) *T { return &v }

// page is a page's HTML as a client without JavaScript gets it.
type page struct {
	status int
	header http.Header
	body   string
}

func get(t *testing.T, env *apptest.Env, target string, header ...string) page {
	t.Helper()
	req := httptest.NewRequest("GET", target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res := env.Client.Do(req)
	return page{status: res.Status, header: res.Header, body: string(res.Body)}
}

// meta returns the content of the meta tag whose property or name is key,
// unescaped, and whether there is one.
func (p page) meta(key string) (string, bool) {
	re := regexp.MustCompile(`<meta (?:property|name)="` + regexp.QuoteMeta(key) + `" content="([^"]*)"`)
	m := re.FindStringSubmatch(p.body)
	if m == nil {
		return "", false
	}
	return html.UnescapeString(m[1]), true
}

func (p page) title() string {
	m := regexp.MustCompile(`<title>([^<]*)</title>`).FindAllStringSubmatch(p.body, -1)
	if len(m) != 1 {
		return "<" + strings.Repeat("?", len(m)) + " titles>"
	}
	return html.UnescapeString(m[0][1])
}

func (p page) canonical() string {
	m := regexp.MustCompile(`<link rel="canonical" href="([^"]*)"`).FindStringSubmatch(p.body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// want checks the tags of a page that exists.
func (p page) want(t *testing.T, tags map[string]string) {
	t.Helper()
	if p.status != http.StatusOK {
		t.Fatalf("status %d, want 200", p.status)
	}
	if ct := p.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type %q", ct)
	}
	// The rest of index.html is as it was: the application still starts.
	for _, s := range []string{`<div id="root"></div>`, `src="/assets/app-abc.js"`, `<html lang="vi">`} {
		if !strings.Contains(p.body, s) {
			t.Errorf("the page lost %s:\n%s", s, p.body)
		}
	}
	if strings.Contains(p.body, "page-head") {
		t.Errorf("the markers are left in the page:\n%s", p.body)
	}
	for key, want := range tags {
		var got string
		switch key {
		case "title":
			got = p.title()
		case "canonical":
			got = p.canonical()
		default:
			var ok bool
			if got, ok = p.meta(key); !ok {
				t.Errorf("no %s in\n%s", key, p.body)
				continue
			}
		}
		if got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
}

func TestProductPageCarriesNamePriceAndImage(t *testing.T) {
	s := newSite(t)
	url := origin + "/san-pham/" + s.honey.Slug
	image := origin + s.honey.Images[0].MediumURL
	if !strings.HasPrefix(s.honey.Images[0].MediumURL, "/media/") {
		t.Fatalf("the image's medium URL is %q", s.honey.Images[0].MediumURL)
	}
	tags := map[string]string{
		"title":                  "Mật ong rừng tràm – HTX Market",
		"canonical":              url,
		"og:title":               "Mật ong rừng tràm",
		"og:url":                 url,
		"og:image":               image,
		"og:type":                "product",
		"og:locale":              "vi_VN",
		"og:site_name":           "HTX Market",
		"product:price:amount":   "130000",
		"product:price:currency": "VND",
		"description": "Giá từ 130.000 ₫ · HTX Ong mật U Minh, Cà Mau. " +
			"Mật ong rừng tràm U Minh, thu hoạch tháng 4. Không pha đường.",
	}
	tags["og:description"] = tags["description"]
	p := get(t, s.env, "/san-pham/"+s.honey.Slug)
	p.want(t, tags)
	if _, ok := p.meta("robots"); ok {
		t.Error("a product page asks robots not to index it")
	}

	// By ID, or with a trailing slash: the same page, whose canonical
	// address is the slug's.
	get(t, s.env, "/san-pham/"+s.honey.ID.String()).want(t, tags)
	get(t, s.env, "/san-pham/"+s.honey.Slug+"/").want(t, tags)

	// The browser asks again each time, and an unchanged page costs a 304.
	etag := p.header.Get("ETag")
	if p.header.Get("Cache-Control") != "no-cache" || etag == "" {
		t.Fatalf("Cache-Control %q, ETag %q", p.header.Get("Cache-Control"), etag)
	}
	if again := get(t, s.env, "/san-pham/"+s.honey.Slug, "If-None-Match", etag); again.status != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", again.status)
	}
	// A change to the product changes the page.
	if _, err := s.env.Server.Catalog.Update(context.Background(), admin, s.honey.Slug,
		catalog.ProductUpdate{Name: ptr("Mật ong rừng tràm U Minh")}); err != nil {
		t.Fatal(err)
	}
	changed := get(t, s.env, "/san-pham/"+s.honey.Slug, "If-None-Match", etag)
	if changed.status != http.StatusOK || changed.title() != "Mật ong rừng tràm U Minh – HTX Market" {
		t.Errorf("after a rename: status %d, title %q", changed.status, changed.title())
	}
}

func TestProductWithoutImageOrPriceGetsTheSiteImage(t *testing.T) {
	s := newSite(t)
	p := newProduct(t, s.env, s.coop.Slug, "Phấn hoa", catalog.StatusActive, 70000)
	get(t, s.env, "/san-pham/"+p.Slug).want(t, map[string]string{
		"og:image":        origin + "/og-image.png",
		"og:image:width":  "1200",
		"og:image:height": "630",
	})
}

func TestCooperativePage(t *testing.T) {
	s := newSite(t)
	url := origin + "/hop-tac-xa/" + s.coop.Slug
	tags := map[string]string{
		"title":        "HTX Ong mật U Minh – HTX Market",
		"canonical":    url,
		"og:title":     "HTX Ong mật U Minh",
		"og:url":       url,
		"og:type":      "website",
		"og:image":     origin + "/media/logos/u-minh.png",
		"og:locale":    "vi_VN",
		"og:site_name": "HTX Market",
		// One active product: the draft does not count.
		"description": "HTX Ong mật U Minh, Cà Mau – 1 sản phẩm trên HTX Market. Hai mươi hộ nuôi ong giữa rừng tràm.",
	}
	p := get(t, s.env, "/hop-tac-xa/"+s.coop.Slug)
	p.want(t, tags)
	if _, ok := p.meta("product:price:amount"); ok {
		t.Error("a storefront has a price")
	}

	// A logo given as an address elsewhere is used as it is; anything
	// else is not an image address.
	s.env.DB.MustExec(`UPDATE cooperatives SET logo_url = 'https://anh.example.vn/logo.jpg' WHERE id = $1`, s.coop.ID)
	get(t, s.env, "/hop-tac-xa/"+s.coop.Slug).want(t, map[string]string{"og:image": "https://anh.example.vn/logo.jpg"})
	s.env.DB.MustExec(`UPDATE cooperatives SET logo_url = 'javascript:alert(1)' WHERE id = $1`, s.coop.ID)
	get(t, s.env, "/hop-tac-xa/"+s.coop.Slug).want(t, map[string]string{"og:image": origin + "/og-image.png"})
}

func TestUnknownAndHiddenPagesAre404(t *testing.T) {
	s := newSite(t)
	archived := newProduct(t, s.env, s.coop.Slug, "Mật ong cũ", catalog.StatusActive, 120000)
	if _, err := s.env.Server.Catalog.Archive(context.Background(), admin, archived.Slug); err != nil {
		t.Fatal(err)
	}
	pending := newCoop(t, s.env, "HTX Chưa xác minh", "ca-mau")
	s.env.DB.MustExec(`UPDATE cooperatives SET status = 'pending' WHERE id = $1`, pending.ID)

	tests := []struct{ name, path, title string }{
		{"unknown product", "/san-pham/khong-co-san-pham-nay", "Không tìm thấy sản phẩm – HTX Market"},
		{"unknown product ID", "/san-pham/" + uuid.NewString(), "Không tìm thấy sản phẩm – HTX Market"},
		{"draft", "/san-pham/" + s.draft.Slug, "Không tìm thấy sản phẩm – HTX Market"},
		{"archived", "/san-pham/" + archived.Slug, "Không tìm thấy sản phẩm – HTX Market"},
		{"product of a cooperative not verified", "/san-pham/" + s.hidden.Slug, "Không tìm thấy sản phẩm – HTX Market"},
		{"unknown cooperative", "/hop-tac-xa/khong-co-htx-nay", "Không tìm thấy hợp tác xã – HTX Market"},
		{"cooperative not verified", "/hop-tac-xa/" + pending.Slug, "Không tìm thấy hợp tác xã – HTX Market"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := get(t, s.env, tt.path)
			if p.status != http.StatusNotFound {
				t.Fatalf("status %d, want 404", p.status)
			}
			// The application's HTML: it shows its not-found page.
			if !strings.Contains(p.body, `<div id="root"></div>`) || !strings.HasPrefix(p.header.Get("Content-Type"), "text/html") {
				t.Fatalf("not the application's page: %s\n%s", p.header.Get("Content-Type"), p.body)
			}
			if got := p.title(); got != tt.title {
				t.Errorf("title %q, want %q", got, tt.title)
			}
			if robots, _ := p.meta("robots"); robots != "noindex, follow" {
				t.Errorf("robots %q", robots)
			}
			if p.canonical() != "" || strings.Contains(p.body, "og:url") {
				t.Errorf("a missing page has an address:\n%s", p.body)
			}
			if strings.Contains(p.body, "Sáp ong") || strings.Contains(p.body, "Mắm") {
				t.Errorf("a hidden product's name is in the page:\n%s", p.body)
			}
		})
	}
}

func TestNamesAreEscaped(t *testing.T) {
	s := newSite(t)
	name := `Trà "Shan" <script>alert('x')</script> & cà phê`
	p := newProduct(t, s.env, s.coop.Slug, name, catalog.StatusActive, 45000)
	if _, err := s.env.Server.Catalog.Update(context.Background(), admin, p.Slug, catalog.ProductUpdate{
		Description: ptr(`"/><script>alert(2)</script> Trà <b>ngon</b>`)}); err != nil {
		t.Fatal(err)
	}
	page := get(t, s.env, "/san-pham/"+p.Slug)
	page.want(t, map[string]string{
		"title":    name + " – HTX Market",
		"og:title": name,
	})
	if strings.Contains(page.body, "<script>alert") || strings.Contains(page.body, `"Shan"`) || strings.Contains(page.body, `"/>`) {
		t.Errorf("a name or description is not escaped:\n%s", page.body)
	}
	if d, _ := page.meta("description"); strings.Contains(d, "<") {
		t.Errorf("description %q holds markup", d)
	}

	// A search query is text typed by anyone, and ends up in the title.
	q := `"><script>alert(3)</script>`
	sp := get(t, s.env, "/tim-kiem?q="+url.QueryEscape(q))
	sp.want(t, map[string]string{"title": "Tìm kiếm: " + q + " – HTX Market"})
	if strings.Contains(sp.body, "<script>alert") {
		t.Errorf("the query is not escaped:\n%s", sp.body)
	}
}

func TestListPages(t *testing.T) {
	s := newSite(t)
	tests := []struct {
		name, path string
		tags       map[string]string
		noindex    bool
	}{
		{"home", "/", map[string]string{
			"title": "Chợ sản phẩm hợp tác xã và OCOP Việt Nam – HTX Market", "canonical": origin + "/",
			"og:url": origin + "/", "og:image": origin + "/og-image.png", "og:type": "website", "og:locale": "vi_VN",
		}, false},
		{"directory", "/hop-tac-xa?province=ca-mau", map[string]string{
			"title": "Hợp tác xã – HTX Market", "canonical": origin + "/hop-tac-xa", "og:url": origin + "/hop-tac-xa",
		}, false},
		{"product list", "/san-pham", map[string]string{"title": "Sản phẩm – HTX Market"}, false},
		// Each search has its own title: pages are not kept by path alone.
		{"search", "/tim-kiem?q=m%E1%BA%ADt+ong", map[string]string{
			"title": "Tìm kiếm: mật ong – HTX Market", "og:title": "Tìm kiếm: mật ong",
			"canonical": origin + "/tim-kiem?q=m%E1%BA%ADt+ong",
		}, true},
		{"another search", "/tim-kiem?q=n%C6%B0%E1%BB%9Bc+m%E1%BA%AFm&page=2", map[string]string{
			"title": "Tìm kiếm: nước mắm – HTX Market",
		}, true},
		{"search without words", "/tim-kiem", map[string]string{"title": "Tìm kiếm sản phẩm – HTX Market"}, true},
		{"a page of the application", "/dang-nhap", map[string]string{
			"title": "Chợ sản phẩm hợp tác xã và OCOP Việt Nam – HTX Market", "canonical": origin + "/dang-nhap",
		}, false},
		{"a page robots stay out of", "/gio-hang", map[string]string{
			"title": "Chợ sản phẩm hợp tác xã và OCOP Việt Nam – HTX Market",
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := get(t, s.env, tt.path)
			p.want(t, tt.tags)
			robots, _ := p.meta("robots")
			if (robots == "noindex, follow") != tt.noindex {
				t.Errorf("robots %q", robots)
			}
			if d, _ := p.meta("description"); d == "" {
				t.Error("no description")
			}
		})
	}
}

func TestRobots(t *testing.T) {
	s := newSite(t)
	res := s.env.Client.Get("/robots.txt")
	body := string(res.Body)
	if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("status %d, %s", res.Status, res.Header.Get("Content-Type"))
	}
	for _, line := range []string{"User-agent: *", "Disallow: /api/", "Disallow: /quan-ly", "Disallow: /duyet-hop-tac-xa", "Disallow: /quan-tri",
		"Disallow: /tai-khoan", "Disallow: /gio-hang", "Disallow: /thanh-toan", "Disallow: /don-hang", "Allow: /",
		"Sitemap: " + origin + "/sitemap.xml"} {
		if !strings.Contains("\n"+body, "\n"+line+"\n") {
			t.Errorf("robots.txt has no line %q:\n%s", line, body)
		}
	}
}

type urlSet struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"url"`
}

type sitemapIndex struct {
	XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"sitemap"`
}

func TestSitemap(t *testing.T) {
	s := newSite(t)
	res := s.env.Client.Get("/sitemap.xml")
	if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/xml") {
		t.Fatalf("status %d, %s\n%s", res.Status, res.Header.Get("Content-Type"), res.Body)
	}
	var index sitemapIndex
	if err := xml.Unmarshal(res.Body, &index); err != nil {
		t.Fatalf("sitemap.xml is not a sitemap index: %v\n%s", err, res.Body)
	}
	lastmod := map[string]string{}
	for _, sm := range index.Sitemaps {
		path, ok := strings.CutPrefix(sm.Loc, origin)
		if !ok || sm.LastMod == "" {
			t.Fatalf("sitemap %q, lastmod %q", sm.Loc, sm.LastMod)
		}
		page := s.env.Client.Get(path)
		var set urlSet
		if page.Status != 200 {
			t.Fatalf("%s: status %d", path, page.Status)
		}
		if err := xml.Unmarshal(page.Body, &set); err != nil {
			t.Fatalf("%s is not a sitemap: %v\n%s", path, err, page.Body)
		}
		for _, u := range set.URLs {
			lastmod[u.Loc] = u.LastMod
		}
	}
	for _, want := range []string{origin + "/", origin + "/hop-tac-xa", origin + "/san-pham",
		origin + "/san-pham/" + s.honey.Slug, origin + "/hop-tac-xa/" + s.coop.Slug} {
		if lastmod[want] == "" {
			t.Errorf("the sitemap has no %s with its lastmod; it has %v", want, lastmod)
		}
	}
	for _, hidden := range []string{s.draft.Slug, s.hidden.Slug, "hop-tac-xa/htx-cho-duyet"} {
		for loc := range lastmod {
			if strings.HasSuffix(loc, "/"+hidden) {
				t.Errorf("the sitemap lists %s", loc)
			}
		}
	}
	if missing := s.env.Client.Get("/sitemap/products-9.xml"); missing.Status != 404 {
		t.Errorf("an unknown sitemap page: status %d", missing.Status)
	}
}

// TestIndexHTMLHasTheMarkers keeps frontend/index.html in step with the
// server, which writes each page's head between its markers.
func TestIndexHTMLHasTheMarkers(t *testing.T) {
	b, err := os.ReadFile("../../frontend/index.html")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start, end := strings.Index(s, "<!--page-head-->"), strings.Index(s, "<!--/page-head-->")
	if start < 0 || end < start {
		t.Fatalf("frontend/index.html has no <!--page-head--> … <!--/page-head--> around its default head tags")
	}
	if !strings.Contains(s[start:end], "<title>") || strings.Count(s, "<title>") != 1 {
		t.Errorf("the default <title> must be between the markers, and the only one")
	}
}
