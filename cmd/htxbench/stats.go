package main

import (
	"slices"
	"time"
)

// tally is what workers gathered for one target.
type tally struct {
	// latencies of the successful requests started in the measured window.
	latencies []time.Duration
	// failures counts failed requests, warm-up included, by description.
	failures map[string]int
}

// record adds one request's outcome; failure is "" for a success.
func (t *tally) record(measured bool, latency time.Duration, failure string) {
	switch {
	case failure != "":
		if t.failures == nil {
			t.failures = map[string]int{}
		}
		t.failures[failure]++
	case measured:
		t.latencies = append(t.latencies, latency)
	}
}

// merge joins the workers' tallies.
func merge(ts []tally) tally {
	n := 0
	for _, t := range ts {
		n += len(t.latencies)
	}
	out := tally{latencies: make([]time.Duration, 0, n), failures: map[string]int{}}
	for _, t := range ts {
		out.latencies = append(out.latencies, t.latencies...)
		for f, c := range t.failures {
			out.failures[f] += c
		}
	}
	return out
}

// Summary is what was measured for one target.
type Summary struct {
	Target      string
	Server      string
	Path        string
	Concurrency int
	// Requests counts the successful requests in the measured window.
	Requests int
	// Errors counts failed requests (non-2xx or transport errors), warm-up
	// included; Failures breaks them down by description.
	Errors   int
	Failures map[string]int
	Elapsed  time.Duration
	// RPS is successful requests per second of the measured window.
	RPS                float64
	P50, P95, P99, Max time.Duration
}

// summarize computes throughput and latency percentiles of a tally
// gathered over elapsed. It sorts t.latencies in place.
func summarize(tg target, concurrency int, t tally, elapsed time.Duration) Summary {
	slices.Sort(t.latencies)
	s := Summary{
		Target:      tg.name,
		Server:      tg.server,
		Path:        tg.path,
		Concurrency: concurrency,
		Requests:    len(t.latencies),
		Failures:    t.failures,
		Elapsed:     elapsed,
		P50:         percentile(t.latencies, 50),
		P95:         percentile(t.latencies, 95),
		P99:         percentile(t.latencies, 99),
		Max:         percentile(t.latencies, 100),
	}
	for _, c := range t.failures {
		s.Errors += c
	}
	if elapsed > 0 {
		s.RPS = float64(s.Requests) / elapsed.Seconds()
	}
	return s
}

// percentile returns the p-th percentile (0 < p <= 100) of sorted by the
// nearest-rank method: the smallest value that at least p% of the values
// do not exceed. It is 0 for no values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	// p*n/100 rather than p/100*n: exact for whole p and n.
	rank := int(p * float64(n) / 100)
	if float64(rank) < p*float64(n)/100 {
		rank++
	}
	rank = min(max(rank, 1), n)
	return sorted[rank-1]
}

// ofBaseline pairs each app result with its baseline: the baseline result
// for the same path, else the first baseline result. It returns nothing when
// no baseline ran.
func ofBaseline(results []Summary) []comparison {
	var out []comparison
	for _, r := range results {
		if r.Server != serverApp {
			continue
		}
		if b, ok := baselineFor(r, results); ok && b.RPS > 0 {
			out = append(out, comparison{Target: r.Target, Baseline: b.Target, Percent: 100 * r.RPS / b.RPS})
		}
	}
	return out
}

func baselineFor(r Summary, results []Summary) (Summary, bool) {
	var first *Summary
	for i, b := range results {
		if b.Server != serverBaseline {
			continue
		}
		if b.Path == r.Path {
			return b, true
		}
		if first == nil {
			first = &results[i]
		}
	}
	if first == nil {
		return Summary{}, false
	}
	return *first, true
}

// comparison is an app target's throughput as a percentage of a baseline's.
type comparison struct {
	Target   string  `json:"target"`
	Baseline string  `json:"baseline"`
	Percent  float64 `json:"percent"`
}
