-- Buying: carts, orders with one sub-order per cooperative, their lines and
-- timelines, the cooperatives' shipping rules, and idempotency keys.
--
-- Money is bigint VND. An order's totals are the sums of its sub-orders',
-- which are the sums of their lines plus their shipping fee; the service
-- computes them once, at checkout, and they never change afterwards (a
-- refund is a payment event, not an edit).

-- +goose Up
CREATE TABLE carts (
    id         uuid PRIMARY KEY,
    -- A guest's cart is found by the SHA-256 of its cookie's token; a
    -- signed-in user's by user_id. A guest cart is merged into the user's
    -- at the first cart request after sign-in, then deleted.
    token_hash bytea UNIQUE CHECK (octet_length(token_hash) = 32),
    user_id    uuid UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((token_hash IS NULL) <> (user_id IS NULL))
);
-- Abandoned guest carts are pruned by age.
CREATE INDEX carts_guest_updated_idx ON carts (updated_at) WHERE user_id IS NULL;

CREATE TABLE cart_items (
    id         uuid PRIMARY KEY,
    cart_id    uuid NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    variant_id uuid NOT NULL REFERENCES product_variants (id),
    quantity   integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000000),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (cart_id, variant_id)
);

-- A cooperative's shipping fees; a cooperative without a row uses the
-- platform's defaults (configuration).
CREATE TABLE shipping_rules (
    cooperative_id     uuid PRIMARY KEY REFERENCES cooperatives (id),
    in_province_vnd    bigint NOT NULL CHECK (in_province_vnd >= 0),
    other_province_vnd bigint NOT NULL CHECK (other_province_vnd >= 0),
    -- free_over_vnd: a sub-order whose goods cost at least this ships free;
    -- NULL never.
    free_over_vnd      bigint CHECK (free_over_vnd > 0),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders (
    id                uuid PRIMARY KEY,
    -- number is the short code people read out on the phone: "HTX" and
    -- eight letters and digits without 0, 1, I, L, O or U.
    number            text NOT NULL UNIQUE CHECK (number ~ '^HTX[2-9A-HJKMNP-TV-Z]{8}$'),
    buyer_id          uuid REFERENCES users (id),
    -- A guest's order is bound to the browser that placed it (the cart
    -- cookie's hash) and can be looked up by number and phone.
    guest_token_hash  bytea CHECK (octet_length(guest_token_hash) = 32),
    email             text NOT NULL DEFAULT '',
    recipient         text NOT NULL CHECK (recipient <> ''),
    phone             text NOT NULL CHECK (phone ~ '^0[0-9]{9}$'),
    province_slug     text NOT NULL REFERENCES provinces (slug),
    commune           text NOT NULL CHECK (commune <> ''),
    street            text NOT NULL CHECK (street <> ''),
    note              text NOT NULL DEFAULT '',
    payment_method    text NOT NULL CHECK (payment_method IN ('cod', 'card', 'bank_transfer')),
    -- payment_status is the order's money: unpaid, paid (card captured or
    -- every transfer received), refunded, partially_refunded, or cod (paid
    -- at the door, per sub-order).
    payment_status    text NOT NULL CHECK (payment_status IN ('unpaid', 'paid', 'cod', 'refunded', 'partially_refunded', 'cancelled')),
    items_vnd         bigint NOT NULL CHECK (items_vnd > 0),
    shipping_vnd      bigint NOT NULL CHECK (shipping_vnd >= 0),
    total_vnd         bigint NOT NULL CHECK (total_vnd = items_vnd + shipping_vnd),
    -- Unpaid card and bank-transfer orders hold their stock until then.
    payment_deadline  timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (buyer_id IS NOT NULL OR guest_token_hash IS NOT NULL)
);
CREATE INDEX orders_buyer_idx ON orders (buyer_id, id DESC) WHERE buyer_id IS NOT NULL;
CREATE INDEX orders_deadline_idx ON orders (payment_deadline) WHERE payment_status = 'unpaid';

CREATE TABLE sub_orders (
    id             uuid PRIMARY KEY,
    order_id       uuid NOT NULL REFERENCES orders (id),
    -- number is the order's number and the sub-order's place: HTX…-1.
    number         text NOT NULL UNIQUE,
    cooperative_id uuid NOT NULL REFERENCES cooperatives (id),
    status         text NOT NULL CHECK (status IN ('pending_payment', 'confirmed', 'packed', 'shipped',
                                                   'delivered', 'completed', 'cancelled', 'refunded')),
    items_vnd      bigint NOT NULL CHECK (items_vnd > 0),
    shipping_vnd   bigint NOT NULL CHECK (shipping_vnd >= 0),
    total_vnd      bigint NOT NULL CHECK (total_vnd = items_vnd + shipping_vnd),
    carrier        text NOT NULL DEFAULT '',
    tracking_code  text NOT NULL DEFAULT '',
    -- Bank transfers: what the cooperative or a bank notification recorded
    -- as received, and whether a person must look at it (short or excess).
    received_vnd   bigint NOT NULL DEFAULT 0 CHECK (received_vnd >= 0),
    payment_flag   text NOT NULL DEFAULT '' CHECK (payment_flag IN ('', 'short', 'excess')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (order_id, cooperative_id)
);
CREATE INDEX sub_orders_order_idx ON sub_orders (order_id);
CREATE INDEX sub_orders_cooperative_idx ON sub_orders (cooperative_id, id DESC);
CREATE INDEX sub_orders_cooperative_status_idx ON sub_orders (cooperative_id, status, id DESC);

-- A line keeps what the buyer saw at checkout: names, unit and the unit
-- price of the tier that applied.
CREATE TABLE order_lines (
    id             uuid PRIMARY KEY,
    sub_order_id   uuid NOT NULL REFERENCES sub_orders (id),
    product_id     uuid NOT NULL REFERENCES products (id),
    variant_id     uuid NOT NULL REFERENCES product_variants (id),
    product_name   text NOT NULL,
    product_slug   text NOT NULL,
    sku            text NOT NULL,
    unit           text NOT NULL,
    quantity       integer NOT NULL CHECK (quantity > 0),
    unit_price_vnd bigint NOT NULL CHECK (unit_price_vnd > 0),
    -- tier_min_qty is the wholesale tier that set the price; NULL for the
    -- retail price.
    tier_min_qty   integer,
    line_vnd       bigint NOT NULL CHECK (line_vnd = quantity * unit_price_vnd),
    position       integer NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_lines_sub_order_idx ON order_lines (sub_order_id, position);

-- The timeline of a sub-order: every move, who made it and when.
CREATE TABLE sub_order_events (
    id           bigserial PRIMARY KEY,
    sub_order_id uuid NOT NULL REFERENCES sub_orders (id),
    from_status  text,
    to_status    text NOT NULL,
    -- actor_id is NULL for the system (the payment deadline, a webhook);
    -- actor_role says in which capacity the move was made.
    actor_id     uuid REFERENCES users (id),
    actor_role   text NOT NULL,
    note         text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sub_order_events_sub_order_idx ON sub_order_events (sub_order_id, id);

-- Idempotency-Key: the first response to a (caller, key) is stored with a
-- hash of the request, in the transaction that made the effect, and
-- returned to every retry. Kept 24 hours.
CREATE TABLE idempotency_keys (
    caller       text NOT NULL,
    key          text NOT NULL,
    request_hash bytea NOT NULL,
    status       integer NOT NULL,
    response     bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (caller, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE sub_order_events;
DROP TABLE order_lines;
DROP TABLE sub_orders;
DROP TABLE orders;
DROP TABLE shipping_rules;
DROP TABLE cart_items;
DROP TABLE carts;
