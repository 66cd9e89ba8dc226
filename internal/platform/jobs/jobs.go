// Package jobs runs the worker's periodic housekeeping. Each job runs on its
// own schedule with jitter, and holds a PostgreSQL advisory lock while it
// runs, so that any number of worker replicas can run side by side and a
// job still runs in one of them at a time.
package jobs

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"
)

// Job is one periodic task. Run must be safe to repeat.
type Job struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context) error
}

// Runner runs jobs until its context ends.
type Runner struct {
	db      *sqlx.DB
	log     *slog.Logger
	runs    *prometheus.CounterVec
	lastRun *prometheus.GaugeVec
}

// NewRunner returns a runner on d. reg may be nil.
func NewRunner(d *sqlx.DB, log *slog.Logger, reg prometheus.Registerer) *Runner {
	r := &Runner{db: d, log: log}
	if reg != nil {
		r.runs = prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "htxmarket_job_runs_total", Help: "Job runs by job and result (ok, error).",
		}, []string{"job", "result"})
		r.lastRun = prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "htxmarket_job_last_success_timestamp_seconds", Help: "When each job last succeeded.",
		}, []string{"job"})
		reg.MustRegister(r.runs, r.lastRun)
	}
	return r
}

// RunOnce runs job now unless another worker is running it, and reports
// whether it ran.
func (r *Runner) RunOnce(ctx context.Context, job Job) (bool, error) {
	conn, err := r.db.Connx(ctx)
	if err != nil {
		return false, fmt.Errorf("jobs: %s: %w", job.Name, err)
	}
	defer conn.Close()
	key := lockKey(job.Name)
	var locked bool
	if err := conn.GetContext(ctx, &locked, `SELECT pg_try_advisory_lock($1)`, key); err != nil {
		return false, fmt.Errorf("jobs: %s: lock: %w", job.Name, err)
	}
	if !locked {
		return false, nil
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, key)

	start := time.Now()
	err = job.Run(ctx)
	result := "ok"
	if err != nil {
		result = "error"
		err = fmt.Errorf("jobs: %s: %w", job.Name, err)
	}
	if r.runs != nil {
		r.runs.WithLabelValues(job.Name, result).Inc()
		if err == nil {
			r.lastRun.WithLabelValues(job.Name).SetToCurrentTime()
		}
	}
	r.log.DebugContext(ctx, "job ran", "job", job.Name, "result", result, "duration", time.Since(start).String())
	return true, err
}

// Run runs every job on its schedule until ctx ends. A failing job is
// logged and tried again at its next turn.
func (r *Runner) Run(ctx context.Context, jobs ...Job) {
	var wg sync.WaitGroup
	for _, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				// Jitter spreads replicas' attempts (and the jobs) apart.
				wait := job.Every/2 + time.Duration(rand.Int64N(int64(job.Every)/2+1))
				select {
				case <-ctx.Done():
					return
				case <-time.After(wait):
				}
				if _, err := r.RunOnce(ctx, job); err != nil && ctx.Err() == nil {
					r.log.ErrorContext(ctx, "job failed", "job", job.Name, "err", err)
				}
			}
		}()
	}
	wg.Wait()
}

func lockKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("htxmarket-job:" + name))
	return int64(h.Sum64())
}
