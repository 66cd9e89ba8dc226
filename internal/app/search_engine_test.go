package app_test

import (
	"strings"
	"testing"

	"htxmarket/internal/app/apptest"
)

// TestSearchFallsBackWhenMeilisearchIsDown starts the server with MEILI_URL
// pointing at a closed port: it must start, and searches must be answered
// by the postgres engine.
func TestSearchFallsBackWhenMeilisearchIsDown(t *testing.T) {
	env := apptest.New(t, map[string]string{"MEILI_URL": "http://127.0.0.1:1", "MEILI_TIMEOUT": "200ms"})
	res := env.Client.Get("/api/v1/search?q=n%C6%B0%E1%BB%9Bc+m%E1%BA%AFm")
	if res.Status != 200 {
		t.Fatalf("search with Meilisearch down: %d %s", res.Status, res.Body)
	}
	var r struct {
		Engine string `json:"engine"`
	}
	res.JSON(t, &r)
	if r.Engine != "postgres" {
		t.Fatalf("answered by %q, want the postgres fallback", r.Engine)
	}
	if res := env.Client.Get("/metrics"); !strings.Contains(string(res.Body), "htxmarket_search_fallback_total") {
		t.Fatal("the fallback is not counted in the metrics")
	}
}
