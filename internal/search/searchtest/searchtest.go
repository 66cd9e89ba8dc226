// Package searchtest is the contract every search.Engine keeps: one suite,
// run against the postgres engine always and the meili engine whenever
// MEILI_URL is set. It uses small hand-made documents, so it needs nothing
// but the engine under test.
//
// An engine must make a write (Upsert, Delete, SetSynonyms, Rebuild)
// visible to Search and Suggest by the time the call returns.
package searchtest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"

	"htxmarket/internal/search"
)

// Run runs the contract suite. newEngine returns an engine with an empty
// index and no synonyms; it is called once per subtest.
func Run(t *testing.T, newEngine func(t *testing.T) search.Engine) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEngine(t)
			ctx := context.Background()
			if err := e.Upsert(ctx, Documents()); err != nil {
				t.Fatalf("upsert fixture: %v", err)
			}
			if err := e.SetSynonyms(ctx, Synonyms()); err != nil {
				t.Fatalf("set synonyms: %v", err)
			}
			tc.run(t, ctx, e)
		})
	}
}

// IDs of the fixture's documents, by a short name.
var (
	idNuocMamPQ  = uuid.MustParse("00000000-0000-7000-8000-000000000001")
	idNuocMamPT  = uuid.MustParse("00000000-0000-7000-8000-000000000002")
	idCaPheBMT   = uuid.MustParse("00000000-0000-7000-8000-000000000003")
	idCheShan    = uuid.MustParse("00000000-0000-7000-8000-000000000004")
	idKhom       = uuid.MustParse("00000000-0000-7000-8000-000000000005")
	idMangCau    = uuid.MustParse("00000000-0000-7000-8000-000000000006")
	idDauPhong   = uuid.MustParse("00000000-0000-7000-8000-000000000007")
	idVaiThieu   = uuid.MustParse("00000000-0000-7000-8000-000000000008")
	idCaKho      = uuid.MustParse("00000000-0000-7000-8000-000000000009")
	idCaPhao     = uuid.MustParse("00000000-0000-7000-8000-00000000000a")
	idCaCao      = uuid.MustParse("00000000-0000-7000-8000-00000000000b")
	idMatOng     = uuid.MustParse("00000000-0000-7000-8000-00000000000c")
	idBapNep     = uuid.MustParse("00000000-0000-7000-8000-00000000000d")
	idDuongThotN = uuid.MustParse("00000000-0000-7000-8000-00000000000e")
)

var base = time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)

type docSpec struct {
	id                  uuid.UUID
	slug, name          string
	keywords            []string
	desc                string
	coopSlug, coopName  string
	province, provName  string
	former              []string
	group               string
	stars               int
	certs               []string
	season              []int
	price               int64
	unit                string
	inStock             bool
	ageDays             int // created base + ageDays
	coopIDLastHexDigits string
}

