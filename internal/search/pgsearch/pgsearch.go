// Package pgsearch is the PostgreSQL search engine, the default: no extra
// service. The index lives in PostgreSQL: the documents in search_documents
// with tsv_full, their weighted vector of folded words (fold_vi, unaccent
// and đ → d) (migrations 00030, 00033). Every instance answers searches,
// suggestions (suggest.go) and the catalog's lists (list.go) from an
// in-memory copy of the vectors, the documents' toned words and filter
// columns (index.go, tones.go), kept current from the database
// (mirror.go), so that a word matching thousands of products costs
// microseconds, not a GIN scan and a sort per search. (search_suggestions,
// which suggestions were once read from, is still written.)
//
// A query word must match (tones.go): typed with tones, in that exact
// form; typed without, in any form; or as a synonym of the words as typed
// (multi-word terms as phrases; never towards an ambiguous term). A word
// the index lacks as typed matches loosely: its other tones, its folded
// form, its nearest lexemes (typo tolerance: pg_trgm's trigram similarity
// over the index's vocabulary); the last word of a query still being
// typed, or not a whole word of the index, also as a prefix. Loose
// matches, and matches only in the description, come after the real ones
// and are counted apart. The score (score.go) weighs the fields (name >
// keywords > cooperative > province > description), prefers exact words
// over typo and prefix matches, and gives a bonus when the words typed
// with their tones appear so in the name.
package pgsearch

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"golang.org/x/text/unicode/norm"

	"htxmarket/internal/platform/db"
	"htxmarket/internal/search"
)

// Engine searches the search_documents table.
type Engine struct {
	db      *sqlx.DB
	timeout time.Duration
	stmts   stmts
	cache   *cache // nil: disabled

	// Synonyms live in memory: set by SetSynonyms and, when load is set,
	// reloaded once they are older than ttl, so that every instance sees
	// another instance's edits within ttl.
	load     func(ctx context.Context) ([]search.SynonymGroup, error)
	ttl      time.Duration
	mu       sync.Mutex
	syn      *synonyms
	loadedAt time.Time

	// The in-memory index (mirror.go): writes counts this engine's
	// committed writes, synced the count the last sync started after.
	idx      atomic.Pointer[index]
	syncMu   sync.Mutex
	refresh  time.Duration
	writes   atomic.Int64
	synced   atomic.Int64
	syncedAt atomic.Int64 // Unix ns
	docs     *docCache
	slots    chan struct{} // one per processor, for evaluations
	// suggestSlots, two per processor, for the statements of suggestions.
	suggestSlots chan struct{}
}

var _ search.Engine = (*Engine)(nil)

// Option configures an Engine.
type Option func(*Engine)

// WithTimeout bounds the time of one search or suggestion in the
// database (statement_timeout); the default is 2 seconds.
func WithTimeout(d time.Duration) Option { return func(e *Engine) { e.timeout = d } }

// WithSynonymSource makes the engine load its synonym groups from load on
// first use and again when they are older than ttl.
func WithSynonymSource(load func(ctx context.Context) ([]search.SynonymGroup, error), ttl time.Duration) Option {
	return func(e *Engine) { e.load, e.ttl = load, ttl }
}

// New returns the engine on d.
func New(d *sqlx.DB, opts ...Option) *Engine {
	e := &Engine{db: d, timeout: 2 * time.Second, syn: newSynonyms(nil), cache: newCache(defaultCacheSize, defaultCacheTTL),
		refresh: defaultRefresh}
	e.docs = newDocCache(docCacheBytes)
	e.slots = make(chan struct{}, runtime.GOMAXPROCS(0))
	e.suggestSlots = make(chan struct{}, 2*runtime.GOMAXPROCS(0))
	for _, o := range opts {
		o(e)
	}
	return e
}

// Name is "postgres".
func (e *Engine) Name() string { return "postgres" }

// SetSynonyms replaces the groups the engine expands queries with.
func (e *Engine) SetSynonyms(_ context.Context, groups []search.SynonymGroup) error {
	s := newSynonyms(groups)
	e.mu.Lock()
	e.syn, e.loadedAt = s, time.Now()
	e.mu.Unlock()
	e.cache.bump()
	return nil
}

