// Package db opens the PostgreSQL pool, runs transactions with retries,
// applies migrations and turns driver errors into meaning.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Errors with meaning, wrapped by stores into their domain's own sentinels.
var (
	ErrNotFound   = errors.New("db: not found")
	ErrDuplicate  = errors.New("db: duplicate")
	ErrForeignKey = errors.New("db: foreign key violation")
	ErrCheck      = errors.New("db: check violation")
)

// Options are the pool settings.
type Options struct {
	MaxOpenConns    int
	MaxIdleConns    int
	ConnMaxLifetime time.Duration
	ConnMaxIdleTime time.Duration
}

// Open connects to PostgreSQL and checks the connection within ctx.
func Open(ctx context.Context, dsn string, o Options) (*sqlx.DB, error) {
	d, err := sqlx.Open("postgres", dsn)
	if err != nil {
		return nil, fmt.Errorf("db: open: %w", err)
	}
	if o.MaxOpenConns > 0 {
		d.SetMaxOpenConns(o.MaxOpenConns)
	}
	if o.MaxIdleConns > 0 {
		d.SetMaxIdleConns(o.MaxIdleConns)
	}
	d.SetConnMaxLifetime(o.ConnMaxLifetime)
	d.SetConnMaxIdleTime(o.ConnMaxIdleTime)
	if err := d.PingContext(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("db: connect to %s: %w", hostOf(dsn), err)
	}
	return d, nil
}

// EnsureDatabase creates the database named in dsn when the server answers
// that it does not exist, connecting to the server's "postgres" database to
// do so. It lets `make run` start on a fresh machine with no manual step.
func EnsureDatabase(ctx context.Context, dsn string) error {
	d, err := sqlx.Open("postgres", dsn)
	if err != nil {
		return fmt.Errorf("db: open: %w", err)
	}
	err = d.PingContext(ctx)
	d.Close()
	var pqErr *pq.Error
	if err == nil || !errors.As(err, &pqErr) || pqErr.Code != "3D000" {
		return err
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return fmt.Errorf("db: parse url: %w", err)
	}
	name := strings.Trim(u.Path, "/")
	u.Path = "/postgres"
	admin, err := sqlx.Open("postgres", u.String())
	if err != nil {
		return fmt.Errorf("db: open: %w", err)
	}
	defer admin.Close()
	_, err = admin.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name))
	if err != nil && !errors.Is(Classify(err), ErrDuplicate) {
		return fmt.Errorf("db: create database %s: %w", name, err)
	}
	return nil
}

// Classify maps driver errors to this package's sentinels, keeping the
// original in the chain. Other errors are returned unchanged.
func Classify(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code {
		case "23505", "42P04": // unique_violation, duplicate_database
			return fmt.Errorf("%w (%s): %w", ErrDuplicate, pqErr.Constraint, err)
		case "23503":
			return fmt.Errorf("%w (%s): %w", ErrForeignKey, pqErr.Constraint, err)
		case "23514":
			return fmt.Errorf("%w (%s): %w", ErrCheck, pqErr.Constraint, err)
		}
	}
	return err
}

// Constraint returns the name of the violated constraint, or "".
func Constraint(err error) string {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		return pqErr.Constraint
	}
	return ""
}

// maxAttempts bounds how often InTx runs a function whose transaction failed
// with a serialization failure or a deadlock.
const maxAttempts = 5

// InTx runs fn in a transaction and commits it, or rolls it back when fn
// fails. Serialization failures and deadlocks are retried up to maxAttempts
// times with jittered backoff, so fn must be safe to run again (no effects
// outside the transaction).
func InTx(ctx context.Context, d *sqlx.DB, fn func(tx *sqlx.Tx) error) error {
	return InTxOpts(ctx, d, nil, fn)
}

// InTxOpts is InTx with explicit transaction options (isolation level).
func InTxOpts(ctx context.Context, d *sqlx.DB, opts *sql.TxOptions, fn func(tx *sqlx.Tx) error) error {
	var err error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		err = runTx(ctx, d, opts, fn)
		if err == nil || !retryable(err) {
			return err
		}
		backoff := time.Duration(attempt*attempt)*5*time.Millisecond + time.Duration(rand.IntN(5))*time.Millisecond
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(backoff):
		}
	}
	return fmt.Errorf("db: transaction gave up after %d attempts: %w", maxAttempts, err)
}

func runTx(ctx context.Context, d *sqlx.DB, opts *sql.TxOptions, fn func(tx *sqlx.Tx) error) (err error) {
	tx, err := d.BeginTxx(ctx, opts)
	if err != nil {
		return fmt.Errorf("db: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		if rbErr := tx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("db: rollback: %w", rbErr))
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("db: commit: %w", err)
	}
	return nil
}

// retryable reports serialization failures (40001) and deadlocks (40P01).
func retryable(err error) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && (pqErr.Code == "40001" || pqErr.Code == "40P01")
}

func hostOf(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(invalid DATABASE_URL)"
	}
	return u.Host + u.Path
}
