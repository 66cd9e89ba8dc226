package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/singleflight"

	"htxmarket/internal/platform/auth"
)

// Sizes of the public read cache: a product page is a few kilobytes and a
// list page some ten, so the cache holds at most some 60 MB.
const (
	cachedProducts = 10_000
	cachedPages    = 2_000
)

// Cache keeps, for a short time, what anonymous shoppers see: the public
// projection of product pages and of list pages, JSON-encoded once, so that
// a popular page costs one query per TTL instead of one per request.
//
// Consistency: a write through the Service of this process removes what it
// changed (the product's page, every list page) before it returns, so that
// this process never serves older data than it wrote. Other processes, and
// changes that do not go through the catalog (a cooperative losing its
// verification, stock taken by a checkout, SQL by hand), are seen after at
// most the TTL; checkout re-checks stock in its own transaction.
//
// Nothing here can show a draft to an outsider: entries are built only as
// an anonymous caller sees the product, errors (a draft is "not found") are
// never kept, and callers who may see drafts do not use the cache at all
// (see Service.Cached).
type Cache struct {
	ttl time.Duration
	now func() time.Time

	// mu orders the storing of a loaded entry against invalidations: an
	// entry loaded before a write must not be stored after it. gen counts
	// the invalidations.
	mu       sync.Mutex
	gen      uint64
	products *lru.Cache[string, *cached]
	pages    *lru.Cache[string, *cached]
	flight   singleflight.Group

	productHits, productMisses, pageHits, pageMisses prometheus.Counter
}

// cached is one encoded response and when it stops being fresh.
type cached struct {
	body    []byte
	etag    string
	expires time.Time
}

// Public is a public response: its JSON body, a weak entity tag of the
// body, and how much longer it may be served as it is.
type Public struct {
	Body   []byte
	ETag   string
	MaxAge time.Duration
}

// NewCache returns a cache keeping entries for ttl, or nil (no cache) when
// ttl is 0. Its hit and miss counters are registered on reg unless reg is
// nil.
func NewCache(ttl time.Duration, reg prometheus.Registerer) (*Cache, error) {
	if ttl <= 0 {
		return nil, nil
	}
	products, err := lru.New[string, *cached](cachedProducts)
	if err != nil {
		return nil, fmt.Errorf("catalog: cache: %w", err)
	}
	pages, err := lru.New[string, *cached](cachedPages)
	if err != nil {
		return nil, fmt.Errorf("catalog: cache: %w", err)
	}
	lookups := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "htxmarket_catalog_cache_lookups_total",
		Help: "Lookups in the catalog's public read cache, by cache (product, list) and result (hit, miss).",
	}, []string{"cache", "result"})
	if reg != nil {
		if err := reg.Register(lookups); err != nil {
			return nil, fmt.Errorf("catalog: cache metrics: %w", err)
		}
	}
	return &Cache{ttl: ttl, now: time.Now, products: products, pages: pages,
		productHits: lookups.WithLabelValues("product", "hit"), productMisses: lookups.WithLabelValues("product", "miss"),
		pageHits: lookups.WithLabelValues("list", "hit"), pageMisses: lookups.WithLabelValues("list", "miss"),
	}, nil
}

// WithCache makes the service keep public pages in c; nil keeps nothing.
func WithCache(c *Cache) Option {
	return func(s *Service) { s.cache = c }
}

// Cached reports whether viewer's product and list pages come from the
// cache. Admins and members of any cooperative may see drafts and must see
// their own writes at once, so they always read the database.
func (s *Service) Cached(viewer *auth.Principal) bool {
	if s.cache == nil {
		return false
	}
	return viewer == nil || !viewer.Has(auth.RoleAdmin) && len(viewer.Memberships) == 0
}

