package catalog_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"

	"htxmarket/internal/catalog"
	"htxmarket/internal/catalog/catalogtest"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/web"
)

// huge is a list of n distinct strings.
func huge(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("mục %d", i)
	}
	return out
}

// same is a list of n times s.
func same(n int, s string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// TestListsAreCountedFirst sends lists of 100,000 items in every list field
// of a product: each is refused, naming its field. Before they were counted
// first, 100,000 certifications took seconds of CPU to be matched one by
// one against the recognised ones. The test asserts the refusal, not the
// time, which would make it flaky on a busy machine.
func TestListsAreCountedFirst(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	coop := catalogtest.NewCooperative(t, d, "HTX Chè Tân Cương", "thai-nguyen", "verified")
	manager := &auth.Principal{UserID: uuid.New(), Memberships: []auth.Membership{{CooperativeID: coop.ID, CooperativeSlug: coop.Slug, Role: auth.RoleCoopManager}}}
	good := func() catalog.NewProduct {
		return catalog.NewProduct{Name: "Chè Tân Cương", Group: "do-uong", Province: "thai-nguyen",
			Variants: []catalog.NewVariant{{SKU: "che-100g", Unit: "hộp 100g", PriceVND: 120000}}}
	}
	months := make([]int, 100_000)
	for i := range months {
		months[i] = i%12 + 1
	}
	tiers := make([]catalog.PriceTier, 100_000)
	for i := range tiers {
		tiers[i] = catalog.PriceTier{MinQty: 10 + i, UnitPriceVND: 100000}
	}
	variants := make([]catalog.NewVariant, 51)
	for i := range variants {
		variants[i] = catalog.NewVariant{SKU: fmt.Sprintf("che-%d", i), Unit: "hộp", PriceVND: 1000}
	}
	tests := []struct {
		name   string
		change func(*catalog.NewProduct)
		field  string
	}{
		{"certifications", func(n *catalog.NewProduct) { n.Certifications = same(100_000, "VietGAP") }, "certifications"},
		{"distinct certifications", func(n *catalog.NewProduct) { n.Certifications = huge(100_000) }, "certifications"},
		{"keywords", func(n *catalog.NewProduct) { n.Keywords = same(100_000, "chè") }, "keywords"},
		{"distinct keywords", func(n *catalog.NewProduct) { n.Keywords = huge(100_000) }, "keywords"},
		{"31 keywords", func(n *catalog.NewProduct) { n.Keywords = huge(31) }, "keywords"},
		{"a keyword of 1 MB", func(n *catalog.NewProduct) { n.Keywords = []string{strings.Repeat("chè", 350_000)} }, "keywords"},
		{"a keyword of 51 characters", func(n *catalog.NewProduct) { n.Keywords = []string{strings.Repeat("a", 51)} }, "keywords"},
		{"season months", func(n *catalog.NewProduct) { n.SeasonMonths = months }, "season_months"},
		{"variants", func(n *catalog.NewProduct) { n.Variants = variants }, "variants"},
		{"price tiers", func(n *catalog.NewProduct) { n.Variants[0].PriceTiers = tiers }, "variants[0].price_tiers"},
		{"name with a right-to-left override", func(n *catalog.NewProduct) { n.Name = "Chè \u202eđắt" }, "name"},
		{"name with a new line", func(n *catalog.NewProduct) { n.Name = "Chè\nTân Cương" }, "name"},
		{"unit with a zero-width space", func(n *catalog.NewProduct) { n.Variants[0].Unit = "hộp\u200b" }, "variants[0].unit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := good()
			tt.change(&n)
			_, err := s.Create(ctx, manager, coop.Slug, n)
			var ve *web.ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != tt.field {
				t.Fatalf("want one error on %s, got %v", tt.field, err)
			}
		})
	}
	// Thirty keywords of fifty characters are fine.
	n := good()
	for i := range 30 {
		n.Keywords = append(n.Keywords, fmt.Sprintf("%02d", i)+strings.Repeat("ă", 48))
	}
	p, err := s.Create(ctx, manager, coop.Slug, n)
	if err != nil {
		t.Fatal(err)
	}
	// Fifty variants, then no more, archived ones included.
	for i := len(p.Variants); i < 50; i++ {
		if p, err = s.AddVariant(ctx, manager, p.Slug, catalog.NewVariant{SKU: fmt.Sprintf("v-%d", i), Unit: "hộp", PriceVND: 1000}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.ArchiveVariant(ctx, manager, p.Slug, p.Variants[1].ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.AddVariant(ctx, manager, p.Slug, catalog.NewVariant{SKU: "v-51", Unit: "hộp", PriceVND: 1000})
	var ve *web.ValidationError
	if !errors.As(err, &ve) || ve.Fields[0].Field != "variants" {
		t.Fatalf("the 51st variant: %v", err)
	}
	// Updates are counted too.
	many := same(100_000, "VietGAP")
	_, err = s.Update(ctx, manager, p.Slug, catalog.ProductUpdate{Certifications: &many})
	if !errors.As(err, &ve) || ve.Fields[0].Field != "certifications" {
		t.Fatalf("update with 100,000 certifications: %v", err)
	}
}
