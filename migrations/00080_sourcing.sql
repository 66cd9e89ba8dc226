-- Sourcing: wholesalers' requests for quotes, cooperatives' supply offers,
-- the matches between them and the quotes cooperatives send. Quantities are
-- kept as written (quantity, unit) and in the base unit of their dimension
-- (grams, millilitres or pieces), so that a request in tấn compares with
-- offers in kg. Prices are whole VND per unit as written.

-- +goose Up
CREATE TABLE sourcing_requests (
    id                 uuid PRIMARY KEY,
    buyer_id           uuid NOT NULL REFERENCES users (id),
    text               text NOT NULL CHECK (text <> ''),
    group_slug         text REFERENCES ocop_groups (slug),
    quantity           double precision NOT NULL CHECK (quantity > 0),
    unit               text NOT NULL,
    dimension          text NOT NULL,
    base_quantity      double precision NOT NULL CHECK (base_quantity > 0),
    max_unit_price_vnd bigint CHECK (max_unit_price_vnd > 0),
    province_slug      text NOT NULL REFERENCES provinces (slug),
    wanted_from        date NOT NULL,
    wanted_to          date NOT NULL CHECK (wanted_to >= wanted_from),
    certifications     text[] NOT NULL DEFAULT '{}',
    min_stars          smallint NOT NULL DEFAULT 0 CHECK (min_stars IN (0, 3, 4, 5)),
    recurrence         text NOT NULL DEFAULT 'once' CHECK (recurrence IN ('once', 'monthly')),
    -- invited lists the cooperatives a request is addressed to; empty: open
    -- to every cooperative.
    invited            uuid[] NOT NULL DEFAULT '{}',
    notes              text NOT NULL DEFAULT '',
    status             text NOT NULL DEFAULT 'open'
                       CHECK (status IN ('open', 'quoting', 'awarded', 'closed', 'expired')),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sourcing_requests_buyer_idx ON sourcing_requests (buyer_id, created_at DESC);
CREATE INDEX sourcing_requests_live_idx ON sourcing_requests (created_at DESC) WHERE status IN ('open', 'quoting');

CREATE TABLE sourcing_offers (
    id             uuid PRIMARY KEY,
    cooperative_id uuid NOT NULL REFERENCES cooperatives (id),
    product_id     uuid REFERENCES products (id),
    text           text NOT NULL CHECK (text <> ''),
    -- words are the folded words of the text and the product's name and
    -- keywords: the prefilter of matching (GIN, words && the request's).
    words          text[] NOT NULL DEFAULT '{}',
    kind           text NOT NULL DEFAULT 'seasonal' CHECK (kind IN ('seasonal', 'surplus')),
    quantity       double precision NOT NULL CHECK (quantity > 0),
    min_quantity   double precision NOT NULL DEFAULT 0 CHECK (min_quantity >= 0 AND min_quantity <= quantity),
    unit           text NOT NULL,
    dimension      text NOT NULL,
    base_quantity  double precision NOT NULL CHECK (base_quantity > 0),
    base_min       double precision NOT NULL DEFAULT 0,
    months         smallint[] NOT NULL DEFAULT '{}'
                   CHECK (months <@ '{1,2,3,4,5,6,7,8,9,10,11,12}'::smallint[]),
    available_until date,
    unit_price_vnd bigint NOT NULL CHECK (unit_price_vnd > 0),
    -- base_price is unit_price_vnd per base unit, for comparing offers.
    base_price     double precision NOT NULL CHECK (base_price > 0),
    province_slug  text NOT NULL REFERENCES provinces (slug),
    status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sourcing_offers_words_idx ON sourcing_offers USING gin (words) WHERE status = 'active';
CREATE INDEX sourcing_offers_product_idx ON sourcing_offers (product_id) WHERE status = 'active';
CREATE INDEX sourcing_offers_cooperative_idx ON sourcing_offers (cooperative_id, created_at DESC);

-- A match: a request and a cooperative whose offer matched it, which the
-- cooperative sees in its inbox and was told of.
CREATE TABLE sourcing_matches (
    request_id     uuid NOT NULL REFERENCES sourcing_requests (id),
    cooperative_id uuid NOT NULL REFERENCES cooperatives (id),
    offer_id       uuid REFERENCES sourcing_offers (id),
    score          double precision NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (request_id, cooperative_id)
);
CREATE INDEX sourcing_matches_cooperative_idx ON sourcing_matches (cooperative_id, created_at DESC);

-- A quote: one per cooperative and request; sending again replaces it while
-- it is not yet accepted.
CREATE TABLE sourcing_quotes (
    id             uuid PRIMARY KEY,
    request_id     uuid NOT NULL REFERENCES sourcing_requests (id),
    cooperative_id uuid NOT NULL REFERENCES cooperatives (id),
    offer_id       uuid REFERENCES sourcing_offers (id),
    -- variant_id is the product variant the goods are sold as, so that an
    -- accepted quote becomes an order line.
    variant_id     uuid NOT NULL REFERENCES product_variants (id),
    unit_price_vnd bigint NOT NULL CHECK (unit_price_vnd > 0),
    quantity       integer NOT NULL CHECK (quantity > 0),
    delivery_date  date NOT NULL,
    valid_until    date NOT NULL,
    note           text NOT NULL DEFAULT '',
    status         text NOT NULL DEFAULT 'submitted'
                   CHECK (status IN ('submitted', 'accepted', 'declined', 'expired')),
    order_id       uuid REFERENCES orders (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (request_id, cooperative_id)
);
CREATE INDEX sourcing_quotes_live_idx ON sourcing_quotes (valid_until) WHERE status = 'submitted';

-- An acceptance of quotes under an Idempotency-Key: a retry gets the same
-- order.
CREATE TABLE sourcing_acceptances (
    buyer_id     uuid NOT NULL REFERENCES users (id),
    key          text NOT NULL,
    request_hash bytea NOT NULL,
    order_id     uuid NOT NULL REFERENCES orders (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (buyer_id, key)
);

-- Matches and quotes reach cooperatives and buyers from the first one on.
INSERT INTO outbox_subscriptions (consumer, topic)
VALUES ('sourcing-notify', 'sourcing.matched'), ('sourcing-notify', 'sourcing.quoted')
ON CONFLICT DO NOTHING;

-- +goose Down
DELETE FROM outbox_subscriptions WHERE consumer = 'sourcing-notify';
DROP TABLE sourcing_acceptances;
DROP TABLE sourcing_quotes;
DROP TABLE sourcing_matches;
DROP TABLE sourcing_offers;
DROP TABLE sourcing_requests;
