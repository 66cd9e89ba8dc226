-- In-app notifications: what happened to a person's orders (as buyer) and
-- to their cooperative's sub-orders (as member). Written by the worker from
-- the outbox; each (user, source) once, so a redelivered message adds
-- nothing.

-- +goose Up
CREATE TABLE notifications (
    id         bigserial PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- source names what caused it: the outbox message and the audience.
    source     text NOT NULL,
    title      text NOT NULL CHECK (title <> ''),
    body       text NOT NULL DEFAULT '',
    link       text NOT NULL DEFAULT '',
    read_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, source)
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;

-- Order notices reach people from the first order on, whether or not a
-- worker has run yet.
INSERT INTO outbox_subscriptions (consumer, topic)
VALUES ('order-notify', 'order.placed'), ('order-notify', 'order.sub_order.moved')
ON CONFLICT DO NOTHING;

-- +goose Down
DELETE FROM outbox_subscriptions WHERE consumer = 'order-notify';
DROP TABLE notifications;
