package pgsearch

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// The mirror keeps the engine's in-memory index (index.go) equal to
// search_documents. Every write of the index takes indexLock for the rest
// of its transaction before it writes, and stamps the rows it writes, and
// the tombstones of those it deletes, from search_version_seq: versions
// thus become visible in the order they were taken, and reading what has a
// version above the highest one held misses nothing. A rebuild changes
// search_state.epoch, and an instance then loads everything again, as it
// does when tombstones it has not read were pruned.
//
// The index is loaded on the first search, not before: a process that
// only writes (the worker) never holds it. A search syncs first when this
// engine wrote since its last sync (so that a write is visible to the
// next search, as the contract wants) or when the last sync is older than
// the refresh interval (another instance's writes); in the second case a
// search does not wait for a sync another one is running.

// indexLock serialises the writers of the index (an advisory lock,
// scoped to the database).
const indexLock = 73_961_302

// lockIndex takes indexLock until the end of the transaction.
func lockIndex(ctx context.Context, ext sqlx.ExtContext) error {
	if _, err := ext.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, indexLock); err != nil {
		return fmt.Errorf("pgsearch: lock the index: %w", err)
	}
	return nil
}

// tombstoneTTL is how long the tombstone of a deleted document is kept
// for instances to read; one that syncs later loads the whole index.
const tombstoneTTL = 24 * time.Hour

// loadTimeout bounds a sync, loading the whole index included.
const loadTimeout = 5 * time.Minute

// defaultRefresh is how often a searching instance reads the changes
// other instances wrote (WithRefresh).
const defaultRefresh = time.Second

// WithRefresh sets how old the in-memory index may get before a search
// reads the changes written by other instances first; 0 reads them before
// every search (waiting for a sync under way).
func WithRefresh(d time.Duration) Option { return func(e *Engine) { e.refresh = d } }

// Warm loads the in-memory index now, so that the first search does not
// wait for it, and returns how many documents it holds.
func (e *Engine) Warm(ctx context.Context) (int, error) {
	ix, err := e.current(ctx)
	if err != nil {
		return 0, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.live, nil
}

// current returns the index, synced as described above.
func (e *Engine) current(ctx context.Context) (*index, error) {
	ix := e.idx.Load()
	wrote := e.writes.Load()
	fresh := func() bool {
		return e.synced.Load() >= wrote && time.Since(time.Unix(0, e.syncedAt.Load())) < e.refresh
	}
	if ix != nil && fresh() {
		return ix, nil
	}
	if ix != nil && e.synced.Load() >= wrote && e.refresh > 0 {
		// Only the interval passed: a sync under way will do.
		if !e.syncMu.TryLock() {
			return ix, nil
		}
	} else {
		e.syncMu.Lock()
	}
	defer e.syncMu.Unlock()
	if ix = e.idx.Load(); ix != nil && fresh() {
		return ix, nil
	}
	started := e.writes.Load()
	// Loading the whole index may take longer than one search may: it
	// goes on when the search that started it gives up.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), loadTimeout)
	defer cancel()
	if err := e.sync(ctx); err != nil {
		if ix != nil && e.synced.Load() >= wrote {
			return ix, nil // stale by an interval, not by this engine's writes
		}
		return nil, err
	}
	e.synced.Store(started)
	e.syncedAt.Store(time.Now().UnixNano())
	return e.idx.Load(), nil
}

// state is search_state.
type state struct {
	Epoch  int64 `db:"epoch"`
	Pruned int64 `db:"pruned"`
}

// sync brings the index up to date in one snapshot of the database.
func (e *Engine) sync(ctx context.Context) error {
	tx, err := e.db.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return fmt.Errorf("pgsearch: sync: %w", err)
	}
	defer tx.Rollback()
	var st state
	if err := tx.GetContext(ctx, &st, `SELECT epoch, pruned FROM search_state`); err != nil {
		return fmt.Errorf("pgsearch: sync: read state: %w", err)
	}
	ix := e.idx.Load()
	if ix == nil || ix.epoch != st.Epoch || ix.version < st.Pruned {
		nx, err := load(ctx, tx, st)
		if err != nil {
			return err
		}
		e.idx.Store(nx)
		e.cache.bump()
		return tx.Commit()
	}
	const gone = `
SELECT doc_id, version
FROM search_deletions
WHERE version > $1`
	var tombs []tomb
	if err := tx.SelectContext(ctx, &tombs, gone, ix.version); err != nil {
		return fmt.Errorf("pgsearch: sync: read deletions: %w", err)
	}
	var rows []docRow
	err = readDocs(ctx, tx, ix.version, func(r docRow) error {
		rows = append(rows, r)
		return nil
	})
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("pgsearch: sync: %w", err)
	}
	if len(tombs) == 0 && len(rows) == 0 {
		return nil
	}
	compact, err := ix.apply(tombs, rows)
	if err != nil {
		return err // nothing applied: the index stays as it was
	}
	if compact {
		ix.mu.RLock()
		nx := ix.compact()
		ix.mu.RUnlock()
		e.idx.Store(nx)
	}
	e.cache.bump()
	return nil
}

