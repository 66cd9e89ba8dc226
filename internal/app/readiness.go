package app

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"htxmarket/internal/search"
)

// Readiness of the search index. An instance is ready (/readyz) once its
// index holds the catalog as it was when the instance started: the search
// indexer (in the worker) has delivered every change that was waiting for
// it then, and the in-memory index has been loaded after that. A `make run`
// right after `seed` thus does not answer searches from half a catalog.
// Parked messages (ones the indexer refused again and again) are not
// waited for: an admin sees them in the list of parked messages.

// catchUpPoll is how often an instance looks whether the indexer caught up.
const catchUpPoll = 500 * time.Millisecond

// maxCatchUpWait bounds the wait: with the worker down, instances would
// otherwise never become ready, and a search from a partial index beats no
// service at all. The instance then says so in its log.
const maxCatchUpWait = 3 * time.Minute

// pendingIndexChanges returns how many changes wait for the search indexer
// and the highest of their outbox IDs (0 when none wait).
func pendingIndexChanges(ctx context.Context, ext sqlx.QueryerContext) (n int, upTo int64, err error) {
	row := ext.QueryRowxContext(ctx, `SELECT count(*), coalesce(max(message_id), 0) FROM outbox_pending
		WHERE consumer = $1 AND parked_at IS NULL`, search.ConsumerName)
	if err := row.Scan(&n, &upTo); err != nil {
		return 0, 0, fmt.Errorf("app: read the search indexer's backlog: %w", err)
	}
	return n, upTo, nil
}

// awaitIndexer waits until the search indexer has delivered every change
// that waited for it when this was called, or ctx ends.
func (s *Server) awaitIndexer(ctx context.Context) {
	n, upTo, err := pendingIndexChanges(ctx, s.db)
	for err != nil {
		s.log.Error("search readiness: backlog unknown; trying again", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(3 * time.Second):
		}
		n, upTo, err = pendingIndexChanges(ctx, s.db)
	}
	if n == 0 {
		return
	}
	s.log.Info("waiting for the search indexer (the worker) to index the changes made before this start", "changes", n)
	start := time.Now()
	for {
		var left int
		err := s.db.GetContext(ctx, &left, `SELECT count(*) FROM outbox_pending
			WHERE consumer = $1 AND parked_at IS NULL AND message_id <= $2`, search.ConsumerName, upTo)
		if err == nil && left == 0 {
			s.log.Info("search indexer caught up", "took", time.Since(start).Round(time.Millisecond).String())
			return
		}
		if time.Since(start) > maxCatchUpWait {
			s.log.Warn("search indexer did not catch up; serving from the index as it is (is the worker running?)",
				"changes_left", left, "waited", maxCatchUpWait.String())
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(catchUpPoll):
		}
	}
}

// coveredByRebuild drops the index changes a complete rebuild made
// unnecessary: those waiting (upTo, from pendingIndexChanges before the
// rebuild read the catalog) were all read by it.
func coveredByRebuild(ctx context.Context, ext sqlx.ExecerContext, upTo int64) (int64, error) {
	if upTo == 0 {
		return 0, nil
	}
	res, err := ext.ExecContext(ctx, `DELETE FROM outbox_pending
		WHERE consumer = $1 AND parked_at IS NULL AND message_id <= $2`, search.ConsumerName, upTo)
	if err != nil {
		return 0, fmt.Errorf("app: drop the index changes the rebuild covered: %w", err)
	}
	return res.RowsAffected()
}
