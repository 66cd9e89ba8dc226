package app

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"htxmarket/internal/catalog"
	"htxmarket/internal/search"
	"htxmarket/internal/search/pgsearch"
)

// searchLists answers the catalog's public lists (GET /api/v1/products)
// from the postgres engine's in-memory index, the one that answers
// searches (with Meilisearch in front, still that one): PostgreSQL is the
// source the index loads from, and a list costs no query. engine is set
// once the search engine exists; until then lists come from PostgreSQL.
type searchLists struct {
	engine *pgsearch.Engine
	db     *sqlx.DB

	// Whether the indexer had changes to deliver, looked at most once
	// per freshnessCheck.
	mu        sync.Mutex
	checkedAt time.Time
	behind    bool
}

// freshnessCheck is how often an instance looks whether the search
// indexer has changes left to deliver.
const freshnessCheck = time.Second

// Current reports whether the search indexer had delivered every change
// a list shows when last looked at (at most freshnessCheck ago); a failed
// look counts as behind.
func (l *searchLists) Current(ctx context.Context) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if time.Since(l.checkedAt) < freshnessCheck {
		return !l.behind
	}
	// A change of stock alone (each checkout makes some) changes nothing
	// a list shows: it does not count.
	const q = `
SELECT EXISTS (
    SELECT 1
    FROM outbox_pending p
    JOIN outbox o ON o.id = p.message_id
    WHERE p.consumer = $1 AND p.parked_at IS NULL
      AND o.payload->>'change' IS DISTINCT FROM 'stock')`
	var behind bool
	if err := l.db.GetContext(ctx, &behind, q, search.ConsumerName); err != nil {
		return false
	}
	l.checkedAt, l.behind = time.Now(), behind
	return !behind
}

var _ catalog.Index = (*searchLists)(nil)

// errNoIndex sends a list to PostgreSQL.
var errNoIndex = errors.New("app: no search index for lists")

// indexOf returns the postgres engine of engine: itself, or the fallback
// behind Meilisearch.
func indexOf(engine search.Engine) *pgsearch.Engine {
	switch e := engine.(type) {
	case *pgsearch.Engine:
		return e
	case *search.Fallback:
		return indexOf(e.Secondary())
	}
	return nil
}

// vietnamTime is the time zone of "this month" for in-season filters.
var vietnamTime = time.FixedZone("ICT", 7*60*60)

func (l *searchLists) List(ctx context.Context, f catalog.Filter, offset, limit int) ([]catalog.Summary, bool, error) {
	if l.engine == nil {
		return nil, false, errNoIndex
	}
	q := search.Query{Certification: f.Certification, Cooperative: f.Cooperative, MinStars: f.MinStars,
		MinPrice: f.MinPrice, MaxPrice: f.MaxPrice, Sort: f.Sort}
	if f.Province != "" {
		q.Provinces = []string{f.Province}
	}
	if f.Group != "" {
		q.Groups = []string{f.Group}
	}
	month := int(time.Now().In(vietnamTime).Month())
	if f.InSeason {
		q.InSeason = month
	}
	docs, more, err := l.engine.List(ctx, q, offset, limit)
	if err != nil {
		return nil, false, err
	}
	out := make([]catalog.Summary, len(docs))
	for i, d := range docs {
		out[i] = summaryOf(d, month)
	}
	return out, more, nil
}

// summaryOf is a search document as the catalog's lists show a product.
func summaryOf(d search.Document, month int) catalog.Summary {
	s := catalog.Summary{ID: d.ID, Slug: d.Slug, Name: d.Name,
		Cooperative: catalog.CoopRef{ID: d.CooperativeID, Slug: d.CooperativeSlug, Name: d.CooperativeName},
		Group:       d.Group, Province: d.Province, OCOPStars: d.Stars,
		Certifications: append([]string{}, d.Certifications...), SeasonMonths: append([]int{}, d.SeasonMonths...),
		Status: catalog.StatusActive, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
	s.InSeason = len(d.SeasonMonths) == 0
	for _, m := range d.SeasonMonths {
		s.InSeason = s.InSeason || m == month
	}
	if d.Price > 0 {
		p := d.Price
		s.PriceVND = &p
	}
	if d.PriceMax > 0 {
		p := d.PriceMax
		s.PriceMaxVND = &p
	}
	if d.ThumbURL != "" {
		u := d.ThumbURL
		s.ThumbURL = &u
	}
	if s.UpdatedAt.IsZero() {
		s.UpdatedAt = d.CreatedAt
	}
	return s
}
