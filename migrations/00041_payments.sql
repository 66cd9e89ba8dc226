-- Payments: card payments through Stripe (one PaymentIntent per order),
-- the Stripe events already applied, cooperatives' bank accounts for VietQR
-- transfers, and every transfer recorded against a sub-order.

-- +goose Up
CREATE TABLE card_payments (
    order_id      uuid PRIMARY KEY REFERENCES orders (id),
    intent_id     text NOT NULL UNIQUE,
    -- client_secret lets the buyer's browser confirm this one intent with
    -- Stripe.js; it can do nothing else.
    client_secret text NOT NULL,
    amount_vnd    bigint NOT NULL CHECK (amount_vnd > 0),
    status        text NOT NULL,
    failure       text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- A Stripe event is applied once: its id is stored in the transaction
-- that applies it, and a replay finds it here.
CREATE TABLE stripe_events (
    id         text PRIMARY KEY,
    type       text NOT NULL,
    outcome    text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE bank_accounts (
    cooperative_id uuid PRIMARY KEY REFERENCES cooperatives (id),
    bank_bin       text NOT NULL CHECK (bank_bin ~ '^[0-9]{6}$'),
    account_number text NOT NULL CHECK (account_number ~ '^[0-9A-Za-z]{1,19}$'),
    account_name   text NOT NULL CHECK (account_name <> ''),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Transfers received: recorded by a person (source manual, reference the
-- request's Idempotency-Key) or notified by the bank (source bank,
-- reference the bank's transaction id). A notification that names no
-- sub-order is kept unmatched for a person to look at.
CREATE TABLE bank_transfers (
    id           bigserial PRIMARY KEY,
    source       text NOT NULL CHECK (source IN ('manual', 'bank')),
    reference    text NOT NULL CHECK (reference <> ''),
    sub_order_id uuid REFERENCES sub_orders (id),
    amount_vnd   bigint NOT NULL CHECK (amount_vnd > 0),
    content      text NOT NULL DEFAULT '',
    actor_id     uuid REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source, reference)
);
CREATE INDEX bank_transfers_unmatched_idx ON bank_transfers (created_at) WHERE sub_order_id IS NULL;

-- +goose Down
DROP TABLE bank_transfers;
DROP TABLE bank_accounts;
DROP TABLE stripe_events;
DROP TABLE card_payments;
