package sourcing

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/search"
	"htxmarket/internal/search/pgsearch"
)

// benchVocabulary accepts every filter value: the benchmark's searches
// carry text only.
type benchVocabulary struct{}

func (benchVocabulary) Province(context.Context, string) (bool, error) { return true, nil }
func (benchVocabulary) Group(context.Context, string) (bool, error)    { return true, nil }
func (benchVocabulary) Certification(s string) (string, bool)          { return s, true }

// BenchmarkMatchesDB100k answers GET /sourcing/requests/{id}/matches for a
// request of 20 tonnes of lychees against 100,000 offers of 1,000
// cooperatives in PostgreSQL (a twentieth of them lychees): the request,
// the search engine, the prefilter on the offers' words (GIN), the
// fulfilment records, scoring and the combinations.
func BenchmarkMatchesDB100k(b *testing.B) {
	s, d, vw, id := seedMatchesDB(b)
	ctx := context.Background()
	var m Matches
	var err error
	b.ResetTimer()
	reportPercentiles(b, func() {
		if m, err = s.Matches(ctx, vw, id); err != nil {
			b.Fatal(err)
		}
	})
	if len(m.Matches) == 0 || len(m.Combinations) == 0 {
		b.Fatalf("no matches or combinations: %d, %d", len(m.Matches), len(m.Combinations))
	}
	var loaded int
	_ = sqlx.GetContext(ctx, d, &loaded, `SELECT count(*) FROM sourcing_offers WHERE words && ARRAY['vai', 'thieu']`)
	b.ReportMetric(float64(loaded), "candidates")
}

// seedMatchesDB fills a database with 100,000 offers of 1,000
// cooperatives and returns the service, the database, the buyer and the
// buyer's request of 20 tonnes of lychees.
func seedMatchesDB(b testing.TB) (*Service, *sqlx.DB, Viewer, uuid.UUID) {
	d := dbtest.New(b)
	ctx := context.Background()
	rnd := rand.New(rand.NewPCG(9, 9))
	var provinces []string
	if err := d.SelectContext(ctx, &provinces, `SELECT slug FROM provinces ORDER BY slug`); err != nil {
		b.Fatal(err)
	}
	coops := make([]uuid.UUID, 1000)
	slugs, names, places := make([]string, len(coops)), make([]string, len(coops)), make([]string, len(coops))
	for i := range coops {
		coops[i] = uuid.New()
		slugs[i], names[i], places[i] = fmt.Sprintf("htx-%d", i), fmt.Sprintf("HTX %d", i), provinces[rnd.IntN(len(provinces))]
	}
	if _, err := d.ExecContext(ctx, `
INSERT INTO cooperatives (id, slug, name, province_slug, status)
SELECT t.id, t.slug, t.name, t.province, 'verified'
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS t (id, slug, name, province)`,
		pq.Array(coops), pq.Array(slugs), pq.Array(names), pq.Array(places)); err != nil {
		b.Fatal(err)
	}
	const n, batch = 100_000, 10_000
	for start := 0; start < n; start += batch {
		ids, coopIDs := make([]uuid.UUID, batch), make([]uuid.UUID, batch)
		texts, words, provs := make([]string, batch), make([]string, batch), make([]string, batch)
		qty, price := make([]float64, batch), make([]int64, batch)
		for i := range batch {
			c := rnd.IntN(len(coops))
			ids[i], coopIDs[i], provs[i] = uuid.New(), coops[c], places[c]
			texts[i] = fmt.Sprintf("%s loại %d", benchGoods[rnd.IntN(len(benchGoods))], 1+rnd.IntN(3))
			words[i] = strings.Join(Words(texts[i]), " ")
			qty[i], price[i] = float64(1+rnd.IntN(8)), int64(10+rnd.IntN(40))*1_000_000
		}
		if _, err := d.ExecContext(ctx, `
INSERT INTO sourcing_offers (id, cooperative_id, text, words, quantity, min_quantity, unit, dimension, base_quantity,
                             base_min, unit_price_vnd, base_price, province_slug)
SELECT t.id, t.coop, t.text, string_to_array(t.words, ' '), t.qty, 0, 'tấn', 'mass', t.qty * 1e6, 0,
       t.price, t.price / 1e6, t.prov
FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::float8[], $6::bigint[], $7::text[])
     AS t (id, coop, text, words, qty, price, prov)`,
			pq.Array(ids), pq.Array(coopIDs), pq.Array(texts), pq.Array(words), pq.Array(qty), pq.Array(price), pq.Array(provs)); err != nil {
			b.Fatal(err)
		}
	}
	// As autovacuum would have: without statistics the planner joins a
	// cooperative at a time.
	if _, err := d.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	buyer := uuid.New()
	if _, err := d.ExecContext(ctx, `INSERT INTO users (id, email, password_hash, full_name) VALUES ($1, 'bench@htx.test', 'x', 'Bench')`, buyer); err != nil {
		b.Fatal(err)
	}
	engine := pgsearch.New(d)
	if _, err := engine.Warm(ctx); err != nil {
		b.Fatal(err)
	}
	geos := geo.NewService(geo.NewStore(d))
	s := NewService(d, geos, search.NewService(d, engine, benchVocabulary{}), benchVocabulary{}, nil)
	next := time.Now().Year() + 1
	r, err := s.CreateRequest(ctx, buyer, NewRequest{Text: "vải thiều", Quantity: 20, Unit: "tấn", Province: "ha-noi",
		WantedFrom: fmt.Sprintf("%d-06-01", next), WantedTo: fmt.Sprintf("%d-07-31", next)})
	if err != nil {
		b.Fatal(err)
	}
	return s, d, Viewer{UserID: buyer}, r.ID
}
