package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/platform/jobs"
)

func TestAJobRunsInOneWorkerAtATime(t *testing.T) {
	d := dbtest.New(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, b := jobs.NewRunner(d, log, nil), jobs.NewRunner(d, log, nil)
	release := make(chan struct{})
	started := make(chan struct{})
	var runs atomic.Int32
	job := jobs.Job{Name: "prune", Every: time.Hour, Run: func(ctx context.Context) error {
		if runs.Add(1) == 1 {
			close(started)
			<-release
		}
		return nil
	}}
	done := make(chan bool)
	go func() { ran, _ := a.RunOnce(context.Background(), job); done <- ran }()
	<-started
	if ran, err := b.RunOnce(context.Background(), job); ran || err != nil {
		t.Fatalf("second worker ran the job while the first held it: %v %v", ran, err)
	}
	close(release)
	if !<-done {
		t.Fatal("first worker did not run the job")
	}
	if ran, err := b.RunOnce(context.Background(), job); !ran || err != nil {
		t.Fatalf("after the first finished, the second must run it: %v %v", ran, err)
	}
}

func TestFailureIsReported(t *testing.T) {
	r := jobs.NewRunner(dbtest.New(t), slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	boom := errors.New("boom")
	_, err := r.RunOnce(context.Background(), jobs.Job{Name: "x", Every: time.Hour, Run: func(context.Context) error { return boom }})
	if !errors.Is(err, boom) {
		t.Fatalf("want boom, got %v", err)
	}
}
