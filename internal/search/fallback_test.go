package search

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// fakeEngine is a test double of the Engine port: it records calls and
// fails with err when set.
type fakeEngine struct {
	name  string
	err   error
	calls []string
}

func (f *fakeEngine) Name() string { return f.name }

func (f *fakeEngine) call(op string) error {
	f.calls = append(f.calls, op)
	return f.err
}

func (f *fakeEngine) Upsert(context.Context, []Document) error          { return f.call("upsert") }
func (f *fakeEngine) Delete(context.Context, []uuid.UUID) error         { return f.call("delete") }
func (f *fakeEngine) SetSynonyms(context.Context, []SynonymGroup) error { return f.call("synonyms") }
func (f *fakeEngine) Rebuild(_ context.Context, docs func(func(Document) error) error) error {
	if err := docs(func(Document) error { return nil }); err != nil {
		return err
	}
	return f.call("rebuild")
}

func (f *fakeEngine) Search(context.Context, Query) (Result, error) {
	if err := f.call("search"); err != nil {
		return Result{}, err
	}
	return Result{Engine: f.name}, nil
}

func (f *fakeEngine) Suggest(context.Context, string, int) ([]Suggestion, error) {
	if err := f.call("suggest"); err != nil {
		return nil, err
	}
	return []Suggestion{{Kind: "product", Text: f.name}}, nil
}

type fallbackFixture struct {
	f         *Fallback
	meili, pg *fakeEngine
	logs      *bytes.Buffer
	clock     *time.Time
}

func newFallbackFixture(t *testing.T) fallbackFixture {
	t.Helper()
	meili, pg := &fakeEngine{name: "meili"}, &fakeEngine{name: "postgres"}
	logs := &bytes.Buffer{}
	f, err := NewFallback(meili, pg, slog.New(slog.NewTextHandler(logs, nil)), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
	f.now = func() time.Time { return clock }
	return fallbackFixture{f: f, meili: meili, pg: pg, logs: logs, clock: &clock}
}

func (x fallbackFixture) search(t *testing.T) string {
	t.Helper()
	res, err := x.f.Search(context.Background(), Query{Text: "chè"})
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	return res.Engine
}

var errDown = fmt.Errorf("meili: search: %w: dial tcp: connection refused", ErrEngineDown)

func TestFallbackAnswersFromSecondaryDuringAnOutage(t *testing.T) {
	x := newFallbackFixture(t)
	if got := x.search(t); got != "meili" {
		t.Fatalf("engine %q, want meili while it is up", got)
	}
	x.meili.err = errDown
	for i := range 3 {
		if got := x.search(t); got != "postgres" {
			t.Fatalf("query %d: engine %q, want postgres during the outage", i, got)
		}
	}
	got, err := x.f.Suggest(context.Background(), "ch", 5)
	if err != nil || len(got) != 1 || got[0].Text != "postgres" {
		t.Fatalf("suggest during the outage: %v %+v", err, got)
	}
	// The first failure opened the circuit: the other queries did not wait
	// for meili.
	if n := strings.Count(strings.Join(x.meili.calls, ","), "search"); n != 2 {
		t.Errorf("meili asked %d times, want 2 (one ok, one failing): %v", n, x.meili.calls)
	}
	if v := testutil.ToFloat64(x.f.fallbacks.WithLabelValues("search")); v != 3 {
		t.Errorf("fallback_total{op=search} = %v, want 3", v)
	}
	if v := testutil.ToFloat64(x.f.fallbacks.WithLabelValues("suggest")); v != 1 {
		t.Errorf("fallback_total{op=suggest} = %v, want 1", v)
	}
	if v := testutil.ToFloat64(x.f.up); v != 0 {
		t.Errorf("primary_up = %v during the outage", v)
	}
	if n := strings.Count(x.logs.String(), "search engine unavailable"); n != 1 {
		t.Errorf("outage logged %d times, want once:\n%s", n, x.logs)
	}

	// After the cooldown one query tries meili again; still down.
	*x.clock = x.clock.Add(fallbackCooldown)
	if got := x.search(t); got != "postgres" {
		t.Fatalf("engine %q after a failed retry", got)
	}
	if n := strings.Count(strings.Join(x.meili.calls, ","), "search"); n != 3 {
		t.Errorf("meili asked %d times, want 3 after the cooldown", n)
	}

	// Back up: the next retry answers from meili and logs the recovery.
	x.meili.err = nil
	*x.clock = x.clock.Add(fallbackCooldown)
	if got := x.search(t); got != "meili" {
		t.Fatalf("engine %q after recovery, want meili", got)
	}
	if got := x.search(t); got != "meili" {
		t.Fatalf("engine %q after recovery, want meili", got)
	}
	if !strings.Contains(x.logs.String(), "search engine available again") || strings.Count(x.logs.String(), "unavailable") != 1 {
		t.Errorf("logs:\n%s", x.logs)
	}
	if v := testutil.ToFloat64(x.f.up); v != 1 {
		t.Errorf("primary_up = %v after recovery", v)
	}
}

func TestFallbackDoesNotHideOtherErrors(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		cancel bool
	}{
		{"bad request", errors.New("meili: search: invalid_search_filter"), false},
		{"caller gave up", fmt.Errorf("meili: search: %w: context canceled", ErrEngineDown), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newFallbackFixture(t)
			x.meili.err = tt.err
			ctx, cancel := context.WithCancel(context.Background())
			if tt.cancel {
				cancel()
			}
			defer cancel()
			if _, err := x.f.Search(ctx, Query{}); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if len(x.pg.calls) != 0 {
				t.Errorf("postgres asked: %v", x.pg.calls)
			}
			if v := testutil.ToFloat64(x.f.fallbacks.WithLabelValues("search")); v != 0 {
				t.Errorf("fallback counted %v", v)
			}
		})
	}
}

