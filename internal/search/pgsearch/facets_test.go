package pgsearch

import (
	"fmt"
	"testing"
)

// A facet keeps its maxFacetValues most frequent values, ties by value,
// each cooperative labelled with its name.
func TestFacetsKeepTheMostFrequent(t *testing.T) {
	ix := newIndex()
	sc := &scratch{}
	// Slugs in an order that is not their byte order.
	for i := range maxFacetValues + 50 {
		ix.coop(fmt.Sprintf("htx-%03d", (i*37)%(maxFacetValues+50)), fmt.Sprintf("HTX %d", i))
	}
	ix.settle()
	sc.coop = make([]int32, len(ix.coops))
	for i, c := range ix.coops {
		var n int
		fmt.Sscanf(c.slug, "htx-%d", &n)
		sc.coop[i] = int32(1 + n%7)
	}
	got := ix.facets(sc)["cooperative"]
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
	for _, v := range got {
		if c := ix.coops[ix.coopID[v.Value]]; v.Label != c.name {
			t.Errorf("%s labelled %q, want %q", v.Value, v.Label, c.name)
		}
	}
	if _, ok := ix.facets(sc)["province"]; ok {
		t.Error("a facet without counts is present")
	}
}
