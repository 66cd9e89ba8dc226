package db

import (
	"database/sql/driver"
	"errors"
	"net"
	"syscall"

	"github.com/lib/pq"
)

// Unavailable reports whether err says that PostgreSQL cannot be reached
// right now, rather than that a query is wrong: a refused or broken
// connection (a *net.OpError, ECONNREFUSED, driver.ErrBadConn), or the
// server saying it cannot take connections (class 08, connection
// exception; 57P01–57P03, shutting down or starting up). Such a request
// may succeed if tried again later, so it answers 503 with Retry-After,
// not 500.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		code := string(pqErr.Code)
		return len(code) == 5 && code[:2] == "08" || code == "57P01" || code == "57P02" || code == "57P03"
	}
	var opErr *net.OpError
	return errors.As(err, &opErr) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, driver.ErrBadConn)
}
