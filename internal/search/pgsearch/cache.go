package pgsearch

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"htxmarket/internal/search"
)

// cache keeps the answers of recent identical queries and suggestions of
// this engine instance. An entry is valid while the generation it was
// computed at is current and for at most ttl: every Upsert, Delete,
// SetSynonyms and Rebuild of this instance bumps the generation (and a
// synonym reload from the database too), so this instance's writes are
// seen at once; another instance's writes (another process indexing, a
// CLI reindex) are seen within ttl. When full, it forgets entries at
// random.
type cache struct {
	size int
	ttl  time.Duration

	mu      sync.Mutex
	gen     uint64
	results map[string]cached[search.Result]
	suggest map[string]cached[[]search.Suggestion]
}

type cached[T any] struct {
	v   T
	gen uint64
	at  time.Time
}

// Defaults of the result cache (WithResultCache).
const (
	defaultCacheSize = 2048
	defaultCacheTTL  = 2 * time.Second
)

// WithResultCache sets the size and lifetime of the per-instance cache of
// query results and suggestions; size 0 disables it. The default is 2,048
// entries for 2 seconds.
func WithResultCache(size int, ttl time.Duration) Option {
	return func(e *Engine) { e.cache = newCache(size, ttl) }
}

func newCache(size int, ttl time.Duration) *cache {
	if size <= 0 || ttl <= 0 {
		return nil
	}
	return &cache{size: size, ttl: ttl, results: map[string]cached[search.Result]{}, suggest: map[string]cached[[]search.Suggestion]{}}
}

// generation returns the current generation, to tag what is computed next.
func (c *cache) generation() uint64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// bump invalidates every entry.
func (c *cache) bump() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.results)
	clear(c.suggest)
}

func get[T any](c *cache, m map[string]cached[T], key string) (T, bool) {
	var zero T
	if c == nil {
		return zero, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := m[key]
	if !ok || e.gen != c.gen || time.Since(e.at) > c.ttl {
		return zero, false
	}
	return e.v, true
}

func put[T any](c *cache, m map[string]cached[T], key string, gen uint64, v T) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return // computed before a write: stale already
	}
	for k := range m {
		if len(m) < c.size {
			break
		}
		delete(m, k)
	}
	m[key] = cached[T]{v: v, gen: gen, at: time.Now()}
}

// queryKey normalises a query for the cache: the text's words as typed
// (lowercased, NFC, so tones count), whether the last one is still being
// typed, and every other field.
func queryKey(q search.Query) string {
	var b strings.Builder
	b.WriteString(strings.Join(rawWords(q.Text), " "))
	if q.Text != "" && !endsWithSeparator(q.Text) {
		b.WriteString("…")
	}
	provinces := slices.Clone(q.Provinces)
	slices.Sort(provinces)
	groups := slices.Clone(q.Groups)
	slices.Sort(groups)
	for _, s := range []string{strings.Join(provinces, ","), strings.Join(groups, ","), q.Certification, q.Cooperative, q.Sort} {
		b.WriteString("\x00" + s)
	}
	for _, n := range []int64{int64(q.MinStars), q.MinPrice, q.MaxPrice, int64(q.InSeason), int64(q.Page), int64(q.PerPage)} {
		b.WriteString("\x00" + strconv.FormatInt(n, 10))
	}
	b.WriteString("\x00" + strconv.FormatBool(q.InStock))
	return b.String()
}

// copyResult returns a result whose slices and maps a caller may change
// without changing the cached one.
func copyResult(r search.Result) search.Result {
	r.Hits = slices.Clone(r.Hits)
	f := make(search.Facets, len(r.Facets))
	for k, v := range r.Facets {
		f[k] = slices.Clone(v)
	}
	r.Facets = f
	return r
}

func (c *cache) resultsMap() map[string]cached[search.Result] {
	if c == nil {
		return nil
	}
	return c.results
}

func (c *cache) suggestMap() map[string]cached[[]search.Suggestion] {
	if c == nil {
		return nil
	}
	return c.suggest
}
