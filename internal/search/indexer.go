package search

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"htxmarket/internal/platform/outbox"
)

// Source is where documents come from: the catalog's public projection.
// It returns only indexable products (active, of verified cooperatives).
type Source interface {
	// Documents reads the documents of those of ids that are indexable now
	// (the others must leave the index) and calls write with them. It
	// holds a lock on each of ids from before its read until write
	// returns, which every other call for one of them waits for: the
	// deliveries of one product write the index in the order they read the
	// catalog (see Indexer).
	Documents(ctx context.Context, ids []uuid.UUID, write func(docs []Document) error) error
	// ProductIDsOfCooperative returns the IDs of all of a cooperative's
	// products, whatever their status.
	ProductIDsOfCooperative(ctx context.Context, coopID uuid.UUID) ([]uuid.UUID, error)
	// AllDocuments yields every indexable document, for a rebuild.
	AllDocuments(ctx context.Context, yield func(Document) error) error
	// ChangeMark returns a time on the source's own clock such that
	// ChangedSince(mark) reports every change that a read starting after
	// the call may not see, including changes still being committed.
	ChangeMark(ctx context.Context) (time.Time, error)
	// ChangedSince returns the IDs of the products whose documents may
	// have changed at or after since, the indexable or not.
	ChangedSince(ctx context.Context, since time.Time) ([]uuid.UUID, error)
}

// ConsumerName is the indexer's outbox queue.
const ConsumerName = "search-index"

// Indexer keeps an engine in step with the catalog: it receives the
// outbox's product and cooperative changes, reads the changed products'
// current documents from the Source and upserts them, deleting those that
// are no longer indexable. Messages only say "this changed", so delivery
// twice or out of order does no harm as long as the writes of one product
// land in the order of the reads they come from. Workers deliver side by
// side (the relay's SKIP LOCKED), and `search reindex` replays changes
// meanwhile: a worker that read a product as public and is delayed could
// otherwise write that stale copy after another worker removed the
// archived product, and it would stay searchable. So the Source holds a
// lock per product from its read until the write is done (Source.Documents):
// a later delivery of the same product reads only after the earlier one
// has written, and the last write is of the latest read. The ordering thus
// lives here and in the Source, the same for every engine, whatever each
// engine's writes look like (Meilisearch has no conditional write a
// version could ride on).
type Indexer struct {
	Engine Engine
	Source Source
	// ProductTopic and CooperativeTopic are the outbox topics of product
	// and cooperative changes; keys are the changed entity's ID.
	ProductTopic, CooperativeTopic string
	// BatchSize is the number of messages per delivery (default 200).
	BatchSize int
	// SkipCooperative, when set, tells the cooperative changes that leave
	// every document as it was (its creation, a change of its product
	// counts): their products are not read again. An import of new
	// cooperatives would otherwise index each product about three times.
	SkipCooperative func(payload []byte) bool
}

// loadChunk bounds one read from the Source.
const loadChunk = 500

// Consumer is the indexer as an outbox consumer. A failure (the engine
// unreachable) fails the batch, which the relay retries with backoff.
func (ix *Indexer) Consumer() outbox.Consumer {
	n := ix.BatchSize
	if n <= 0 {
		n = 200
	}
	return outbox.Consumer{Name: ConsumerName, Topics: []string{ix.ProductTopic, ix.CooperativeTopic},
		Handle: ix.Handle, BatchSize: n}
}

// Handle indexes the products a batch of messages names.
func (ix *Indexer) Handle(ctx context.Context, batch []outbox.Message) error {
	var ids []uuid.UUID
	for _, m := range batch {
		id, err := uuid.Parse(m.Key)
		if err != nil {
			continue // not an entity of ours: nothing to index, ever
		}
		switch m.Topic {
		case ix.ProductTopic:
			ids = append(ids, id)
		case ix.CooperativeTopic:
			if ix.SkipCooperative != nil && ix.SkipCooperative(m.Payload) {
				continue
			}
			more, err := ix.Source.ProductIDsOfCooperative(ctx, id)
			if err != nil {
				return fmt.Errorf("search: index: products of cooperative %s: %w", id, err)
			}
			ids = append(ids, more...)
		}
	}
	return ix.Index(ctx, ids)
}

// Index brings the documents of ids up to date.
func (ix *Indexer) Index(ctx context.Context, ids []uuid.UUID) error {
	slices.SortFunc(ids, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
	ids = slices.Compact(ids)
	for chunk := range slices.Chunk(ids, loadChunk) {
		err := ix.Source.Documents(ctx, chunk, func(docs []Document) error {
			return ix.write(ctx, chunk, docs)
		})
		if err != nil {
			return fmt.Errorf("search: index: %w", err)
		}
	}
	return nil
}

// write upserts docs, bounded (Document.Bounded), and deletes those of
// ids without a document; the Source holds the products' locks meanwhile.
func (ix *Indexer) write(ctx context.Context, ids []uuid.UUID, docs []Document) error {
	found := make(map[uuid.UUID]bool, len(docs))
	bounded := make([]Document, len(docs))
	for i, d := range docs {
		found[d.ID] = true
		bounded[i] = d.Bounded()
	}
	docs = bounded
	var gone []uuid.UUID
	for _, id := range ids {
		if !found[id] {
			gone = append(gone, id)
		}
	}
	if err := ix.Engine.Upsert(ctx, docs); err != nil {
		return fmt.Errorf("upsert: %w", err)
	}
	if err := ix.Engine.Delete(ctx, gone); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	return nil
}

// replayMargin is how far before the source's change mark a reindex
// replays changes. The mark already reaches back to the oldest change being
// committed; the margin covers what the source cannot see (another
// database role's sessions, a transaction just starting). Indexing a
// product again is harmless.
const replayMargin = time.Minute

// Reindex rebuilds the engine's index from the Source, then indexes again
// every product that changed while it ran.
//
// A rebuild reads the whole catalog over minutes while the worker's Indexer
// goes on writing changes to the live index, and the new index replaces the
// live one: a change to a product that the rebuild read before the change
// is lost (Meilisearch builds aside and swaps; the postgres engine's one
// transaction writes documents read before a concurrent change and drops
// the products it did not read, created meanwhile). So Reindex takes the Source's change mark before the first
// read and, once the new index is live, replays the products changed since
// the mark through Index, which also deletes those no longer indexable.
// The replay is here rather than in each engine because it needs only the
// Engine and Source ports: both engines and the Fallback pair get it, and
// an engine's Rebuild stays a plain "replace everything".
func Reindex(ctx context.Context, e Engine, src Source) error {
	mark, err := src.ChangeMark(ctx)
	if err != nil {
		return fmt.Errorf("search: reindex %s: change mark: %w", e.Name(), err)
	}
	if err := e.Rebuild(ctx, func(yield func(Document) error) error {
		return src.AllDocuments(ctx, func(d Document) error { return yield(d.Bounded()) })
	}); err != nil {
		return fmt.Errorf("search: reindex %s: %w", e.Name(), err)
	}
	since := mark.Add(-replayMargin)
	ids, err := src.ChangedSince(ctx, since)
	if err == nil {
		ix := &Indexer{Engine: e, Source: src}
		err = ix.Index(ctx, ids)
	}
	if err != nil {
		// The new index is live but may lack these changes: run it again.
		return fmt.Errorf("search: reindex %s: replay changes since %s: %w", e.Name(), since.Format(time.RFC3339), err)
	}
	return nil
}
