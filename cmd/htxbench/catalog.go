package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"htxmarket/internal/app"
	"htxmarket/internal/catalog/catalogtest"
)

// Bench catalog size: the products and product targets run against this
// many generated products of benchCooperatives cooperatives.
const (
	benchProducts     = 100_000
	benchCooperatives = 1_000
)

// rotatingLists are 1,088 distinct list pages of the bench catalog: every
// province, group and sort, with and without a minimum OCOP rating.
func rotatingLists() []string {
	var out []string
	for _, stars := range []string{"", "&stars=4"} {
		for _, sort := range []string{"newest", "price_asc", "price_desc", "stars"} {
			for _, group := range benchGroups {
				for _, province := range benchProvinces {
					out = append(out, "/api/v1/products?province="+province+"&group="+group+"&sort="+sort+stars)
				}
			}
		}
	}
	return out
}

// rotatingSearchLists are the same 1,088 lists asked of the search API
// without words (the product list page's request: total and facets too).
func rotatingSearchLists() []string {
	lists := rotatingLists()
	out := make([]string, len(lists))
	for i, l := range lists {
		out[i] = "/api/v1/search?per_page=24&" + strings.TrimPrefix(l, "/api/v1/products?")
	}
	return out
}

// rotatingSearches are 1,200 distinct searches of the bench catalog's
// words: a product, a product and its village, a village, with a typo, with
// a province or a minimum rating, in several orders.
func rotatingSearches() []string {
	r := rand.New(rand.NewPCG(3, 4))
	seen := map[string]bool{}
	var out []string
	for len(out) < 1200 {
		p := benchNames[r.IntN(len(benchNames))]
		v := benchVillages[r.IntN(len(benchVillages))]
		ws := strings.Fields(p)
		var q string
		extra := ""
		switch r.IntN(6) {
		case 0:
			q = ws[0]
		case 1:
			q = strings.Join(ws[:min(2, len(ws))], " ")
		case 2:
			q = strings.Join(ws[:min(2, len(ws))], " ") + " " + v
		case 3:
			w := []rune(strings.Join(ws[:min(2, len(ws))], " "))
			i := r.IntN(len(w))
			q = string(w[:i+1]) + string(w[i:]) // a doubled letter
		case 4:
			q = v
			extra = "&province=" + benchProvinces[r.IntN(len(benchProvinces))]
		case 5:
			q = ws[0]
			extra = fmt.Sprintf("&stars=%d&sort=%s", 3+r.IntN(3), []string{"price_asc", "newest", "relevance"}[r.IntN(3)])
		}
		path := "/api/v1/search?q=" + url.QueryEscape(q) + extra
		if !seen[path] {
			seen[path] = true
			out = append(out, path)
		}
	}
	return out
}

// rotatingSuggestions are 90 prefixes of 2, 3 and 5 letters of the bench
// catalog's names and villages, as typed (without tones).
func rotatingSuggestions() []string {
	var words []string
	for _, s := range append(append([]string{}, benchNames...), benchVillages...) {
		words = append(words, fold(s))
		words = append(words, strings.Fields(fold(s))...)
	}
	seen := map[string]bool{}
	var out []string
	for _, n := range []int{2, 3, 5} {
		k := 0
		for _, w := range words {
			r := []rune(w)
			if len(r) < n || r[n-1] == ' ' || k == 30 {
				continue
			}
			p := string(r[:n])
			if !seen[p] {
				seen[p], k = true, k+1
				out = append(out, "/api/v1/search/suggest?q="+url.QueryEscape(p))
			}
		}
	}
	return out
}

// fold drops Vietnamese marks, as a shopper types on a phone.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if f, ok := folds[r]; ok {
			r = f
		}
		b.WriteRune(r)
	}
	return b.String()
}

var folds = func() map[rune]rune {
	m := map[rune]rune{'đ': 'd'}
	for base, set := range map[rune]string{
		'a': "àáảãạăằắẳẵặâầấẩẫậ", 'e': "èéẻẽẹêềếểễệ", 'i': "ìíỉĩị", 'o': "òóỏõọôồốổỗộơờớởỡợ",
		'u': "ùúủũụưừứửữự", 'y': "ỳýỷỹỵ",
	} {
		for _, r := range set {
			m[r] = base
		}
	}
	return m
}()

// The provinces and groups of catalogtest.GenerateCSV.
var (
	benchProvinces = []string{"ha-noi", "hue", "hai-phong", "da-nang", "ho-chi-minh", "can-tho", "lai-chau", "dien-bien",
		"son-la", "lang-son", "quang-ninh", "thanh-hoa", "nghe-an", "ha-tinh", "cao-bang", "tuyen-quang", "lao-cai",
		"thai-nguyen", "phu-tho", "bac-ninh", "hung-yen", "ninh-binh", "quang-tri", "quang-ngai", "gia-lai",
		"khanh-hoa", "lam-dong", "dak-lak", "dong-nai", "tay-ninh", "vinh-long", "dong-thap", "ca-mau", "an-giang"}
	benchGroups = []string{"thuc-pham", "do-uong", "duoc-lieu", "thu-cong-my-nghe"}
)

