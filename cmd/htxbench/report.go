package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strings"
	"time"
)

const rowFormat = "%-18s %5v %10v %10v %9v %9v %9v %9v %7v\n"

func printHeader(w io.Writer, opt options) {
	fmt.Fprintf(w, "htxbench: %s %s/%s, GOMAXPROCS=%d, %d CPUs\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), runtime.NumCPU())
	fmt.Fprintln(w, "client and both servers run in this one process and share the machine's cores;")
	caches := "on (catalog pages and search answers cached)"
	if !opt.caches {
		caches = "off (CATALOG_CACHE_TTL=0, SEARCH_CACHE_TTL=0)"
	}
	fmt.Fprintf(w, "each target: %s warm-up, then %s measured, %d workers with keep-alive connections; response caches %s\n\n",
		opt.warmup, opt.duration, opt.concurrency, caches)
	fmt.Fprintf(w, rowFormat, "target", "conc", "requests", "rps", "p50", "p95", "p99", "max", "errors")
}

func printRow(w io.Writer, s Summary) {
	fmt.Fprintf(w, rowFormat, s.Target, s.Concurrency, s.Requests, fmt.Sprintf("%.0f", s.RPS),
		ms(s.P50), ms(s.P95), ms(s.P99), ms(s.Max), s.Errors)
}

// ms formats a latency in milliseconds, fine enough for sub-millisecond ones.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
}

// printComparison writes the last line: each app target's throughput as a
// percentage of its baseline's.
func printComparison(w io.Writer, results []Summary) {
	cs := ofBaseline(results)
	if len(cs) == 0 {
		return
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = fmt.Sprintf("%s: %.0f%% of %s", c.Target, c.Percent, c.Baseline)
	}
	fmt.Fprintf(w, "\n%s\n", strings.Join(parts, ", "))
}

// printErrors lists the failures of every target and returns how many
// there were.
func printErrors(w io.Writer, results []Summary) int {
	total := 0
	for _, s := range results {
		if s.Errors == 0 {
			continue
		}
		total += s.Errors
		fmt.Fprintf(w, "%s: %d failed requests\n", s.Target, s.Errors)
		kinds := make([]string, 0, len(s.Failures))
		for k := range s.Failures {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		for _, k := range kinds {
			fmt.Fprintf(w, "  %6d × %s\n", s.Failures[k], k)
		}
	}
	return total
}

// jsonReport is the -json output: the run's settings and the figures of the
// table, latencies in milliseconds.
type jsonReport struct {
	GoVersion   string       `json:"go_version"`
	GOMAXPROCS  int          `json:"gomaxprocs"`
	NumCPU      int          `json:"num_cpu"`
	SharedCores bool         `json:"client_shares_cores"`
	WarmupSec   float64      `json:"warmup_s"`
	DurationSec float64      `json:"duration_s"`
	Concurrency int          `json:"concurrency"`
	Targets     []jsonResult `json:"targets"`
	OfBaseline  []comparison `json:"of_baseline"`
}

type jsonResult struct {
	Target      string         `json:"target"`
	Server      string         `json:"server"`
	Path        string         `json:"path"`
	Concurrency int            `json:"concurrency"`
	Requests    int            `json:"requests"`
	ElapsedSec  float64        `json:"elapsed_s"`
	RPS         float64        `json:"rps"`
	P50ms       float64        `json:"p50_ms"`
	P95ms       float64        `json:"p95_ms"`
	P99ms       float64        `json:"p99_ms"`
	MaxMs       float64        `json:"max_ms"`
	Errors      int            `json:"errors"`
	Failures    map[string]int `json:"failures,omitempty"`
}

func writeJSON(path string, opt options, results []Summary) error {
	r := jsonReport{
		GoVersion:   runtime.Version(),
		GOMAXPROCS:  runtime.GOMAXPROCS(0),
		NumCPU:      runtime.NumCPU(),
		SharedCores: true,
		WarmupSec:   opt.warmup.Seconds(),
		DurationSec: opt.duration.Seconds(),
		Concurrency: opt.concurrency,
		OfBaseline:  ofBaseline(results),
	}
	for _, s := range results {
		r.Targets = append(r.Targets, toJSON(s))
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write -json: %w", err)
	}
	return nil
}

func toJSON(s Summary) jsonResult {
	msf := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	return jsonResult{
		Target: s.Target, Server: s.Server, Path: s.Path, Concurrency: s.Concurrency,
		Requests: s.Requests, ElapsedSec: s.Elapsed.Seconds(), RPS: s.RPS,
		P50ms: msf(s.P50), P95ms: msf(s.P95), P99ms: msf(s.P99), MaxMs: msf(s.Max),
		Errors: s.Errors, Failures: s.Failures,
	}
}
