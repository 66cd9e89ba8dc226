-- A verified cooperative's changes to its identity (name, registration
-- number, province) wait here for trade staff: the public storefront,
-- directory and search keep the verified values, which stay in their own
-- columns, until a reviewer approves (the values move into the columns) or
-- rejects (they are discarded). NULL when nothing waits.

-- +goose Up
ALTER TABLE cooperatives
    ADD COLUMN pending_changes jsonb CHECK (pending_changes IS NULL OR jsonb_typeof(pending_changes) = 'object');

-- Verified cooperatives with changes to review, for the review queue.
CREATE INDEX cooperatives_pending_changes_idx ON cooperatives (id) WHERE pending_changes IS NOT NULL;

-- +goose Down
DROP INDEX cooperatives_pending_changes_idx;
ALTER TABLE cooperatives DROP COLUMN pending_changes;