// synonyms returns the current groups, reloading them when stale. A failed
// reload keeps the old groups: search works on, slightly out of date.
func (e *Engine) synonyms(ctx context.Context) *synonyms {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.load != nil && time.Since(e.loadedAt) > e.ttl {
		if groups, err := e.load(ctx); err == nil {
			e.syn = newSynonyms(groups)
			e.cache.bump()
		}
		e.loadedAt = time.Now()
	}
	return e.syn
}

// row is what Upsert writes per document.
type row struct {
	ID              uuid.UUID       `json:"id"`
	Doc             json.RawMessage `json:"doc"`
	Name            string          `json:"name"`
	NameWords       []string        `json:"name_words"`
	Keywords        string          `json:"keywords"`
	CooperativeName string          `json:"cooperative_name"`
	Places          string          `json:"places"`
	Description     string          `json:"description"`
	Province        string          `json:"province"`
	Group           string          `json:"group_slug"`
	Stars           int             `json:"stars"`
	Certifications  []string        `json:"certifications"`
	CooperativeSlug string          `json:"cooperative_slug"`
	SeasonMonths    []int           `json:"season_months"`
	Price           int64           `json:"price"`
	CreatedAt       time.Time       `json:"product_created_at"`
	StaticRank      float64         `json:"static_rank"`
}

// suggestion is one prefix key of a product, as Upsert writes it.
type suggestion struct {
	Kind  string    `json:"kind"`
	Slug  string    `json:"slug"`
	Key   string    `json:"key"`
	Text  string    `json:"text"`
	Extra string    `json:"extra"`
	Rank  float64   `json:"rank"`
	DocID uuid.UUID `json:"doc_id"`
}

