-- The audit log: who did what to whom, for sensitive actions (role and
-- membership changes, password resets). Rows are only ever inserted.

-- +goose Up
CREATE TABLE audit_log (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- actor_id is NULL for the command line and for the system itself.
    actor_id       uuid REFERENCES users (id) ON DELETE SET NULL,
    action         text NOT NULL,
    subject_id     uuid REFERENCES users (id) ON DELETE SET NULL,
    cooperative_id uuid REFERENCES cooperatives (id) ON DELETE SET NULL,
    details        jsonb NOT NULL DEFAULT '{}',
    ip             text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_id, id);
CREATE INDEX audit_log_action_idx ON audit_log (action, id);

-- +goose Down
DROP TABLE audit_log;
