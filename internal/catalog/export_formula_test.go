package catalog_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"testing"

	"github.com/google/uuid"

	"htxmarket/internal/catalog"
	"htxmarket/internal/catalog/catalogtest"
	"htxmarket/internal/platform/auth"
)

// TestExportNeutralisesFormulas exports a product whose name a spreadsheet
// would run as a formula: the cell is neutralised, as in the directory
// export, and importing the file changes nothing.
func TestExportNeutralisesFormulas(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	coop := catalogtest.NewCooperative(t, d, "HTX Chè Tân Cương", "thai-nguyen", "verified")
	manager := &auth.Principal{UserID: uuid.New(), Memberships: []auth.Membership{{CooperativeID: coop.ID, CooperativeSlug: coop.Slug, Role: auth.RoleCoopManager}}}
	const name, description = `=HYPERLINK("http://evil.example","Chè ngon")`, "- Trồng tại vườn\n- Hái tay"
	p, err := s.Create(ctx, manager, coop.Slug, catalog.NewProduct{Name: name, Description: description,
		Group: "do-uong", Province: "thai-nguyen", Status: catalog.StatusActive, Keywords: []string{"+chè"},
		Variants: []catalog.NewVariant{{SKU: "che-100g", Unit: "@hộp", PriceVND: 120000, Stock: 3}}})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := s.Export(ctx, nil, coop.Slug, &out); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(out.Bytes())).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("export: %v\n%s", err, out.String())
	}
	col := map[string]string{}
	for i, c := range rows[0] {
		col[c] = rows[1][i]
	}
	for c, want := range map[string]string{"name": "'" + name, "description": "'" + description, "keywords": "'+chè",
		"unit": "'@hộp", "price_vnd": "120000", "stock": "3"} {
		if col[c] != want {
			t.Errorf("%s exported as %q, want %q", c, col[c], want)
		}
	}
	rep, err := s.Import(ctx, catalog.ImportRequest{CSV: &out, Cooperative: coop.Slug, Viewer: manager})
	if err != nil || rep.Updated != 1 || rep.Created != 0 {
		t.Fatalf("import of the export: %+v, %v", rep, err)
	}
	got, err := s.Get(ctx, manager, p.ID.String())
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != name || got.Description != description || got.Keywords[0] != "+chè" || got.Variants[0].Unit != "@hộp" {
		t.Errorf("the import changed the product: %q %q %q %q", got.Name, got.Description, got.Keywords, got.Variants[0].Unit)
	}
}