// staticRank is what orders a query's candidates before the exact score
// (and products among suggestions): OCOP stars, stock, then recency.
func staticRank(d search.Document) float64 {
	r := float64(d.Stars)
	if d.InStock {
		r += 2
	}
	const span = 10 * 365 * 24 * time.Hour
	age := d.CreatedAt.Sub(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	return r + min(max(float64(age)/float64(span), 0), 1)
}

// productKeys are the prefix keys a product is suggested by: its name and
// its name from the second word. Its province's names suggest it through
// the province (Suggest).
func productKeys(d search.Document) []suggestion {
	ws := words(d.Name)
	if len(ws) == 0 {
		return nil
	}
	s := suggestion{Kind: "product", Slug: d.Slug, Key: strings.Join(ws, " "), Text: norm.NFC.String(d.Name),
		Extra: d.ProvinceName, Rank: staticRank(d), DocID: d.ID}
	out := []suggestion{s}
	if len(ws) > 1 {
		s.Kind, s.Key = "product_rest", strings.Join(ws[1:], " ")
		out = append(out, s)
	}
	return out
}

func toRow(d search.Document) (row, error) {
	nfc := norm.NFC.String
	d.Name, d.Description, d.CooperativeName = nfc(d.Name), nfc(d.Description), nfc(d.CooperativeName)
	doc, err := json.Marshal(d)
	if err != nil {
		return row{}, fmt.Errorf("pgsearch: encode %s: %w", d.ID, err)
	}
	kw := make([]string, len(d.Keywords))
	for i, k := range d.Keywords {
		kw[i] = nfc(k)
	}
	places := append([]string{d.ProvinceName}, d.FormerNames...)
	return row{
		ID: d.ID, Doc: doc, Name: d.Name, NameWords: nonNil(rawWords(d.Name)),
		Keywords: strings.Join(kw, " ; "), CooperativeName: d.CooperativeName,
		Places: nfc(strings.Join(places, " ; ")), Description: d.Description,
		Province: d.Province, Group: d.Group, Stars: d.Stars, Certifications: nonNil(d.Certifications),
		CooperativeSlug: d.CooperativeSlug, SeasonMonths: nonNilInts(d.SeasonMonths), Price: d.Price,
		CreatedAt: d.CreatedAt, StaticRank: staticRank(d),
	}, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilInts(s []int) []int {
	if s == nil {
		return []int{}
	}
	return s
}

// Upsert adds or replaces documents, with the suggestions they bring, in
// one transaction.
func (e *Engine) Upsert(ctx context.Context, docs []search.Document) error {
	if len(docs) == 0 {
		return nil
	}
	defer e.wrote()
	return db.InTx(ctx, e.db, func(tx *sqlx.Tx) error {
		if err := lockIndex(ctx, tx); err != nil {
			return err
		}
		return upsert(ctx, tx, docs, true)
	})
}

// wrote tells the caches and the next search that this engine wrote.
func (e *Engine) wrote() {
	e.writes.Add(1)
	e.cache.bump()
}

// upsert writes docs, holding indexLock; refresh says whether to update
// the suggestions of the cooperatives and provinces they touch (a rebuild
// does it once at the end).
func upsert(ctx context.Context, ext sqlx.ExtContext, docs []search.Document, refresh bool) error {
	rows := make([]row, 0, len(docs))
	ids := make([]uuid.UUID, 0, len(docs))
	var sugg []suggestion
	for _, d := range docs {
		r, err := toRow(d)
		if err != nil {
			return err
		}
		rows = append(rows, r)
		ids = append(ids, d.ID)
		sugg = append(sugg, productKeys(d)...)
	}
	payload, err := json.Marshal(rows)
	if err != nil {
		return fmt.Errorf("pgsearch: encode rows: %w", err)
	}
	suggPayload, err := json.Marshal(sugg)
	if err != nil {
		return fmt.Errorf("pgsearch: encode suggestions: %w", err)
	}
	// The suggestions of every cooperative a document leaves or joins are
	// computed again (name, count); a province's count changes by the
	// documents that enter or leave it, as counting a province's products
	// would read them all.
	var k keys
	pc := provinceCounts{delta: map[string]int{}, places: map[string]string{}}
	if refresh {
		old, err := indexed(ctx, ext, ids)
		if err != nil {
			return err
		}
		for _, o := range old {
			k.addCoop(o.Coop)
		}
		for i, d := range docs {
			k.addCoop(d.CooperativeSlug)
			if o, ok := old[d.ID]; !ok || o.Province != d.Province {
				pc.delta[d.Province]++
				pc.places[d.Province] = rows[i].Places
				if ok {
					pc.delta[o.Province]--
				}
			}
		}
	}
	const q = `
INSERT INTO search_documents (id, doc, name, name_words, keywords, cooperative_name, places, description,
                              province, group_slug, stars, certifications, cooperative_slug, season_months,
                              price, product_created_at, static_rank, version)
SELECT r.id, r.doc, r.name, r.name_words, r.keywords, r.cooperative_name, r.places, r.description,
       r.province, r.group_slug, r.stars, r.certifications, r.cooperative_slug, r.season_months,
       r.price, r.product_created_at, r.static_rank, nextval('search_version_seq')
FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, doc jsonb, name text, name_words text[], keywords text,
     cooperative_name text, places text, description text, province text, group_slug text, stars smallint,
     certifications text[], cooperative_slug text, season_months smallint[], price bigint,
     product_created_at timestamptz, static_rank real)
ON CONFLICT (id) DO UPDATE
SET doc = EXCLUDED.doc, name = EXCLUDED.name, name_words = EXCLUDED.name_words, keywords = EXCLUDED.keywords,
    cooperative_name = EXCLUDED.cooperative_name, places = EXCLUDED.places, description = EXCLUDED.description,
    province = EXCLUDED.province, group_slug = EXCLUDED.group_slug, stars = EXCLUDED.stars,
    certifications = EXCLUDED.certifications, cooperative_slug = EXCLUDED.cooperative_slug,
    season_months = EXCLUDED.season_months, price = EXCLUDED.price,
    product_created_at = EXCLUDED.product_created_at, static_rank = EXCLUDED.static_rank,
    version = EXCLUDED.version, updated_at = now()
WHERE search_documents.doc IS DISTINCT FROM EXCLUDED.doc
   OR search_documents.static_rank IS DISTINCT FROM EXCLUDED.static_rank`
	// The JSON goes as text: with binary_parameters=yes, lib/pq would send
	// a []byte as binary, which jsonb does not read.
	if _, err := ext.ExecContext(ctx, q, string(payload)); err != nil {
		return fmt.Errorf("pgsearch: upsert %d documents: %w", len(docs), err)
	}
	const keys = `
WITH gone AS (
    DELETE FROM search_suggestions WHERE doc_id = ANY($1)
)
INSERT INTO search_suggestions (kind, slug, key, text, extra, rank, doc_id)
SELECT r.kind, r.slug, r.key, r.text, r.extra, r.rank, r.doc_id
FROM jsonb_to_recordset($2::jsonb) AS r(kind text, slug text, key text, text text, extra text, rank real, doc_id uuid)`
	if _, err := ext.ExecContext(ctx, keys, pq.Array(ids), string(suggPayload)); err != nil {
		return fmt.Errorf("pgsearch: upsert product suggestions: %w", err)
	}
	if !refresh {
		return nil
	}
	if err := refreshSuggestions(ctx, ext, k); err != nil {
		return err
	}
	return pc.apply(ctx, ext)
}

// Delete removes documents; unknown IDs are ignored.
func (e *Engine) Delete(ctx context.Context, ids []uuid.UUID) error {
	if len(ids) == 0 {
		return nil
	}
	defer e.wrote()
	return db.InTx(ctx, e.db, func(tx *sqlx.Tx) error {
		if err := lockIndex(ctx, tx); err != nil {
			return err
		}
		old, err := indexed(ctx, tx, ids)
		if err != nil {
			return err
		}
		var k keys
		pc := provinceCounts{delta: map[string]int{}}
		for _, o := range old {
			k.addCoop(o.Coop)
			pc.delta[o.Province]--
		}
		// The deleted documents leave tombstones for the other instances'
		// indexes (mirror.go); those older than tombstoneTTL go, and
		// search_state.pruned says up to which version.
		const q = `
WITH gone AS (
    DELETE FROM search_documents
    WHERE id = ANY($1)
    RETURNING id
)
INSERT INTO search_deletions (doc_id, version)
SELECT id, nextval('search_version_seq') FROM gone
ON CONFLICT (doc_id) DO UPDATE
SET version = EXCLUDED.version, updated_at = now()`
		if _, err := tx.ExecContext(ctx, q, pq.Array(ids)); err != nil {
			return fmt.Errorf("pgsearch: delete: %w", err)
		}
		const prune = `
WITH old AS (
    DELETE FROM search_deletions
    WHERE updated_at < now() - $1 * interval '1 second'
    RETURNING version
)
UPDATE search_state
SET pruned = greatest(pruned, (SELECT max(version) FROM old)), updated_at = now()
WHERE EXISTS (SELECT 1 FROM old)`
		if _, err := tx.ExecContext(ctx, prune, tombstoneTTL.Seconds()); err != nil {
			return fmt.Errorf("pgsearch: prune deletions: %w", err)
		}
		if err := refreshSuggestions(ctx, tx, k); err != nil {
			return err
		}
		return pc.apply(ctx, tx)
	})
}

// Rebuild replaces every document in one transaction: searches see the old
// index until it commits, then the new one, which every instance loads
// again whole (a new search_state.epoch). It holds indexLock throughout:
// the worker's index writes wait for it, and search.Reindex then replays
// those it could not see.
func (e *Engine) Rebuild(ctx context.Context, docs func(yield func(search.Document) error) error) error {
	defer e.wrote()
	return db.InTx(ctx, e.db, func(tx *sqlx.Tx) error {
		if err := lockIndex(ctx, tx); err != nil {
			return err
		}
		const seen = `CREATE TEMP TABLE search_rebuild_seen (id uuid PRIMARY KEY) ON COMMIT DROP`
		if _, err := tx.ExecContext(ctx, seen); err != nil {
			return fmt.Errorf("pgsearch: rebuild: %w", err)
		}
		const mark = `
INSERT INTO search_rebuild_seen (id)
SELECT unnest($1::uuid[])
ON CONFLICT DO NOTHING`
		batch := make([]search.Document, 0, rebuildBatch)
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			if err := upsert(ctx, tx, batch, false); err != nil {
				return err
			}
			ids := make([]uuid.UUID, len(batch))
			for i, d := range batch {
				ids[i] = d.ID
			}
			if _, err := tx.ExecContext(ctx, mark, pq.Array(ids)); err != nil {
				return fmt.Errorf("pgsearch: rebuild: %w", err)
			}
			batch = batch[:0]
			return nil
		}
		err := docs(func(d search.Document) error {
			batch = append(batch, d)
			if len(batch) == rebuildBatch {
				return flush()
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := flush(); err != nil {
			return err
		}
		const drop = `
DELETE FROM search_documents d
WHERE NOT EXISTS (SELECT 1 FROM search_rebuild_seen s WHERE s.id = d.id)`
		if _, err := tx.ExecContext(ctx, drop); err != nil {
			return fmt.Errorf("pgsearch: rebuild: drop the rest: %w", err)
		}
		const clear = `DELETE FROM search_suggestions WHERE doc_id IS NULL`
		if _, err := tx.ExecContext(ctx, clear); err != nil {
			return fmt.Errorf("pgsearch: rebuild: %w", err)
		}
		const epoch = `UPDATE search_state SET epoch = epoch + 1, updated_at = now()`
		if _, err := tx.ExecContext(ctx, epoch); err != nil {
			return fmt.Errorf("pgsearch: rebuild: %w", err)
		}
		var k keys
		const all = `SELECT DISTINCT cooperative_slug, province FROM search_documents`
		if err := addKeys(ctx, tx, &k, all); err != nil {
			return err
		}
		return refreshSuggestions(ctx, tx, k)
	})
}

const rebuildBatch = 500

// keys are the cooperatives and provinces whose suggestions a write may
// change.
type keys struct{ coops, provinces []string }

func (k *keys) add(coop, province string) {
	k.addCoop(coop)
	k.addProvince(province)
}

func (k *keys) addCoop(coop string) {
	if !slices.Contains(k.coops, coop) {
		k.coops = append(k.coops, coop)
	}
}

func (k *keys) addProvince(province string) {
	if !slices.Contains(k.provinces, province) {
		k.provinces = append(k.provinces, province)
	}
}

// placed is where a document is indexed now.
type placed struct {
	ID       uuid.UUID `db:"id"`
	Coop     string    `db:"cooperative_slug"`
	Province string    `db:"province"`
}

// indexed returns the cooperative and province of the documents ids that
// are indexed now.
func indexed(ctx context.Context, ext sqlx.ExtContext, ids []uuid.UUID) (map[uuid.UUID]placed, error) {
	const q = `
SELECT id, cooperative_slug, province
FROM search_documents
WHERE id = ANY($1)`
	var rows []placed
	if err := sqlx.SelectContext(ctx, ext, &rows, q, pq.Array(ids)); err != nil {
		return nil, fmt.Errorf("pgsearch: read where documents are: %w", err)
	}
	out := make(map[uuid.UUID]placed, len(rows))
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}

func addKeys(ctx context.Context, ext sqlx.ExtContext, k *keys, q string, args ...any) error {
	var rows []struct {
		Coop     string `db:"cooperative_slug"`
		Province string `db:"province"`
	}
	if err := sqlx.SelectContext(ctx, ext, &rows, q, args...); err != nil {
		return fmt.Errorf("pgsearch: read keys: %w", err)
	}
	for _, r := range rows {
		k.add(r.Coop, r.Province)
	}
	return nil
}

// provinceCounts are the changes a write makes to the numbers of products
// of provinces (the rank of their suggestions), with the names (places) of
// each province that gains products.
type provinceCounts struct {
	delta  map[string]int
	places map[string]string
}

// apply changes the provinces' counts: it adds the suggestions of a
// province that had no product, and removes those of one left without.
func (pc provinceCounts) apply(ctx context.Context, ext sqlx.ExtContext) error {
	var slugs, places []string
	var deltas []int64
	for slug, d := range pc.delta {
		if d != 0 {
			slugs, deltas, places = append(slugs, slug), append(deltas, int64(d)), append(places, pc.places[slug])
		}
	}
	if len(slugs) == 0 {
		return nil
	}
	const change = `
UPDATE search_suggestions s
SET rank = s.rank + d.delta
FROM unnest($1::text[], $2::bigint[]) AS d(slug, delta)
WHERE s.kind = 'province' AND s.slug = d.slug`
	const gone = `
DELETE FROM search_suggestions
WHERE kind = 'province' AND slug = ANY($1) AND rank <= 0`
	const added = `
INSERT INTO search_suggestions (kind, slug, key, text, rank)
SELECT DISTINCT 'province', d.slug, search_words(p.name), split_part(d.places, ' ; ', 1), d.delta
FROM unnest($1::text[], $2::bigint[], $3::text[]) AS d(slug, delta, places)
CROSS JOIN LATERAL regexp_split_to_table(d.places, ' ; ') AS p(name)
WHERE d.delta > 0
  AND search_words(p.name) <> ''
  AND NOT EXISTS (SELECT 1 FROM search_suggestions s WHERE s.kind = 'province' AND s.slug = d.slug)`
	for _, st := range []struct {
		q    string
		args []any
	}{{change, []any{pq.Array(slugs), pq.Array(deltas)}}, {gone, []any{pq.Array(slugs)}},
		{added, []any{pq.Array(slugs), pq.Array(deltas), pq.Array(places)}}} {
		if _, err := ext.ExecContext(ctx, st.q, st.args...); err != nil {
			return fmt.Errorf("pgsearch: count the products of provinces: %w", err)
		}
	}
	return nil
}

// refreshSuggestions recomputes the suggestions of the cooperatives and
// provinces in k from the documents, removing those left without one.
func refreshSuggestions(ctx context.Context, ext sqlx.ExtContext, k keys) error {
	const coops = `
WITH gone AS (
    DELETE FROM search_suggestions WHERE kind = 'cooperative' AND slug = ANY($1)
)
INSERT INTO search_suggestions (kind, slug, key, text, extra, rank)
SELECT DISTINCT ON (c.slug, k.key) 'cooperative', c.slug, k.key, c.name, c.province, c.n
FROM (SELECT cooperative_slug AS slug, min(cooperative_name) AS name,
             split_part(min(places), ' ; ', 1) AS province, count(*) AS n
      FROM search_documents
      WHERE cooperative_slug = ANY($1)
      GROUP BY cooperative_slug) c
-- Nearly every name starts with its legal form ("HTX Nước mắm Cái Rồng"):
-- a shopper types what follows it, so that is a key too.
CROSS JOIN LATERAL (VALUES (search_words(c.name)),
                           (regexp_replace(search_words(c.name), '^(htx|hop tac xa) ', ''))) AS k(key)
WHERE k.key <> ''`
	const provinces = `
WITH gone AS (
    DELETE FROM search_suggestions WHERE kind = 'province' AND slug = ANY($1)
), agg AS (
    -- places is the province's name, then its former names; the count
    -- reads only the index (province, static_rank).
    SELECT p.slug, one.places, (SELECT count(*) FROM search_documents c WHERE c.province = p.slug) AS n
    FROM unnest($1::text[]) AS p(slug)
    CROSS JOIN LATERAL (SELECT d.places FROM search_documents d WHERE d.province = p.slug LIMIT 1) one
)
INSERT INTO search_suggestions (kind, slug, key, text, rank)
SELECT DISTINCT 'province', agg.slug, search_words(p.name), split_part(agg.places, ' ; ', 1), agg.n
FROM agg, regexp_split_to_table(agg.places, ' ; ') AS p(name)
WHERE search_words(p.name) <> ''`
	if len(k.coops) > 0 {
		if _, err := ext.ExecContext(ctx, coops, pq.Array(k.coops)); err != nil {
			return fmt.Errorf("pgsearch: refresh cooperative suggestions: %w", err)
		}
	}
	if len(k.provinces) > 0 {
		if _, err := ext.ExecContext(ctx, provinces, pq.Array(k.provinces)); err != nil {
			return fmt.Errorf("pgsearch: refresh province suggestions: %w", err)
		}
	}
	return nil
}
