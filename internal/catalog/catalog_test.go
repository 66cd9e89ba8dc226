package catalog_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/uuid"

	"htxmarket/internal/catalog"
	"htxmarket/internal/catalog/catalogtest"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/web"
)

func TestListFiltersSortsAndPages(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	if _, err := s.Import(ctx, catalog.ImportRequest{CSV: bytes.NewReader(catalog.SampleCSV)}); err != nil {
		t.Fatal(err)
	}
	// A pending cooperative's products and drafts are not public.
	if _, err := d.Exec(`UPDATE cooperatives SET status = 'pending' WHERE name = 'HTX Gốm sứ Bát Tràng'`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(`UPDATE products SET status = 'draft' WHERE slug = 'buoi-dien'`); err != nil {
		t.Fatal(err)
	}

	for _, sort := range []string{catalog.SortNewest, catalog.SortPriceAsc, catalog.SortPriceDesc, catalog.SortStars} {
		var all []catalog.Summary
		f := catalog.Filter{Sort: sort, Limit: 50}
		for pages := 0; ; pages++ {
			page, err := s.List(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, page.Items...)
			if page.NextCursor == "" {
				break
			}
			if pages > 10 {
				t.Fatal("too many pages")
			}
			f.Cursor = page.NextCursor
		}
		seen := map[uuid.UUID]bool{}
		for i, p := range all {
			if seen[p.ID] || p.Slug == "buoi-dien" || p.Cooperative.Name == "HTX Gốm sứ Bát Tràng" {
				t.Fatalf("%s: %s listed twice or should not be public", sort, p.Slug)
			}
			seen[p.ID] = true
			if i == 0 {
				continue
			}
			prev := all[i-1]
			ok := true
			switch sort {
			case catalog.SortPriceAsc:
				ok = *prev.PriceVND <= *p.PriceVND
			case catalog.SortPriceDesc:
				ok = *prev.PriceVND >= *p.PriceVND
			case catalog.SortStars:
				ok = prev.OCOPStars >= p.OCOPStars
			case catalog.SortNewest:
				ok = prev.ID.String() > p.ID.String()
			}
			if !ok {
				t.Fatalf("%s: %s before %s", sort, prev.Slug, p.Slug)
			}
		}
		// The sample's 154 products but the two made private above.
		if len(all) != 152 {
			t.Errorf("%s: %d products over all pages, want 152", sort, len(all))
		}
	}

	tests := []struct {
		name  string
		f     catalog.Filter
		check func(catalog.Summary) bool
	}{
		{"province", catalog.Filter{Province: "lao-cai"}, func(p catalog.Summary) bool { return p.Province == "lao-cai" }},
		{"group", catalog.Filter{Group: "do-uong"}, func(p catalog.Summary) bool { return p.Group == "do-uong" }},
		{"stars", catalog.Filter{MinStars: 4}, func(p catalog.Summary) bool { return p.OCOPStars >= 4 }},
		{"certification without accents", catalog.Filter{Certification: "huu co"}, func(p catalog.Summary) bool { return slices.Contains(p.Certifications, "Hữu cơ") }},
		{"price range", catalog.Filter{MinPrice: 100_000, MaxPrice: 200_000}, func(p catalog.Summary) bool { return *p.PriceVND >= 100_000 && *p.PriceVND <= 200_000 }},
		{"in season", catalog.Filter{InSeason: true}, func(p catalog.Summary) bool { return p.InSeason }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.f.Limit = 100
			page, err := s.List(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Items) == 0 {
				t.Fatal("no products")
			}
			for _, p := range page.Items {
				if !tt.check(p) {
					t.Fatalf("%s does not match the filter: %+v", p.Slug, p)
				}
			}
		})
	}

	var ve *web.ValidationError
	if _, err := s.List(ctx, catalog.Filter{Sort: "name; DROP TABLE products", MinStars: 2}); !errors.As(err, &ve) || len(ve.Fields) != 2 {
		t.Errorf("bad sort and stars: %v", err)
	}
	page, _ := s.List(ctx, catalog.Filter{Sort: catalog.SortNewest, Limit: 1})
	if _, err := s.List(ctx, catalog.Filter{Sort: catalog.SortPriceAsc, Cursor: page.NextCursor}); !errors.Is(err, catalog.ErrBadCursor) {
		t.Errorf("a cursor of another sort: %v", err)
	}
	if _, err := s.List(ctx, catalog.Filter{Cursor: "not-a-cursor"}); !errors.Is(err, catalog.ErrBadCursor) {
		t.Errorf("a forged cursor: %v", err)
	}
}

