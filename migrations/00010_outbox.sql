-- The outbox: changes that other systems must see (the search index,
-- notifications, partners' webhooks), written in the same transaction as the
-- change itself and delivered by the worker with retries.
--
-- Each consumer keeps a cursor over (txid, id). Rows are read only below the
-- oldest transaction still running (pg_snapshot_xmin), so a row committed
-- late by a long transaction can never be skipped: every transaction with a
-- smaller txid has already ended when the cursor passes it. The price: a
-- long-running write transaction anywhere on the server holds delivery back
-- (never loses it) until it ends.

-- +goose Up
CREATE TABLE outbox (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    txid       xid8 NOT NULL DEFAULT pg_current_xact_id(),
    topic      text NOT NULL CHECK (topic <> ''),
    key        text NOT NULL,
    payload    jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_txid_id_idx ON outbox (txid, id);

CREATE TABLE outbox_cursors (
    consumer        text PRIMARY KEY,
    last_txid       xid8 NOT NULL DEFAULT '0',
    last_id         bigint NOT NULL DEFAULT 0,
    attempts        int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE outbox_cursors;
DROP TABLE outbox;
