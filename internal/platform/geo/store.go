package geo

import (
	"context"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"htxmarket/internal/platform/db"
)

// PGStore reads provinces from PostgreSQL.
type PGStore struct {
	db sqlx.ExtContext
}

// NewStore returns a store on d.
func NewStore(d sqlx.ExtContext) *PGStore { return &PGStore{db: d} }

var _ Store = (*PGStore)(nil)

type provinceRow struct {
	Slug       string         `db:"slug"`
	Name       string         `db:"name"`
	Kind       string         `db:"kind"`
	Capital    string         `db:"capital"`
	Lat        float64        `db:"lat"`
	Lng        float64        `db:"lng"`
	MergedFrom pq.StringArray `db:"merged_from"`
}

func toProvince(r provinceRow) Province {
	merged := []string(r.MergedFrom)
	if merged == nil {
		merged = []string{}
	}
	return Province{Slug: r.Slug, Name: r.Name, Kind: r.Kind, Capital: r.Capital, Lat: r.Lat, Lng: r.Lng, MergedFrom: merged}
}

const selectProvince = `
SELECT p.slug, p.name, p.kind, p.capital, p.lat, p.lng,
       COALESCE(array_agg(n.name ORDER BY n.name) FILTER (WHERE n.kind = 'merged'), '{}') AS merged_from
FROM provinces p
LEFT JOIN province_names n ON n.province_slug = p.slug`

// List returns every province in official order.
func (s *PGStore) List(ctx context.Context) ([]Province, error) {
	const q = selectProvince + `
GROUP BY p.slug
ORDER BY p.position`
	var rows []provinceRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, q); err != nil {
		return nil, fmt.Errorf("geo: list provinces: %w", err)
	}
	out := make([]Province, len(rows))
	for i, r := range rows {
		out[i] = toProvince(r)
	}
	return out, nil
}

// Get returns the province with slug.
func (s *PGStore) Get(ctx context.Context, slug string) (Province, error) {
	const q = selectProvince + `
WHERE p.slug = $1
GROUP BY p.slug`
	var r provinceRow
	if err := sqlx.GetContext(ctx, s.db, &r, q, slug); err != nil {
		if errors.Is(db.Classify(err), db.ErrNotFound) {
			return Province{}, fmt.Errorf("geo: province %q: %w", slug, ErrUnknownProvince)
		}
		return Province{}, fmt.Errorf("geo: get province: %w", err)
	}
	return toProvince(r), nil
}

// FindFolded finds a province by the folded form of any of its names.
func (s *PGStore) FindFolded(ctx context.Context, folded string) (Province, string, string, error) {
	const q = `
SELECT name, province_slug, kind
FROM province_names
WHERE name_folded = $1`
	var m struct {
		Name string `db:"name"`
		Slug string `db:"province_slug"`
		Kind string `db:"kind"`
	}
	if err := sqlx.GetContext(ctx, s.db, &m, q, folded); err != nil {
		if errors.Is(db.Classify(err), db.ErrNotFound) {
			return Province{}, "", "", ErrUnknownProvince
		}
		return Province{}, "", "", fmt.Errorf("geo: find province name: %w", err)
	}
	p, err := s.Get(ctx, m.Slug)
	return p, m.Name, m.Kind, err
}
