package main

import (
	"math"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	hundred := make([]time.Duration, 100) // 1ms … 100ms
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one value is every percentile", []time.Duration{7}, 99, 7},
		{"p50 of 1..100", hundred, 50, 50 * time.Millisecond},
		{"p95 of 1..100", hundred, 95, 95 * time.Millisecond},
		{"p99 of 1..100", hundred, 99, 99 * time.Millisecond},
		{"p100 is the max", hundred, 100, 100 * time.Millisecond},
		{"p99.9 of 1..100 rounds up", hundred, 99.9, 100 * time.Millisecond},
		{"p50 of four is the second", []time.Duration{1, 2, 3, 4}, 50, 2},
		{"p51 of four is the third", []time.Duration{1, 2, 3, 4}, 51, 3},
		{"p95 of ten is the tenth", []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 95, 10},
		{"tiny p is the min", []time.Duration{3, 5, 8}, 0.1, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("percentile(p%v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	// 1ms … 100ms recorded out of order by two workers, plus failures.
	var a, b tally
	for i := 100; i >= 1; i-- {
		w := &a
		if i%2 == 0 {
			w = &b
		}
		w.record(true, time.Duration(i)*time.Millisecond, "")
	}
	a.record(false, time.Hour, "")         // warm-up success: not kept
	a.record(false, time.Hour, "HTTP 500") // warm-up failure: counted
	b.record(true, time.Hour, "HTTP 500")
	b.record(true, time.Hour, "connection reset")

	tests := []struct {
		name    string
		tally   tally
		elapsed time.Duration
		want    Summary
	}{
		{
			name:    "two workers with failures",
			tally:   merge([]tally{a, b}),
			elapsed: 2 * time.Second,
			want: Summary{Requests: 100, Errors: 3, RPS: 50,
				P50: 50 * time.Millisecond, P95: 95 * time.Millisecond,
				P99: 99 * time.Millisecond, Max: 100 * time.Millisecond},
		},
		{
			name:    "nothing succeeded",
			tally:   merge([]tally{{}}),
			elapsed: time.Second,
			want:    Summary{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarize(target{name: "x"}, 4, tt.tally, tt.elapsed)
			if got.Requests != tt.want.Requests || got.Errors != tt.want.Errors ||
				math.Abs(got.RPS-tt.want.RPS) > 1e-9 ||
				got.P50 != tt.want.P50 || got.P95 != tt.want.P95 ||
				got.P99 != tt.want.P99 || got.Max != tt.want.Max {
				t.Errorf("summarize = %+v\nwant        %+v", got, tt.want)
			}
		})
	}
	if got := merge([]tally{a, b}).failures["HTTP 500"]; got != 2 {
		t.Errorf("HTTP 500 failures = %d, want 2", got)
	}
}

func TestOfBaseline(t *testing.T) {
	results := []Summary{
		{Target: "provinces", Server: serverApp, Path: "/p", RPS: 400},
		{Target: "products", Server: serverApp, Path: "/q", RPS: 100},
		{Target: "baseline", Server: serverBaseline, Path: "/p", RPS: 1000},
		{Target: "baseline-q", Server: serverBaseline, Path: "/q", RPS: 500},
	}
	got := ofBaseline(results)
	want := []comparison{
		{Target: "provinces", Baseline: "baseline", Percent: 40},
		{Target: "products", Baseline: "baseline-q", Percent: 20},
	}
	if len(got) != len(want) {
		t.Fatalf("ofBaseline = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("ofBaseline[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	if got := ofBaseline(results[:2]); len(got) != 0 {
		t.Errorf("without a baseline: %+v, want none", got)
	}
}
