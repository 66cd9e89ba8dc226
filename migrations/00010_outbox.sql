-- The outbox: changes that other systems must see (the search index,
-- notifications, partners' webhooks), written in the same transaction as the
-- change itself and delivered by the worker with retries.
--
-- outbox is the log of changes; a statement trigger queues each change in
-- outbox_pending for every consumer subscribed to its topic at the time of
-- writing, in the same transaction, whichever statement inserted it (one
-- row or a bulk import). Workers claim pending rows with FOR UPDATE SKIP LOCKED, so a
-- change is delivered once it commits, whatever order transactions commit
-- in, and workers side by side never take the same row. A consumer that
-- subscribes later starts from a full rebuild (e.g. `search reindex`).

-- +goose Up
CREATE TABLE outbox (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic      text NOT NULL CHECK (topic <> ''),
    key        text NOT NULL,
    payload    jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_created_idx ON outbox (created_at);

CREATE TABLE outbox_subscriptions (
    consumer   text NOT NULL,
    topic      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, topic)
);
CREATE INDEX outbox_subscriptions_topic_idx ON outbox_subscriptions (topic);

CREATE TABLE outbox_pending (
    consumer        text NOT NULL,
    message_id      bigint NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    attempts        int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);
CREATE INDEX outbox_pending_due_idx ON outbox_pending (consumer, next_attempt_at, message_id);
CREATE INDEX outbox_pending_message_idx ON outbox_pending (message_id);

-- +goose StatementBegin
CREATE FUNCTION outbox_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outbox_pending (consumer, message_id)
    SELECT s.consumer, n.id
    FROM new_messages n
    JOIN outbox_subscriptions s ON s.topic = n.topic;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER outbox_fan_out AFTER INSERT ON outbox
    REFERENCING NEW TABLE AS new_messages
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_fan_out();

-- +goose Down
DROP TRIGGER outbox_fan_out ON outbox;
DROP FUNCTION outbox_fan_out();
DROP TABLE outbox_pending;
DROP TABLE outbox_subscriptions;
DROP TABLE outbox;
