-- Assisted selling: a cooperative's manager lets a trade-promotion staff
-- member manage its listings on its behalf. A row here makes the staff
-- member appear in the session's memberships with the role coop_delegate,
-- which the route guards treat as coop_staff of that one cooperative.
-- Revoking deletes the row; the audit log keeps the history.

-- +goose Up
CREATE TABLE cooperative_delegates (
    cooperative_id uuid NOT NULL REFERENCES cooperatives (id) ON DELETE CASCADE,
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    granted_by     uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cooperative_id, user_id)
);
CREATE INDEX cooperative_delegates_user_idx ON cooperative_delegates (user_id);

-- +goose Down
DROP TABLE cooperative_delegates;