// Documents returns the fixture: fourteen products chosen for the traps of
// Vietnamese search (tones, đ, regional words, merged provinces).
func Documents() []search.Document {
	specs := []docSpec{
		{idNuocMamPQ, "nuoc-mam-phu-quoc", "Nước mắm Phú Quốc 40 độ đạm", []string{"nước mắm", "đặc sản"},
			"Nước mắm cá cơm ủ chượp trong thùng gỗ.", "htx-nuoc-mam-phu-quoc", "HTX Nước mắm Phú Quốc",
			"an-giang", "An Giang", []string{"Kiên Giang"}, "thuc-pham", 5, []string{"HACCP"}, nil, 120000, "chai 500ml", true, 1, "1"},
		{idNuocMamPT, "nuoc-mam-phan-thiet", "Nước mắm Phan Thiết", []string{"nước mắm"},
			"Nước mắm truyền thống Phan Thiết.", "htx-hai-san-phan-thiet", "HTX Hải sản Phan Thiết",
			"lam-dong", "Lâm Đồng", []string{"Đắk Nông", "Bình Thuận"}, "thuc-pham", 4, nil, nil, 90000, "chai 500ml", true, 2, "2"},
		{idCaPheBMT, "ca-phe-robusta-buon-ma-thuot", "Cà phê Robusta Buôn Ma Thuột", []string{"cà phê", "robusta"},
			"Cà phê rang xay nguyên chất.", "htx-ca-phe-ea-tu", "HTX Cà phê Ea Tu",
			"dak-lak", "Đắk Lắk", []string{"Phú Yên"}, "do-uong", 4, []string{"VietGAP"}, nil, 180000, "gói 500g", true, 3, "3"},
		{idCheShan, "che-shan-tuyet-ha-giang", "Chè Shan tuyết Hà Giang", []string{"chè", "shan tuyết"},
			"Chè cổ thụ trên núi cao.", "htx-che-shan-tuyet", "HTX Chè Shan tuyết Lũng Phìn",
			"tuyen-quang", "Tuyên Quang", []string{"Hà Giang"}, "do-uong", 5, []string{"Hữu cơ"}, nil, 250000, "hộp 200g", true, 4, "4"},
		{idKhom, "khom-cau-duc", "Khóm Cầu Đúc", []string{"trái cây"},
			"Khóm ngọt thanh của Hậu Giang.", "htx-khom-cau-duc", "HTX Khóm Cầu Đúc",
			"can-tho", "Cần Thơ", []string{"Sóc Trăng", "Hậu Giang"}, "thuc-pham", 3, []string{"VietGAP"}, []int{3, 4, 5, 6}, 25000, "quả", true, 5, "5"},
		{idMangCau, "mang-cau-ba-den", "Mãng cầu Bà Đen", []string{"trái cây"},
			"Mãng cầu ta trồng dưới chân núi Bà Đen.", "htx-mang-cau-ba-den", "HTX Mãng cầu Bà Đen",
			"tay-ninh", "Tây Ninh", []string{"Long An"}, "thuc-pham", 4, nil, []int{7, 8, 9}, 60000, "kg", true, 6, "6"},
		{idDauPhong, "dau-phong-rang-muoi", "Đậu phộng rang muối", []string{"hạt"},
			"Đậu phộng rang giòn với muối hột.", "htx-dong-thap-xanh", "HTX Đồng Tháp Xanh",
			"dong-thap", "Đồng Tháp", []string{"Tiền Giang"}, "thuc-pham", 0, nil, nil, 45000, "hũ 300g", false, 7, "7"},
		{idVaiThieu, "vai-thieu-luc-ngan", "Vải thiều Lục Ngạn", []string{"trái cây", "vải"},
			"Vải thiều chín đỏ mùa hè.", "htx-vai-thieu-luc-ngan", "HTX Vải thiều Lục Ngạn",
			"bac-ninh", "Bắc Ninh", []string{"Bắc Giang"}, "thuc-pham", 4, []string{"GlobalGAP"}, []int{6, 7}, 70000, "kg", true, 8, "8"},
		{idCaKho, "ca-kho-lang-vu-dai", "Cá kho làng Vũ Đại", []string{"cá kho"},
			"Cá trắm kho niêu đất.", "htx-vu-dai", "HTX Làng Vũ Đại",
			"ninh-binh", "Ninh Bình", []string{"Hà Nam", "Nam Định"}, "thuc-pham", 4, nil, nil, 350000, "niêu", true, 9, "9"},
		{idCaPhao, "ca-phao-muoi", "Cà pháo muối", []string{"dưa muối"},
			"Cà pháo muối xổi giòn.", "htx-ca-phao-nghe-an", "HTX Rau quả Nghệ An",
			"nghe-an", "Nghệ An", nil, "thuc-pham", 3, nil, nil, 30000, "hũ 500g", true, 10, "a"},
		{idCaCao, "ca-cao-ben-tre", "Ca cao Bến Tre", []string{"socola"},
			"Hạt ca cao lên men, hợp pha cùng cà phê.", "htx-ca-cao-ben-tre", "HTX Ca cao và Mật ong Chợ Lách",
			"vinh-long", "Vĩnh Long", []string{"Bến Tre", "Trà Vinh"}, "thuc-pham", 3, nil, nil, 150000, "gói 250g", true, 11, "b"},
		{idMatOng, "mat-ong-bac-ha", "Mật ong bạc hà", []string{"mật ong"},
			"Mật ong từ hoa bạc hà cao nguyên đá.", "htx-ong-meo-vac", "HTX Ong Mèo Vạc",
			"tuyen-quang", "Tuyên Quang", []string{"Hà Giang"}, "thuc-pham", 5, []string{"Hữu cơ"}, []int{10, 11, 12}, 400000, "chai 1 lít", true, 12, "c"},
		{idBapNep, "bap-nep-luoc", "Bắp nếp luộc", []string{"bắp"},
			"Bắp nếp dẻo thơm.", "htx-dong-thap-xanh", "HTX Đồng Tháp Xanh",
			"dong-thap", "Đồng Tháp", []string{"Tiền Giang"}, "thuc-pham", 0, nil, nil, 15000, "trái", true, 13, "7"},
		{idDuongThotN, "duong-thot-not", "Đường thốt nốt An Giang", []string{"đường"},
			"Đường thốt nốt nấu từ nhựa cây.", "htx-thot-not-tri-ton", "HTX Thốt nốt Tri Tôn",
			"an-giang", "An Giang", []string{"Kiên Giang"}, "thuc-pham", 4, nil, nil, 80000, "kg", true, 14, "e"},
	}
	docs := make([]search.Document, len(specs))
	for i, s := range specs {
		docs[i] = search.Document{
			ID: s.id, Slug: s.slug, Name: s.name, Keywords: nonNil(s.keywords), Description: s.desc,
			CooperativeID:   uuid.MustParse("00000000-0000-7000-9000-00000000000" + s.coopIDLastHexDigits),
			CooperativeSlug: s.coopSlug, CooperativeName: s.coopName,
			Province: s.province, ProvinceName: s.provName, FormerNames: nonNil(s.former),
			Group: s.group, Stars: s.stars, Certifications: nonNil(s.certs), SeasonMonths: nonNilInts(s.season),
			Price: s.price, Unit: s.unit, InStock: s.inStock,
			CreatedAt: base.Add(time.Duration(s.ageDays) * 24 * time.Hour),
		}
	}
	return docs
}