func TestManageProducts(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	coop := catalogtest.NewCooperative(t, d, "HTX Chè Tân Cương", "thai-nguyen", "verified")
	other := catalogtest.NewCooperative(t, d, "HTX Khác", "ha-noi", "verified")
	manager := &auth.Principal{UserID: uuid.New(), Memberships: []auth.Membership{{CooperativeID: coop.ID, CooperativeSlug: coop.Slug, Role: auth.RoleCoopManager}}}
	staff := &auth.Principal{UserID: uuid.New(), Memberships: []auth.Membership{{CooperativeID: coop.ID, CooperativeSlug: coop.Slug, Role: auth.RoleCoopStaff}}}
	outsider := &auth.Principal{UserID: uuid.New(), Memberships: []auth.Membership{{CooperativeID: other.ID, CooperativeSlug: other.Slug, Role: auth.RoleCoopManager}}}

	n := catalog.NewProduct{Name: "Chè Tân Cương <script>", Description: "**Thơm** <script>alert(1)</script> [x](javascript:alert(1))",
		Group: "do-uong", Province: "Thái Nguyên", Certifications: []string{"vietgap"}, SeasonMonths: []int{4, 3},
		OCOP: &catalog.OCOPInput{Stars: 4, Certificate: "OCOP-TN-2023-17", ExpiresOn: "2020-01-01"},
		Variants: []catalog.NewVariant{{SKU: "che-100g", Unit: "hộp 100g", PriceVND: 120000, Stock: 10,
			PriceTiers: []catalog.PriceTier{{MinQty: 10, UnitPriceVND: 100000}, {MinQty: 50, UnitPriceVND: 90000}}}}}
	p, err := s.Create(ctx, staff, coop.Slug, n)
	if err != nil {
		t.Fatal(err)
	}
	if p.Slug != "che-tan-cuong-script" || p.Status != catalog.StatusDraft || p.Province != "thai-nguyen" ||
		p.OCOP == nil || p.OCOP.Current || p.OCOPStars != 0 || p.Certifications[0] != "VietGAP" ||
		p.Variants[0].WholesaleMinQty != 10 || *p.PriceVND != 120000 || p.DescriptionHTML != "<p><strong>Thơm</strong> alert(1) x</p>\n" {
		t.Fatalf("created: %+v\n%q", p, p.DescriptionHTML)
	}
	// The same name gets another slug.
	if p2, err := s.Create(ctx, manager, coop.ID.String(), func() catalog.NewProduct { n.Variants[0].SKU = "che-200g"; return n }()); err != nil || p2.Slug != "che-tan-cuong-script-2" {
		t.Fatalf("second product: %v %v", p2.Slug, err)
	}
	// A draft exists only for its cooperative.
	for _, viewer := range []*auth.Principal{nil, outsider} {
		if _, err := s.Get(ctx, viewer, p.Slug); !errors.Is(err, catalog.ErrNotFound) {
			t.Errorf("draft seen by %v: %v", viewer, err)
		}
		if _, err := s.Update(ctx, viewer, p.Slug, catalog.ProductUpdate{Name: ptr("X")}); err == nil {
			t.Errorf("draft changed by %v", viewer)
		}
	}
	active := catalog.StatusActive
	if _, err := s.Update(ctx, staff, p.ID.String(), catalog.ProductUpdate{Status: &active}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, nil, p.Slug); err != nil {
		t.Fatalf("active product not public: %v", err)
	}
	// Another cooperative's manager cannot change a public product either.
	if _, err := s.Update(ctx, outsider, p.Slug, catalog.ProductUpdate{Name: ptr("X")}); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("outsider update: %v", err)
	}
	// Staff cannot archive; a manager can.
	if _, err := s.Archive(ctx, staff, p.Slug); !errors.Is(err, auth.ErrForbidden) {
		t.Errorf("staff archive: %v", err)
	}
	vid := p.Variants[0].ID
	if got, err := s.SetStock(ctx, staff, p.Slug, vid, 7); err != nil || got.Variants[0].Stock != 7 {
		t.Fatalf("set stock: %v", err)
	}
	if _, err := s.SetStock(ctx, staff, p.Slug, uuid.New(), 7); !errors.Is(err, catalog.ErrVariantNotFound) {
		t.Errorf("unknown variant: %v", err)
	}
	if _, err := s.AddVariant(ctx, staff, p.Slug, catalog.NewVariant{SKU: "che-200g", Unit: "hộp", PriceVND: 1}); !errors.Is(err, catalog.ErrDuplicateSKU) {
		t.Errorf("duplicate SKU: %v", err)
	}
	got, err := s.AddVariant(ctx, staff, p.Slug, catalog.NewVariant{SKU: "che-50g", Unit: "gói 50g", PriceVND: 60000})
	if err != nil || *got.PriceVND != 60000 || len(got.Variants) != 2 {
		t.Fatalf("add variant: %+v %v", got, err)
	}
	if got, err = s.Archive(ctx, manager, p.Slug); err != nil || got.Status != catalog.StatusArchived {
		t.Fatalf("archive: %v", err)
	}
	if _, err := s.Get(ctx, nil, p.Slug); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("archived product still public: %v", err)
	}
	// Every change wrote its outbox record: 2 creations, activation, stock, variant, archive.
	if n := count(t, d, `SELECT count(*) FROM outbox WHERE topic = 'catalog.product.changed'`); n != 6 {
		t.Errorf("%d outbox records, want 6", n)
	}
	// Validation lists every bad field.
	_, err = s.Create(ctx, manager, coop.Slug, catalog.NewProduct{Group: "x", Province: "Atlantis", SeasonMonths: []int{13},
		Variants: []catalog.NewVariant{{SKU: "a b", PriceVND: -1}}})
	var ve *web.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 7 {
		t.Fatalf("validation: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }
