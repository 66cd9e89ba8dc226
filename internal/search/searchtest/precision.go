package searchtest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"htxmarket/internal/search"
)

// The precision fixture: products whose words fold onto one another
// (cá, cà, cả; dừa, dứa, dưa; nấm, năm, nam; mắm, măng; chè, chế; trà,
// tra, trả, tráng, tròn) and places, for the precision cases.
var (
	pCaKho     = pid(1)
	pCaPhao    = pid(2)
	pVitCo     = pid(3)
	pCaPhe     = pid(4)
	pKeoDua    = pid(5)
	pDuaXiem   = pid(6)
	pKhom      = pid(7)
	pDuaDG     = pid(8)
	pDuaHau    = pid(9)
	pDuaCai    = pid(10)
	pGaoThom   = pid(11)
	pNamLinh   = pid(12)
	pNamRom    = pid(13)
	pNepCai    = pid(14)
	pMamTom    = pid(15)
	pNuocMam   = pid(16)
	pCheShan   = pid(17)
	pCheThai   = pid(18)
	pMutGung   = pid(19)
	pTraAtiso  = pid(20)
	pCaTra     = pid(21)
	pBanhTrang = pid(22)
	pXoaiTron  = pid(23)
	pBuoiNam   = pid(24)
	pMangKho   = pid(25)
	pSam       = pid(26)
)

func pid(n int) uuid.UUID {
	return uuid.MustParse(fmt.Sprintf("00000000-0000-7000-8000-0000000001%02x", n))
}

