-- Traceability (truy xuất nguồn gốc): batches of a product and the events
-- that happened to them, hash-chained so that a change made behind the
-- application's back is found (see internal/trace).
--
-- A batch's own facts are fixed when it is created; hash is the SHA-256 of
-- their canonical JSON. Each event stores the SHA-256 of its canonical
-- content and of the previous link (the batch's hash for the first event).
-- Events are never updated or deleted: a trigger refuses it, and a mistake
-- is corrected by a new event naming the sequence number it corrects.

-- +goose Up
CREATE TABLE trace_batches (
    id              uuid PRIMARY KEY,
    cooperative_id  uuid NOT NULL REFERENCES cooperatives (id),
    product_id      uuid NOT NULL REFERENCES products (id),
    -- code is what people read and the GS1 batch/lot (AI 10): eight
    -- letters and digits without 0, 1, I, L, O or U.
    code            text NOT NULL UNIQUE CHECK (code ~ '^[2-9A-HJKMNP-TV-Z]{8}$'),
    -- gtin is the product's barcode as a GTIN-14, when it has a valid one.
    gtin            text CHECK (gtin ~ '^[0-9]{14}$'),
    quantity        integer NOT NULL CHECK (quantity > 0),
    unit            text NOT NULL CHECK (unit <> ''),
    produced_on     date NOT NULL,
    expires_on      date CHECK (expires_on >= produced_on),
    -- The growing area or workshop.
    area_name       text NOT NULL CHECK (area_name <> ''),
    area_commune    text NOT NULL DEFAULT '',
    area_province   text NOT NULL REFERENCES provinces (slug),
    area_lat        double precision CHECK (area_lat BETWEEN -90 AND 90),
    area_lng        double precision CHECK (area_lng BETWEEN -180 AND 180),
    -- inputs: [{kind, name, amount, applied_on, cost_vnd}], cost private;
    -- certifications: [{name, number, issuer, valid_until, document}].
    inputs          jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(inputs) = 'array'),
    certifications  jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(certifications) = 'array'),
    hash            bytea NOT NULL CHECK (octet_length(hash) = 32),
    -- Scans of the public trace page, added in batches by the server.
    scan_count      bigint NOT NULL DEFAULT 0 CHECK (scan_count >= 0),
    last_scanned_at timestamptz,
    created_by      uuid NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX trace_batches_cooperative_idx ON trace_batches (cooperative_id, id DESC);
CREATE INDEX trace_batches_product_idx ON trace_batches (product_id, id DESC);
CREATE INDEX trace_batches_gtin_idx ON trace_batches (gtin, code) WHERE gtin IS NOT NULL;

CREATE TABLE trace_events (
    id             uuid PRIMARY KEY,
    batch_id       uuid NOT NULL REFERENCES trace_batches (id),
    seq            integer NOT NULL CHECK (seq > 0),
    kind           text NOT NULL CHECK (kind IN ('planted', 'treated', 'harvested', 'processed',
                                                 'packed', 'inspected', 'shipped', 'received')),
    occurred_at    timestamptz NOT NULL,
    place_name     text NOT NULL DEFAULT '',
    place_commune  text NOT NULL DEFAULT '',
    place_province text REFERENCES provinces (slug),
    lat            double precision CHECK (lat BETWEEN -90 AND 90),
    lng            double precision CHECK (lng BETWEEN -180 AND 180),
    -- actor_name is shown to the public; actor_phone and cost_vnd only to
    -- the cooperative.
    actor_name     text NOT NULL DEFAULT '',
    actor_phone    text NOT NULL DEFAULT '',
    recorded_by    uuid NOT NULL REFERENCES users (id),
    notes          text NOT NULL DEFAULT '',
    inspector      text NOT NULL DEFAULT '',
    result         text NOT NULL DEFAULT '' CHECK (result IN ('', 'passed', 'failed')),
    cost_vnd       bigint CHECK (cost_vnd >= 0),
    photos         text[] NOT NULL DEFAULT '{}',
    corrects_seq   integer CHECK (corrects_seq > 0 AND corrects_seq < seq),
    prev_hash      bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
    hash           bytea NOT NULL CHECK (octet_length(hash) = 32),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (batch_id, seq)
);

-- +goose StatementBegin
CREATE FUNCTION trace_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'trace events are append-only' USING ERRCODE = 'restrict_violation';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER trace_events_append_only BEFORE UPDATE OR DELETE ON trace_events
    FOR EACH ROW EXECUTE FUNCTION trace_events_append_only();

-- The batch each line of a sub-order was packed from, picked by the
-- cooperative when it packs.
CREATE TABLE trace_line_batches (
    order_line_id uuid PRIMARY KEY REFERENCES order_lines (id),
    sub_order_id  uuid NOT NULL REFERENCES sub_orders (id),
    batch_id      uuid NOT NULL REFERENCES trace_batches (id),
    assigned_by   uuid NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX trace_line_batches_sub_order_idx ON trace_line_batches (sub_order_id);

-- +goose Down
DROP TABLE trace_line_batches;
DROP TRIGGER trace_events_append_only ON trace_events;
DROP FUNCTION trace_events_append_only();
DROP TABLE trace_events;
DROP TABLE trace_batches;
