package pgsearch_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"htxmarket/internal/platform/db"
	"htxmarket/internal/search"
	"htxmarket/internal/search/pgsearch"
)

// BenchmarkSearchHTTPQueries is one search of htxbench's search-rotating
// target at a time, engine only (no HTTP, no JSON), on the database
// htxbench filled (100,000 products of catalogtest with Vietnamese names),
// with the engine's result cache off. It runs only when
// HTX_SEARCH_BENCH_DSN names that database:
//
//	HTX_SEARCH_BENCH_DSN='postgres://postgres@127.0.0.1:5432/htxmarket_bench_precision?sslmode=disable' \
//	  go test ./internal/search/pgsearch -run '^$' -bench SearchHTTPQueries -cpuprofile cpu.out
//
// It reports the time of one search on average and the p95 and p99 of the
// queries' times (each the median of its runs).
func BenchmarkSearchHTTPQueries(b *testing.B) {
	e, qs := httpQueryEngine(b)
	ctx := context.Background()
	per := make([][]time.Duration, len(qs))
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		s := time.Now()
		if _, err := e.Search(ctx, qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
		per[i%len(qs)] = append(per[i%len(qs)], time.Since(s))
	}
	b.StopTimer()
	var med []time.Duration
	for _, ls := range per {
		if len(ls) > 0 {
			slices.Sort(ls)
			med = append(med, ls[len(ls)/2])
		}
	}
	slices.Sort(med)
	if len(med) > 0 {
		b.ReportMetric(float64(med[len(med)*95/100].Microseconds()), "p95-µs")
		b.ReportMetric(float64(med[len(med)*99/100].Microseconds()), "p99-µs")
	}
}

// TestSearchHTTPQueriesDigest writes, for every query of htxbench's
// search-rotating target, its total, loose count, dropped words, facets
// and page (IDs, how each matched, highlights) to the file
// HTX_SEARCH_DIGEST names, so that two versions of the engine can be
// compared query by query (diff). It runs only with HTX_SEARCH_BENCH_DSN
// and HTX_SEARCH_DIGEST.
func TestSearchHTTPQueriesDigest(t *testing.T) {
	out := os.Getenv("HTX_SEARCH_DIGEST")
	if out == "" {
		t.Skip("set HTX_SEARCH_DIGEST (and HTX_SEARCH_BENCH_DSN) to write the digest of htxbench's searches")
	}
	e, qs := httpQueryEngine(t)
	var b strings.Builder
	for _, q := range qs {
		for _, page := range []int{1, 3} {
			q.Page = page
			r, err := e.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%q %v stars=%d sort=%s page=%d: total %d loose %d dropped %v\n", q.Text, q.Provinces, q.MinStars, q.Sort, page,
				r.Total, r.Loose, r.Dropped)
			for _, name := range slices.Sorted(func(yield func(string) bool) {
				for k := range r.Facets {
					if !yield(k) {
						return
					}
				}
			}) {
				fmt.Fprintf(&b, "  facet %s:", name)
				for _, v := range r.Facets[name] {
					fmt.Fprintf(&b, " %s=%d", v.Value, v.Count)
				}
				b.WriteByte('\n')
			}
			for _, h := range r.Hits {
				fmt.Fprintf(&b, "  %s %s %s %v\n", h.ID, h.Match, h.Name, h.Highlights)
			}
			for _, a := range r.Alternatives {
				fmt.Fprintf(&b, "  alternative %q %d\n", a.Text, a.Total)
			}
		}
	}
	if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d queries, digest %x", len(qs), sha256.Sum256([]byte(b.String())))
}

// httpQueryEngine opens the engine on HTX_SEARCH_BENCH_DSN, with that
// database's synonyms and no result cache, loads its index, and returns
// htxbench's searches as validated queries.
func httpQueryEngine(tb testing.TB) (*pgsearch.Engine, []search.Query) {
	tb.Helper()
	dsn := os.Getenv("HTX_SEARCH_BENCH_DSN")
	if dsn == "" {
		tb.Skip("set HTX_SEARCH_BENCH_DSN to the database htxbench filled")
	}
	ctx := context.Background()
	d, err := db.Open(ctx, dsn, db.Options{MaxOpenConns: 4, MaxIdleConns: 4})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { d.Close() })
	groups, err := search.NewSynonymStore().List(ctx, d)
	if err != nil {
		tb.Fatal(err)
	}
	e := pgsearch.New(d, pgsearch.WithResultCache(0, 0))
	if err := e.SetSynonyms(ctx, groups); err != nil {
		tb.Fatal(err)
	}
	qs := httpQueries()
	// Load the index, and the page documents into the document cache, as
	// a server that has served a while holds them.
	for _, q := range qs {
		if _, err := e.Search(ctx, q); err != nil {
			tb.Fatal(err)
		}
	}
	return e, qs
}

