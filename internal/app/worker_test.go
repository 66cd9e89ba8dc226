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
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/config"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/platform/jobs"
	"htxmarket/internal/platform/outbox"
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
	cfg := mustConfig(t)
	ident, err := newIdentity(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), d)
	if err != nil {
		t.Fatal(err)
	}
	r := jobs.NewRunner(d, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	for _, j := range housekeeping(ident, d) {
		if ran, err := r.RunOnce(context.Background(), j); !ran || err != nil {
			t.Errorf("%s: ran=%v err=%v", j.Name, ran, err)
		}
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
