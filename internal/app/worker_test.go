package app

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/catalog"
	"htxmarket/internal/cooperative"
	"htxmarket/internal/identity"
	"htxmarket/internal/order"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/config"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/platform/jobs"
	"htxmarket/internal/platform/outbox"
	"htxmarket/internal/search"
)

// syncBuffer lets the test read what the worker logs while it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestWorkerRunsUntilSIGTERM(t *testing.T) {
	url := dbtest.NewURL(t)
	logs := &syncBuffer{}
	env := &Env{Stdout: io.Discard, Stderr: logs, Lookup: func(k string) (string, bool) {
		v, ok := map[string]string{"APP_ENV": "test", "DATABASE_URL": url, "WORKER_ADDR": "127.0.0.1:0"}[k]
		return v, ok
	}}
	done := make(chan error, 1)
	go func() { done <- Run(context.Background(), []string{"worker"}, env) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), "worker started") {
		if time.Now().After(deadline) {
			t.Fatalf("worker did not start:\n%s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	m := regexp.MustCompile(`worker http listening.* addr=(\S+)`).FindStringSubmatch(logs.String())
	if m == nil {
		t.Fatalf("the worker does not say where it serves its metrics:\n%s", logs.String())
	}
	for _, path := range []string{"/healthz", "/metrics"} {
		if status, _ := scrape(t, "http://"+m[1]+path); status != http.StatusOK {
			t.Errorf("GET %s: %d", path, status)
		}
	}
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("worker: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("worker did not stop on SIGTERM")
	}
	if !strings.Contains(logs.String(), "worker stopped") {
		t.Fatalf("no clean stop in the log:\n%s", logs.String())
	}
}

// TestWorkerMetrics scrapes the worker's handler after one consumer has
// received a batch and another has failed one.
func TestWorkerMetrics(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	reg := newWorkerRegistry(d)
	relay := outbox.NewRelay(d, slog.New(slog.NewTextHandler(io.Discard, nil)), reg)
	ok := outbox.Consumer{Name: "test-ok", Topics: []string{"test.changed"},
		Handle: func(context.Context, []outbox.Message) error { return nil }}
	broken := outbox.Consumer{Name: "test-broken", Topics: []string{"test.changed"},
		Handle: func(context.Context, []outbox.Message) error { return errors.New("peer unreachable") }}
	for _, c := range []outbox.Consumer{ok, broken} {
		if err := outbox.Subscribe(ctx, d, c); err != nil {
			t.Fatal(err)
		}
	}
	err := db.InTx(ctx, d, func(tx *sqlx.Tx) error {
		for _, k := range []string{"a", "b", "c"} {
			if err := outbox.Write(ctx, tx, "test.changed", k, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(workerHandler(reg))
	defer srv.Close()
	_, before := scrape(t, srv.URL+"/metrics")
	if v, found := metric(before, `htxmarket_outbox_pending{consumer="test-ok"}`); !found || v != 3 {
		t.Errorf("backlog before delivery: %v (found %v), want 3", v, found)
	}

	if n, err := relay.RunOnce(ctx, ok); n != 3 || err != nil {
		t.Fatalf("deliver: %d, %v", n, err)
	}
	if _, err := relay.RunOnce(ctx, broken); !errors.Is(err, outbox.ErrDelivery) {
		t.Fatalf("failing consumer: %v", err)
	}
	status, body := scrape(t, srv.URL+"/metrics")
	if status != http.StatusOK {
		t.Fatalf("GET /metrics: %d\n%s", status, body)
	}
	for _, tt := range []struct {
		series  string
		min     float64
		max     float64
		comment string
	}{
		{`htxmarket_outbox_delivered_total{consumer="test-ok"}`, 3, 3, "the batch delivered"},
		{`htxmarket_outbox_failures_total{consumer="test-broken"}`, 3, 3, "the batch that failed"},
		{`htxmarket_outbox_batch_duration_seconds_count{consumer="test-ok"}`, 1, 1, "one batch"},
		{`htxmarket_outbox_batch_duration_seconds_sum{consumer="test-ok"}`, 0, 5, "a quick batch"},
		{`htxmarket_outbox_batch_duration_seconds_count{consumer="test-broken"}`, 1, 1, "failed batches are timed too"},
		{`htxmarket_outbox_pending{consumer="test-ok"}`, 0, 0, "nothing left"},
		{`htxmarket_outbox_pending{consumer="test-broken"}`, 3, 3, "kept for a retry"},
		{`htxmarket_outbox_oldest_pending_age_seconds{consumer="test-ok"}`, 0, 0, "nothing waits"},
		{`htxmarket_outbox_oldest_pending_age_seconds{consumer="test-broken"}`, 0.000001, 60, "waiting since the write"},
		{`go_sql_max_open_connections{db_name="htxmarket"}`, 1, 1000, "the pool"},
	} {
		v, found := metric(body, tt.series)
		if !found || v < tt.min || v > tt.max {
			t.Errorf("%s = %v (found %v), want %v..%v: %s", tt.series, v, found, tt.min, tt.max, tt.comment)
		}
	}

	status, health := scrape(t, srv.URL+"/healthz")
	if status != http.StatusOK || !strings.Contains(health, `"ok"`) {
		t.Errorf("GET /healthz: %d %s", status, health)
	}
}

// scrape GETs url and returns the status and body.
func scrape(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return res.StatusCode, string(b)
}

// metric finds the value of one series in the Prometheus text format.
func metric(body, series string) (float64, bool) {
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			return f, err == nil
		}
	}
	return 0, false
}

func TestHousekeepingJobsRun(t *testing.T) {
	d := dbtest.New(t)
	w := newTestWorker(t, d)
	r := jobs.NewRunner(d, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	for _, j := range housekeeping(w.ident, w.products, w.buying, d) {
		if ran, err := r.RunOnce(context.Background(), j); !ran || err != nil {
			t.Errorf("%s: ran=%v err=%v", j.Name, ran, err)
		}
	}
}

// TestExpiredRatingLeavesTheIndex: a 4-star rating indexed while current,
// then expired yesterday with no write to the catalog (time passed), keeps
// its stars in the index until the housekeeping job announces it; then the
// indexer, through the outbox, gives it 0 stars.
func TestExpiredRatingLeavesTheIndex(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	w := newTestWorker(t, d)
	if _, err := w.products.Import(ctx, catalog.ImportRequest{CSV: bytes.NewReader(catalog.SampleCSV)}); err != nil {
		t.Fatal(err)
	}
	const slug = "khan-lua-to-tam-van-phuc"
	admin := &auth.Principal{UserID: uuid.New(), Roles: []auth.Role{auth.RoleAdmin}}
	now := time.Now().In(time.FixedZone("ICT", 7*60*60))
	p, err := w.products.Update(ctx, admin, slug, catalog.ProductUpdate{OCOP: &catalog.OCOPInput{
		Stars: 4, Certificate: "OCOP-HN-2023-42", ExpiresOn: now.AddDate(0, 0, 30).Format(time.DateOnly)}})
	if err != nil {
		t.Fatal(err)
	}
	w.drain(t)
	stars := func() int {
		t.Helper()
		res, err := w.engine.Search(ctx, search.Query{Text: p.Name, Sort: search.SortRelevance, Page: 1, PerPage: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if h.ID == p.ID {
				return h.Stars
			}
		}
		t.Fatalf("%s is not in the index: %+v", slug, res.Hits)
		return 0
	}
	ocopProducts := func() int {
		t.Helper()
		var n int
		if err := d.Get(&n, `SELECT ocop_product_count FROM cooperatives WHERE id = $1`, p.Cooperative.ID); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got := stars(); got != 4 {
		t.Fatalf("indexed with %d stars, want 4", got)
	}
	before := ocopProducts()

	yesterday := now.AddDate(0, 0, -1).Format(time.DateOnly)
	if _, err := d.Exec(`UPDATE products SET ocop_expires_on = $2 WHERE id = $1`, p.ID, yesterday); err != nil {
		t.Fatal(err)
	}
	if n := w.drain(t); n != 0 || stars() != 4 {
		t.Fatalf("before the job: %d messages, %d stars; want none and the old 4", n, stars())
	}

	r := jobs.NewRunner(d, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	i := slices.IndexFunc(housekeeping(w.ident, w.products, w.buying, d), func(j jobs.Job) bool { return j.Name == "catalog.ratings-expired" })
	if i < 0 {
		t.Fatal("no catalog.ratings-expired job")
	}
	if ran, err := r.RunOnce(ctx, housekeeping(w.ident, w.products, w.buying, d)[i]); !ran || err != nil {
		t.Fatalf("job: ran=%v err=%v", ran, err)
	}
	if n := w.drain(t); n == 0 {
		t.Fatal("the job queued nothing for the index")
	}
	if got := stars(); got != 0 {
		t.Errorf("after the job: %d stars, want 0", got)
	}
	if got := ocopProducts(); got != before-1 {
		t.Errorf("the cooperative counts %d OCOP products, want %d", got, before-1)
	}
	res, err := w.engine.Search(ctx, search.Query{Text: p.Name, MinStars: 4, Sort: search.SortRelevance, Page: 1, PerPage: 10})
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(res.Hits, func(h search.Hit) bool { return h.ID == p.ID }) {
		t.Error("the product still matches a 4-star filter")
	}
}

// testWorker is what the worker builds, on a test database.
type testWorker struct {
	ident    *identity.Service
	products *catalog.Service
	engine   search.Engine
	indexer  *search.Indexer
	relay    *outbox.Relay
	buying   *order.Service
	coops    *cooperative.Service
}

func newTestWorker(t *testing.T, d *sqlx.DB) *testWorker {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ident, err := newIdentity(mustConfig(t), log, d)
	if err != nil {
		t.Fatal(err)
	}
	provinces := geo.NewService(geo.NewStore(d))
	coops := cooperative.NewService(d, cooperative.NewStore(), provinces, coopAccounts{ident})
	products := newCatalog(d, coops, provinces)
	engine := newPGSearch(d)
	buying := order.NewService(d, order.NewStore(), orderInventory{products}, provinces, nil, nil, order.DefaultOptions(), log)
	return &testWorker{ident: ident, products: products, engine: engine, relay: outbox.NewRelay(d, log, nil),
		indexer: newSearchIndexer(engine, searchSource{products: products, provinces: provinces}), buying: buying, coops: coops}
}

// drain delivers every pending message to the search indexer, as the
// worker's relay does, and returns how many there were.
func (w *testWorker) drain(t *testing.T) int {
	t.Helper()
	total := 0
	for {
		n, err := w.relay.RunOnce(context.Background(), w.indexer.Consumer())
		if err != nil {
			t.Fatalf("drain outbox: %v", err)
		}
		if n == 0 {
			return total
		}
		total += n
	}
}

func mustConfig(t *testing.T) config.Config {
	t.Helper()
	c, err := config.FromLookup(func(k string) (string, bool) { return map[string]string{"APP_ENV": "test"}[k], k == "APP_ENV" })
	if err != nil {
		t.Fatal(err)
	}
	return c
}
