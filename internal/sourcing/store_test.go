package sourcing

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"

	"htxmarket/internal/platform/db/dbtest"
)

// TestCandidatesPrefilter checks the prefilter against offers that pass
// and fail each of its constraints: only the active offers of verified
// cooperatives in the request's dimension, sharing a word or of a found
// product, in season and with a minimum order within the need; cheapest
// delivered first; each with its product's current stars and
// certifications and its cooperative's fulfilment record.
func TestCandidatesPrefilter(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	var far, group string
	if err := d.GetContext(ctx, &far, `SELECT slug FROM provinces WHERE slug <> 'ha-noi' ORDER BY lat LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	if err := d.GetContext(ctx, &group, `SELECT slug FROM ocop_groups ORDER BY slug LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	a, b, c := uuid.New(), uuid.New(), uuid.New()
	for _, co := range []struct {
		id             uuid.UUID
		slug, province string
		status         string
	}{{a, "htx-a", "ha-noi", "verified"}, {b, "htx-b", far, "verified"}, {c, "htx-c", "ha-noi", "pending"}} {
		if _, err := d.ExecContext(ctx, `INSERT INTO cooperatives (id, slug, name, province_slug, status) VALUES ($1, $2, $2, $3, $4)`,
			co.id, co.slug, co.province, co.status); err != nil {
			t.Fatal(err)
		}
	}
	starred, expired := uuid.New(), uuid.New()
	yesterday := time.Now().AddDate(0, 0, -2)
	if _, err := d.ExecContext(ctx, `
INSERT INTO products (id, cooperative_id, slug, name, group_slug, province_slug, ocop_stars, ocop_expires_on, certifications)
VALUES ($1, $3, 'vai-thieu', 'Vải thiều', $4, 'ha-noi', 4, NULL, '{VietGAP,GlobalGAP}'),
       ($2, $3, 'nhan-long', 'Nhãn lồng', $4, 'ha-noi', 5, $5, '{}')`, starred, expired, a, group, yesterday); err != nil {
		t.Fatal(err)
	}
	// Three sub-orders delivered or completed, one cancelled, one on its way.
	buyer := uuid.New()
	for _, q := range []struct {
		sql string
		arg uuid.UUID
	}{
		{`INSERT INTO users (id, email, password_hash, full_name) VALUES ($1, 'buyer@htx.test', 'x', 'Buyer')`, buyer},
		{`
INSERT INTO orders (id, number, buyer_id, recipient, phone, province_slug, commune, street, payment_method, payment_status,
                    items_vnd, shipping_vnd, total_vnd)
SELECT ('00000000-0000-0000-0000-00000000000' || g)::uuid, 'HTXAAAAAAA' || chr(65 + g), $1, 'A', '0912345678', 'ha-noi', 'x',
       'y', 'cod', 'cod', 1, 0, 1
FROM generate_series(1, 5) g`, buyer},
		{`
INSERT INTO sub_orders (id, order_id, number, cooperative_id, status, items_vnd, shipping_vnd, total_vnd)
SELECT gen_random_uuid(), ('00000000-0000-0000-0000-00000000000' || g)::uuid, 'HTX-' || g, $1,
       (ARRAY['delivered', 'completed', 'delivered', 'cancelled', 'shipped'])[g], 1, 0, 1
FROM generate_series(1, 5) g`, a},
	} {
		if _, err := d.ExecContext(ctx, q.sql, q.arg); err != nil {
			t.Fatal(err)
		}
	}
	type offer struct {
		coop      uuid.UUID
		product   *uuid.UUID
		words     []string
		dimension string
		min       float64
		price     float64
		months    []int64
		until     *time.Time
		status    string
		province  string
	}
	june10 := time.Date(2027, 6, 10, 0, 0, 0, 0, time.UTC)
	may := time.Date(2027, 5, 31, 0, 0, 0, 0, time.UTC)
	offers := map[string]offer{
		"starred":     {coop: a, product: &starred, words: []string{"vai", "thieu"}, price: 30, months: []int64{6, 7}},
		"far surplus": {coop: b, words: []string{"vai"}, price: 20, until: &june10, province: far},
		"by product":  {coop: a, product: &expired, words: []string{"nhan"}, price: 25},
		"unverified":  {coop: c, words: []string{"vai"}, price: 1},
		"off season":  {coop: b, words: []string{"vai"}, price: 1, months: []int64{1, 2}, province: far},
		"sold before": {coop: b, words: []string{"vai"}, price: 1, until: &may, province: far},
		"big minimum": {coop: a, words: []string{"vai"}, price: 1, min: 30e6},
		"withdrawn":   {coop: a, words: []string{"vai"}, price: 1, status: "withdrawn"},
		"litres":      {coop: a, words: []string{"vai"}, price: 1, dimension: "volume"},
		"other goods": {coop: a, words: []string{"xoai"}, price: 1},
	}
	ids := map[uuid.UUID]string{}
	for name, o := range offers {
		id := uuid.New()
		ids[id] = name
		if o.dimension == "" {
			o.dimension = "mass"
		}
		if o.status == "" {
			o.status = "active"
		}
		if o.province == "" {
			o.province = "ha-noi"
		}
		if o.months == nil {
			o.months = []int64{}
		}
		if _, err := d.ExecContext(ctx, `
INSERT INTO sourcing_offers (id, cooperative_id, product_id, text, words, quantity, min_quantity, unit, dimension, base_quantity,
                             base_min, months, available_until, unit_price_vnd, base_price, province_slug, status)
VALUES ($1, $2, $3, $4, $5, 40, $6 / 1e6, 'tấn', $7, 40e6, $6, $8, $9, $10 * 1e6, $10, $11, $12)`,
			id, o.coop, o.product, name, pq.Array(o.words), o.min, o.dimension, pq.Array(o.months), o.until, o.price, o.province,
			o.status); err != nil {
			t.Fatal(name, err)
		}
	}
	f := candidateFilter{Dimension: Mass, Words: []string{"vai", "thieu"}, Products: []uuid.UUID{expired}, Need: 20e6,
		Months: []int{6, 7}, WantedFrom: time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), Lat: 21.028, Lng: 105.854,
		PerBaseKM: 0.0025}
	got, err := store{}.candidates(ctx, d, f, 10)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range got {
		names = append(names, ids[o.ID])
	}
	// 20 plus at most 4.25 of transport (1,700 km), 25, 30.
	if want := []string{"far surplus", "by product", "starred"}; !equalStrings(names, want) {
		t.Fatalf("candidates %q, want %q", names, want)
	}
	if top2, _ := (store{}).candidates(ctx, d, f, 2); len(top2) != 2 || top2[0].ID != got[0].ID || top2[1].ID != got[1].ID {
		t.Fatalf("limit 2: %v", top2)
	}
	surplus, byProduct, st := got[0], got[1], got[2]
	if surplus.AvailableUntil == nil || !surplus.AvailableUntil.Equal(june10) || surplus.ProductID != nil ||
		surplus.Fulfilment != FulfilmentRate(0, 0) || surplus.Province != far || surplus.Stars != 0 || surplus.Certifications != nil {
		t.Errorf("far surplus: %+v", surplus)
	}
	if byProduct.ProductID == nil || *byProduct.ProductID != expired || byProduct.Stars != 0 ||
		byProduct.Fulfilment != FulfilmentRate(3, 1) || byProduct.AvailableUntil != nil || byProduct.Months != nil {
		t.Errorf("by product (stars expired): %+v", byProduct)
	}
	if st.Stars != 4 || !equalStrings(st.Certifications, []string{"VietGAP", "GlobalGAP"}) || st.Fulfilment != FulfilmentRate(3, 1) ||
		len(st.Months) != 2 || st.Months[0] != 6 || st.Months[1] != 7 || !equalStrings(st.Words, []string{"vai", "thieu"}) ||
		st.Base != 40e6 || st.BasePrice != 30 || st.Dimension != string(Mass) || !st.Verified {
		t.Errorf("starred: %+v", st)
	}
	none, err := store{}.candidates(ctx, d, candidateFilter{Dimension: Mass, Words: []string{"khong"}, Need: 1}, 10)
	if err != nil || len(none) != 0 {
		t.Fatalf("no candidates: %v, %v", none, err)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
