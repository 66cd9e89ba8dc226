package catalog_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/catalog"
	"htxmarket/internal/catalog/catalogtest"
	"htxmarket/internal/platform/outbox"
)

// keyedCSV builds a catalog CSV with the product column first.
func keyedCSV(lines ...string) string {
	return strings.Join(catalog.ExportColumns, ",") + "\n" + strings.Join(lines, "\n") + "\n"
}

const (
	honeyBottle = `mat-ong-rung,MO-CHAI,HTX Mật ong,thai-nguyen,Mật ong rừng,thuc-pham,chai 500 ml,150000,10,130000,20,4,VietGAP,"mật ong, quà",Mật ong rừng Thái Nguyên.`
	honeyJar    = `mat-ong-rung,MO-HU,HTX Mật ong,thai-nguyen,Mật ong rừng,thuc-pham,hũ 1 kg,280000,,,0,4,VietGAP,"mật ong, quà",Mật ong rừng Thái Nguyên.`
	honeyBox    = `mat-ong-rung,MO-THUNG,HTX Mật ong,thai-nguyen,Mật ong rừng,thuc-pham,thùng 6 chai,840000,5,800000,3,4,VietGAP,"mật ong, quà",Mật ong rừng Thái Nguyên.`
	pollen      = `,PHAN-HOA,HTX Mật ong,thai-nguyen,Phấn hoa,thuc-pham,hũ,90000,,,8,0,,,`
)

// productOfSKU is the product a variant belongs to.
func productOfSKU(t testing.TB, d *sqlx.DB, sku string) (uuid.UUID, uuid.UUID) {
	t.Helper()
	var r struct {
		Product uuid.UUID `db:"product_id"`
		Variant uuid.UUID `db:"id"`
	}
	if err := d.Get(&r, `SELECT product_id, id FROM product_variants WHERE sku = $1`, sku); err != nil {
		t.Fatalf("variant %s: %v", sku, err)
	}
	return r.Product, r.Variant
}

