package search_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/catalog"
	"htxmarket/internal/search"
)

// relevanceThreshold is the share of relevance queries that must pass.
const relevanceThreshold = 0.9

// TestRelevance runs realistic shopper queries over the sample catalog,
// each with the products (name prefixes) that must rank in the top N, and
// reports the share that pass.
func TestRelevance(t *testing.T) {
	env := apptest.New(t, nil)
	if _, err := env.Server.Catalog.Import(context.Background(), catalog.ImportRequest{CSV: bytes.NewReader(catalog.SampleCSV)}); err != nil {
		t.Fatal(err)
	}
	drain(t, env)
	queries := []struct {
		q    string
		top  int
		want []string
	}{
		{"nuoc mam", 10, []string{"Nước mắm Phú Quốc", "Nước mắm Phan Thiết", "Nước mắm Nam Ô"}},
		{"nước mắm phú quốc", 2, []string{"Nước mắm Phú Quốc"}},
		{"nuoc mamm phu quoc", 2, []string{"Nước mắm Phú Quốc"}},
		{"nuoc mam cat hai", 2, []string{"Nước mắm Cát Hải"}},
		{"ca phe", 8, []string{"Cà phê Buôn Ma Thuột", "Cà phê Robusta Gia Lai", "Cà phê Khe Sanh"}},
		{"cafe", 8, []string{"Cà phê Buôn Ma Thuột", "Cà phê Arabica Cầu Đất"}},
		{"cafe buon ma thuot", 2, []string{"Cà phê Buôn Ma Thuột"}},
		{"tra shan tuyet", 6, []string{"Chè Shan tuyết Hà Giang", "Chè Shan tuyết Suối Giàng"}},
		{"chè shan tuyết", 6, []string{"Chè Shan tuyết Tam Đường"}},
		{"trà tân cương", 2, []string{"Chè Tân Cương Thái Nguyên"}},
		{"bac giang", 5, []string{"Vải thiều Lục Ngạn", "Mỳ Chũ Bắc Giang"}},
		{"vai thieu", 3, []string{"Vải thiều Lục Ngạn", "Vải thiều Thanh Hà"}},
		{"vai thieu luc ngan", 1, []string{"Vải thiều Lục Ngạn"}},
		{"khom", 2, []string{"Khóm Cầu Đúc"}},
		{"dứa", 3, []string{"Khóm Cầu Đúc"}},
		{"thơm cầu đúc", 2, []string{"Khóm Cầu Đúc"}},
		{"mang cau", 3, []string{"Mãng cầu Bà Đen"}},
		{"na", 5, []string{"Na Chi Lăng", "Mãng cầu Bà Đen"}},
		{"buoi", 10, []string{"Bưởi Diễn", "Bưởi Năm Roi Phú Hữu", "Bưởi da xanh Bến Tre"}},
		{"buoi nam roi", 2, []string{"Bưởi Năm Roi Phú Hữu"}},
		{"banh pia", 3, []string{"Bánh pía sầu riêng Sóc Trăng"}},
		{"keo dua ben tre", 3, []string{"Kẹo dừa Bến Tre"}},
		{"mat ong", 6, []string{"Mật ong bạc hà Hà Giang", "Mật ong rừng U Minh"}},
		{"mật ong rưng u minh", 2, []string{"Mật ong rừng U Minh"}},
		{"sam ngoc linh", 3, []string{"Sâm Ngọc Linh tươi", "Sâm Ngọc Linh Kon Tum"}},
		{"gao st25", 2, []string{"Gạo ST25"}},
		{"duong thot not", 2, []string{"Đường thốt nốt An Giang"}},
		{"gom bat trang", 2, []string{"Bộ ấm chén gốm Bát Tràng"}},
		{"htx gom su bat trang", 3, []string{"Bộ ấm chén gốm Bát Tràng"}},
		{"yen sao", 2, []string{"Yến sào Khánh Hòa"}},
		{"tieu phu quoc", 3, []string{"Tiêu đen Phú Quốc"}},
		{"ho tieu", 5, []string{"Hồ tiêu Quảng Trị", "Hồ tiêu Chư Sê"}},
		{"ca kho", 3, []string{"Cá kho làng Vũ Đại"}},
		{"cá ngừ", 2, []string{"Cá ngừ đại dương Phú Yên"}},
		{"hat dieu", 2, []string{"Hạt điều rang muối Bình Phước"}},
		{"kien giang", 8, []string{"Nước mắm Phú Quốc"}},
		{"thai binh", 6, []string{"Bánh cáy Thái Bình"}},
		{"da lat", 8, []string{"Dâu tây Đà Lạt", "Trà atiso Đà Lạt"}},
		{"nem chua thanh hoa", 2, []string{"Nem chua Thanh Hóa"}},
		{"xoai cat hoa loc", 2, []string{"Xoài cát Hòa Lộc"}},
		{"sau rieng", 4, []string{"Sầu riêng Ri6 Đắk Lắk"}},
		{"thanh long", 4, []string{"Thanh long Bình Thuận", "Thanh long ruột đỏ Long An"}},
		{"hoa qua", 20, []string{"Bưởi Diễn"}},
		{"chieu coi", 3, []string{"Chiếu cói Nga Sơn"}},
	}
	pass := 0
	for _, tt := range queries {
		res, err := env.Server.Search.Search(context.Background(), search.Params{Text: tt.q, PerPage: search.MaxPerPage})
		if err != nil {
			t.Fatalf("%q: %v", tt.q, err)
		}
		ok := true
		for _, w := range tt.want {
			rank := -1
			for i, h := range res.Hits {
				if h.Name == w || (strings.HasPrefix(h.Name, w) && !strings.Contains(h.Name, " - ")) {
					rank = i
					break
				}
			}
			if rank < 0 || rank >= tt.top {
				ok = false
				var got []string
				for _, h := range res.Hits[:min(len(res.Hits), tt.top)] {
					got = append(got, h.Name)
				}
				t.Logf("MISS %q: %q at rank %d, want top %d; top: %q", tt.q, w, rank, tt.top, got)
			}
		}
		if ok {
			pass++
		}
	}
	share := float64(pass) / float64(len(queries))
	t.Logf("relevance: %d of %d queries pass (%.0f%%)", pass, len(queries), share*100)
	if share < relevanceThreshold {
		t.Errorf("relevance %.0f%% below %.0f%%", share*100, relevanceThreshold*100)
	}
}
