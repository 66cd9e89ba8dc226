-- Poison messages: a message that fails again and again (a document the
-- search index refuses, say) is parked after OUTBOX_MAX_ATTEMPTS failed
-- attempts while its consumer delivers others: it stays in outbox_pending
-- with parked_at set, is claimed no more, is counted in
-- htxmarket_outbox_parked and listed for admins
-- (GET /api/v1/admin/outbox/parked). Until then the relay retries a
-- message that failed on its own, so that it fails no other.

-- +goose Up
ALTER TABLE outbox_pending ADD COLUMN parked_at timestamptz;
DROP INDEX outbox_pending_due_idx;
CREATE INDEX outbox_pending_due_idx ON outbox_pending (consumer, next_attempt_at, message_id) WHERE parked_at IS NULL;
CREATE INDEX outbox_pending_parked_idx ON outbox_pending (parked_at DESC) WHERE parked_at IS NOT NULL;

-- +goose Down
DROP INDEX outbox_pending_parked_idx;
DROP INDEX outbox_pending_due_idx;
CREATE INDEX outbox_pending_due_idx ON outbox_pending (consumer, next_attempt_at, message_id);
ALTER TABLE outbox_pending DROP COLUMN parked_at;
