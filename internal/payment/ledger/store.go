package ledger

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"htxmarket/internal/platform/db"
)

// Store is the ledger in PostgreSQL (migration 00042). It writes journals
// and reads sums; it knows no business rule beyond what the schema checks.
type Store struct{}

// NewStore returns a Store.
func NewStore() *Store { return &Store{} }

// lockClass is the first key of the ledger's advisory locks, in the
// two-int4 key space, which no single-bigint lock of this application
// (jobs, search, cooperative import) can collide with. It spells "LEDG".
const lockClass = 0x4c454447

// LockCooperative takes a transaction-scoped lock on a cooperative's
// balances. Payouts and offsets take it before reading the balance they
// check, so that two of them cannot both spend the same balance; postings
// that only add to what is owed need not take it.
func (s *Store) LockCooperative(ctx context.Context, ext sqlx.ExtContext, coopID uuid.UUID) error {
	const q = `SELECT pg_advisory_xact_lock($1, hashtext($2))`
	if _, err := ext.ExecContext(ctx, q, lockClass, coopID.String()); err != nil {
		return fmt.Errorf("ledger: lock cooperative: %w", err)
	}
	return nil
}

// Insert writes j and its entries in one statement unless a journal with
// its key exists, and reports whether it wrote it. Zero entries must have
// been removed; the database refuses them.
func (s *Store) Insert(ctx context.Context, ext sqlx.ExtContext, j Journal) (bool, error) {
	const q = `
WITH j AS (
    INSERT INTO ledger_journals (id, key, kind, cooperative_id, sub_order_id, amount_vnd, commission_bps,
                                 reference, paid_on, created_by, posted_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
    ON CONFLICT (key) DO NOTHING
    RETURNING id, cooperative_id
), e AS (
    INSERT INTO ledger_entries (journal_id, cooperative_id, account, amount_vnd)
    SELECT j.id, j.cooperative_id, x.account, x.amount_vnd
    FROM j
    CROSS JOIN unnest($12::text[], $13::bigint[]) WITH ORDINALITY AS x (account, amount_vnd, n)
    ORDER BY x.n
    RETURNING 1
)
SELECT count(*)
FROM j`
	accounts := make([]string, len(j.Entries))
	amounts := make([]int64, len(j.Entries))
	for i, e := range j.Entries {
		accounts[i], amounts[i] = string(e.Account), e.AmountVND
	}
	var paidOn *string
	if j.PaidOn != nil {
		d := j.PaidOn.Format(time.DateOnly)
		paidOn = &d
	}
	var n int
	err := sqlx.GetContext(ctx, ext, &n, q, j.ID, j.Key, string(j.Kind), j.CooperativeID, j.SubOrderID, j.AmountVND,
		j.CommissionBPS, j.Reference, paidOn, j.CreatedBy, j.PostedAt, pq.Array(accounts), pq.Array(amounts))
	if err != nil {
		return false, fmt.Errorf("ledger: insert journal %s: %w", j.Key, classify(err))
	}
	return n == 1, nil
}

// classify turns the schema's refusals into this package's sentinels,
// keeping the driver's error in the chain.
func classify(err error) error {
	switch db.Constraint(err) {
	case "ledger_journal_balanced":
		return fmt.Errorf("%w: %w", ErrUnbalanced, err)
	case "ledger_journals_cooperative_id_fkey":
		return fmt.Errorf("%w: %w", ErrCooperativeNotFound, err)
	}
	return db.Classify(err)
}

type journalRow struct {
	ID            uuid.UUID  `db:"id"`
	Key           string     `db:"key"`
	Kind          string     `db:"kind"`
	CooperativeID uuid.UUID  `db:"cooperative_id"`
	SubOrderID    *uuid.UUID `db:"sub_order_id"`
	AmountVND     int64      `db:"amount_vnd"`
	CommissionBPS *int       `db:"commission_bps"`
	Reference     string     `db:"reference"`
	PaidOn        *time.Time `db:"paid_on"`
	CreatedBy     *uuid.UUID `db:"created_by"`
	PostedAt      time.Time  `db:"posted_at"`
}

