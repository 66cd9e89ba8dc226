package catalog_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/catalog"
	"htxmarket/internal/catalog/catalogtest"
	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/platform/web"
)

func newService(t testing.TB) (*catalog.Service, *sqlx.DB) {
	t.Helper()
	d := dbtest.New(t)
	return catalog.NewService(d, catalog.NewStore(), catalogtest.SQLCooperatives{DB: d}, geo.NewService(geo.NewStore(d))), d
}

func count(t testing.TB, d *sqlx.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.Get(&n, q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// tables counts what an import may change.
func tables(t testing.TB, d *sqlx.DB) string {
	return fmt.Sprintf("products=%d variants=%d cooperatives=%d outbox=%d",
		count(t, d, `SELECT count(*) FROM products`), count(t, d, `SELECT count(*) FROM product_variants`),
		count(t, d, `SELECT count(*) FROM cooperatives`), count(t, d, `SELECT count(*) FROM outbox WHERE topic = 'catalog.product.changed'`))
}

func TestImportSampleIsIdempotent(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()

	dry, err := s.Import(ctx, catalog.ImportRequest{CSV: bytes.NewReader(catalog.SampleCSV), DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	want := catalog.ImportReport{DryRun: true, Rows: 188, Created: 188, Products: 154, Cooperatives: 154, Errors: []catalog.RowError{}}
	if diff := cmp.Diff(want, dry); diff != "" {
		t.Fatalf("dry run (-want +got):\n%s", diff)
	}
	if got := tables(t, d); got != "products=0 variants=0 cooperatives=0 outbox=0" {
		t.Fatalf("dry run changed the database: %s", got)
	}

	rep, err := s.Import(ctx, catalog.ImportRequest{CSV: bytes.NewReader(catalog.SampleCSV)})
	if err != nil {
		t.Fatal(err)
	}
	want.DryRun, want.Applied = false, true
	if diff := cmp.Diff(want, rep); diff != "" {
		t.Fatalf("apply (-want +got):\n%s", diff)
	}
	if got := tables(t, d); got != "products=154 variants=188 cooperatives=154 outbox=154" {
		t.Fatalf("after import: %s", got)
	}
	if n := count(t, d, `SELECT count(*) FROM cooperatives WHERE status = 'verified'`); n != 154 {
		t.Errorf("%d verified cooperatives, want 154", n)
	}

	again, err := s.Import(ctx, catalog.ImportRequest{CSV: bytes.NewReader(catalog.SampleCSV)})
	if err != nil {
		t.Fatal(err)
	}
	want.Created, want.Updated = 0, 188
	if diff := cmp.Diff(want, again); diff != "" {
		t.Fatalf("second import (-want +got):\n%s", diff)
	}
	if got := tables(t, d); got != "products=154 variants=188 cooperatives=154 outbox=308" {
		t.Fatalf("after the second import: %s", got)
	}

	p, err := s.Get(ctx, nil, "buoi-dien")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Bưởi Diễn" || p.Province != "ha-noi" || p.OCOPStars != 3 || *p.PriceVND != 45000 ||
		len(p.Variants) != 1 || p.Variants[0].WholesaleMinQty != 20 || p.Variants[0].PriceTiers[0].UnitPriceVND != 38000 ||
		!strings.Contains(p.DescriptionHTML, "<p>Bưởi Diễn do HTX") {
		t.Fatalf("imported product: %+v", p)
	}
}

// csvOf builds a catalog CSV from the sample's header and lines.
func csvOf(lines ...string) string {
	return strings.Join(catalog.Columns, ",") + "\n" + strings.Join(lines, "\n") + "\n"
}

const goodLine = `buoi-dien,HTX Nông nghiệp Diễn,ha-noi,Bưởi Diễn,thuc-pham,kg,45000,20,38000,50,3,,"trái cây, bưởi",Bưởi ngon.`

func TestImportRefusesBadFiles(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	var many strings.Builder
	many.WriteString(strings.Join(catalog.Columns, ",") + "\n")
	for i := range 10_000 {
		price := "45000"
		if i == 6_789 {
			price = "45.000đ"
		}
		fmt.Fprintf(&many, "sku-%d,HTX Thử,ha-noi,Sản phẩm %d,thuc-pham,kg,%s,,,1,0,,,\n", i, i, price)
	}
	tests := []struct {
		name       string
		csv        string
		wantErr    error
		wantDetail string
		wantRows   []catalog.RowError
	}{
		{name: "wrong columns", csv: "sku,name,price\nx,y,1\n", wantErr: catalog.ErrBadCSV,
			wantDetail: "thiếu cột cooperative, province"},
		{name: "bad price", csv: csvOf(strings.Replace(goodLine, "45000", "bốn lăm nghìn", 1)),
			wantRows: []catalog.RowError{{Line: 2, Column: "price_vnd", Message: "giá phải là số nguyên không dấu chấm, dấu phẩy (ví dụ 45000), không phải “bốn lăm nghìn”"}}},
		{name: "unknown province", csv: csvOf(strings.Replace(goodLine, "ha-noi", "atlantis", 1)),
			wantRows: []catalog.RowError{{Line: 2, Column: "province", Message: "không tìm thấy tỉnh, thành phố “atlantis”"}}},
		{name: "several bad cells are all reported",
			csv: csvOf(goodLine, `x y,,ha-noi,,rau,kg,-5,20,,1,7,Không rõ,,`),
			wantRows: []catalog.RowError{
				{Line: 3, Column: "wholesale_price_vnd", Message: "cần cả số lượng sỉ tối thiểu và giá sỉ, hoặc bỏ trống cả hai"},
				{Line: 3, Column: "ocop_stars", Message: "số sao OCOP phải là 0 (không có), 3, 4 hoặc 5"},
				{Line: 3, Column: "name", Message: "tên sản phẩm không được để trống và tối đa 200 ký tự"},
				{Line: 3, Column: "group", Message: "nhóm sản phẩm OCOP phải là một trong: thuc-pham, do-uong, duoc-lieu, thu-cong-my-nghe, sinh-vat-canh, du-lich"},
				{Line: 3, Column: "certifications", Message: "chứng nhận “Không rõ” không được hỗ trợ; dùng: " + strings.Join(catalog.Certifications, ", ")},
				{Line: 3, Column: "sku", Message: "mã SKU gồm chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới (tối đa 64 ký tự)"},
				{Line: 3, Column: "price_vnd", Message: "giá phải là số đồng lớn hơn 0"},
				{Line: 3, Column: "cooperative", Message: "tên hợp tác xã không được để trống, tối đa 200 ký tự"},
			}},
		{name: "duplicate SKU", csv: csvOf(goodLine, goodLine),
			wantRows: []catalog.RowError{{Line: 3, Column: "sku", Message: "mã SKU “buoi-dien” của hợp tác xã này đã có ở dòng 2"}}},
		{name: "wrong number of cells", csv: csvOf(goodLine, "a,b,c"),
			wantRows: []catalog.RowError{{Line: 3, Message: "dòng có 3 cột, cần đúng 14 cột"}}},
		{name: "quote in the wrong place", csv: csvOf(goodLine, `a,"b"c,d`),
			wantRows: []catalog.RowError{{Line: 3, Message: "lỗi cú pháp CSV: dấu ngoặc kép không đúng chỗ (ô có dấu phẩy hoặc ngoặc kép phải được bao trong ngoặc kép, ngoặc kép bên trong viết thành \"\"); các dòng sau đó chưa được kiểm tra"}}},
		{name: "10,000 rows with one bad line", csv: many.String(),
			wantRows: []catalog.RowError{{Line: 6_791, Column: "price_vnd", Message: "giá phải là số nguyên không dấu chấm, dấu phẩy (ví dụ 45000), không phải “45.000đ”"}}},
		{name: "not UTF-8", csv: csvOf(goodLine, "sku-2,HTX N\xf4ng nghi\xeap,ha-noi,B\xfb\xfdi,thuc-pham,kg,1,,,1,0,,,"),
			wantErr: catalog.ErrBadCSV, wantDetail: "Tệp không được mã hoá UTF-8 (ký tự lỗi đầu tiên ở dòng 3)"},
		{name: "too large", csv: csvOf(goodLine) + strings.Repeat("#", catalog.MaxImportBytes),
			wantErr: catalog.ErrImportTooLarge, wantDetail: "tối đa 32 MB"},
		{name: "header only", csv: csvOf(), wantErr: catalog.ErrBadCSV, wantDetail: "không có sản phẩm nào"},
		{name: "empty", csv: "", wantErr: catalog.ErrBadCSV, wantDetail: "Tệp CSV trống"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, dry := range []bool{true, false} {
				rep, err := s.Import(ctx, catalog.ImportRequest{CSV: strings.NewReader(tt.csv), DryRun: dry})
				switch {
				case tt.wantErr != nil:
					var de *web.DetailError
					if !errors.Is(err, tt.wantErr) || !errors.As(err, &de) || !strings.Contains(de.Message, tt.wantDetail) {
						t.Fatalf("dry=%v: want %v with %q, got %v", dry, tt.wantErr, tt.wantDetail, err)
					}
				case dry && err != nil, !dry && !errors.Is(err, catalog.ErrImportRejected):
					t.Fatalf("dry=%v: error %v", dry, err)
				default:
					if diff := cmp.Diff(tt.wantRows, rep.Errors); diff != "" || rep.Applied || rep.ErrorCount != len(tt.wantRows) {
						t.Fatalf("dry=%v: row errors (-want +got):\n%s", dry, diff)
					}
				}
			}
			if got := tables(t, d); got != "products=0 variants=0 cooperatives=0 outbox=0" {
				t.Fatalf("a refused import changed the database: %s", got)
			}
		})
	}
}

func TestManagerImportOnlyTakesOwnRows(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	coop := catalogtest.NewCooperative(t, d, "HTX Nông nghiệp Diễn", "ha-noi", "verified")
	other := strings.Replace(strings.Replace(goodLine, "HTX Nông nghiệp Diễn", "HTX Khác", 1), "buoi-dien", "khac", 1)
	rep, err := s.Import(ctx, catalog.ImportRequest{CSV: strings.NewReader(csvOf(goodLine, other)), Cooperative: coop.Slug})
	if !errors.Is(err, catalog.ErrImportRejected) {
		t.Fatalf("want ErrImportRejected, got %v", err)
	}
	want := []catalog.RowError{{Line: 3, Column: "cooperative", Message: "dòng này thuộc “HTX Khác”, không phải hợp tác xã “HTX Nông nghiệp Diễn” đang nhập"}}
	if diff := cmp.Diff(want, rep.Errors); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	// Accents and case do not matter; the cooperative is not created again.
	own := strings.Replace(goodLine, "HTX Nông nghiệp Diễn", "htx nong nghiep dien", 1)
	rep, err = s.Import(ctx, catalog.ImportRequest{CSV: strings.NewReader(csvOf(own)), Cooperative: coop.ID.String()})
	if err != nil || rep.Created != 1 {
		t.Fatalf("own rows: %+v, %v", rep, err)
	}
	if got := tables(t, d); got != "products=1 variants=1 cooperatives=1 outbox=1" {
		t.Fatalf("after import: %s", got)
	}
}

func TestExportRoundTrip(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	if _, err := s.Import(ctx, catalog.ImportRequest{CSV: bytes.NewReader(catalog.SampleCSV)}); err != nil {
		t.Fatal(err)
	}
	var slug string
	if err := d.Get(&slug, `SELECT slug FROM cooperatives WHERE name = 'HTX Nông nghiệp Diễn'`); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := s.Export(ctx, nil, slug, &out); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, line := range strings.SplitAfter(string(catalog.SampleCSV), "\n") {
		if strings.Contains(line, ",HTX Nông nghiệp Diễn,") || strings.HasPrefix(line, "product,sku,") {
			want = append(want, line)
		}
	}
	// The export ends its lines with CRLF; the sample file with LF.
	if diff := cmp.Diff(strings.Join(want, ""), strings.ReplaceAll(out.String(), "\r\n", "\n")); diff != "" {
		t.Fatalf("export differs from the sample's lines (-want +got):\n%s", diff)
	}
	rep, err := s.Import(ctx, catalog.ImportRequest{CSV: &out, Cooperative: slug})
	if err != nil || rep.Updated != len(want)-1 || rep.Created != 0 {
		t.Fatalf("import of the export: %+v, %v", rep, err)
	}
}
