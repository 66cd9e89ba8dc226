package meili

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"htxmarket/internal/platform/config"
	"htxmarket/internal/search"
	"htxmarket/internal/search/searchtest"
)

// TestContract runs the engine contract against the Meilisearch at
// MEILI_URL (with MEILI_API_KEY), each subtest on a fresh index that is
// deleted afterwards. It is the only test here that talks to a real server.
func TestContract(t *testing.T) {
	url := os.Getenv("MEILI_URL")
	if url == "" {
		t.Skip("MEILI_URL is not set: the meili engine's contract needs a real Meilisearch (e.g. MEILI_URL=http://127.0.0.1:7700)")
	}
	run := time.Now().UnixMilli()
	n := 0
	searchtest.Run(t, func(t *testing.T) search.Engine {
		n++
		e, err := New(config.Search{MeiliURL: url, MeiliAPIKey: os.Getenv("MEILI_API_KEY"),
			MeiliIndex: fmt.Sprintf("htxmarket_test_%d_%d", run, n), MeiliTimeout: 10 * time.Second, MeiliTaskTimeout: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.EnsureSettings(context.Background()); err != nil {
			t.Fatalf("Meilisearch at MEILI_URL=%s: %v", url, err)
		}
		t.Cleanup(func() {
			if err := e.drop(context.Background(), e.Index()); err != nil {
				t.Errorf("delete test index: %v", err)
			}
		})
		return e
	})
}