func toJournal(r journalRow) Journal {
	return Journal{
		ID: r.ID, Key: r.Key, Kind: Kind(r.Kind), CooperativeID: r.CooperativeID, SubOrderID: r.SubOrderID,
		AmountVND: r.AmountVND, CommissionBPS: r.CommissionBPS, Reference: r.Reference, PaidOn: r.PaidOn,
		CreatedBy: r.CreatedBy, PostedAt: r.PostedAt, Entries: []Entry{},
	}
}

// ByKey returns the journal with key and its entries, or ErrJournalNotFound.
// With lock, the journal's row stays locked until the transaction ends
// (refunds of a sub-order lock its sale so that they add up one by one).
func (s *Store) ByKey(ctx context.Context, ext sqlx.ExtContext, key string, lock bool) (Journal, error) {
	const q = `
SELECT id, key, kind, cooperative_id, sub_order_id, amount_vnd, commission_bps, reference, paid_on,
       created_by, posted_at
FROM ledger_journals
WHERE key = $1`
	// FOR NO KEY UPDATE does not block the entries' foreign-key checks.
	const qLock = q + `
FOR NO KEY UPDATE`
	query := q
	if lock {
		query = qLock
	}
	var r journalRow
	if err := sqlx.GetContext(ctx, ext, &r, query, key); err != nil {
		if errors.Is(db.Classify(err), db.ErrNotFound) {
			return Journal{}, fmt.Errorf("ledger: journal %s: %w", key, ErrJournalNotFound)
		}
		return Journal{}, fmt.Errorf("ledger: journal %s: %w", key, err)
	}
	j := toJournal(r)
	const qEntries = `
SELECT account, amount_vnd
FROM ledger_entries
WHERE journal_id = $1
ORDER BY id`
	var rows []struct {
		Account   string `db:"account"`
		AmountVND int64  `db:"amount_vnd"`
	}
	if err := sqlx.SelectContext(ctx, ext, &rows, qEntries, j.ID); err != nil {
		return Journal{}, fmt.Errorf("ledger: entries of %s: %w", key, err)
	}
	for _, e := range rows {
		j.Entries = append(j.Entries, Entry{Account: Account(e.Account), AmountVND: e.AmountVND})
	}
	return j, nil
}

// Refunded returns the sum of the refunds of a sub-order.
func (s *Store) Refunded(ctx context.Context, ext sqlx.ExtContext, subOrderID uuid.UUID) (int64, error) {
	const q = `
SELECT coalesce(sum(amount_vnd), 0)::bigint
FROM ledger_journals
WHERE sub_order_id = $1
  AND kind IN ('card_refund', 'direct_refund')`
	var n int64
	if err := sqlx.GetContext(ctx, ext, &n, q, subOrderID); err != nil {
		return 0, fmt.Errorf("ledger: refunded: %w", err)
	}
	return n, nil
}

// AccountSums returns a cooperative's balance of each account as booked
// (debit > 0), for journals posted before the given time, or all of them
// when before is nil. Accounts without entries are absent.
func (s *Store) AccountSums(ctx context.Context, ext sqlx.ExtContext, coopID uuid.UUID, before *time.Time) (map[Account]int64, error) {
	const q = `
SELECT e.account, sum(e.amount_vnd)::bigint AS total
FROM ledger_entries e
JOIN ledger_journals j ON j.id = e.journal_id
WHERE e.cooperative_id = $1
  AND ($2::timestamptz IS NULL OR j.posted_at < $2)
GROUP BY e.account`
	var rows []struct {
		Account string `db:"account"`
		Total   int64  `db:"total"`
	}
	if err := sqlx.SelectContext(ctx, ext, &rows, q, coopID, before); err != nil {
		return nil, fmt.Errorf("ledger: account sums: %w", err)
	}
	out := make(map[Account]int64, len(rows))
	for _, r := range rows {
		out[Account(r.Account)] = r.Total
	}
	return out, nil
}