// The bench catalog's names: a product, a village and a packaging, so
// that searches and suggestions meet a Vietnamese vocabulary.
var (
	benchNames = []string{"Nước mắm", "Chè Shan tuyết", "Trà xanh", "Cà phê Robusta", "Cà phê Arabica", "Bưởi da xanh",
		"Bưởi Năm Roi", "Vải thiều", "Mật ong rừng", "Mật ong bạc hà", "Gạo ST25", "Gạo nếp cái hoa vàng", "Khóm",
		"Đậu phộng rang", "Hạt điều rang muối", "Thanh long ruột đỏ", "Xoài cát", "Sâm Ngọc Linh", "Tinh dầu tràm",
		"Chiếu cói", "Gốm men lam", "Bánh tráng", "Kẹo dừa", "Tương bần", "Cá kho", "Cà pháo muối", "Mãng cầu",
		"Nem chua", "Miến dong", "Rượu cần"}
	benchVillages = []string{"Phú Quốc", "Lục Ngạn", "Tân Cương", "Buôn Ma Thuột", "Cầu Đúc", "Bà Đen", "Chi Lăng",
		"Mộc Châu", "Đoan Hùng", "Hòa Lộc", "Bát Tràng", "Cát Hải", "Nam Ô", "Suối Giàng", "Mường Ảng", "Trà My",
		"Lý Sơn", "Chư Sê", "Tam Đường", "Vân Đồn", "Thanh Chương", "Hương Sơn", "Trùng Khánh", "Hàm Yên", "Sa Pa",
		"Bảo Lộc", "Cầu Đất", "U Minh"}
	benchPacks = []string{"", "", "loại 1", "đặc biệt", "hộp quà", "túi 500g", "chai 1 lít", "hữu cơ", "truyền thống"}
)

// benchName is the name of generated product i.
func benchName(i int) string {
	n, v := len(benchNames), len(benchVillages)
	return strings.TrimSpace(benchNames[i%n] + " " + benchVillages[(i/n)%v] + " " + benchPacks[(i/(n*v))%len(benchPacks)])
}

// generatedName is the name column of catalogtest.GenerateCSV's rows.
var generatedName = regexp.MustCompile(`,Sản phẩm thử nghiệm (\d+),`)

// benchCSV is catalogtest.GenerateCSV with Vietnamese product names.
func benchCSV() []byte {
	data := catalogtest.GenerateCSV(benchProducts, benchCooperatives)
	return generatedName.ReplaceAllFunc(data, func(m []byte) []byte {
		var i int
		fmt.Sscanf(string(generatedName.FindSubmatch(m)[1]), "%d", &i)
		return []byte("," + benchName(i) + ",")
	})
}

// ensureCatalog imports the generated catalog into the bench database
// unless it is there already, indexes it for search when the index lacks
// it, and refreshes the planner's statistics. It returns the slugs of
// 1,000 products spread over the catalog.
func ensureCatalog(ctx context.Context, d *sqlx.DB, srv *app.Server) ([]string, error) {
	var n int
	if err := d.GetContext(ctx, &n, `SELECT count(*) FROM products WHERE status = 'active'`); err != nil {
		return nil, fmt.Errorf("bench catalog: %w", err)
	}
	if n < benchProducts {
		// In files of 5,000 rows: an import step has a time limit.
		lines := bytes.SplitAfter(benchCSV(), []byte("\r\n"))
		header, rows := lines[0], slices.DeleteFunc(lines[1:], func(l []byte) bool { return len(l) == 0 })
		for chunk := range slices.Chunk(rows, 5000) {
			file := append(slices.Clone(header), bytes.Join(chunk, nil)...)
			if _, err := srv.ImportBenchCatalog(ctx, file); err != nil {
				return nil, fmt.Errorf("bench catalog: import: %w", err)
			}
		}
	}
	if _, err := srv.EnsureSearchIndex(ctx, benchProducts); err != nil {
		return nil, fmt.Errorf("bench catalog: search index: %w", err)
	}
	if _, err := d.ExecContext(ctx, `ANALYZE products; ANALYZE product_variants; ANALYZE cooperatives`); err != nil {
		return nil, fmt.Errorf("bench catalog: analyze: %w", err)
	}
	var slugs []string
	const q = `
SELECT slug FROM (SELECT slug, row_number() OVER (ORDER BY id) AS r FROM products WHERE status = 'active') p
WHERE r % 97 = 0
LIMIT 1000`
	if err := d.SelectContext(ctx, &slugs, q); err != nil || len(slugs) == 0 {
		return nil, fmt.Errorf("bench catalog: product slugs: %v (%d)", err, len(slugs))
	}
	return slugs, nil
}
