package catalog

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/platform/geo"
)

// serializationOnce fails the first ImportRows as PostgreSQL fails a
// transaction that lost a race (40001), after apply has filled in the
// rows: db.InTx runs the import again.
type serializationOnce struct {
	Store
	failed bool
}

func (s *serializationOnce) ImportRows(ctx context.Context, tx *sqlx.Tx, rows []importRow) (int, error) {
	if !s.failed {
		s.failed = true
		return 0, &pq.Error{Code: "40001", Message: "could not serialize access"}
	}
	return s.Store.ImportRows(ctx, tx, rows)
}

// oneCoop is the cooperative of a manager's import.
type oneCoop struct{ Coop }

func (c oneCoop) Cooperative(context.Context, string) (Coop, error) { return c.Coop, nil }
func (c oneCoop) EnsureForImport(context.Context, sqlx.ExtContext, string, string) (Coop, error) {
	return c.Coop, nil
}
func (oneCoop) SetProductStats(context.Context, sqlx.ExtContext, uuid.UUID, []string, int, int) error {
	return nil
}

// TestRetriedImportStartsFromTheParsedRows: the rows an attempt filled in
// (IDs, slugs, what exists) do not carry over to the next attempt.
func TestRetriedImportStartsFromTheParsedRows(t *testing.T) {
	d := dbtest.New(t)
	coop := Coop{ID: uuid.Must(uuid.NewV7()), Slug: "htx-mat-ong", Name: "HTX Mật ong", Province: "thai-nguyen", Verified: true}
	d.MustExec(`INSERT INTO cooperatives (id, slug, name, province_slug, status) VALUES ($1, $2, $3, $4, 'verified')`,
		coop.ID, coop.Slug, coop.Name, coop.Province)
	store := &serializationOnce{Store: NewStore()}
	s := NewService(d, store, oneCoop{coop}, geo.NewService(geo.NewStore(d)))
	csv := strings.Join(Columns, ",") + "\n" +
		"MO-1,HTX Mật ong,thai-nguyen,Mật ong rừng,thuc-pham,chai,150000,,,10,,,,\n" +
		"MO-2,HTX Mật ong,thai-nguyen,Mật ong rừng,thuc-pham,hũ,90000,,,10,,,,\n"
	rep, err := s.Import(context.Background(), ImportRequest{CSV: strings.NewReader(csv), Cooperative: coop.Slug})
	if err != nil || !store.failed {
		t.Fatalf("import: %v (retried: %v)", err, store.failed)
	}
	if rep.Created != 2 || rep.Updated != 0 {
		t.Errorf("report: %d created, %d updated; want 2 created", rep.Created, rep.Updated)
	}
	var slugs []string
	if err := d.Select(&slugs, `SELECT slug FROM products ORDER BY slug`); err != nil {
		t.Fatal(err)
	}
	if strings.Join(slugs, " ") != "mat-ong-rung mat-ong-rung-2" {
		t.Errorf("slugs %v", slugs)
	}
}
