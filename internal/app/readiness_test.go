package app_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"htxmarket/internal/app"
	"htxmarket/internal/catalog"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/platform/outbox"
)

// TestReadyOnlyOnceTheIndexerCaughtUp starts an instance while a catalog
// change waits for the search indexer: /readyz answers 503 until the
// indexer (the worker's relay) has delivered it, then 200.
func TestReadyOnlyOnceTheIndexerCaughtUp(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	if err := outbox.Write(ctx, d, catalog.TopicProductChanged, uuid.NewString(), map[string]string{}); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, nil)
	log := app.NewLogger(cfg, &bytes.Buffer{})
	srv, err := app.NewServer(cfg, log, d, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Run(runCtx, ln) }()
	defer func() { stop(); <-done }()

	readyz := func() int {
		res, err := http.Get("http://" + ln.Addr().String() + "/readyz")
		if err != nil {
			return 0
		}
		res.Body.Close()
		return res.StatusCode
	}
	// Long enough for the index to load, were it not waiting.
	deadline := time.Now().Add(1500 * time.Millisecond)
	for time.Now().Before(deadline) {
		if code := readyz(); code == http.StatusOK {
			t.Fatal("/readyz said ready while a catalog change waited for the indexer")
		}
		time.Sleep(100 * time.Millisecond)
	}

	relay := outbox.NewRelay(d, log, nil)
	if n, err := relay.RunOnce(ctx, srv.SearchIndexer.Consumer()); err != nil || n != 1 {
		t.Fatalf("relay delivered %d, %v; want 1 message", n, err)
	}
	deadline = time.Now().Add(10 * time.Second)
	for readyz() != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("/readyz not ready after the indexer caught up")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestReindexCoversTheChangesWaitingForTheIndexer: a complete rebuild
// reads the catalog after the changes that waited, so they no longer wait
// (an instance started next is ready without a worker).
func TestReindexCoversTheChangesWaitingForTheIndexer(t *testing.T) {
	const name = "htxmarket_test_reindex_covers"
	dbtest.Drop(t, name)
	t.Cleanup(func() { dbtest.Drop(t, name) })
	url := dbtest.URL(name)
	vars := map[string]string{"APP_ENV": "development", "DATABASE_URL": url}
	env := &app.Env{Stdout: io.Discard, Stderr: io.Discard, Lookup: func(k string) (string, bool) { v, ok := vars[k]; return v, ok }}
	ctx := context.Background()
	if err := app.Run(ctx, []string{"migrate", "up"}, env); err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(ctx, url, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for range 3 {
		if err := outbox.Write(ctx, d, catalog.TopicProductChanged, uuid.NewString(), map[string]string{}); err != nil {
			t.Fatal(err)
		}
	}
	waiting := func() (n int) {
		if err := d.Get(&n, `SELECT count(*) FROM outbox_pending WHERE consumer = 'search-index'`); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := waiting(); n != 3 {
		t.Fatalf("%d changes wait for the indexer before the rebuild, want 3", n)
	}
	if err := app.Run(ctx, []string{"search", "reindex"}, env); err != nil {
		t.Fatal(err)
	}
	if n := waiting(); n != 0 {
		t.Fatalf("%d changes still wait for the indexer after a complete rebuild", n)
	}
}
