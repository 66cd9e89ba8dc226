package db_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"htxmarket/internal/platform/db"
)

func TestUnavailable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there any more
	d, err := sqlx.Open("postgres", "postgres://app@"+addr+"/htxmarket?sslmode=disable&connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var n int
	refused := d.GetContext(context.Background(), &n, `SELECT 1`)
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"refused connection", refused, true},
		{"refused connection, wrapped", fmt.Errorf("catalog: list: %w", refused), true},
		{"transaction that could not begin", fmt.Errorf("db: begin: %w", refused), true},
		{"bad connection", fmt.Errorf("x: %w", driver.ErrBadConn), true},
		{"starting up", &pq.Error{Code: "57P03", Message: "the database system is starting up"}, true},
		{"shutting down", &pq.Error{Code: "57P01", Message: "terminating connection due to administrator command"}, true},
		{"connection failure", &pq.Error{Code: "08006"}, true},
		{"NUL byte", &pq.Error{Code: "22021"}, false},
		{"unique violation", &pq.Error{Code: "23505"}, false},
		{"not found", db.ErrNotFound, false},
		{"any error", errors.New("boom"), false},
		{"nil", nil, false},
	}
	for _, tt := range tests {
		if got := db.Unavailable(tt.err); got != tt.want {
			t.Errorf("%s: Unavailable(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}