// PublicProduct returns a product as an outsider sees it (Get with no
// viewer), encoded, from the cache when it is fresh there.
func (s *Service) PublicProduct(ctx context.Context, idOrSlug string) (Public, error) {
	return s.cache.get(ctx, productPages, productKey(idOrSlug),
		func(ctx context.Context) (any, error) { return s.Get(ctx, nil, idOrSlug) })
}

// PublicList returns a page of public products (List), encoded, from the
// cache when it is fresh there. The key is the normalised filter, so that
// "?sort=newest&limit=24" and "?" share an entry.
func (s *Service) PublicList(ctx context.Context, f Filter) (Public, error) {
	f, err := normalize(f)
	if err != nil {
		return Public{}, err
	}
	return s.cache.get(ctx, listPages, listKey(f),
		func(ctx context.Context) (any, error) { return s.List(ctx, f) })
}

func productKey(idOrSlug string) string {
	if id, err := uuid.Parse(idOrSlug); err == nil {
		return "id:" + id.String()
	}
	return "slug:" + idOrSlug
}

func listKey(f Filter) string {
	return fmt.Sprintf("%q %q %d %q %q %d %d %t %q %q %d", f.Province, f.Group, f.MinStars, f.Certification,
		f.Cooperative, f.MinPrice, f.MaxPrice, f.InSeason, f.Sort, f.Cursor, f.Limit)
}

// The two kinds of cached pages.
const (
	productPages = iota
	listPages
)

// get returns the fresh entry of key among kind's pages, or loads, encodes
// and stores it. Concurrent misses of one key share one load. Without a
// cache (nil) it loads and encodes every time.
func (c *Cache) get(ctx context.Context, kind int, key string, load func(context.Context) (any, error)) (Public, error) {
	if c == nil {
		v, err := load(ctx)
		if err != nil {
			return Public{}, err
		}
		e, err := encode(v, time.Time{})
		return Public{Body: e.body, ETag: e.etag}, err
	}
	m, hits, misses := c.products, c.productHits, c.productMisses
	if kind == listPages {
		m, hits, misses = c.pages, c.pageHits, c.pageMisses
	}
	now := c.now()
	if e, ok := m.Get(key); ok && now.Before(e.expires) {
		hits.Inc()
		return Public{Body: e.body, ETag: e.etag, MaxAge: e.expires.Sub(now)}, nil
	}
	misses.Inc()
	c.mu.Lock()
	gen := c.gen
	c.mu.Unlock()
	// The generation in the flight's key keeps a request that arrives
	// after a write from joining a load that started before it. The load
	// is not cancelled with the first caller's request: others wait on it.
	v, err, _ := c.flight.Do(key+"#"+strconv.FormatUint(gen, 10), func() (any, error) {
		v, err := load(context.WithoutCancel(ctx))
		if err != nil {
			return nil, err // not found included: a draft is never kept
		}
		e, err := encode(v, c.now().Add(c.ttl))
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		if c.gen == gen {
			m.Add(key, e)
		}
		c.mu.Unlock()
		return e, nil
	})
	if err != nil {
		return Public{}, err
	}
	e := v.(*cached)
	return Public{Body: e.body, ETag: e.etag, MaxAge: max(0, e.expires.Sub(c.now()))}, nil
}

// encode makes an entry of v, encoded as Fiber's c.JSON does.
func encode(v any, expires time.Time) (*cached, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("catalog: encode: %w", err)
	}
	h := fnv.New64a()
	h.Write(body)
	return &cached{body: body, etag: `W/"` + strconv.FormatUint(h.Sum64(), 36) + `"`, expires: expires}, nil
}

// forgetProduct drops a product's page, by ID and by slug, and every list
// page, after a write to it.
func (c *Cache) forgetProduct(id uuid.UUID, slug string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.products.Remove(productKey(id.String()))
	c.products.Remove(productKey(slug))
	c.pages.Purge()
}

// forgetAll empties the cache, after an import.
func (c *Cache) forgetAll() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.products.Purge()
	c.pages.Purge()
}