func TestFallbackWritesBoth(t *testing.T) {
	ctx := context.Background()
	docs := func(yield func(Document) error) error { return yield(Document{}) }
	writes := []struct {
		op    string
		write func(e Engine) error
	}{
		{"upsert", func(e Engine) error { return e.Upsert(ctx, []Document{{}}) }},
		{"delete", func(e Engine) error { return e.Delete(ctx, []uuid.UUID{uuid.New()}) }},
		{"synonyms", func(e Engine) error { return e.SetSynonyms(ctx, nil) }},
		{"rebuild", func(e Engine) error { return e.Rebuild(ctx, docs) }},
	}
	for _, w := range writes {
		t.Run(w.op, func(t *testing.T) {
			x := newFallbackFixture(t)
			if err := w.write(x.f); err != nil {
				t.Fatal(err)
			}
			if len(x.pg.calls) != 1 || len(x.meili.calls) != 1 {
				t.Fatalf("calls: postgres %v, meili %v; want one each", x.pg.calls, x.meili.calls)
			}

			// Meilisearch down: postgres is written, the error goes back
			// to the outbox, which delivers the batch again.
			x.meili.err = errDown
			if err := w.write(x.f); !errors.Is(err, ErrEngineDown) {
				t.Fatalf("err = %v, want ErrEngineDown", err)
			}
			if len(x.pg.calls) != 2 {
				t.Fatalf("postgres not written during the outage: %v", x.pg.calls)
			}

			// Postgres failing: meili is not written either, so the retry
			// finds both where they were.
			x.meili.err, x.pg.err = nil, errors.New("pq: connection reset")
			if err := w.write(x.f); err == nil {
				t.Fatal("want the postgres error")
			}
			if len(x.meili.calls) != 2 {
				t.Errorf("meili written after postgres failed: %v", x.meili.calls)
			}
		})
	}
}

func TestFallbackName(t *testing.T) {
	x := newFallbackFixture(t)
	if x.f.Name() != "meili" {
		t.Fatalf("Name() = %q", x.f.Name())
	}
	if _, err := NewFallback(x.meili, x.pg, slog.Default(), nil); err != nil {
		t.Fatalf("nil registry: %v", err)
	}
}