// tomb is a row of search_deletions.
type tomb struct {
	ID      uuid.UUID `db:"doc_id"`
	Version int64     `db:"version"`
}

// apply removes the documents of tombs and puts rows, all or nothing:
// every row's vector is read before the index changes, so that a row it
// cannot read leaves the index as it was rather than half changed (and
// served so by current). It says whether dead documents have piled up
// enough to compact.
func (ix *index) apply(tombs []tomb, rows []docRow) (compact bool, err error) {
	vecs := make([][]vecEntry, len(rows))
	for i, r := range rows {
		if vecs[i], err = parseVector(r.TSV); err != nil {
			return false, fmt.Errorf("pgsearch: sync: document %s: %w", r.ID, err)
		}
	}
	// A present row is a document's latest state, newer than any of its
	// tombstones: deletions first, then rows.
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, t := range tombs {
		ix.remove(t.ID)
		ix.version = max(ix.version, t.Version)
	}
	for i, r := range rows {
		ix.putParsed(r, vecs[i])
		ix.version = max(ix.version, r.Version)
	}
	ix.settle()
	return ix.dead() > 1000 && ix.dead() > ix.live/2, nil
}

// load reads the whole index.
func load(ctx context.Context, tx *sqlx.Tx, st state) (*index, error) {
	ix := newIndex()
	ix.epoch = st.Epoch
	if err := tx.GetContext(ctx, &ix.version, `SELECT coalesce(max(version), 0) FROM search_deletions`); err != nil {
		return nil, fmt.Errorf("pgsearch: load: %w", err)
	}
	err := readDocs(ctx, tx, 0, func(r docRow) error {
		ix.version = max(ix.version, r.Version)
		return ix.put(r)
	})
	if err != nil {
		return nil, err
	}
	ix.settle()
	return ix, nil
}

// readDocs calls each with the documents with a version above v, as
// they arrive.
func readDocs(ctx context.Context, tx *sqlx.Tx, v int64, each func(docRow) error) error {
	const q = `
SELECT id, version, tsv_full::text, name_folded, name_words, name, coalesce(doc->>'slug', ''), keywords, places, description,
       cooperative_slug, cooperative_name,
       province, group_slug, stars, certifications, season_months, price, in_stock,
       product_created_at, static_rank
FROM search_documents
WHERE version > $1`
	rs, err := tx.QueryContext(ctx, q, v)
	if err != nil {
		return fmt.Errorf("pgsearch: read documents: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var r docRow
		var nameWords, certs pq.StringArray
		var season pq.Int64Array
		if err := rs.Scan(&r.ID, &r.Version, &r.TSV, &r.NameFolded, &nameWords, &r.Name, &r.Slug, &r.Keywords, &r.Places, &r.Description, &r.CooperativeSlug, &r.CooperativeName,
			&r.Province, &r.Group, &r.Stars, &certs, &season, &r.Price, &r.InStock, &r.CreatedAt, &r.StaticRank); err != nil {
			return fmt.Errorf("pgsearch: read documents: %w", err)
		}
		r.NameWords, r.Certifications, r.SeasonMonths = nameWords, certs, season
		if err := each(r); err != nil {
			return err
		}
	}
	if err := rs.Err(); err != nil {
		return fmt.Errorf("pgsearch: read documents: %w", err)
	}
	return nil
}
