-- Counters for abuse limits (log-in and password reset attempts), kept in
-- PostgreSQL so that every app instance sees the same counts. A key names
-- what is counted, e.g. "login:ip:203.0.113.7" or "login:account:<hash>".

-- +goose Up
CREATE TABLE rate_limits (
    key           text PRIMARY KEY,
    attempts      integer NOT NULL,
    last_at       timestamptz NOT NULL,
    blocked_until timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rate_limits_last_at_idx ON rate_limits (last_at);

-- +goose Down
DROP TABLE rate_limits;