// PrecisionDocuments returns the precision fixture.
func PrecisionDocuments() []search.Document {
	type place struct {
		slug, name string
		former     []string
	}
	var (
		ninhBinh   = place{"ninh-binh", "Ninh Bình", []string{"Hà Nam", "Nam Định"}}
		ngheAn     = place{"nghe-an", "Nghệ An", nil}
		haNoi      = place{"ha-noi", "Hà Nội", nil}
		dakLak     = place{"dak-lak", "Đắk Lắk", []string{"Phú Yên"}}
		vinhLong   = place{"vinh-long", "Vĩnh Long", []string{"Bến Tre"}}
		canTho     = place{"can-tho", "Cần Thơ", []string{"Hậu Giang"}}
		tayNinh    = place{"tay-ninh", "Tây Ninh", []string{"Long An"}}
		bacNinh    = place{"bac-ninh", "Bắc Ninh", []string{"Bắc Giang"}}
		lamDong    = place{"lam-dong", "Lâm Đồng", []string{"Đắk Nông", "Bình Thuận"}}
		dongThap   = place{"dong-thap", "Đồng Tháp", []string{"Tiền Giang"}}
		thanhHoa   = place{"thanh-hoa", "Thanh Hóa", nil}
		anGiang    = place{"an-giang", "An Giang", []string{"Kiên Giang"}}
		tuyenQuang = place{"tuyen-quang", "Tuyên Quang", []string{"Hà Giang"}}
		thaiNguyen = place{"thai-nguyen", "Thái Nguyên", []string{"Bắc Kạn"}}
		caoBang    = place{"cao-bang", "Cao Bằng", nil}
		sonLa      = place{"son-la", "Sơn La", nil}
		quangNgai  = place{"quang-ngai", "Quảng Ngãi", []string{"Kon Tum"}}
	)
	specs := []struct {
		id         uuid.UUID
		name       string
		keywords   []string
		desc, coop string
		p          place
		group      string
		stars      int
		price      int64
	}{
		{pCaKho, "Cá kho làng Vũ Đại", []string{"cá kho"}, "Cá trắm kho niêu đất.", "HTX Làng Vũ Đại", ninhBinh, "thuc-pham", 4, 350000},
		{pCaPhao, "Cà pháo muối", []string{"cà muối"}, "Cà pháo muối xổi giòn.", "HTX Rau quả Diễn Châu", ngheAn, "thuc-pham", 3, 30000},
		{pVitCo, "Vịt cỏ Vân Đình nguyên cả con", []string{"vịt"}, "Vịt cỏ nuôi thả đồng.", "HTX Chăn nuôi Vân Đình", haNoi, "thuc-pham", 3, 250000},
		{pCaPhe, "Cà phê Robusta Buôn Ma Thuột", []string{"cà phê", "robusta"}, "Rang xay nguyên chất.", "HTX Ea Tu", dakLak, "do-uong", 4, 180000},
		{pKeoDua, "Kẹo dừa Bến Tre", []string{"dừa", "kẹo"}, "Kẹo làm từ nước cốt dừa.", "HTX Kẹo Mỏ Cày", vinhLong, "thuc-pham", 4, 40000},
		{pDuaXiem, "Dừa xiêm Bến Tre", []string{"dừa", "trái cây"}, "Nước ngọt mát.", "HTX Dừa Chợ Lách", vinhLong, "thuc-pham", 3, 15000},
		{pKhom, "Khóm Cầu Đúc", []string{"trái cây"}, "Khóm ngọt thanh.", "HTX Khóm Cầu Đúc", canTho, "thuc-pham", 3, 25000},
		{pDuaDG, "Dứa Đồng Giao", []string{"trái cây"}, "Dứa chín vàng.", "HTX Nông sản Tam Điệp", ninhBinh, "thuc-pham", 3, 20000},
		{pDuaHau, "Dưa hấu Long An", []string{"trái cây"}, "Ruột đỏ, vỏ mỏng.", "HTX Dưa hấu Đức Hòa", tayNinh, "thuc-pham", 3, 18000},
		{pDuaCai, "Dưa cải muối chua", []string{"dưa muối"}, "Muối theo lối nhà quê.", "HTX Rau sạch Việt Yên", bacNinh, "thuc-pham", 0, 35000},
		{pGaoThom, "Gạo Nàng thơm Chợ Đào", []string{"gạo"}, "Hạt dài, cơm mềm.", "HTX Lúa gạo Cần Đước", tayNinh, "thuc-pham", 4, 30000},
		{pNamLinh, "Nấm linh chi đỏ", []string{"nấm"}, "Sấy lạnh, thái lát.", "HTX Nấm Lâm Hà", lamDong, "duoc-lieu", 4, 600000},
		{pNamRom, "Nấm rơm sấy khô", []string{"nấm"}, "Nấm rơm nhà trồng.", "HTX Nấm Tháp Mười", dongThap, "thuc-pham", 3, 120000},
		{pNepCai, "Gạo nếp cái hoa vàng", []string{"gạo nếp"}, "Đồ xôi dẻo thơm.", "HTX Nếp Hải Hậu", ninhBinh, "thuc-pham", 4, 45000},
		{pMamTom, "Mắm tôm Thanh Hóa", []string{"mắm"}, "Tôm tươi ủ chượp.", "HTX Hải sản Hậu Lộc", thanhHoa, "thuc-pham", 3, 50000},
		{pNuocMam, "Nước mắm Phú Quốc", []string{"nước mắm"}, "Cá cơm ủ chượp thùng gỗ.", "HTX Nước mắm Dương Đông", anGiang, "thuc-pham", 5, 120000},
		{pCheShan, "Chè Shan tuyết cổ thụ", []string{"chè"}, "Búp chè trên núi cao.", "HTX Lũng Phìn", tuyenQuang, "do-uong", 5, 250000},
		{pCheThai, "Chè Tân Cương Thái Nguyên", []string{"chè"}, "Móc câu đặc biệt.", "HTX Tân Cương", thaiNguyen, "do-uong", 5, 300000},
		{pMutGung, "Mứt gừng sấy dẻo", []string{"chế biến", "mứt"}, "Gừng non thái lát.", "HTX Gừng Hòa An", caoBang, "thuc-pham", 3, 60000},
		{pTraAtiso, "Trà atiso Đà Lạt", []string{"trà"}, "Bông atiso sấy khô.", "HTX Atiso Xuân Thọ", lamDong, "do-uong", 4, 150000},
		{pCaTra, "Cá tra phi lê", []string{"cá tra"}, "Phi lê cấp đông.", "HTX Thủy sản Châu Đốc", anGiang, "thuc-pham", 3, 90000},
		{pBanhTrang, "Bánh tráng Trảng Bàng", []string{"bánh tráng"}, "Đổi trả trong bảy ngày.", "HTX Bánh tráng Gia Lộc", tayNinh, "thuc-pham", 4, 25000},
		{pXoaiTron, "Xoài tròn Yên Châu", []string{"trái cây"}, "Xoài nhỏ, thơm ngọt.", "HTX Xoài Yên Châu", sonLa, "thuc-pham", 3, 40000},
		{pBuoiNam, "Bưởi Năm Roi", []string{"trái cây"}, "Múi ráo, không hạt.", "HTX Bưởi Bình Minh", vinhLong, "thuc-pham", 4, 45000},
		{pMangKho, "Măng khô Tây Bắc", []string{"măng"}, "Măng nứa phơi khô.", "HTX Măng Mộc Châu", sonLa, "thuc-pham", 3, 200000},
		{pSam, "Sâm Ngọc Linh", []string{"sâm"}, "Củ sâm bảy năm tuổi.", "HTX Sâm Tu Mơ Rông", quangNgai, "duoc-lieu", 5, 900000},
	}
	docs := make([]search.Document, len(specs))
	for i, s := range specs {
		docs[i] = search.Document{
			ID: s.id, Slug: fmt.Sprintf("p-%d", i+1), Name: s.name, Keywords: s.keywords, Description: s.desc,
			CooperativeID:   uuid.MustParse(fmt.Sprintf("00000000-0000-7000-9000-0000000001%02x", i+1)),
			CooperativeSlug: fmt.Sprintf("htx-p-%d", i+1), CooperativeName: s.coop,
			Province: s.p.slug, ProvinceName: s.p.name, FormerNames: nonNil(s.p.former),
			Group: s.group, Stars: s.stars, Certifications: []string{}, SeasonMonths: []int{},
			Price: s.price, Unit: "kg", InStock: true, CreatedAt: base.Add(time.Duration(i) * time.Hour),
		}
	}
	return docs
}