// Payable returns what the platform owes a cooperative now (positive when
// owed), for a payout's check under LockCooperative.
func (s *Store) Payable(ctx context.Context, ext sqlx.ExtContext, coopID uuid.UUID) (int64, error) {
	const q = `
SELECT coalesce(-sum(amount_vnd), 0)::bigint
FROM ledger_entries
WHERE cooperative_id = $1
  AND account = 'coop_payable'`
	var n int64
	if err := sqlx.GetContext(ctx, ext, &n, q, coopID); err != nil {
		return 0, fmt.Errorf("ledger: payable: %w", err)
	}
	return n, nil
}

// KindSums returns the gross amounts of a cooperative's journals by kind.
func (s *Store) KindSums(ctx context.Context, ext sqlx.ExtContext, coopID uuid.UUID) (map[Kind]int64, error) {
	const q = `
SELECT kind, sum(amount_vnd)::bigint AS total
FROM ledger_journals
WHERE cooperative_id = $1
GROUP BY kind`
	var rows []struct {
		Kind  string `db:"kind"`
		Total int64  `db:"total"`
	}
	if err := sqlx.SelectContext(ctx, ext, &rows, q, coopID); err != nil {
		return nil, fmt.Errorf("ledger: kind sums: %w", err)
	}
	out := make(map[Kind]int64, len(rows))
	for _, r := range rows {
		out[Kind(r.Kind)] = r.Total
	}
	return out, nil
}

type lineRow struct {
	PostedAt   time.Time  `db:"posted_at"`
	Kind       string     `db:"kind"`
	SubOrderID *uuid.UUID `db:"sub_order_id"`
	Reference  string     `db:"reference"`
	PaidOn     *time.Time `db:"paid_on"`
	AmountVND  int64      `db:"amount_vnd"`
	Commission int64      `db:"commission"`
	Payable    int64      `db:"payable"`
	Receivable int64      `db:"receivable"`
}

// Lines returns a cooperative's journals posted in [from, to), oldest
// first, each with its commission and its changes to what is owed, signed
// as a reader expects (commission charged, payable and receivable grown
// are positive). The balances after each line are left to the caller.
func (s *Store) Lines(ctx context.Context, ext sqlx.ExtContext, coopID uuid.UUID, from, to time.Time) ([]StatementLine, error) {
	const q = `
SELECT j.posted_at, j.kind, j.sub_order_id, j.reference, j.paid_on, j.amount_vnd,
       coalesce(-sum(e.amount_vnd) FILTER (WHERE e.account = 'commission_revenue'), 0)::bigint AS commission,
       coalesce(-sum(e.amount_vnd) FILTER (WHERE e.account = 'coop_payable'), 0)::bigint AS payable,
       coalesce(sum(e.amount_vnd) FILTER (WHERE e.account = 'coop_receivable'), 0)::bigint AS receivable
FROM ledger_journals j
LEFT JOIN ledger_entries e ON e.journal_id = j.id
WHERE j.cooperative_id = $1
  AND j.posted_at >= $2
  AND j.posted_at < $3
GROUP BY j.id
ORDER BY j.posted_at, j.id`
	var rows []lineRow
	if err := sqlx.SelectContext(ctx, ext, &rows, q, coopID, from, to); err != nil {
		return nil, fmt.Errorf("ledger: statement lines: %w", err)
	}
	out := make([]StatementLine, len(rows))
	for i, r := range rows {
		out[i] = StatementLine{
			PostedAt: r.PostedAt, Kind: Kind(r.Kind), SubOrderID: r.SubOrderID, Reference: r.Reference,
			PaidOn: r.PaidOn, AmountVND: r.AmountVND, CommissionVND: r.Commission,
			PayableChangeVND: r.Payable, ReceivableChangeVND: r.Receivable,
		}
	}
	return out, nil
}

// Total returns the sum of every entry in the ledger.
func (s *Store) Total(ctx context.Context, ext sqlx.ExtContext) (int64, error) {
	const q = `
SELECT coalesce(sum(amount_vnd), 0)::bigint
FROM ledger_entries`
	var n int64
	if err := sqlx.GetContext(ctx, ext, &n, q); err != nil {
		return 0, fmt.Errorf("ledger: trial balance: %w", err)
	}
	return n, nil
}
