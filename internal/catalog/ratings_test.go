package catalog_test

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"htxmarket/internal/catalog"
)

func TestAnnounceExpiredRatings(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	if _, err := s.Import(ctx, catalog.ImportRequest{CSV: bytes.NewReader(catalog.SampleCSV)}); err != nil {
		t.Fatal(err)
	}
	var rated []uuid.UUID
	if err := d.Select(&rated, `SELECT id FROM products WHERE ocop_stars IS NOT NULL ORDER BY id LIMIT 6`); err != nil || len(rated) < 6 {
		t.Fatalf("rated sample products: %d, %v", len(rated), err)
	}
	n := time.Now().In(time.FixedZone("ICT", 7*60*60)) // the catalog's today
	today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
	day := func(offset int) string { return today.AddDate(0, 0, offset).Format(time.DateOnly) }
	tests := []struct {
		name      string
		product   uuid.UUID
		expiresOn string
		status    string
		announced bool
	}{
		{"expired yesterday", rated[0], day(-1), "active", true},
		{"expired on the last day looked back at", rated[1], day(-3), "active", true},
		{"expired before", rated[2], day(-4), "active", false},
		{"current through today", rated[3], day(0), "active", false},
		{"current for a year", rated[4], day(365), "active", false},
		{"archived", rated[5], day(-1), "archived", false},
	}
	for _, tt := range tests {
		if _, err := d.Exec(`UPDATE products SET ocop_expires_on = $2, status = $3 WHERE id = $1`,
			tt.product, tt.expiresOn, tt.status); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
	}
	var want []string
	for _, tt := range tests {
		if tt.announced {
			want = append(want, tt.product.String())
		}
	}
	slices.Sort(want)
	announced := func() []string {
		var keys []string
		const q = `SELECT key FROM outbox WHERE topic = $1 AND payload->>'change' = $2 ORDER BY key`
		if err := d.Select(&keys, q, catalog.TopicProductChanged, catalog.ChangeRatingExpired); err != nil {
			t.Fatal(err)
		}
		return keys
	}

	got, err := s.AnnounceExpiredRatings(ctx, 3)
	if err != nil || got != len(want) {
		t.Fatalf("announced %d, %v; want %d", got, err, len(want))
	}
	if diff := cmp.Diff(want, announced()); diff != "" {
		t.Errorf("outbox (-want +got):\n%s", diff)
	}
	// A second run announces the same products again, which consumers
	// take as "read it again".
	if got, err := s.AnnounceExpiredRatings(ctx, 3); err != nil || got != len(want) {
		t.Fatalf("second run: %d, %v", got, err)
	}
	if keys := announced(); len(keys) != 2*len(want) {
		t.Errorf("after a second run: %d messages, want %d", len(keys), 2*len(want))
	}
	// The product's public page already tells the rating has expired.
	p, err := s.Get(ctx, nil, rated[0].String())
	if err != nil || p.OCOPStars != 0 || p.OCOP == nil || p.OCOP.Current {
		t.Errorf("expired rating on the product page: %+v, %v", p.OCOP, err)
	}
	if _, err := s.AnnounceExpiredRatings(ctx, 0); err == nil {
		t.Error("looking back 0 days: want an error")
	}
}
