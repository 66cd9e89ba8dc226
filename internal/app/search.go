package app

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"

	"htxmarket/internal/catalog"
	"htxmarket/internal/cooperative"
	"htxmarket/internal/platform/config"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/search"
	"htxmarket/internal/search/meili"
	"htxmarket/internal/search/pgsearch"
)

// synonymRefresh is how soon an instance sees synonym edits made through
// another instance.
const synonymRefresh = 30 * time.Second

// newSearchEngine returns the active search engine: the postgres engine,
// which needs nothing but the database, or, when MEILI_URL is set,
// Meilisearch in front of it: queries fall back to postgres while
// Meilisearch does not answer, and writes go to both, so the fallback always
// has current data. reg may be nil.
func newSearchEngine(cfg config.Config, log *slog.Logger, d *sqlx.DB, reg prometheus.Registerer) (search.Engine, error) {
	pg := newPGSearch(d, pgsearch.WithResultCache(searchCacheSize, cfg.Search.CacheTTL))
	if cfg.Search.MeiliURL == "" {
		return pg, nil
	}
	m, err := meili.New(cfg.Search)
	if err != nil {
		return nil, err
	}
	// Settings are applied again before the first write; an unreachable
	// Meilisearch at start-up must not stop the marketplace.
	ctx, cancel := context.WithTimeout(context.Background(), cfg.Search.MeiliTimeout)
	defer cancel()
	if err := m.EnsureSettings(ctx); err != nil {
		log.Warn("meilisearch not ready; searches use postgres until it answers", "err", err)
	}
	return search.NewFallback(m, pg, log, reg)
}

// newPGSearch is the postgres engine with the synonym groups of the
// database.
func newPGSearch(d *sqlx.DB, opts ...pgsearch.Option) *pgsearch.Engine {
	store := search.NewSynonymStore()
	load := func(ctx context.Context) ([]search.SynonymGroup, error) { return store.List(ctx, d) }
	return pgsearch.New(d, append([]pgsearch.Option{pgsearch.WithSynonymSource(load, synonymRefresh)}, opts...)...)
}

// searchCacheSize is how many answers the postgres engine's cache holds.
const searchCacheSize = 2048

// searchSource gives the indexer the catalog's public products as search
// documents, with their provinces' current and former names.
type searchSource struct {
	products  *catalog.Service
	provinces *geo.Service
}

var _ search.Source = searchSource{}

func (s searchSource) Documents(ctx context.Context, ids []uuid.UUID, write func([]search.Document) error) error {
	return s.products.SearchDocuments(ctx, ids, func(docs []catalog.SearchDocument) error {
		out := make([]search.Document, 0, len(docs))
		for _, d := range docs {
			doc, err := s.toDocument(ctx, d)
			if err != nil {
				return err
			}
			out = append(out, doc)
		}
		return write(out)
	})
}

func (s searchSource) ProductIDsOfCooperative(ctx context.Context, coopID uuid.UUID) ([]uuid.UUID, error) {
	return s.products.ProductIDsOfCooperative(ctx, coopID)
}

func (s searchSource) AllDocuments(ctx context.Context, yield func(search.Document) error) error {
	return s.products.EachSearchDocument(ctx, func(d catalog.SearchDocument) error {
		doc, err := s.toDocument(ctx, d)
		if err != nil {
			return err
		}
		return yield(doc)
	})
}

// ChangeMark and ChangedSince let a reindex replay the changes made while it ran: those the catalog's outbox
// messages name, and those of the cooperatives' messages, which reach
// every product of the cooperative.
func (s searchSource) ChangeMark(ctx context.Context) (time.Time, error) {
	return s.products.SearchChangeMark(ctx)
}

func (s searchSource) ChangedSince(ctx context.Context, since time.Time) ([]uuid.UUID, error) {
	return s.products.SearchChangedSince(ctx, since, cooperative.TopicChanged)
}

func (s searchSource) toDocument(ctx context.Context, d catalog.SearchDocument) (search.Document, error) {
	p, err := s.provinces.Get(ctx, d.Province)
	if err != nil {
		return search.Document{}, err
	}
	return search.Document{
		ID: d.ID, Slug: d.Slug, Name: d.Name, Keywords: d.Keywords, Description: d.Description,
		CooperativeID: d.CooperativeID, CooperativeSlug: d.CooperativeSlug, CooperativeName: d.CooperativeName,
		Province: d.Province, ProvinceName: p.Name, FormerNames: append([]string{}, p.MergedFrom...),
		Group: d.Group, Stars: d.Stars, Certifications: d.Certifications, SeasonMonths: d.SeasonMonths,
		Price: d.PriceVND, PriceMax: d.PriceMaxVND, Unit: d.Unit, InStock: d.InStock, ThumbURL: d.ThumbURL, CreatedAt: d.CreatedAt,
		UpdatedAt: d.UpdatedAt,
	}, nil
}

