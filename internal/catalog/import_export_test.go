package catalog

import (
	"context"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/db"
)

// HoldImportLock holds the import lock of a cooperative, as an import of
// it would, while during runs.
func HoldImportLock(ctx context.Context, d *sqlx.DB, coop uuid.UUID, during func()) error {
	s := &Service{}
	return db.InTx(ctx, d, func(tx *sqlx.Tx) error {
		if err := s.lockImports(ctx, tx, []uuid.UUID{coop}); err != nil {
			return err
		}
		during()
		return nil
	})
}
