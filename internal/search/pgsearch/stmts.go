package pgsearch

import (
	"context"
	"sync"

	"github.com/jmoiron/sqlx"
)

// stmts prepares the hot statements of fixed text (suggest, documents)
// once per pool: database/sql then prepares each on a connection the first
// time it runs there, and PostgreSQL plans it once per connection (a
// generic plan after five runs) instead of parsing and planning every call.
// A statement that fails to prepare runs unprepared.
type stmts struct {
	mu sync.Mutex
	m  map[string]*sqlx.Stmt
}

func (s *stmts) get(ctx context.Context, d *sqlx.DB, query string) *sqlx.Stmt {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.m[query]; ok {
		return st
	}
	st, err := d.PreparexContext(ctx, query)
	if err != nil {
		return nil
	}
	if s.m == nil {
		s.m = map[string]*sqlx.Stmt{}
	}
	s.m[query] = st
	return st
}

func (s *stmts) selectContext(ctx context.Context, d *sqlx.DB, dest any, query string, args ...any) error {
	if st := s.get(ctx, d, query); st != nil {
		return st.SelectContext(ctx, dest, args...)
	}
	return d.SelectContext(ctx, dest, query, args...)
}
