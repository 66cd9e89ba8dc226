package pgsearch

import (
	"fmt"
	"testing"

	"htxmarket/internal/search"
)

// A facet keeps its maxFacetValues most frequent values, ties by value.
func TestSortValuesKeepsTheMostFrequent(t *testing.T) {
	var vs []search.FacetValue
	for i := range maxFacetValues + 50 {
		vs = append(vs, search.FacetValue{Value: fmt.Sprintf("htx-%03d", i), Count: 1 + i%7})
	}
	got := sortValues(vs)
	if len(got) != maxFacetValues {
		t.Fatalf("%d values, want %d", len(got), maxFacetValues)
	}
	if got[0].Count != 7 || got[0].Value != "htx-006" || got[len(got)-1].Count < 2 {
		t.Errorf("first %+v, last %+v: want the most frequent first, the rarest dropped", got[0], got[len(got)-1])
	}
	for i := 1; i < len(got); i++ {
		if a, b := got[i-1], got[i]; a.Count < b.Count || a.Count == b.Count && a.Value > b.Value {
			t.Fatalf("out of order at %d: %+v then %+v", i, a, b)
		}
	}
}