// PrecisionSynonyms are the seeded groups, thơm marked ambiguous.
func PrecisionSynonyms() []search.SynonymGroup {
	return []search.SynonymGroup{
		{ID: 1, Terms: []string{"chè", "trà"}},
		{ID: 2, Terms: []string{"cà phê", "cafe", "cafê"}},
		{ID: 3, Terms: []string{"dứa", "khóm", "thơm"}, Ambiguous: []string{"thơm"}},
		{ID: 4, Terms: []string{"na", "mãng cầu", "mãng cầu ta"}},
		{ID: 5, Terms: []string{"lạc", "đậu phộng"}},
		{ID: 6, Terms: []string{"ngô", "bắp"}},
		{ID: 7, Terms: []string{"hoa quả", "trái cây"}},
	}
}

// precisionCase is a query with the products it must find exactly (the
// total counts them and nothing else, and they come first), or, for a
// query that finds them only loosely, those loose hits.
type precisionCase struct {
	q     string
	exact []uuid.UUID
	loose []uuid.UUID // the total is then 0
	match string      // the loose hits' kind, when one
}

// PrecisionCases are the queries of the precision test.
var PrecisionCases = []precisionCase{
	// One toned word that folds onto others finds its own form only.
	{q: "cá", exact: ids_(pCaKho, pCaTra)},
	{q: "cà", exact: ids_(pCaPhao, pCaPhe)},
	{q: "cả", exact: ids_(pVitCo)},
	{q: "dừa", exact: ids_(pKeoDua, pDuaXiem)},
	{q: "Dừa", exact: ids_(pKeoDua, pDuaXiem)},
	{q: "dứa", exact: ids_(pDuaDG, pKhom)}, // khóm by synonym, not Gạo Nàng thơm
	{q: "dưa", exact: ids_(pDuaHau, pDuaCai)},
	{q: "khóm", exact: ids_(pKhom, pDuaDG)},
	{q: "thơm", exact: ids_(pGaoThom, pKhom, pDuaDG)}, // ambiguous: typed, it expands
	{q: "nấm", exact: ids_(pNamLinh, pNamRom)},
	{q: "chè", exact: ids_(pCheShan, pCheThai, pTraAtiso)},
	{q: "chế", exact: ids_(pMutGung)},
	{q: "trà", exact: ids_(pTraAtiso, pCheShan, pCheThai)},
	{q: "tráng", exact: ids_(pBanhTrang)},
	{q: "tròn", exact: ids_(pXoaiTron)},
	{q: "mắm", exact: ids_(pMamTom, pNuocMam)},
	{q: "măng", exact: ids_(pMangKho)},
	{q: "sâm", exact: ids_(pSam)},
	// Without tones, every form.
	{q: "dua", exact: ids_(pKeoDua, pDuaXiem, pDuaDG, pKhom, pDuaHau, pDuaCai)},
	{q: "tra", exact: ids_(pTraAtiso, pCheShan, pCheThai, pCaTra), loose: ids_(pBanhTrang), match: search.MatchDescription},
	// A wrong tone is a typo, tried when the exact word finds nothing:
	// the same letters with another tone first.
	{q: "nâm", loose: ids_(pNamLinh, pNamRom), match: search.MatchTypo},
	{q: "măm", loose: ids_(pMamTom, pNuocMam), match: search.MatchTypo},
	{q: "chẽ", loose: ids_(pCheShan, pCheThai), match: search.MatchTypo}, // chè, not chế (ê is a letter)
	// Only in a description: loose.
	{q: "trả", loose: ids_(pBanhTrang), match: search.MatchDescription},
	// Two-word products, mixed typing.
	{q: "năm roi", exact: ids_(pBuoiNam)},
	{q: "nước mắm", exact: ids_(pNuocMam)},
	{q: "nuoc mắm", exact: ids_(pNuocMam)},
	{q: "cà phê", exact: ids_(pCaPhe)},
	{q: "cá tra", exact: ids_(pCaTra)},
	{q: "kẹo dừa", exact: ids_(pKeoDua)},
	{q: "dừa xiêm", exact: ids_(pDuaXiem)},
	{q: "dưa hấu", exact: ids_(pDuaHau)},
	{q: "nấm rơm", exact: ids_(pNamRom)},
	{q: "gạo thơm", exact: ids_(pGaoThom)},
	{q: "trảng bàng", exact: ids_(pBanhTrang)},
	{q: "cafe", exact: ids_(pCaPhe)},
	// Place names, current and former.
	{q: "bến tre", exact: ids_(pKeoDua, pDuaXiem, pBuoiNam)},
	{q: "nam định", exact: ids_(pCaKho, pDuaDG, pNepCai)},
	{q: "đà lạt", exact: ids_(pTraAtiso)},
	{q: "phú quốc", exact: ids_(pNuocMam)},
	{q: "thái nguyên", exact: ids_(pCheThai)},
	{q: "hà giang", exact: ids_(pCheShan)},
	{q: "long an", exact: ids_(pDuaHau, pGaoThom, pBanhTrang)},
}