// lastWrite is the latest updated_at of products and variants: an import
// that changes nothing leaves it.
func lastWrite(t testing.TB, d *sqlx.DB) string {
	t.Helper()
	var s string
	if err := d.Get(&s, `SELECT greatest((SELECT max(updated_at) FROM products), (SELECT max(updated_at) FROM product_variants))::text`); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestImportGroupsRowsIntoPackagings(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	file := keyedCSV(honeyBottle, honeyJar, pollen)
	rep, err := s.Import(ctx, catalog.ImportRequest{CSV: strings.NewReader(file)})
	if err != nil {
		t.Fatalf("%v %+v", err, rep.Errors)
	}
	want := catalog.ImportReport{Applied: true, Rows: 3, Created: 3, Products: 2, Cooperatives: 1, Errors: []catalog.RowError{}}
	if diff := cmp.Diff(want, rep); diff != "" {
		t.Fatalf("report (-want +got):\n%s", diff)
	}
	if got := tables(t, d); got != "products=2 variants=3 cooperatives=1 outbox=2" {
		t.Fatalf("after import: %s", got)
	}
	p, err := s.Get(ctx, nil, "mat-ong-rung")
	if err != nil {
		t.Fatal(err)
	}
	var units []string
	for _, v := range p.Variants {
		units = append(units, v.Unit)
	}
	if diff := cmp.Diff([]string{"chai 500 ml", "hũ 1 kg"}, units); diff != "" || *p.PriceVND != 150000 || p.OCOPStars != 4 {
		t.Fatalf("product %q: price %d, stars %d, packagings (-want +got):\n%s", p.Name, *p.PriceVND, p.OCOPStars, diff)
	}
	if p.Variants[0].PriceTiers[0] != (catalog.PriceTier{MinQty: 10, UnitPriceVND: 130000}) || len(p.Variants[1].PriceTiers) != 0 ||
		p.Variants[0].Stock != 20 || p.Variants[1].Stock != 0 {
		t.Fatalf("packagings keep their own tiers and stock: %+v", p.Variants)
	}
	pollenOf, _ := productOfSKU(t, d, "PHAN-HOA")
	if pollenOf == p.ID {
		t.Fatal("a row without a product key is a product of its own")
	}
	// One search document per product, with its range of prices.
	err = s.SearchDocuments(ctx, []uuid.UUID{p.ID, pollenOf}, func(docs []catalog.SearchDocument) error {
		got := map[string][2]int64{}
		for _, doc := range docs {
			got[doc.Slug] = [2]int64{doc.PriceVND, doc.PriceMaxVND}
		}
		if diff := cmp.Diff(map[string][2]int64{"mat-ong-rung": {150000, 280000}, "phan-hoa": {90000, 90000}}, got); diff != "" {
			t.Errorf("search documents' prices (-want +got):\n%s", diff)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Lists show one product with its range of prices.
	page, err := s.List(ctx, catalog.Filter{Sort: catalog.SortPriceAsc})
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, it := range page.Items {
		listed = append(listed, fmt.Sprintf("%s %d-%d", it.Slug, *it.PriceVND, *it.PriceMaxVND))
	}
	if diff := cmp.Diff([]string{"phan-hoa 90000-90000", "mat-ong-rung 150000-280000"}, listed); diff != "" {
		t.Errorf("list (-want +got):\n%s", diff)
	}

	// The same file again changes nothing; a third packaging of the key
	// alone joins the product.
	before := lastWrite(t, d)
	again, err := s.Import(ctx, catalog.ImportRequest{CSV: strings.NewReader(file)})
	if err != nil || again.Created != 0 || again.Updated != 3 || again.Products != 2 || again.Merged != 0 {
		t.Fatalf("again: %+v, %v", again, err)
	}
	if after := lastWrite(t, d); after != before {
		t.Fatalf("importing the same file again wrote rows (%s, then %s)", before, after)
	}
	if _, err := s.Import(ctx, catalog.ImportRequest{CSV: strings.NewReader(keyedCSV(honeyBox))}); err != nil {
		t.Fatal(err)
	}
	if boxOf, _ := productOfSKU(t, d, "MO-THUNG"); boxOf != p.ID {
		t.Fatal("a new packaging of an existing product key made another product")
	}
	if got := tables(t, d); got != "products=2 variants=4 cooperatives=1 outbox=5" {
		t.Fatalf("after the third packaging: %s", got)
	}
}

func TestImportReportsDisagreeingProductCells(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	jar := strings.Replace(strings.Replace(honeyJar, "Mật ong rừng,thuc", "Mật ong rừng - hũ,thuc", 1), ",0,4,", ",0,5,", 1)
	box := strings.Replace(honeyBox, "thai-nguyen", "lao-cai", 1)
	rep, err := s.Import(ctx, catalog.ImportRequest{CSV: strings.NewReader(keyedCSV(honeyBottle, jar, pollen, box))})
	if !errors.Is(err, catalog.ErrImportRejected) {
		t.Fatalf("want ErrImportRejected, got %v", err)
	}
	const same = "khác với dòng 2, cùng sản phẩm “mat-ong-rung”: các dòng của một sản phẩm là các cách đóng gói của nó, phải giống nhau ở cột "
	want := []catalog.RowError{
		{Line: 3, Column: "name", Message: same + "name"},
		{Line: 3, Column: "ocop_stars", Message: same + "ocop_stars"},
		{Line: 5, Column: "province", Message: same + "province"},
	}
	if diff := cmp.Diff(want, rep.Errors); diff != "" {
		t.Fatalf("row errors (-want +got):\n%s", diff)
	}
	bad := keyedCSV(strings.Replace(honeyBottle, "mat-ong-rung,", "mật ong,", 1))
	rep, err = s.Import(ctx, catalog.ImportRequest{CSV: strings.NewReader(bad)})
	if !errors.Is(err, catalog.ErrImportRejected) || len(rep.Errors) != 1 || rep.Errors[0].Column != "product" || rep.Errors[0].Line != 2 {
		t.Fatalf("a product key with spaces and accents: %+v, %v", rep.Errors, err)
	}
	if got := tables(t, d); got != "products=0 variants=0 cooperatives=0 outbox=0" {
		t.Fatalf("a refused import changed the database: %s", got)
	}
}

// TestImportWithoutProductColumn: the 14-column files of before import
// as they did: each row a product, even two of the same name.
func TestImportWithoutProductColumn(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	strip := func(line string) string { return line[strings.IndexByte(line, ',')+1:] }
	rep, err := s.Import(ctx, catalog.ImportRequest{CSV: strings.NewReader(csvOf(strip(honeyBottle), strip(honeyJar)))})
	if err != nil || rep.Created != 2 || rep.Products != 2 {
		t.Fatalf("%+v, %v", rep, err)
	}
	if got := tables(t, d); got != "products=2 variants=2 cooperatives=1 outbox=2" {
		t.Fatalf("after import: %s", got)
	}
	var slugs []string
	if err := d.Select(&slugs, `SELECT slug FROM products ORDER BY slug`); err != nil || strings.Join(slugs, " ") != "mat-ong-rung mat-ong-rung-2" {
		t.Fatalf("slugs %v, %v", slugs, err)
	}
}

// TestImportMergesProductsIntoPackagings: a product key over SKUs that are
// separate products moves their variants (IDs kept, so carts and orders
// stay valid) into the first one's product; the emptied product is
// archived, leaves the search index and its address leads to the other.
func TestImportMergesProductsIntoPackagings(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	strip := func(line string) string { return line[strings.IndexByte(line, ',')+1:] }
	boxed := strings.Replace(strip(honeyBox), "Mật ong rừng,", "Mật ong rừng - thùng 6 chai,", 1)
	boxed = strings.Replace(boxed, ",4,VietGAP,", ",5,,", 1)
	if _, err := s.Import(ctx, catalog.ImportRequest{CSV: strings.NewReader(csvOf(strip(honeyBottle), boxed))}); err != nil {
		t.Fatal(err)
	}
	bottleOf, bottle := productOfSKU(t, d, "MO-CHAI")
	boxOf, box := productOfSKU(t, d, "MO-THUNG")
	if bottleOf == boxOf {
		t.Fatal("the old file made one product")
	}
	d.MustExec(`INSERT INTO product_images (id, product_id, position, original_key, content_type, width, height, bytes, thumb_key, medium_key)
		VALUES ($1, $2, 0, 'products/x/a.jpg', 'image/jpeg', 10, 10, 10, 'products/x/a-400.jpg', 'products/x/a-800.jpg'),
		       ($3, $4, 0, 'products/y/b.jpg', 'image/jpeg', 10, 10, 10, 'products/y/b-400.jpg', 'products/y/b-800.jpg')`,
		uuid.Must(uuid.NewV7()), bottleOf, uuid.Must(uuid.NewV7()), boxOf)
	cart := uuid.Must(uuid.NewV7())
	d.MustExec(`INSERT INTO carts (id, token_hash) VALUES ($1, sha256('merge-test'::bytea))`, cart)
	d.MustExec(`INSERT INTO cart_items (id, cart_id, variant_id, quantity) VALUES ($1, $2, $3, 2)`, uuid.Must(uuid.NewV7()), cart, box)

	rep, err := s.Import(ctx, catalog.ImportRequest{CSV: strings.NewReader(keyedCSV(honeyBottle, honeyBox))})
	if err != nil || rep.Merged != 1 || rep.Products != 1 || rep.Updated != 2 {
		t.Fatalf("%+v, %v", rep, err)
	}
	if of, id := productOfSKU(t, d, "MO-THUNG"); of != bottleOf || id != box {
		t.Fatalf("the boxed variant is %s of %s, want %s of %s", id, of, box, bottleOf)
	}
	if _, id := productOfSKU(t, d, "MO-CHAI"); id != bottle {
		t.Fatal("the bottle's variant changed its ID")
	}
	var old struct {
		Status     string     `db:"status"`
		MergedInto *uuid.UUID `db:"merged_into"`
		Slug       string     `db:"slug"`
	}
	if err := d.Get(&old, `SELECT status, merged_into, slug FROM products WHERE id = $1`, boxOf); err != nil {
		t.Fatal(err)
	}
	if old.Status != "archived" || old.MergedInto == nil || *old.MergedInto != bottleOf {
		t.Fatalf("the emptied product: %+v", old)
	}
	if n := count(t, d, `SELECT count(*) FROM product_images WHERE product_id = $1`, bottleOf); n != 2 {
		t.Fatalf("%d images on the product, want both", n)
	}
	if pos := count(t, d, `SELECT position FROM product_images WHERE original_key = 'products/y/b.jpg'`); pos != 1 {
		t.Fatalf("the moved image is at %d, want after the product's own", pos)
	}
	var cartProduct uuid.UUID
	if err := d.Get(&cartProduct, `SELECT v.product_id FROM cart_items i JOIN product_variants v ON v.id = i.variant_id WHERE i.cart_id = $1`, cart); err != nil || cartProduct != bottleOf {
		t.Fatalf("the cart line's product: %s, %v", cartProduct, err)
	}
	if n := count(t, d, `SELECT count(*) FROM outbox WHERE key = $1 AND payload->>'change' = 'merged'`, boxOf.String()); n != 1 {
		t.Fatalf("%d merge records for the emptied product, want 1 (the index removes it)", n)
	}
	p, err := s.Get(ctx, nil, old.Slug)
	if !errors.Is(err, catalog.ErrNotFound) {
		t.Fatalf("the merged product's page: %+v, %v", p.Summary, err)
	}
	if to, err := s.MergedInto(ctx, old.Slug); err != nil || to != "mat-ong-rung" {
		t.Fatalf("merged into %q, %v", to, err)
	}
	if _, err := s.MergedInto(ctx, "mat-ong-rung"); !errors.Is(err, catalog.ErrNotFound) {
		t.Fatalf("a product that was not merged: %v", err)
	}
	p, err = s.Get(ctx, nil, "mat-ong-rung")
	if err != nil || len(p.Variants) != 2 || *p.PriceVND != 150000 || p.OCOPStars != 4 || len(p.Images) != 2 {
		t.Fatalf("the product after the merge: %+v, %v", p, err)
	}

	// A product that is not public is no destination.
	d.MustExec(`UPDATE products SET status = 'draft' WHERE id = $1`, bottleOf)
	if _, err := s.MergedInto(ctx, old.Slug); !errors.Is(err, catalog.ErrNotFound) {
		t.Fatalf("merged into a draft: %v", err)
	}
	d.MustExec(`UPDATE products SET status = 'active' WHERE id = $1`, bottleOf)

	// Again: nothing more to merge, nothing written.
	before := lastWrite(t, d)
	rep, err = s.Import(ctx, catalog.ImportRequest{CSV: strings.NewReader(keyedCSV(honeyBottle, honeyBox))})
	if err != nil || rep.Merged != 0 {
		t.Fatalf("again: %+v, %v", rep, err)
	}
	if after := lastWrite(t, d); after != before {
		t.Fatalf("importing the same file again wrote rows (%s, then %s)", before, after)
	}
}

// TestImportSplitsAProductByKeys: two keys over the SKUs of one product
// make two products; the first keeps it.
func TestImportSplitsAProductByKeys(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	if _, err := s.Import(ctx, catalog.ImportRequest{CSV: strings.NewReader(keyedCSV(honeyBottle, honeyJar))}); err != nil {
		t.Fatal(err)
	}
	was, _ := productOfSKU(t, d, "MO-HU")
	jar := strings.Replace(honeyJar, "mat-ong-rung,", "mat-ong-hu,", 1)
	rep, err := s.Import(ctx, catalog.ImportRequest{CSV: strings.NewReader(keyedCSV(honeyBottle, jar))})
	if err != nil || rep.Products != 2 || rep.Merged != 0 {
		t.Fatalf("%+v, %v", rep, err)
	}
	bottleOf, _ := productOfSKU(t, d, "MO-CHAI")
	jarOf, _ := productOfSKU(t, d, "MO-HU")
	if bottleOf != was || jarOf == was {
		t.Fatalf("bottle in %s, jar in %s; want the bottle to keep %s", bottleOf, jarOf, was)
	}
	var keys []string
	if err := d.Select(&keys, `SELECT product_key FROM products ORDER BY product_key`); err != nil || strings.Join(keys, " ") != "mat-ong-hu mat-ong-rung" {
		t.Fatalf("keys %v, %v", keys, err)
	}
}

// TestExportImportRoundTripWithPackagings: the export of a cooperative
// whose products have several packagings imports as it was, and exports
// the same file again.
func TestExportImportRoundTripWithPackagings(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	coop := catalogtest.NewCooperative(t, d, "HTX Mật ong", "thai-nguyen", "verified")
	rep, err := s.Import(ctx, catalog.ImportRequest{CSV: strings.NewReader(keyedCSV(honeyBottle, honeyJar, honeyBox, pollen)), Cooperative: coop.Slug})
	if err != nil {
		t.Fatalf("%v %+v", err, rep.Errors)
	}
	var first bytes.Buffer
	if err := s.Export(ctx, nil, coop.Slug, &first); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(first.String()), "\r\n")
	if len(lines) != 5 || lines[0] != strings.Join(catalog.ExportColumns, ",") ||
		!strings.HasPrefix(lines[1], "mat-ong-rung,MO-CHAI,") || !strings.HasPrefix(lines[4], "phan-hoa,PHAN-HOA,") {
		t.Fatalf("export:\n%s", first.String())
	}
	before := lastWrite(t, d)
	rep, err = s.Import(ctx, catalog.ImportRequest{CSV: bytes.NewReader(first.Bytes()), Cooperative: coop.Slug})
	if err != nil || rep.Created != 0 || rep.Updated != 4 || rep.Products != 2 || rep.Merged != 0 {
		t.Fatalf("import of the export: %+v, %v", rep, err)
	}
	if after := lastWrite(t, d); after != before {
		t.Fatalf("importing the export wrote rows (%s, then %s)", before, after)
	}
	var second bytes.Buffer
	if err := s.Export(ctx, nil, coop.Slug, &second); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first.String(), second.String()); diff != "" {
		t.Fatalf("the second export differs (-first +second):\n%s", diff)
	}
}

// BenchmarkImport100kPackagings imports 100,000 generated rows of 1,000
// cooperatives that are two packagings each of 50,000 products, into an
// empty catalog, then again (every row an update).
//
//	go test -run '^$' -bench BenchmarkImport100kPackagings -benchtime 1x ./internal/catalog
func BenchmarkImport100kPackagings(b *testing.B) {
	records, err := csv.NewReader(bytes.NewReader(catalogtest.GenerateCSV(100_000, 1_000))).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(append([]string{catalog.ProductColumn}, records[0]...))
	for i, rec := range records[1:] {
		if i%2 == 1 { // the product cells of the row before: the same product
			prev := records[i]
			for _, c := range []string{"cooperative", "province", "name", "group", "ocop_stars", "certifications", "keywords", "description"} {
				j := slices.Index(records[0], c)
				rec[j] = prev[j]
			}
		}
		w.Write(append([]string{"p-" + strconv.Itoa(i/2)}, rec...))
	}
	w.Flush()
	data := buf.Bytes()
	for b.Loop() {
		b.StopTimer()
		s, _ := newService(b)
		b.StartTimer()
		for _, want := range []struct{ created, updated int }{{100_000, 0}, {0, 100_000}} {
			rep, err := s.Import(context.Background(), catalog.ImportRequest{CSV: bytes.NewReader(data)})
			if err != nil || rep.Created != want.created || rep.Updated != want.updated || rep.Products != 50_000 {
				b.Fatalf("import: %+v %v", rep.Errors[:min(3, len(rep.Errors))], err)
			}
		}
	}
}

// TestMergedProductAddressesRedirect: the API and the page of a merged
// product answer 301 with the address of the product it went to, for
// shoppers and with the cache on or off; other unknown products stay 404.
func TestMergedProductAddressesRedirect(t *testing.T) {
	for _, ttl := range []string{"0s", "5s"} {
		t.Run("cache "+ttl, func(t *testing.T) {
			env := apptest.New(t, map[string]string{"CATALOG_CACHE_TTL": ttl})
			ctx := context.Background()
			strip := func(line string) string { return line[strings.IndexByte(line, ',')+1:] }
			boxed := strings.Replace(strip(honeyBox), "Mật ong rừng,", "Mật ong rừng - thùng 6 chai,", 1)
			// The search index, which answers the lists, holds one
			// document per product: the merged one leaves it.
			searched := func() string {
				var res struct {
					Hits []struct {
						Slug     string `json:"slug"`
						Price    int64  `json:"price_vnd"`
						PriceMax int64  `json:"price_max_vnd"`
					} `json:"hits"`
				}
				env.Client.Get("/api/v1/search?q=m%E1%BA%ADt+ong").JSON(t, &res)
				var out []string
				for _, h := range res.Hits {
					out = append(out, fmt.Sprintf("%s %d-%d", h.Slug, h.Price, h.PriceMax))
				}
				slices.Sort(out)
				return strings.Join(out, ", ")
			}
			for i, file := range []string{csvOf(strip(honeyBottle), boxed), keyedCSV(honeyBottle, honeyBox)} {
				if _, err := env.Server.Catalog.Import(ctx, catalog.ImportRequest{CSV: strings.NewReader(file)}); err != nil {
					t.Fatal(err)
				}
				indexOutbox(t, env)
				want := []string{"mat-ong-rung 150000-150000, mat-ong-rung-thung-6-chai 840000-840000", "mat-ong-rung 150000-840000"}[i]
				if got := searched(); got != want {
					t.Fatalf("search after import %d: %s, want %s", i+1, got, want)
				}
			}
			for path, want := range map[string]string{
				"/api/v1/products/mat-ong-rung-thung-6-chai": "/api/v1/products/mat-ong-rung",
				"/san-pham/mat-ong-rung-thung-6-chai":        "/san-pham/mat-ong-rung",
			} {
				res := env.Client.Get(path)
				if res.Status != 301 || res.Header.Get("Location") != want {
					t.Errorf("GET %s: %d to %q, want 301 to %s", path, res.Status, res.Header.Get("Location"), want)
				}
			}
			var list struct {
				Items []struct {
					Slug     string `json:"slug"`
					PriceMax int64  `json:"price_max_vnd"`
				} `json:"items"`
			}
			env.Client.Get("/api/v1/products?province=thai-nguyen").JSON(t, &list)
			if len(list.Items) != 1 || list.Items[0].Slug != "mat-ong-rung" || list.Items[0].PriceMax != 840000 {
				t.Errorf("the product list: %+v", list.Items)
			}
			if res := env.Client.Get("/api/v1/products/mat-ong-rung"); res.Status != 200 {
				t.Errorf("the product: %d", res.Status)
			}
			for _, path := range []string{"/api/v1/products/khong-co", "/san-pham/khong-co"} {
				if res := env.Client.Get(path); res.Status != 404 {
					t.Errorf("GET %s: %d, want 404", path, res.Status)
				}
			}
		})
	}
}

// indexOutbox delivers the outbox to the search index.
func indexOutbox(t *testing.T, env *apptest.Env) {
	t.Helper()
	relay := outbox.NewRelay(env.DB, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	for range 100 {
		n, err := relay.RunOnce(context.Background(), env.Server.SearchIndexer.Consumer())
		if err != nil {
			t.Fatalf("deliver the outbox: %v", err)
		}
		if n == 0 {
			return
		}
	}
	t.Fatal("the outbox does not empty")
}
