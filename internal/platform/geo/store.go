package geo

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
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

// Names returns every name of every province.
func (s *PGStore) Names(ctx context.Context) ([]Name, error) {
	const q = `
SELECT name, name_folded, province_slug, kind
FROM province_names
ORDER BY name`
	var names []Name
	if err := sqlx.SelectContext(ctx, s.db, &names, q); err != nil {
		return nil, fmt.Errorf("geo: list province names: %w", err)
	}
	return names, nil
}