// httpQueries are the 1,200 searches of htxbench's search-rotating target
// (cmd/htxbench/catalog.go, rotatingSearches), as the API validates them:
// the same words, in the same order, page 1 of 20.
func httpQueries() []search.Query {
	names := []string{"Nước mắm", "Chè Shan tuyết", "Trà xanh", "Cà phê Robusta", "Cà phê Arabica", "Bưởi da xanh",
		"Bưởi Năm Roi", "Vải thiều", "Mật ong rừng", "Mật ong bạc hà", "Gạo ST25", "Gạo nếp cái hoa vàng", "Khóm",
		"Đậu phộng rang", "Hạt điều rang muối", "Thanh long ruột đỏ", "Xoài cát", "Sâm Ngọc Linh", "Tinh dầu tràm",
		"Chiếu cói", "Gốm men lam", "Bánh tráng", "Kẹo dừa", "Tương bần", "Cá kho", "Cà pháo muối", "Mãng cầu",
		"Nem chua", "Miến dong", "Rượu cần"}
	villages := []string{"Phú Quốc", "Lục Ngạn", "Tân Cương", "Buôn Ma Thuột", "Cầu Đúc", "Bà Đen", "Chi Lăng",
		"Mộc Châu", "Đoan Hùng", "Hòa Lộc", "Bát Tràng", "Cát Hải", "Nam Ô", "Suối Giàng", "Mường Ảng", "Trà My",
		"Lý Sơn", "Chư Sê", "Tam Đường", "Vân Đồn", "Thanh Chương", "Hương Sơn", "Trùng Khánh", "Hàm Yên", "Sa Pa",
		"Bảo Lộc", "Cầu Đất", "U Minh"}
	provinces := []string{"ha-noi", "hue", "hai-phong", "da-nang", "ho-chi-minh", "can-tho", "lai-chau", "dien-bien",
		"son-la", "lang-son", "quang-ninh", "thanh-hoa", "nghe-an", "ha-tinh", "cao-bang", "tuyen-quang", "lao-cai",
		"thai-nguyen", "phu-tho", "bac-ninh", "hung-yen", "ninh-binh", "quang-tri", "quang-ngai", "gia-lai",
		"khanh-hoa", "lam-dong", "dak-lak", "dong-nai", "tay-ninh", "vinh-long", "dong-thap", "ca-mau", "an-giang"}
	r := rand.New(rand.NewPCG(3, 4))
	seen := map[string]bool{}
	var out []search.Query
	for len(out) < 1200 {
		p := names[r.IntN(len(names))]
		v := villages[r.IntN(len(villages))]
		ws := strings.Fields(p)
		q := search.Query{Sort: search.SortRelevance, Page: 1, PerPage: search.DefaultPerPage}
		switch r.IntN(6) {
		case 0:
			q.Text = ws[0]
		case 1:
			q.Text = strings.Join(ws[:min(2, len(ws))], " ")
		case 2:
			q.Text = strings.Join(ws[:min(2, len(ws))], " ") + " " + v
		case 3:
			w := []rune(strings.Join(ws[:min(2, len(ws))], " "))
			i := r.IntN(len(w))
			q.Text = string(w[:i+1]) + string(w[i:])
		case 4:
			q.Text = v
			q.Provinces = []string{provinces[r.IntN(len(provinces))]}
		case 5:
			q.Text = ws[0]
			q.MinStars = 3 + r.IntN(3)
			q.Sort = []string{search.SortPriceAsc, search.SortNewest, search.SortRelevance}[r.IntN(3)]
		}
		q.Text = strings.TrimSpace(q.Text)
		key := fmt.Sprintf("%+v", q)
		if !seen[key] {
			seen[key] = true
			out = append(out, q)
		}
	}
	return out
}
