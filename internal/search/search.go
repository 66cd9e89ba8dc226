// Package search finds products for shoppers who type Vietnamese on phones,
// often without diacritics, with typos and regional words. Engine is the
// port; the postgres engine (default, no extra service) and the meili engine
// (Meilisearch, when MEILI_URL is set) implement it and pass one contract
// test suite. The indexer feeds the active engine from the outbox.
package search

import (
	"context"
	"errors"

	"github.com/google/uuid"
)

// Engine indexes documents and answers queries.
type Engine interface {
	// Name is "postgres" or "meili".
	Name() string
	// Upsert adds or replaces documents by ID.
	Upsert(ctx context.Context, docs []Document) error
	// Delete removes documents; unknown IDs are ignored.
	Delete(ctx context.Context, ids []uuid.UUID) error
	// Search answers a validated query.
	Search(ctx context.Context, q Query) (Result, error)
	// Suggest returns at most limit instant suggestions for a prefix.
	Suggest(ctx context.Context, prefix string, limit int) ([]Suggestion, error)
	// SetSynonyms replaces the synonym groups the engine applies.
	SetSynonyms(ctx context.Context, groups []SynonymGroup) error
	// Rebuild replaces the whole index with docs, without a moment where
	// searches see an empty or partial index (build aside, then swap).
	Rebuild(ctx context.Context, docs func(yield func(Document) error) error) error
}

// Errors of this package.
var (
	ErrQueryTooLong   = errors.New("từ khóa tìm kiếm quá dài")
	ErrInvalidQuery   = errors.New("tham số tìm kiếm không hợp lệ")
	ErrEngineDown     = errors.New("máy tìm kiếm tạm thời không trả lời")
	ErrSynonymInvalid = errors.New("nhóm từ đồng nghĩa không hợp lệ")
)