func ids_(ids ...uuid.UUID) []uuid.UUID { return ids }

// runPrecision checks every precision case on e, indexed with the
// precision fixture.
func runPrecision(t *testing.T, ctx context.Context, e search.Engine) {
	err := e.Rebuild(ctx, func(yield func(search.Document) error) error {
		for _, d := range PrecisionDocuments() {
			if err := yield(d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.SetSynonyms(ctx, PrecisionSynonyms()); err != nil {
		t.Fatal(err)
	}
	names := map[uuid.UUID]string{}
	for _, d := range PrecisionDocuments() {
		names[d.ID] = d.Name
	}
	label := func(ids []uuid.UUID) []string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = names[id]
		}
		return out
	}
	for _, tc := range PrecisionCases {
		res := run(t, ctx, e, search.Query{Text: tc.q, PerPage: 50})
		got := ids(res)
		n := len(tc.exact)
		if res.Total != n {
			t.Errorf("q=%q: total %d, want %d (%q); hits %q", tc.q, res.Total, n, label(tc.exact), names_(res))
			continue
		}
		if len(got) < n || !sameSet(got[:n], tc.exact) {
			t.Errorf("q=%q: first %d hits %q, want %q", tc.q, n, label(got[:min(n, len(got))]), label(tc.exact))
			continue
		}
		for _, h := range res.Hits[:n] {
			if h.Match != search.MatchExact {
				t.Errorf("q=%q: exact hit %q labelled %q", tc.q, h.Name, h.Match)
			}
		}
		rest := got[n:]
		if tc.loose == nil {
			continue
		}
		if res.Loose != len(tc.loose) || !sameSet(rest, tc.loose) {
			t.Errorf("q=%q: loose %d %q, want %q", tc.q, res.Loose, label(rest), label(tc.loose))
			continue
		}
		for _, h := range res.Hits[n:] {
			if h.Match != tc.match {
				t.Errorf("q=%q: loose hit %q labelled %q, want %q", tc.q, h.Name, h.Match, tc.match)
			}
		}
	}
}

func names_(res search.Result) []string { return names(res) }

func sameSet(a, b []uuid.UUID) bool {
	if len(a) != len(b) {
		return false
	}
	for _, id := range a {
		if !slices.Contains(b, id) {
			return false
		}
	}
	return true
}