// Synonyms returns the groups the fixture relies on (a subset of the seeded
// ones).
func Synonyms() []search.SynonymGroup {
	return []search.SynonymGroup{
		{ID: 1, Terms: []string{"chè", "trà"}},
		{ID: 2, Terms: []string{"cà phê", "cafe", "cafê"}},
		{ID: 3, Terms: []string{"dứa", "khóm", "thơm"}},
		{ID: 4, Terms: []string{"na", "mãng cầu", "mãng cầu ta"}},
		{ID: 5, Terms: []string{"lạc", "đậu phộng"}},
		{ID: 6, Terms: []string{"ngô", "bắp"}},
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilInts(s []int) []int {
	if s == nil {
		return []int{}
	}
	return s
}

type testCase struct {
	name string
	run  func(t *testing.T, ctx context.Context, e search.Engine)
}

// search runs q and fails the test on error.
func run(t *testing.T, ctx context.Context, e search.Engine, q search.Query) search.Result {
	t.Helper()
	if q.Page == 0 {
		q.Page = 1
	}
	if q.PerPage == 0 {
		q.PerPage = 20
	}
	if q.Sort == "" {
		q.Sort = search.SortRelevance
	}
	res, err := e.Search(ctx, q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	return res
}

func ids(res search.Result) []uuid.UUID {
	out := make([]uuid.UUID, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	return out
}

func names(res search.Result) []string {
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.Name
	}
	return out
}

// rank is the 0-based position of id in res, or -1.
func rank(res search.Result, id uuid.UUID) int { return slices.Index(ids(res), id) }

// wantTop checks that id is among the first n hits of text.
func wantTop(t *testing.T, ctx context.Context, e search.Engine, text string, n int, id uuid.UUID) {
	t.Helper()
	res := run(t, ctx, e, search.Query{Text: text})
	if r := rank(res, id); r < 0 || r >= n {
		t.Errorf("q=%q: want %s in the top %d, got rank %d in %q", text, id, n, r, names(res))
	}
}

// wantNone checks that text finds nothing in the fixture.
func wantNone(t *testing.T, ctx context.Context, e search.Engine, text string) {
	t.Helper()
	res := run(t, ctx, e, search.Query{Text: text})
	if len(res.Hits) != 0 || res.Total != 0 {
		t.Errorf("q=%q: want no hits, got %d (%q)", text, res.Total, names(res))
	}
}

// wantDropped checks that text is answered without the words dropped,
// which match nothing.
func wantDropped(t *testing.T, ctx context.Context, e search.Engine, text string, dropped ...string) {
	t.Helper()
	res := run(t, ctx, e, search.Query{Text: text})
	if diff := cmp.Diff(dropped, res.Dropped, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("q=%q: dropped words (-want +got):\n%s\nhits: %q", text, diff, names(res))
	}
}

// wantSet checks that the hits of q are exactly want, in any order.
func wantSet(t *testing.T, ctx context.Context, e search.Engine, q search.Query, want ...uuid.UUID) {
	t.Helper()
	res := run(t, ctx, e, q)
	got := ids(res)
	slices.SortFunc(got, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
	slices.SortFunc(want, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("query %+v: hits (-want +got):\n%s\nnames: %q", q, diff, names(res))
	}
	if res.Total != len(want) {
		t.Errorf("query %+v: total %d, want %d", q, res.Total, len(want))
	}
}

var cases = []testCase{
	{"precision: tones typed are information, totals count real matches", func(t *testing.T, ctx context.Context, e search.Engine) {
		runPrecision(t, ctx, e)
	}},
	{"hit carries the whole document", func(t *testing.T, ctx context.Context, e search.Engine) {
		res := run(t, ctx, e, search.Query{Text: "nước mắm phú quốc"})
		if len(res.Hits) == 0 {
			t.Fatal("no hits")
		}
		want := Documents()[0]
		got := res.Hits[0].Document
		if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
			t.Errorf("first hit (-want +got):\n%s", diff)
		}
		if res.Engine != e.Name() {
			t.Errorf("engine %q, want %q", res.Engine, e.Name())
		}
		if res.Page != 1 || res.PerPage != 20 {
			t.Errorf("page %d per_page %d, want 1 and 20", res.Page, res.PerPage)
		}
	}},
	{"diacritics are optional", func(t *testing.T, ctx context.Context, e search.Engine) {
		for _, q := range []string{"nuoc mam phu quoc", "Nước Mắm Phú Quốc", "NUOC MAM PHU QUOC", "nước mắm phu quoc"} {
			wantTop(t, ctx, e, q, 1, idNuocMamPQ)
		}
		wantTop(t, ctx, e, "vai thieu", 1, idVaiThieu)
		wantTop(t, ctx, e, "mat ong", 1, idMatOng)
	}},
	{"đ folds to d", func(t *testing.T, ctx context.Context, e search.Engine) {
		wantTop(t, ctx, e, "duong thot not", 1, idDuongThotN)
		wantTop(t, ctx, e, "Đường thốt nốt", 1, idDuongThotN)
		wantTop(t, ctx, e, "dau phong", 1, idDauPhong)
		wantTop(t, ctx, e, "ĐẬU PHỘNG", 1, idDauPhong)
	}},
	{"tone-exact matches rank first", func(t *testing.T, ctx context.Context, e search.Engine) {
		// cá (fish), cà (aubergine), ca (cacao): typed with its tone, a word
		// ranks the products spelled that way above the others.
		for _, tt := range []struct {
			q      string
			first  uuid.UUID
			others []uuid.UUID
		}{
			{"cá", idCaKho, []uuid.UUID{idCaPhao, idCaCao}},
			{"cà pháo", idCaPhao, []uuid.UUID{idCaKho, idCaCao}},
			{"ca cao", idCaCao, []uuid.UUID{idCaKho, idCaPhao}},
		} {
			res := run(t, ctx, e, search.Query{Text: tt.q})
			r := rank(res, tt.first)
			if r < 0 {
				t.Errorf("q=%q: %s missing from %q", tt.q, tt.first, names(res))
				continue
			}
			for _, o := range tt.others {
				if ro := rank(res, o); ro >= 0 && ro < r {
					t.Errorf("q=%q: %s ranks above the tone-exact match: %q", tt.q, o, names(res))
				}
			}
		}
		// Without tones, every spelling is found.
		res := run(t, ctx, e, search.Query{Text: "ca"})
		for _, id := range []uuid.UUID{idCaKho, idCaPhao, idCaCao} {
			if rank(res, id) < 0 {
				t.Errorf("q=ca: %s missing from %q", id, names(res))
			}
		}
	}},
	{"typos are tolerated", func(t *testing.T, ctx context.Context, e search.Engine) {
		wantTop(t, ctx, e, "nuoc mamm", 2, idNuocMamPQ)
		wantTop(t, ctx, e, "robusa", 1, idCaPheBMT)
		wantTop(t, ctx, e, "vai thieeu", 1, idVaiThieu)
		wantTop(t, ctx, e, "shan tuyeet", 1, idCheShan)
	}},
	{"the last word matches as a prefix", func(t *testing.T, ctx context.Context, e search.Engine) {
		wantTop(t, ctx, e, "nuoc mam phu q", 1, idNuocMamPQ)
		wantTop(t, ctx, e, "vai th", 1, idVaiThieu)
		wantTop(t, ctx, e, "robu", 1, idCaPheBMT)
		wantTop(t, ctx, e, "mật o", 1, idMatOng)
	}},
	{"field weights: name above keywords, cooperative and description", func(t *testing.T, ctx context.Context, e search.Engine) {
		before := func(q string, first, second uuid.UUID) {
			t.Helper()
			res := run(t, ctx, e, search.Query{Text: q})
			r1, r2 := rank(res, first), rank(res, second)
			if r1 < 0 || r2 < 0 || r1 > r2 {
				t.Errorf("q=%q: want %s (rank %d) above %s (rank %d): %q", q, first, r1, second, r2, names(res))
			}
		}
		// In the name of one product, the description of another.
		before("ca phe", idCaPheBMT, idCaCao)
		// In the name of one product, the cooperative's name of another.
		before("mat ong", idMatOng, idCaCao)
		// Only in a description is still found.
		wantTop(t, ctx, e, "nhua cay", 1, idDuongThotN)
		// Only in the keywords is still found.
		wantTop(t, ctx, e, "socola", 1, idCaCao)
	}},
	{"cooperative and place names", func(t *testing.T, ctx context.Context, e search.Engine) {
		wantTop(t, ctx, e, "htx ong meo vac", 1, idMatOng)
		wantTop(t, ctx, e, "lung phin", 1, idCheShan)
		wantTop(t, ctx, e, "dak lak", 1, idCaPheBMT)
		// Former province names find the products of the province they
		// were merged into.
		wantTop(t, ctx, e, "bac giang", 1, idVaiThieu)
		wantTop(t, ctx, e, "ha giang", 2, idCheShan)
		wantTop(t, ctx, e, "ha giang", 2, idMatOng)
	}},
	{"synonyms apply in every direction", func(t *testing.T, ctx context.Context, e search.Engine) {
		wantTop(t, ctx, e, "trà shan tuyết", 1, idCheShan)
		wantTop(t, ctx, e, "tra", 1, idCheShan)
		wantTop(t, ctx, e, "cafe", 1, idCaPheBMT)
		wantTop(t, ctx, e, "cafe robusta", 1, idCaPheBMT)
		wantTop(t, ctx, e, "dứa", 1, idKhom)
		wantTop(t, ctx, e, "thom cau duc", 1, idKhom)
		wantTop(t, ctx, e, "na", 3, idMangCau)
		wantTop(t, ctx, e, "lạc rang muối", 1, idDauPhong)
		wantTop(t, ctx, e, "ngo nep", 1, idBapNep)
	}},
	{"synonyms are replaced by SetSynonyms", func(t *testing.T, ctx context.Context, e search.Engine) {
		if err := e.SetSynonyms(ctx, []search.SynonymGroup{{ID: 9, Terms: []string{"bơ", "avocado"}}}); err != nil {
			t.Fatal(err)
		}
		// ngô matches nothing now: nếp alone answers, and says so.
		wantDropped(t, ctx, e, "ngô nếp", "ngô")
		res := run(t, ctx, e, search.Query{Text: "cafe"})
		if rank(res, idCaPheBMT) >= 0 {
			t.Errorf("q=cafe after removing the group: still finds %q", names(res))
		}
	}},
	{"nothing matches nonsense", func(t *testing.T, ctx context.Context, e search.Engine) {
		wantNone(t, ctx, e, "xyzzyqwv")
		wantNone(t, ctx, e, "bánh pía sầu riêng")
	}},
	{"hostile text is just text", func(t *testing.T, ctx context.Context, e search.Engine) {
		for _, q := range []string{"%", "_", "%%%", "'", `"`, `\`, "' OR 1=1 --", "'; DROP TABLE products; --",
			"nuoc%mam", "a_b", "(", ")", "*", ":", "&|!", "<mark>", "\x00"} {
			if _, err := e.Search(ctx, search.Query{Text: q, Page: 1, PerPage: 20, Sort: search.SortRelevance}); err != nil {
				t.Errorf("q=%q: %v", q, err)
			}
		}
		// LIKE metacharacters are separators, not wildcards. (Text without
		// any word is the service's to refuse; an engine may treat it as no
		// text.)
		wantSet(t, ctx, e, search.Query{Text: "nuoc%mam_phu"}, idNuocMamPQ)
		if _, err := e.Suggest(ctx, "%_'\\", 8); err != nil {
			t.Errorf("suggest: %v", err)
		}
	}},
	{"filters", func(t *testing.T, ctx context.Context, e search.Engine) {
		all := search.Query{}
		wantSet(t, ctx, e, with(all, func(q *search.Query) { q.Provinces = []string{"an-giang"} }), idNuocMamPQ, idDuongThotN)
		wantSet(t, ctx, e, with(all, func(q *search.Query) { q.Provinces = []string{"an-giang", "bac-ninh"} }), idNuocMamPQ, idDuongThotN, idVaiThieu)
		wantSet(t, ctx, e, with(all, func(q *search.Query) { q.Groups = []string{"do-uong"} }), idCaPheBMT, idCheShan)
		wantSet(t, ctx, e, with(all, func(q *search.Query) { q.MinStars = 5 }), idNuocMamPQ, idCheShan, idMatOng)
		wantSet(t, ctx, e, with(all, func(q *search.Query) { q.Certification = "Hữu cơ" }), idCheShan, idMatOng)
		wantSet(t, ctx, e, with(all, func(q *search.Query) { q.Cooperative = "htx-dong-thap-xanh" }), idDauPhong, idBapNep)
		wantSet(t, ctx, e, with(all, func(q *search.Query) { q.MinPrice = 250000 }), idCheShan, idCaKho, idMatOng)
		wantSet(t, ctx, e, with(all, func(q *search.Query) { q.MaxPrice = 25000 }), idKhom, idBapNep)
		wantSet(t, ctx, e, with(all, func(q *search.Query) { q.MinPrice = 60000; q.MaxPrice = 80000 }), idMangCau, idVaiThieu, idDuongThotN)
		// In season in July: products with July in their months, and those
		// with no season (all year).
		inJuly := with(all, func(q *search.Query) { q.InSeason = 7; q.Groups = []string{"thuc-pham"}; q.MinStars = 4 })
		wantSet(t, ctx, e, inJuly, idNuocMamPQ, idNuocMamPT, idMangCau, idVaiThieu, idCaKho, idDuongThotN)
		// Filters combine with text.
		wantSet(t, ctx, e, search.Query{Text: "nuoc mam", Provinces: []string{"lam-dong"}}, idNuocMamPT)
		wantSet(t, ctx, e, search.Query{Text: "nuoc mam", MinStars: 5}, idNuocMamPQ)
		wantSet(t, ctx, e, search.Query{Text: "nuoc mam", Provinces: []string{"bac-ninh"}})
	}},
	{"in stock", func(t *testing.T, ctx context.Context, e search.Engine) {
		// Đậu phộng rang muối is the fixture's one product out of stock.
		inStock := search.Query{InStock: true, PerPage: 50}
		res := run(t, ctx, e, inStock)
		if res.Total != len(Documents())-1 || rank(res, idDauPhong) >= 0 {
			t.Errorf("in stock: total %d, want %d without Đậu phộng: %q", res.Total, len(Documents())-1, names(res))
		}
		for _, h := range res.Hits {
			if !h.InStock {
				t.Errorf("in stock: %q is not", h.Name)
			}
		}
		wantSet(t, ctx, e, search.Query{Cooperative: "htx-dong-thap-xanh", InStock: true}, idBapNep)
		wantSet(t, ctx, e, search.Query{Cooperative: "htx-dong-thap-xanh"}, idDauPhong, idBapNep)
		// With text: found without the filter, not with it.
		wantTop(t, ctx, e, "dau phong", 1, idDauPhong)
		wantSet(t, ctx, e, search.Query{Text: "dau phong", InStock: true})
		wantSet(t, ctx, e, search.Query{Text: "lac rang muoi", InStock: true})
		// The facets count only products in stock, those of a filter in
		// use too.
		res = run(t, ctx, e, search.Query{Provinces: []string{"dong-thap"}, InStock: true})
		wantFacet(t, res, "province", fv("an-giang", 2), fv("bac-ninh", 1), fv("can-tho", 1), fv("dak-lak", 1), fv("dong-thap", 1),
			fv("lam-dong", 1), fv("nghe-an", 1), fv("ninh-binh", 1), fv("tay-ninh", 1), fv("tuyen-quang", 2), fv("vinh-long", 1))
		wantFacet(t, res, "cooperative", fv("htx-dong-thap-xanh", 1))
		// A product back in stock is found at once.
		d := Documents()[6]
		d.InStock = true
		if err := e.Upsert(ctx, []search.Document{d}); err != nil {
			t.Fatal(err)
		}
		wantSet(t, ctx, e, search.Query{Text: "dau phong", InStock: true}, idDauPhong)
	}},
	{"facets count the filtered hits", func(t *testing.T, ctx context.Context, e search.Engine) {
		res := run(t, ctx, e, search.Query{Groups: []string{"thuc-pham"}, MinStars: 4})
		// thuc-pham with ≥4 stars: NuocMamPQ(an-giang,5,HACCP), NuocMamPT(lam-dong,4),
		// MangCau(tay-ninh,4), VaiThieu(bac-ninh,4,GlobalGAP), CaKho(ninh-binh,4),
		// MatOng(tuyen-quang,5,Hữu cơ), DuongThotN(an-giang,4).
		if res.Total != 7 {
			t.Fatalf("total %d, want 7: %q", res.Total, names(res))
		}
		wantFacets(t, res, search.Facets{
			"province": {fv("an-giang", 2), fv("bac-ninh", 1), fv("lam-dong", 1), fv("ninh-binh", 1), fv("tay-ninh", 1), fv("tuyen-quang", 1)},
			// The facets of the filters set count as if each were not:
			// groups of the products with ≥4 stars, stars of thuc-pham.
			"group":         {fv("do-uong", 2), fv("thuc-pham", 7)},
			"stars":         {fv("3", 3), fv("4", 5), fv("5", 2)},
			"certification": {fv("GlobalGAP", 1), fv("HACCP", 1), fv("Hữu cơ", 1)},
			"cooperative": {fv("htx-hai-san-phan-thiet", 1), fv("htx-mang-cau-ba-den", 1), fv("htx-nuoc-mam-phu-quoc", 1),
				fv("htx-ong-meo-vac", 1), fv("htx-thot-not-tri-ton", 1), fv("htx-vai-thieu-luc-ngan", 1), fv("htx-vu-dai", 1)},
		})
		// With text.
		res = run(t, ctx, e, search.Query{Text: "nuoc mam"})
		if diff := cmp.Diff([]search.FacetValue{{Value: "an-giang", Count: 1}, {Value: "lam-dong", Count: 1}},
			normalizeFacets(res.Facets)["province"]); diff != "" {
			t.Errorf("q=nuoc mam province facet (-want +got):\n%s", diff)
		}
	}},
	{"cooperative facet values carry the cooperative's name", func(t *testing.T, ctx context.Context, e search.Engine) {
		// Only the cooperative facet is labelled: the others' slugs are
		// names the frontend knows.
		res := run(t, ctx, e, search.Query{Provinces: []string{"dong-thap", "tuyen-quang"}, PerPage: 1})
		want := []search.FacetValue{
			{Value: "htx-che-shan-tuyet", Count: 1, Label: "HTX Chè Shan tuyết Lũng Phìn"},
			{Value: "htx-dong-thap-xanh", Count: 2, Label: "HTX Đồng Tháp Xanh"},
			{Value: "htx-ong-meo-vac", Count: 1, Label: "HTX Ong Mèo Vạc"},
		}
		// Labelled beyond the page's hits.
		if diff := cmp.Diff(want, normalizeFacets(res.Facets)["cooperative"]); diff != "" {
			t.Errorf("cooperative facet (-want +got):\n%s", diff)
		}
		for facet, vs := range res.Facets {
			for _, v := range vs {
				if facet != "cooperative" && v.Label != "" {
					t.Errorf("%s %s labelled %q", facet, v.Value, v.Label)
				}
			}
		}
		// With the cooperative chosen, the facet counts the others, and
		// names them too.
		res = run(t, ctx, e, search.Query{Text: "mat ong", Cooperative: "htx-ong-meo-vac"})
		want = []search.FacetValue{
			{Value: "htx-ca-cao-ben-tre", Count: 1, Label: "HTX Ca cao và Mật ong Chợ Lách"},
			{Value: "htx-ong-meo-vac", Count: 1, Label: "HTX Ong Mèo Vạc"},
		}
		if diff := cmp.Diff(want, normalizeFacets(res.Facets)["cooperative"]); diff != "" {
			t.Errorf("q=mat ong cooperative=htx-ong-meo-vac: cooperative facet (-want +got):\n%s", diff)
		}
	}},
	{"a chosen filter's facet still offers the other values", func(t *testing.T, ctx context.Context, e search.Engine) {
		// One province chosen: the province facet lists every province of
		// the products with ≥4 stars, so that a second can be added; the
		// other facets count the hits.
		res := run(t, ctx, e, search.Query{Provinces: []string{"an-giang"}, MinStars: 4})
		if diff := cmp.Diff([]uuid.UUID{idNuocMamPQ, idDuongThotN}, sortedIDs(res)); diff != "" {
			t.Errorf("hits (-want +got):\n%s", diff)
		}
		if res.Total != 2 {
			t.Errorf("total %d, want 2", res.Total)
		}
		wantFacets(t, res, search.Facets{
			"province": {fv("an-giang", 2), fv("bac-ninh", 1), fv("dak-lak", 1), fv("lam-dong", 1), fv("ninh-binh", 1),
				fv("tay-ninh", 1), fv("tuyen-quang", 2)},
			"group":         {fv("thuc-pham", 2)},
			"stars":         {fv("4", 1), fv("5", 1)},
			"certification": {fv("HACCP", 1)},
			"cooperative":   {fv("htx-nuoc-mam-phu-quoc", 1), fv("htx-thot-not-tri-ton", 1)},
		})
		// Two provinces chosen: the same facet, the hits of both.
		res = run(t, ctx, e, search.Query{Provinces: []string{"an-giang", "bac-ninh"}})
		if res.Total != 3 {
			t.Errorf("two provinces: total %d, want 3: %q", res.Total, names(res))
		}
		wantFacet(t, res, "province", fv("an-giang", 2), fv("bac-ninh", 1), fv("can-tho", 1), fv("dak-lak", 1), fv("dong-thap", 2),
			fv("lam-dong", 1), fv("nghe-an", 1), fv("ninh-binh", 1), fv("tay-ninh", 1), fv("tuyen-quang", 2), fv("vinh-long", 1))
		wantFacet(t, res, "group", fv("thuc-pham", 3))
		// With text, the facet keeps the text.
		res = run(t, ctx, e, search.Query{Text: "nuoc mam", Provinces: []string{"lam-dong"}})
		if diff := cmp.Diff([]uuid.UUID{idNuocMamPT}, ids(res)); diff != "" {
			t.Errorf("q=nuoc mam province=lam-dong (-want +got):\n%s", diff)
		}
		wantFacet(t, res, "province", fv("an-giang", 1), fv("lam-dong", 1))
		// Each facet ignores its own filter only: nothing is both an-giang
		// and do-uong, yet each facet offers its way out.
		res = run(t, ctx, e, search.Query{Provinces: []string{"an-giang"}, Groups: []string{"do-uong"}})
		if res.Total != 0 || len(res.Hits) != 0 {
			t.Errorf("an-giang and do-uong: total %d, %q", res.Total, names(res))
		}
		wantFacets(t, res, search.Facets{
			"province": {fv("dak-lak", 1), fv("tuyen-quang", 1)},
			"group":    {fv("thuc-pham", 2)},
		})
		// Certification and cooperative: each facet counts over the other
		// filter.
		res = run(t, ctx, e, search.Query{Certification: "Hữu cơ", Cooperative: "htx-ong-meo-vac"})
		if diff := cmp.Diff([]uuid.UUID{idMatOng}, ids(res)); diff != "" {
			t.Errorf("Hữu cơ and htx-ong-meo-vac (-want +got):\n%s", diff)
		}
		wantFacet(t, res, "certification", fv("Hữu cơ", 1))
		wantFacet(t, res, "cooperative", fv("htx-che-shan-tuyet", 1), fv("htx-ong-meo-vac", 1))
		res = run(t, ctx, e, search.Query{Certification: "Hữu cơ"})
		wantFacet(t, res, "certification", fv("GlobalGAP", 1), fv("HACCP", 1), fv("Hữu cơ", 2), fv("VietGAP", 2))
		// Values stay ordered most frequent first.
		res = run(t, ctx, e, search.Query{Provinces: []string{"nghe-an"}})
		vs := res.Facets["province"]
		for i := 1; i < len(vs); i++ {
			if vs[i-1].Count < vs[i].Count {
				t.Errorf("province facet not by count: %+v", vs)
				break
			}
		}
	}},
	{"sorting", func(t *testing.T, ctx context.Context, e search.Engine) {
		q := search.Query{Groups: []string{"do-uong"}}
		check := func(sort string, want ...uuid.UUID) {
			t.Helper()
			res := run(t, ctx, e, with(q, func(q *search.Query) { q.Sort = sort }))
			if diff := cmp.Diff(want, ids(res)); diff != "" {
				t.Errorf("sort %s (-want +got):\n%s", sort, diff)
			}
		}
		check(search.SortPriceAsc, idCaPheBMT, idCheShan)
		check(search.SortPriceDesc, idCheShan, idCaPheBMT)
		check(search.SortNewest, idCheShan, idCaPheBMT)
		check(search.SortStars, idCheShan, idCaPheBMT)

		// Over the whole fixture, each order holds pairwise.
		for _, sort := range []string{search.SortPriceAsc, search.SortPriceDesc, search.SortNewest, search.SortStars} {
			res := run(t, ctx, e, search.Query{Sort: sort, PerPage: 50})
			if len(res.Hits) != len(Documents()) {
				t.Fatalf("sort %s: %d hits, want %d", sort, len(res.Hits), len(Documents()))
			}
			for i := 1; i < len(res.Hits); i++ {
				a, b := res.Hits[i-1], res.Hits[i]
				ok := true
				switch sort {
				case search.SortPriceAsc:
					ok = a.Price <= b.Price
				case search.SortPriceDesc:
					ok = a.Price >= b.Price
				case search.SortNewest:
					ok = !a.CreatedAt.Before(b.CreatedAt)
				case search.SortStars:
					ok = a.Stars >= b.Stars
				}
				if !ok {
					t.Errorf("sort %s: %q before %q", sort, a.Name, b.Name)
				}
			}
		}
		// Sorting by price keeps the text filter.
		res := run(t, ctx, e, search.Query{Text: "nuoc mam", Sort: search.SortPriceAsc})
		if diff := cmp.Diff([]uuid.UUID{idNuocMamPT, idNuocMamPQ}, ids(res)); diff != "" {
			t.Errorf("q=nuoc mam sort price_asc (-want +got):\n%s", diff)
		}
	}},
	{"pagination", func(t *testing.T, ctx context.Context, e search.Engine) {
		n := len(Documents())
		seen := map[uuid.UUID]bool{}
		for page := 1; page <= 5; page++ {
			res := run(t, ctx, e, search.Query{Sort: search.SortPriceAsc, Page: page, PerPage: 4})
			if res.Total != n {
				t.Errorf("page %d: total %d, want %d", page, res.Total, n)
			}
			if res.Page != page || res.PerPage != 4 {
				t.Errorf("page %d: got page %d per_page %d", page, res.Page, res.PerPage)
			}
			wantLen := min(4, max(0, n-(page-1)*4))
			if len(res.Hits) != wantLen {
				t.Errorf("page %d: %d hits, want %d", page, len(res.Hits), wantLen)
			}
			for _, h := range res.Hits {
				if seen[h.ID] {
					t.Errorf("page %d: %q seen on an earlier page", page, h.Name)
				}
				seen[h.ID] = true
			}
		}
		if len(seen) != n {
			t.Errorf("pages covered %d documents, want %d", len(seen), n)
		}
		// Relevance-ordered pages are stable too.
		p1 := run(t, ctx, e, search.Query{Text: "ca", Page: 1, PerPage: 2})
		p2 := run(t, ctx, e, search.Query{Text: "ca", Page: 2, PerPage: 2})
		for _, id := range ids(p2) {
			if rank(p1, id) >= 0 {
				t.Errorf("q=ca: %s on pages 1 and 2", id)
			}
		}
		// A page past the end is empty, with the total.
		res := run(t, ctx, e, search.Query{Page: 100, PerPage: 50})
		if len(res.Hits) != 0 || res.Total != n {
			t.Errorf("page 100: %d hits, total %d; want 0 and %d", len(res.Hits), res.Total, n)
		}
	}},
	{"deleted and replaced documents disappear", func(t *testing.T, ctx context.Context, e search.Engine) {
		if err := e.Delete(ctx, []uuid.UUID{idNuocMamPQ, uuid.New()}); err != nil {
			t.Fatal(err)
		}
		wantSet(t, ctx, e, search.Query{Text: "nuoc mam"}, idNuocMamPT)
		// Upsert replaces: the renamed product is found by its new name only.
		d := Documents()[1]
		d.Name, d.Keywords, d.Description = "Mắm tôm chua", []string{}, "Mắm tôm."
		if err := e.Upsert(ctx, []search.Document{d}); err != nil {
			t.Fatal(err)
		}
		wantDropped(t, ctx, e, "nuoc mam", "nuoc")
		wantTop(t, ctx, e, "mam tom chua", 1, idNuocMamPT)
		res := run(t, ctx, e, search.Query{PerPage: 50})
		if res.Total != len(Documents())-1 {
			t.Errorf("total %d after one delete, want %d", res.Total, len(Documents())-1)
		}
		// Deleting nothing is fine.
		if err := e.Delete(ctx, nil); err != nil {
			t.Errorf("delete nothing: %v", err)
		}
	}},
	{"rebuild replaces the index", func(t *testing.T, ctx context.Context, e search.Engine) {
		keep := Documents()[2:4]
		err := e.Rebuild(ctx, func(yield func(search.Document) error) error {
			for _, d := range keep {
				if err := yield(d); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		wantSet(t, ctx, e, search.Query{}, idCaPheBMT, idCheShan)
		wantTop(t, ctx, e, "tra", 1, idCheShan) // synonyms survive a rebuild
	}},
	{"suggest", func(t *testing.T, ctx context.Context, e search.Engine) {
		has := func(prefix, kind, slug string) {
			t.Helper()
			got, err := e.Suggest(ctx, prefix, 8)
			if err != nil {
				t.Fatalf("suggest %q: %v", prefix, err)
			}
			if len(got) > 8 {
				t.Errorf("suggest %q: %d suggestions, limit 8", prefix, len(got))
			}
			for _, s := range got {
				if s.Kind == kind && s.Slug == slug {
					return
				}
			}
			t.Errorf("suggest %q: want %s %s in %+v", prefix, kind, slug, got)
		}
		has("nuoc m", "product", "nuoc-mam-phu-quoc")
		has("Nước mắm P", "product", "nuoc-mam-phan-thiet")
		has("vai", "product", "vai-thieu-luc-ngan")
		has("htx ong", "cooperative", "htx-ong-meo-vac")
		// Shoppers type what follows the legal form "HTX".
		has("ong meo", "cooperative", "htx-ong-meo-vac")
		has("tuyen q", "province", "tuyen-quang")
		// A former province's name suggests the current province and its
		// products.
		has("bac giang", "province", "bac-ninh")
		has("bac giang", "product", "vai-thieu-luc-ngan")
		got, err := e.Suggest(ctx, "zzqx", 8)
		if err != nil || len(got) != 0 {
			t.Errorf("suggest zzqx: %v, %+v", err, got)
		}
		got, err = e.Suggest(ctx, "a", 3)
		if err != nil || len(got) > 3 {
			t.Errorf("suggest a limit 3: %v, %d", err, len(got))
		}
	}},
}

func fv(v string, n int) search.FacetValue { return search.FacetValue{Value: v, Count: n} }

// ignoreLabels leaves the labels of facet values out of a comparison.
var ignoreLabels = cmpopts.IgnoreFields(search.FacetValue{}, "Label")

// wantFacets compares the non-empty facets of res with want, values in
// any order, labels aside.
func wantFacets(t *testing.T, res search.Result, want search.Facets) {
	t.Helper()
	if diff := cmp.Diff(want, normalizeFacets(res.Facets), ignoreLabels); diff != "" {
		t.Errorf("facets (-want +got):\n%s", diff)
	}
}

// wantFacet compares one facet of res with want, values in any order,
// labels aside.
func wantFacet(t *testing.T, res search.Result, facet string, want ...search.FacetValue) {
	t.Helper()
	if diff := cmp.Diff(want, normalizeFacets(res.Facets)[facet], cmpopts.EquateEmpty(), ignoreLabels); diff != "" {
		t.Errorf("%s facet (-want +got):\n%s", facet, diff)
	}
}

// sortedIDs are the IDs of the hits of res in the fixture's order.
func sortedIDs(res search.Result) []uuid.UUID {
	out := ids(res)
	slices.SortFunc(out, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
	return out
}

func with(q search.Query, f func(*search.Query)) search.Query {
	f(&q)
	return q
}

// normalizeFacets sorts each facet's values and drops empty facets, so that
// engines may order values as they like.
func normalizeFacets(f search.Facets) search.Facets {
	out := search.Facets{}
	for k, vs := range f {
		if len(vs) == 0 {
			continue
		}
		vs = slices.Clone(vs)
		slices.SortFunc(vs, func(a, b search.FacetValue) int { return strings.Compare(a.Value, b.Value) })
		out[k] = vs
	}
	return out
}
