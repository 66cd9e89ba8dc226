package app

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"htxmarket/internal/catalog"
	"htxmarket/internal/catalog/catalogtest"
	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/platform/outbox"
	"htxmarket/internal/search"
)

// TestIndexThroughput measures how fast the worker indexes: generated
// products imported into PostgreSQL with their outbox messages, then the
// worker's relay delivering them to the search indexer, which reads each
// product's document from the catalog and upserts it into the postgres
// engine, until the indexer's backlog is empty. It runs only with
// HTX_INDEX_BENCH=1 (HTX_INDEX_BENCH_PRODUCTS changes the 10,000 products):
//
//	HTX_INDEX_BENCH=1 go test ./internal/app -run IndexThroughput -v -timeout 20m
func TestIndexThroughput(t *testing.T) {
	if os.Getenv("HTX_INDEX_BENCH") == "" {
		t.Skip("set HTX_INDEX_BENCH=1 to measure the worker's indexing throughput")
	}
	n := 10_000
	if v := os.Getenv("HTX_INDEX_BENCH_PRODUCTS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			t.Fatalf("HTX_INDEX_BENCH_PRODUCTS=%q: want a positive number", v)
		}
	}
	ctx := context.Background()
	d := dbtest.New(t)
	w := newTestWorker(t, d)

	// The catalog: n products of n/20 new cooperatives, one outbox message
	// per product and one per cooperative whose figures changed.
	start := time.Now()
	rep, err := w.products.Import(ctx, catalog.ImportRequest{CSV: bytes.NewReader(catalogtest.GenerateCSV(n, max(n/20, 1)))})
	if err != nil || rep.Created != n {
		t.Fatalf("import: %d created, %v", rep.Created, err)
	}
	t.Logf("import: %d products in %s", n, time.Since(start).Round(time.Millisecond))
	pending := func() int64 {
		t.Helper()
		backlog, err := outbox.Backlog(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range backlog {
			if b.Consumer == search.ConsumerName {
				return b.Pending
			}
		}
		t.Fatalf("%s is not subscribed", search.ConsumerName)
		return 0
	}
	messages := pending()

	// The worker's relay and indexer, with its metrics, counting what the
	// engine receives.
	engine := &countingEngine{Engine: w.engine}
	indexer := newSearchIndexer(engine, w.indexer.Source)
	consumer := indexer.Consumer()
	var batches atomic.Int64
	handle := consumer.Handle
	consumer.Handle = func(ctx context.Context, batch []outbox.Message) error {
		batches.Add(1)
		return handle(ctx, batch)
	}
	relay := outbox.NewRelay(d, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})), newWorkerRegistry(d))
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	start = time.Now()
	go func() {
		defer wg.Done()
		if err := relay.Run(runCtx, consumer); err != nil {
			t.Errorf("relay: %v", err)
		}
	}()
	for pending() > 0 {
		time.Sleep(50 * time.Millisecond)
	}
	took := time.Since(start)
	stop()
	wg.Wait()

	var indexed int
	if err := d.GetContext(ctx, &indexed, `SELECT count(*) FROM search_documents`); err != nil {
		t.Fatal(err)
	}
	if indexed != n {
		t.Fatalf("%d documents in the index, want %d", indexed, n)
	}
	t.Logf("indexing: %d outbox messages in %d batches, %d document upserts, in %s", messages, batches.Load(),
		engine.upserted.Load(), took.Round(time.Millisecond))
	t.Logf("indexing: %.0f products/s (%.0f document upserts/s, %.0f messages/s; %s a batch)",
		float64(n)/took.Seconds(), float64(engine.upserted.Load())/took.Seconds(), float64(messages)/took.Seconds(),
		(took / time.Duration(max(batches.Load(), 1))).Round(time.Millisecond))
}

// countingEngine counts the documents written to an engine.
type countingEngine struct {
	search.Engine
	upserted atomic.Int64
}

func (e *countingEngine) Upsert(ctx context.Context, docs []search.Document) error {
	e.upserted.Add(int64(len(docs)))
	return e.Engine.Upsert(ctx, docs)
}
