package db_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/db/dbtest"
)

// TestPreparedInsideBusyTransactions: statements are prepared in the
// background and then used inside transactions, even when every connection
// of the pool is held by a transaction that asks for one.
func TestPreparedInsideBusyTransactions(t *testing.T) {
	d := dbtest.New(t)
	d.SetMaxOpenConns(2)
	p := db.NewPrepared(d)
	defer p.Close()
	const q = `SELECT $1::int + 1`
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				err := db.InTx(ctx, d, func(tx *sqlx.Tx) error {
					var n int
					if err := p.Get(ctx, tx, &n, q, i*100+j); err != nil {
						return err
					}
					if n != i*100+j+1 {
						t.Errorf("got %d", n)
					}
					return nil
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	var n int
	if err := p.Get(ctx, d, &n, q, 41); err != nil || n != 42 {
		t.Fatalf("outside a transaction: %d %v", n, err)
	}
}
