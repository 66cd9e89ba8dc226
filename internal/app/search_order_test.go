package app

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/catalog"
	"htxmarket/internal/catalog/catalogtest"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/config"
	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/search"
	"htxmarket/internal/search/meili"
)

// pausingSource holds one delivery between its read of the catalog and
// its write of the index, as a GC pause or a wait for the index's lock
// would: read says it has read, and it writes once resume is closed.
type pausingSource struct {
	searchSource
	read   chan struct{}
	resume chan struct{}
}

func (s pausingSource) Documents(ctx context.Context, ids []uuid.UUID, write func([]search.Document) error) error {
	return s.searchSource.Documents(ctx, ids, func(docs []search.Document) error {
		close(s.read)
		<-s.resume
		return write(docs)
	})
}

// TestIndexDeliveriesOfOneProductStayOrdered is issue #16's first fault:
// worker A reads product P as public and pauses; P is archived; worker B
// delivers the archival and deletes P from the index; A then writes its
// stale copy. P must not be searchable once both deliveries are done. It
// runs on the postgres engine and, with MEILI_URL, on Meilisearch.
func TestIndexDeliveriesOfOneProductStayOrdered(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		d := dbtest.New(t)
		testIndexOrder(t, d, newPGSearch(d))
	})
	t.Run("meili", func(t *testing.T) {
		url := os.Getenv("MEILI_URL")
		if url == "" {
			t.Skip("MEILI_URL is not set")
		}
		e, err := meili.New(config.Search{MeiliURL: url, MeiliAPIKey: os.Getenv("MEILI_API_KEY"),
			MeiliIndex: fmt.Sprintf("htxmarket_test_order_%d", time.Now().UnixMilli()), MeiliTimeout: 10 * time.Second,
			MeiliTaskTimeout: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.EnsureSettings(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			req, _ := http.NewRequest(http.MethodDelete, strings.TrimSuffix(url, "/")+"/indexes/"+e.Index(), nil)
			if k := os.Getenv("MEILI_API_KEY"); k != "" {
				req.Header.Set("Authorization", "Bearer "+k)
			}
			if res, err := http.DefaultClient.Do(req); err == nil {
				res.Body.Close()
			}
		})
		testIndexOrder(t, dbtest.New(t), e)
	})
}

func testIndexOrder(t *testing.T, d *sqlx.DB, engine search.Engine) {
	ctx := context.Background()
	provinces := geo.NewService(geo.NewStore(d))
	products := catalog.NewService(d, catalog.NewStore(), catalogtest.SQLCooperatives{DB: d}, provinces)
	coop := catalogtest.NewCooperative(t, d, "HTX Chè Tân Cương", "thai-nguyen", "verified")
	manager := &auth.Principal{UserID: uuid.New(), Memberships: []auth.Membership{
		{CooperativeID: coop.ID, CooperativeSlug: coop.Slug, Role: auth.RoleCoopManager}}}
	p, err := products.Create(ctx, manager, coop.Slug, catalog.NewProduct{Name: "Chè búp Tân Cương", Group: "do-uong",
		Province: "Thái Nguyên", Status: catalog.StatusActive,
		Variants: []catalog.NewVariant{{SKU: "che-bup", Unit: "hộp", PriceVND: 100000, Stock: 5}}})
	if err != nil {
		t.Fatal(err)
	}
	src := searchSource{products: products, provinces: provinces}
	if err := newSearchIndexer(engine, src).Index(ctx, []uuid.UUID{p.ID}); err != nil {
		t.Fatal(err)
	}
	if n := hits(t, engine, "chè búp"); n != 1 {
		t.Fatalf("indexed product: %d hits, want 1", n)
	}

	paused := pausingSource{searchSource: src, read: make(chan struct{}), resume: make(chan struct{})}
	aDone := make(chan error, 1)
	go func() { aDone <- newSearchIndexer(engine, paused).Index(ctx, []uuid.UUID{p.ID}) }()
	<-paused.read // A holds P as public

	if _, err := products.Archive(ctx, manager, p.Slug); err != nil {
		t.Fatal(err)
	}
	bDone := make(chan error, 1)
	go func() { bDone <- newSearchIndexer(engine, src).Index(ctx, []uuid.UUID{p.ID}) }()
	// B either finishes (nothing orders it after A) or waits for A: give
	// it time to do the first, then let A go on.
	select {
	case err := <-bDone:
		bDone <- err
	case <-time.After(300 * time.Millisecond):
	}
	close(paused.resume)
	for _, done := range []chan error{aDone, bDone} {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("a delivery never finished")
		}
	}
	if n := hits(t, engine, "chè búp"); n != 0 {
		t.Errorf("archived product still searchable after both deliveries: %d hits", n)
	}
}

func hits(t *testing.T, e search.Engine, q string) int {
	t.Helper()
	res, err := e.Search(context.Background(), search.Query{Text: q, Sort: search.SortRelevance, Page: 1, PerPage: 10})
	if err != nil {
		t.Fatal(err)
	}
	return res.Total
}
