package search

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
)

var _ Engine = (*Fallback)(nil)

// fallbackCooldown is how long queries skip a primary that failed before
// one query tries it again: a Meilisearch that times out must not add its
// timeout to every shopper's search.
const fallbackCooldown = 10 * time.Second

// Fallback answers from Primary (Meilisearch) and, while Primary is down
// (an error wrapping ErrEngineDown), from Secondary (postgres), so that an
// outage slows search down a little and never breaks it.
//
// Writes go to both, Secondary first: its table is then always current
// for the day Primary fails. A Primary write that fails fails the call, so
// the outbox delivers the batch again later; Secondary sees it twice,
// which its idempotent upserts and deletes allow. So an outage never loses
// an update, and never fails a catalog write, which only writes the outbox.
//
// An outage is logged when it starts and when it ends, not per query; every
// query answered by Secondary counts in htxmarket_search_fallback_total.
type Fallback struct {
	primary, secondary Engine
	log                *slog.Logger
	fallbacks          *prometheus.CounterVec
	up                 prometheus.Gauge
	now                func() time.Time

	mu        sync.Mutex
	downSince time.Time // zero while Primary answers
	retryAt   time.Time // while down, when one query may try Primary again
}

// NewFallback returns an engine that answers from primary and falls back
// to secondary. reg may be nil.
func NewFallback(primary, secondary Engine, log *slog.Logger, reg prometheus.Registerer) (*Fallback, error) {
	f := &Fallback{
		primary: primary, secondary: secondary, log: log, now: time.Now,
		fallbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "htxmarket_search_fallback_total",
			Help: "Search queries answered by the fallback engine because the primary was unavailable, by operation.",
		}, []string{"op"}),
		up: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "htxmarket_search_primary_up",
			Help: "1 while the primary search engine answers, 0 during an outage.",
		}),
	}
	f.up.Set(1)
	if reg != nil {
		for _, c := range []prometheus.Collector{f.fallbacks, f.up} {
			if err := reg.Register(c); err != nil {
				return nil, err
			}
		}
	}
	return f, nil
}

// Secondary is the engine that stands in for the primary.
func (f *Fallback) Secondary() Engine { return f.secondary }

// Name is the primary's name.
func (f *Fallback) Name() string { return f.primary.Name() }

// Search answers from the primary, or from the secondary while the primary
// is down.
func (f *Fallback) Search(ctx context.Context, q Query) (Result, error) {
	return query(f, ctx, "search", func(e Engine) (Result, error) { return e.Search(ctx, q) })
}

// Suggest answers from the primary, or from the secondary while the
// primary is down.
func (f *Fallback) Suggest(ctx context.Context, prefix string, limit int) ([]Suggestion, error) {
	return query(f, ctx, "suggest", func(e Engine) ([]Suggestion, error) { return e.Suggest(ctx, prefix, limit) })
}

func query[T any](f *Fallback, ctx context.Context, op string, ask func(Engine) (T, error)) (T, error) {
	if f.tryPrimary() {
		v, err := ask(f.primary)
		switch {
		case err == nil:
			f.recovered(ctx)
			return v, nil
		case ctx.Err() != nil || !errors.Is(err, ErrEngineDown):
			// The caller gave up, or the query itself is wrong: the
			// secondary would do no better.
			return v, err
		}
		f.failed(ctx, err)
	}
	f.fallbacks.WithLabelValues(op).Inc()
	return ask(f.secondary)
}

// tryPrimary reports whether a query should go to the primary: always
// while it is up, and one query per cooldown while it is down.
func (f *Fallback) tryPrimary() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.downSince.IsZero() {
		return true
	}
	if now := f.now(); !now.Before(f.retryAt) {
		f.retryAt = now.Add(fallbackCooldown)
		return true
	}
	return false
}

func (f *Fallback) failed(ctx context.Context, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	f.retryAt = now.Add(fallbackCooldown)
	if !f.downSince.IsZero() {
		return
	}
	f.downSince = now
	f.up.Set(0)
	f.log.WarnContext(ctx, "search engine unavailable; answering from the fallback until it recovers",
		"engine", f.primary.Name(), "fallback", f.secondary.Name(), "err", err)
}

func (f *Fallback) recovered(ctx context.Context) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.downSince.IsZero() {
		return
	}
	f.log.InfoContext(ctx, "search engine available again", "engine", f.primary.Name(),
		"down_for", f.now().Sub(f.downSince).Round(time.Second).String())
	f.downSince, f.retryAt = time.Time{}, time.Time{}
	f.up.Set(1)
}

// Upsert writes to the secondary, then the primary.
func (f *Fallback) Upsert(ctx context.Context, docs []Document) error {
	return f.both(func(e Engine) error { return e.Upsert(ctx, docs) })
}

// Delete deletes from the secondary, then the primary.
func (f *Fallback) Delete(ctx context.Context, ids []uuid.UUID) error {
	return f.both(func(e Engine) error { return e.Delete(ctx, ids) })
}

// SetSynonyms sets the synonyms of the secondary, then the primary.
func (f *Fallback) SetSynonyms(ctx context.Context, groups []SynonymGroup) error {
	return f.both(func(e Engine) error { return e.SetSynonyms(ctx, groups) })
}

// Rebuild rebuilds the secondary, then the primary; docs is read once for
// each.
func (f *Fallback) Rebuild(ctx context.Context, docs func(yield func(Document) error) error) error {
	return f.both(func(e Engine) error { return e.Rebuild(ctx, docs) })
}

func (f *Fallback) both(write func(Engine) error) error {
	if err := write(f.secondary); err != nil {
		return err
	}
	return write(f.primary)
}
