package catalog

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFreeSlugs(t *testing.T) {
	taken := map[string]bool{"mat-ong": true, "mat-ong-3": true, "che": true}
	got := freeSlugs([]string{"mat-ong", "mat-ong", "che", "mat-ong", "mat-ong-2", "ca-phe"}, taken)
	want := []string{"mat-ong-2", "mat-ong-4", "che-2", "mat-ong-5", "mat-ong-2-2", "ca-phe"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("slugs (-want +got):\n%s", diff)
	}
}

// TestFreeSlugsInLinearTime: an import whose 20,000 rows share a product
// name took 24 s counting up from 2 for every row (issue #12).
func TestFreeSlugsInLinearTime(t *testing.T) {
	const n = 20_000
	bases := make([]string, n)
	for i := range bases {
		bases[i] = "mat-ong"
	}
	done := make(chan []string, 1)
	go func() { done <- freeSlugs(bases, map[string]bool{"mat-ong-7": true}) }()
	select {
	case got := <-done:
		seen := map[string]bool{}
		for _, s := range got {
			if seen[s] || s == "mat-ong-7" {
				t.Fatalf("slug %s given twice or taken", s)
			}
			seen[s] = true
		}
		if last := got[n-1]; last != fmt.Sprintf("mat-ong-%d", n+1) {
			t.Errorf("last slug %s", last)
		}
	case <-time.After(2 * time.Second):
		t.Fatalf("%d slugs of one name took more than 2 s", n)
	}
}