// searchVocabulary tells the search which filter values exist.
type searchVocabulary struct {
	provinces *geo.Service
	products  *catalog.Service

	mu     sync.Mutex
	groups []string // loaded once: groups change only with a migration
}

var _ search.Vocabulary = (*searchVocabulary)(nil)

func (v *searchVocabulary) Province(ctx context.Context, slug string) (bool, error) {
	ps, err := v.provinces.List(ctx)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(ps, func(p geo.Province) bool { return p.Slug == slug }), nil
}

func (v *searchVocabulary) Group(ctx context.Context, slug string) (bool, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.groups == nil {
		gs, err := v.products.OCOPGroups(ctx)
		if err != nil {
			return false, err
		}
		v.groups = gs
	}
	return slices.Contains(v.groups, slug), nil
}

func (v *searchVocabulary) Certification(s string) (string, bool) {
	f := geo.Fold(s)
	for _, c := range catalog.Certifications {
		if geo.Fold(c) == f {
			return c, true
		}
	}
	return "", false
}

// newSearchIndexer is the outbox consumer that keeps engine up to date.
func newSearchIndexer(engine search.Engine, src search.Source) *search.Indexer {
	return &search.Indexer{Engine: engine, Source: src,
		ProductTopic: catalog.TopicProductChanged, CooperativeTopic: cooperative.TopicChanged,
		SkipCooperative: cooperative.LeavesProducts}
}

// cmdSearch is `search reindex`: rebuild the active engine's index from the
// catalog, e.g. after restoring a backup or adding Meilisearch.
func cmdSearch(ctx context.Context, env *Env, args []string) error {
	if len(args) != 1 || args[0] != "reindex" {
		fmt.Fprintln(env.Stderr, "Usage: htxmarket search reindex")
		return ErrUsage
	}
	cfg, log, d, err := boot(ctx, env)
	if err != nil {
		return err
	}
	defer d.Close()
	dm, err := newDomains(cfg, env, d)
	if err != nil {
		return err
	}
	engine, err := newSearchEngine(cfg, log, d, nil)
	if err != nil {
		return err
	}
	src := searchSource{products: dm.products, provinces: geo.NewService(geo.NewStore(d))}
	start := time.Now()
	var n int
	counted := countingSource{Source: src, n: &n}
	_, upTo, err := pendingIndexChanges(ctx, d)
	if err != nil {
		return err
	}
	if err := search.Reindex(ctx, engine, counted); err != nil {
		return err
	}
	if _, err := coveredByRebuild(ctx, d, upTo); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "search: %d products indexed by %s in %s\n", n, engine.Name(), time.Since(start).Round(time.Millisecond))
	return nil
}

// countingSource counts the documents a rebuild reads.
type countingSource struct {
	search.Source
	n *int
}

func (c countingSource) AllDocuments(ctx context.Context, yield func(search.Document) error) error {
	return c.Source.AllDocuments(ctx, func(d search.Document) error {
		*c.n++
		return yield(d)
	})
}

// ImportBenchCatalog imports a generated catalog as an administrator
// (htxbench's catalog), returning how many rows it read.
func (s *Server) ImportBenchCatalog(ctx context.Context, csv []byte) (int, error) {
	rep, err := s.Catalog.Import(ctx, catalog.ImportRequest{CSV: bytes.NewReader(csv)})
	return rep.Rows, err
}

// EnsureSearchIndex rebuilds the search index from the catalog unless it
// holds at least n products and no change waits for the indexer, then
// drops the changes the rebuild covered (as `search reindex` does). It
// returns how many products it indexed (0 when it did not rebuild).
func (s *Server) EnsureSearchIndex(ctx context.Context, n int) (int, error) {
	var indexed int
	if err := s.db.GetContext(ctx, &indexed, `SELECT count(*) FROM search_documents`); err != nil {
		return 0, fmt.Errorf("app: count indexed products: %w", err)
	}
	pending, upTo, err := pendingIndexChanges(ctx, s.db)
	if err != nil {
		return 0, err
	}
	if indexed >= n && pending == 0 {
		return 0, nil
	}
	var count int
	src := countingSource{Source: s.SearchIndexer.Source, n: &count}
	if err := search.Reindex(ctx, s.SearchIndexer.Engine, src); err != nil {
		return 0, err
	}
	if _, err := coveredByRebuild(ctx, s.db, upTo); err != nil {
		return 0, err
	}
	return count, nil
}
