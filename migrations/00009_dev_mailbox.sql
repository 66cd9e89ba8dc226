-- The development mailbox: with MAILER=dev, e-mail is stored here instead of
-- being sent, so that tests and the demo can read it.

-- +goose Up
CREATE TABLE dev_mailbox (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    to_addr    text NOT NULL,
    subject    text NOT NULL,
    body       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dev_mailbox_to_idx ON dev_mailbox (to_addr, id);

-- +goose Down
DROP TABLE dev_mailbox;
