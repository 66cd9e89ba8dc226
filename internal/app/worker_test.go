package app

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"htxmarket/internal/platform/config"
	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/platform/jobs"
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
		v, ok := map[string]string{"APP_ENV": "test", "DATABASE_URL": url}[k]
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
