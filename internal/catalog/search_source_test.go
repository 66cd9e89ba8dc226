package catalog_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"htxmarket/internal/catalog"
	"htxmarket/internal/catalog/catalogtest"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/outbox"
)

// testCoopTopic stands for the cooperatives' change topic, which the
// catalog is told rather than knows.
const testCoopTopic = "test.cooperative.changed"

// newActiveProduct creates an active product of coop by its manager.
func newActiveProduct(t *testing.T, s *catalog.Service, coop catalog.Coop, name, sku string) catalog.Product {
	t.Helper()
	manager := &auth.Principal{UserID: uuid.New(), Memberships: []auth.Membership{{CooperativeID: coop.ID, CooperativeSlug: coop.Slug, Role: auth.RoleCoopManager}}}
	p, err := s.Create(context.Background(), manager, coop.Slug, catalog.NewProduct{Name: name, Group: "do-uong", Province: "Thái Nguyên",
		Status: catalog.StatusActive, Variants: []catalog.NewVariant{{SKU: sku, Unit: "hộp", PriceVND: 100000, Stock: 5}}})
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	return p
}

func sortedIDs(ids ...uuid.UUID) []uuid.UUID {
	slices.SortFunc(ids, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
	return ids
}

func TestSearchChangedSince(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	coop := catalogtest.NewCooperative(t, d, "HTX Chè Tân Cương", "thai-nguyen", "verified")
	other := catalogtest.NewCooperative(t, d, "HTX Chè Shan Tuyết", "tuyen-quang", "verified")
	manager := &auth.Principal{UserID: uuid.New(), Memberships: []auth.Membership{{CooperativeID: coop.ID, CooperativeSlug: coop.Slug, Role: auth.RoleCoopManager}}}
	untouched := newActiveProduct(t, s, coop, "Chè búp", "che-bup")
	edited := newActiveProduct(t, s, coop, "Chè xanh", "che-xanh")
	archived := newActiveProduct(t, s, coop, "Chè đen", "che-den")
	ofOther := newActiveProduct(t, s, other, "Chè Shan", "che-shan")
	ofOther2 := newActiveProduct(t, s, other, "Chè Shan cổ thụ", "che-shan-co-thu")

	mark, err := s.SearchChangeMark(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ids, err := s.SearchChangedSince(ctx, mark, testCoopTopic); err != nil || len(ids) != 0 {
		t.Fatalf("changes before any change since the mark: %v %v", ids, err)
	}

	name := "Chè xanh Tân Cương"
	if _, err := s.Update(ctx, manager, edited.Slug, catalog.ProductUpdate{Name: &name}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Archive(ctx, manager, archived.Slug); err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct{ topic, key string }{
		{testCoopTopic, other.ID.String()},                // every product of other
		{testCoopTopic, "not-a-uuid"},                     // skipped, as the indexer skips it
		{"partner.webhook", untouched.ID.String()},        // another topic: not a search change
		{catalog.TopicProductChanged, edited.ID.String()}, // twice is once
	} {
		if err := outbox.Write(ctx, d, m.topic, m.key, struct{}{}); err != nil {
			t.Fatal(err)
		}
	}

	got, err := s.SearchChangedSince(ctx, mark, testCoopTopic)
	if err != nil {
		t.Fatal(err)
	}
	want := sortedIDs(edited.ID, archived.ID, ofOther.ID, ofOther2.ID)
	if diff := cmp.Diff(want, sortedIDs(got...)); diff != "" {
		t.Errorf("changed since the mark (-want +got):\n%s", diff)
	}

	// A later mark leaves out what came before it.
	later, err := s.SearchChangeMark(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !later.After(mark) {
		t.Errorf("second mark %v is not after the first %v", later, mark)
	}
	if ids, err := s.SearchChangedSince(ctx, later, testCoopTopic); err != nil || len(ids) != 0 {
		t.Errorf("changes since the later mark: %v %v", ids, err)
	}
}

// TestSearchChangeMarkCoversRunningTransactions is the case a mark taken
// from the clock alone would miss: a transaction that began before the
// mark commits its change after it, stamped with its start.
func TestSearchChangeMarkCoversRunningTransactions(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	coop := catalogtest.NewCooperative(t, d, "HTX Chè Tân Cương", "thai-nguyen", "verified")
	p := newActiveProduct(t, s, coop, "Chè búp", "che-bup")

	tx, err := d.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := outbox.Write(ctx, tx, catalog.TopicProductChanged, p.ID.String(), struct{}{}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	var now time.Time
	if err := d.GetContext(ctx, &now, `SELECT now()`); err != nil {
		t.Fatal(err)
	}
	mark, err := s.SearchChangeMark(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	var stamped time.Time
	if err := d.GetContext(ctx, &stamped, `SELECT max(created_at) FROM outbox`); err != nil {
		t.Fatal(err)
	}
	if !stamped.Before(now) {
		t.Fatalf("the change is stamped %v, not before the clock's %v: the test proves nothing", stamped, now)
	}
	if mark.After(stamped) {
		t.Errorf("mark %v is after the running transaction's start %v", mark, stamped)
	}
	got, err := s.SearchChangedSince(ctx, mark, testCoopTopic)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]uuid.UUID{p.ID}, got); diff != "" {
		t.Errorf("changed since the mark (-want +got):\n%s", diff)
	}
}
