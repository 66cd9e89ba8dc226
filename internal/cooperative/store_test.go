package cooperative_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/cooperative"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/platform/web"
	"htxmarket/migrations"
)

func TestSlugify(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"prefix shortened", "Hợp tác xã Chè Tân Cương", "htx-che-tan-cuong"},
		{"đ folded", "HTX Nông nghiệp Đồng Tâm", "htx-nong-nghiep-dong-tam"},
		{"punctuation", "Cà phê  (Cầu Đất) & Co.", "ca-phe-cau-dat-co"},
		{"reserved word", "Mine", "mine-htx"},
		{"too short", "A", "htx-a"},
		{"long name cut at a word", "Hợp tác xã sản xuất kinh doanh dịch vụ nông nghiệp tổng hợp xã Tân Cương huyện Đại Từ",
			"htx-san-xuat-kinh-doanh-dich-vu-nong-nghiep-tong"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cooperative.Slugify(tt.in); got != tt.want {
				t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func inTx[T any](t *testing.T, d *sqlx.DB, fn func(tx *sqlx.Tx) (T, error)) T {
	t.Helper()
	var out T
	err := db.InTx(context.Background(), d, func(tx *sqlx.Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func outboxCount(t *testing.T, d *sqlx.DB, key uuid.UUID) int {
	t.Helper()
	var n int
	if err := d.Get(&n, `SELECT count(*) FROM outbox WHERE topic = $1 AND key = $2`, cooperative.TopicChanged, key.String()); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestEnsureForImport(t *testing.T) {
	d := dbtest.New(t)
	st := cooperative.NewStore()
	ctx := context.Background()
	ensure := func(name, province string) cooperative.Cooperative {
		return inTx(t, d, func(tx *sqlx.Tx) (cooperative.Cooperative, error) {
			return st.EnsureForImport(ctx, tx, name, province)
		})
	}
	first := ensure("Hợp tác xã Chè Tân Cương", "thai-nguyen")
	if first.Slug != "htx-che-tan-cuong" || first.Status != cooperative.StatusVerified || first.Province != "thai-nguyen" {
		t.Fatalf("created %+v", first)
	}
	again := ensure("  HOP TAC XA che  tan cuong ", "thai-nguyen")
	if again.ID != first.ID {
		t.Fatalf("the same name without accents made another cooperative: %s", again.Slug)
	}
	other := ensure("Hợp tác xã Chè Tân Cương", "phu-tho")
	if other.ID == first.ID || other.Slug != "htx-che-tan-cuong-2" {
		t.Fatalf("another province: %+v", other)
	}
	if n := outboxCount(t, d, first.ID); n != 1 {
		t.Errorf("%d outbox messages for one creation", n)
	}
	err := db.InTx(ctx, d, func(tx *sqlx.Tx) error {
		_, err := st.EnsureForImport(ctx, tx, "HTX Ma", "atlantis")
		return err
	})
	if !errors.Is(err, geo.ErrUnknownProvince) {
		t.Errorf("unknown province: %v", err)
	}
	// An import names cooperatives under the API's rule: no control or
	// invisible characters (bidirectional override, zero-width space).
	for _, name := range []string{"HTX \u202eCà phê", "HTX Chè\u200b Tân Cương", "HTX \u0007Mật ong"} {
		var before int
		if err := d.Get(&before, `SELECT count(*) FROM cooperatives`); err != nil {
			t.Fatal(err)
		}
		err := db.InTx(ctx, d, func(tx *sqlx.Tx) error {
			_, err := st.EnsureForImport(ctx, tx, name, "thai-nguyen")
			return err
		})
		var v *web.ValidationError
		if !errors.As(err, &v) || len(v.Fields) != 1 || v.Fields[0].Field != "cooperative" {
			t.Errorf("EnsureForImport(%q): %v, want a field error on cooperative", name, err)
		}
		var after int
		if err := d.Get(&after, `SELECT count(*) FROM cooperatives`); err != nil {
			t.Fatal(err)
		}
		if after != before {
			t.Errorf("EnsureForImport(%q) created a cooperative", name)
		}
	}
}

func TestSetProductStats(t *testing.T) {
	d := dbtest.New(t)
	st := cooperative.NewStore()
	ctx := context.Background()
	c := inTx(t, d, func(tx *sqlx.Tx) (cooperative.Cooperative, error) {
		return st.EnsureForImport(ctx, tx, "HTX Bưởi Diễn", "ha-noi")
	})
	set := func(id uuid.UUID, groups []string, n, ocop int) error {
		return db.InTx(ctx, d, func(tx *sqlx.Tx) error { return st.SetProductStats(ctx, tx, id, groups, n, ocop) })
	}
	if err := set(c.ID, []string{"thuc-pham", "do-uong", "thuc-pham"}, 7, 3); err != nil {
		t.Fatal(err)
	}
	got, err := st.Get(ctx, d, c.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"thuc-pham", "do-uong"}, got.ProductGroups); diff != "" || got.ProductCount != 7 || got.OCOPProductCount != 3 {
		t.Fatalf("stats: %v %d %d %s", got.ProductGroups, got.ProductCount, got.OCOPProductCount, diff)
	}
	if err := set(c.ID, []string{"thuc-pham", "do-uong"}, 7, 3); err != nil {
		t.Fatal(err)
	}
	if n := outboxCount(t, d, c.ID); n != 2 {
		t.Errorf("%d outbox messages, want 2 (creation and one real change)", n)
	}
	// The search indexer skips both: no product's document shows the
	// figures, and a new cooperative's products announce themselves.
	var payloads []string
	if err := d.Select(&payloads, `SELECT payload::text FROM outbox WHERE key = $1 ORDER BY id`, c.ID.String()); err != nil {
		t.Fatal(err)
	}
	if len(payloads) != 2 || !cooperative.LeavesProducts([]byte(payloads[0])) || !cooperative.LeavesProducts([]byte(payloads[1])) {
		t.Errorf("LeavesProducts of the creation and the figures' messages: want true, true; payloads %q", payloads)
	}
	if err := set(uuid.New(), nil, 1, 0); !errors.Is(err, cooperative.ErrNotFound) {
		t.Errorf("unknown cooperative: %v", err)
	}
}

func TestDirectory(t *testing.T) {
	d := dbtest.New(t)
	st := cooperative.NewStore()
	svc := cooperative.NewService(d, st, geo.NewService(geo.NewStore(d)), nil)
	ctx := context.Background()
	names := []string{"HTX Ếch Đồng", "HTX An Bình", "HTX Đào Tiên", "HTX Bưởi", "HTX Cam"}
	for i, n := range names {
		province := "ha-noi"
		if i%2 == 1 {
			province = "lao-cai"
		}
		c := inTx(t, d, func(tx *sqlx.Tx) (cooperative.Cooperative, error) { return st.EnsureForImport(ctx, tx, n, province) })
		if n == "HTX Cam" {
			inTx(t, d, func(tx *sqlx.Tx) (int, error) {
				return 0, st.SetProductStats(ctx, tx, c.ID, []string{"do-uong"}, 1, 1)
			})
		}
	}
	var got []string
	cursor := ""
	for range 5 {
		page, next, err := svc.Directory(ctx, cooperative.DirectoryFilter{Cursor: cursor, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page {
			got = append(got, s.Name)
		}
		if cursor = next; cursor == "" {
			break
		}
	}
	want := []string{"HTX An Bình", "HTX Bưởi", "HTX Cam", "HTX Đào Tiên", "HTX Ếch Đồng"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pages in order (-want +got):\n%s", diff)
	}

	filters := []struct {
		name string
		f    cooperative.DirectoryFilter
		want []string
	}{
		{"province", cooperative.DirectoryFilter{Province: "lao-cai"}, []string{"HTX An Bình", "HTX Bưởi"}},
		{"group", cooperative.DirectoryFilter{Group: "do-uong"}, []string{"HTX Cam"}},
		{"name without accents", cooperative.DirectoryFilter{Query: "dao tien"}, []string{"HTX Đào Tiên"}},
		{"wildcards are literal", cooperative.DirectoryFilter{Query: "%"}, nil},
	}
	for _, tt := range filters {
		t.Run(tt.name, func(t *testing.T) {
			page, _, err := svc.Directory(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, s := range page {
				names = append(names, s.Name)
			}
			if diff := cmp.Diff(tt.want, names); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	for _, bad := range []cooperative.DirectoryFilter{{Province: "atlantis"}, {Cursor: "!!"}, {Group: "Đồ uống"}} {
		if _, _, err := svc.Directory(ctx, bad); err == nil || err.Error() == "" {
			t.Errorf("%+v: want a validation error", bad)
		}
	}
}

// TestMigrationsRollBack checks that this capability's migrations have a
// working Down: the schema goes back to 00010 and forward again.
func TestMigrationsRollBack(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	m, err := db.NewMigrator(d.DB, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.DownTo(ctx, 10); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Up(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestEnsureForImportConcurrently runs two imports of the same new
// cooperative side by side: they find one cooperative, not two.
func TestEnsureForImportConcurrently(t *testing.T) {
	d := dbtest.New(t)
	st := cooperative.NewStore()
	ctx := context.Background()
	ids := make(chan uuid.UUID, 2)
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			err := db.InTx(ctx, d, func(tx *sqlx.Tx) error {
				c, err := st.EnsureForImport(ctx, tx, "HTX Nấm Linh Chi", "ha-noi")
				if err == nil {
					ids <- c.ID
				}
				return err
			})
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if a, b := <-ids, <-ids; a != b {
		t.Fatalf("two cooperatives made: %s and %s", a, b)
	}
}
