package meili

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/meilisearch/meilisearch-go"

	"htxmarket/internal/search"
)

// primaryKey of the index: the product's ID.
const primaryKey = "id"

// document is what Meilisearch stores for one search.Document: the same
// fields, with created_at as Unix seconds so that it sorts, the exact time
// kept beside it so that hits give back the document as indexed, and lists
// never null (a filter "season_months IS EMPTY" does not match null).
type document struct {
	search.Document
	// CreatedAt shadows Document.CreatedAt in JSON.
	CreatedAt int64  `json:"created_at"`
	Created   string `json:"created"` // RFC 3339 with nanoseconds
	// TonedKeys are the toned words of the name, keywords, cooperative and
	// places (search.ToneKey), for the exact-form filter (tones.go).
	TonedKeys []string `json:"toned_keys,omitempty"`
}

func toDocument(d search.Document) document {
	return document{
		Document:  withLists(d),
		CreatedAt: d.CreatedAt.Unix(),
		Created:   d.CreatedAt.UTC().Format(time.RFC3339Nano),
		TonedKeys: tonedKeys(d),
	}
}

// tonedKeys returns the keys of the toned words of d's name, keywords,
// cooperative and places, each once, in order of appearance.
func tonedKeys(d search.Document) []string {
	texts := append([]string{d.Name, d.CooperativeName, d.ProvinceName}, d.Keywords...)
	texts = append(texts, d.FormerNames...)
	var out []string
	seen := map[string]bool{}
	for _, t := range texts {
		for _, w := range search.Words(t) {
			if search.Toned(w) && !seen[w] {
				seen[w] = true
				out = append(out, search.ToneKey(w))
			}
		}
	}
	return out
}

func (d document) toSearch() search.Document {
	s := withLists(d.Document)
	created, err := time.Parse(time.RFC3339Nano, d.Created)
	if err != nil {
		created = time.Unix(d.CreatedAt, 0).UTC()
	}
	s.CreatedAt = created
	return s
}

// withLists replaces d's nil lists with empty ones.
func withLists(d search.Document) search.Document {
	d.Keywords = nonNil(d.Keywords)
	d.FormerNames = nonNil(d.FormerNames)
	d.Certifications = nonNil(d.Certifications)
	d.SeasonMonths = nonNil(d.SeasonMonths)
	return d
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Upsert adds or replaces documents, whole, and waits until they are
// searchable.
func (e *Engine) Upsert(ctx context.Context, docs []search.Document) error {
	if len(docs) == 0 {
		return nil
	}
	if err := e.ensure(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, e.taskTimeout)
	defer cancel()
	return wrap("upsert", e.add(ctx, e.index, docs))
}

// add sends docs to index uid and waits for the indexing.
func (e *Engine) add(ctx context.Context, uid string, docs []search.Document) error {
	t, err := e.enqueue(ctx, uid, docs)
	if err != nil {
		return err
	}
	return e.wait(ctx, t)
}

func (e *Engine) enqueue(ctx context.Context, uid string, docs []search.Document) (*meilisearch.TaskInfo, error) {
	batch := make([]document, len(docs))
	for i, d := range docs {
		batch[i] = toDocument(d)
	}
	pk := primaryKey
	return e.ms.Index(uid).AddDocumentsWithContext(ctx, batch, &meilisearch.DocumentOptions{PrimaryKey: &pk})
}

// Delete removes documents by ID; unknown IDs are ignored by Meilisearch.
func (e *Engine) Delete(ctx context.Context, ids []uuid.UUID) error {
	if len(ids) == 0 {
		return nil
	}
	if err := e.ensure(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, e.taskTimeout)
	defer cancel()
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = id.String()
	}
	t, err := e.ms.Index(e.index).DeleteDocumentsWithContext(ctx, keys, nil)
	if err == nil {
		err = e.wait(ctx, t)
	}
	return wrap("delete", err)
}
