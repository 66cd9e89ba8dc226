-- A signed-in buyer's address book: every address they checked out with,
-- most recently used first, so that the next checkout is one tap.

-- +goose Up
CREATE TABLE addresses (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    recipient     text NOT NULL CHECK (recipient <> ''),
    phone         text NOT NULL CHECK (phone ~ '^0[0-9]{9}$'),
    province_slug text NOT NULL REFERENCES provinces (slug),
    commune       text NOT NULL CHECK (commune <> ''),
    street        text NOT NULL CHECK (street <> ''),
    used_at       timestamptz NOT NULL DEFAULT now(),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, recipient, phone, province_slug, commune, street)
);
CREATE INDEX addresses_user_used_idx ON addresses (user_id, used_at DESC);

-- +goose Down
DROP TABLE addresses;
