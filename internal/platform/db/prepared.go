package db

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

// Prepared keeps server-side prepared statements for hot queries. lib/pq
// runs a statement with parameters in two round trips (parse and describe,
// then bind and execute); a statement prepared on the connection needs one.
// database/sql prepares each statement once per connection and reuses it,
// inside transactions too. The zero value is not usable: use NewPrepared.
type Prepared struct {
	db      *sqlx.DB
	mu      sync.Mutex
	stmts   map[string]*sqlx.Stmt
	pending map[string]bool
}

// NewPrepared returns a statement cache on d.
func NewPrepared(d *sqlx.DB) *Prepared {
	return &Prepared{db: d, stmts: map[string]*sqlx.Stmt{}, pending: map[string]bool{}}
}

// stmt returns q prepared for ext: the pool's statement, or the same bound
// to ext when ext is a transaction; nil (run it unprepared) until the
// statement has been prepared. Preparing takes a connection of the pool,
// so it runs in the background, holding nothing: a caller inside a
// transaction already holds a connection, and waiting here for another
// could starve the pool.
func (p *Prepared) stmt(ctx context.Context, ext sqlx.ExtContext, q string) *sqlx.Stmt {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	s, ok := p.stmts[q]
	if !ok {
		if !p.pending[q] {
			p.pending[q] = true
			go p.prepare(q)
		}
		p.mu.Unlock()
		return nil
	}
	p.mu.Unlock()
	switch e := ext.(type) {
	case *sqlx.Tx:
		return e.StmtxContext(ctx, s)
	case *sqlx.DB:
		if e == p.db {
			return s
		}
	}
	return nil
}

// prepare prepares q on the pool; a failure (the database is away) lets
// a later call try again.
func (p *Prepared) prepare(q string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := p.db.PreparexContext(ctx, q)
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.pending, q)
	if err == nil {
		p.stmts[q] = s
	}
}

// Exec runs q as ExecContext does, prepared. A nil Prepared runs it
// unprepared.
func (p *Prepared) Exec(ctx context.Context, ext sqlx.ExtContext, q string, args ...any) (int64, error) {
	if s := p.stmt(ctx, ext, q); s != nil {
		res, err := s.ExecContext(ctx, args...)
		if err != nil {
			return 0, err
		}
		return res.RowsAffected()
	}
	res, err := ext.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Get runs q as sqlx.GetContext does, prepared.
func (p *Prepared) Get(ctx context.Context, ext sqlx.ExtContext, dest any, q string, args ...any) error {
	if s := p.stmt(ctx, ext, q); s != nil {
		return s.GetContext(ctx, dest, args...)
	}
	return sqlx.GetContext(ctx, ext, dest, q, args...)
}

// Select runs q as sqlx.SelectContext does, prepared.
func (p *Prepared) Select(ctx context.Context, ext sqlx.ExtContext, dest any, q string, args ...any) error {
	if s := p.stmt(ctx, ext, q); s != nil {
		return s.SelectContext(ctx, dest, args...)
	}
	return sqlx.SelectContext(ctx, ext, dest, q, args...)
}

// Close releases the prepared statements.
func (p *Prepared) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var first error
	for q, s := range p.stmts {
		if err := s.Close(); err != nil && first == nil {
			first = fmt.Errorf("db: close prepared statement: %w", err)
		}
		delete(p.stmts, q)
	}
	return first
}
