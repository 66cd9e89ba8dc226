package search

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"htxmarket/internal/platform/db"
)

// SynonymStore keeps the synonym groups in search_synonyms.
type SynonymStore struct{}

// NewSynonymStore returns the store.
func NewSynonymStore() *SynonymStore { return &SynonymStore{} }

type synonymRow struct {
	ID        int64          `db:"id"`
	Terms     pq.StringArray `db:"terms"`
	Ambiguous pq.StringArray `db:"ambiguous"`
	CreatedAt time.Time      `db:"created_at"`
	UpdatedAt time.Time      `db:"updated_at"`
}

func toSynonymGroup(r synonymRow) SynonymGroup {
	return SynonymGroup{ID: r.ID, Terms: []string(r.Terms), Ambiguous: append([]string{}, r.Ambiguous...)}
}

// synonymLock serialises writers, so that two groups never take the same
// term at once.
const synonymLock = 73_961_301

// Lock takes the writers' lock until the end of the transaction.
func (s *SynonymStore) Lock(ctx context.Context, ext sqlx.ExtContext) error {
	if _, err := ext.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, synonymLock); err != nil {
		return fmt.Errorf("search: lock synonyms: %w", err)
	}
	return nil
}

// List returns every group by ID.
func (s *SynonymStore) List(ctx context.Context, ext sqlx.ExtContext) ([]SynonymGroup, error) {
	const q = `
SELECT id, terms, ambiguous, created_at, updated_at
FROM search_synonyms
ORDER BY id`
	var rows []synonymRow
	if err := sqlx.SelectContext(ctx, ext, &rows, q); err != nil {
		return nil, fmt.Errorf("search: list synonyms: %w", err)
	}
	out := make([]SynonymGroup, len(rows))
	for i, r := range rows {
		out[i] = toSynonymGroup(r)
	}
	return out, nil
}

// Insert adds a group.
func (s *SynonymStore) Insert(ctx context.Context, ext sqlx.ExtContext, terms, ambiguous []string) (SynonymGroup, error) {
	const q = `
INSERT INTO search_synonyms (terms, ambiguous)
VALUES ($1, $2)
RETURNING id, terms, ambiguous, created_at, updated_at`
	var r synonymRow
	if err := sqlx.GetContext(ctx, ext, &r, q, pq.Array(terms), pq.Array(nonNilStrings(ambiguous))); err != nil {
		return SynonymGroup{}, fmt.Errorf("search: insert synonyms: %w", err)
	}
	return toSynonymGroup(r), nil
}

// Update replaces a group's terms.
func (s *SynonymStore) Update(ctx context.Context, ext sqlx.ExtContext, id int64, terms, ambiguous []string) (SynonymGroup, error) {
	const q = `
UPDATE search_synonyms
SET terms = $2, ambiguous = $3, updated_at = now()
WHERE id = $1
RETURNING id, terms, ambiguous, created_at, updated_at`
	var r synonymRow
	if err := sqlx.GetContext(ctx, ext, &r, q, id, pq.Array(terms), pq.Array(nonNilStrings(ambiguous))); err != nil {
		if errors.Is(db.Classify(err), db.ErrNotFound) {
			return SynonymGroup{}, fmt.Errorf("search: synonyms %d: %w", id, ErrSynonymNotFound)
		}
		return SynonymGroup{}, fmt.Errorf("search: update synonyms: %w", err)
	}
	return toSynonymGroup(r), nil
}

// Delete removes a group.
func (s *SynonymStore) Delete(ctx context.Context, ext sqlx.ExtContext, id int64) error {
	const q = `
DELETE FROM search_synonyms
WHERE id = $1`
	res, err := ext.ExecContext(ctx, q, id)
	if err != nil {
		return fmt.Errorf("search: delete synonyms: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("search: synonyms %d: %w", id, ErrSynonymNotFound)
	}
	return nil
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
