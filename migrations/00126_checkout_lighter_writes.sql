-- +goose Up
-- Every checkout writes two sub-orders; the unique (order_id,
-- cooperative_id) index already finds an order's sub-orders, so this one
-- only cost an index write per sub-order.
DROP INDEX sub_orders_order_idx;

-- The stored first answer of a checkout (the order as JSON, a few KB) is
-- compressed on every checkout: lz4 costs a fraction of pglz's CPU. A
-- server built without lz4 keeps pglz.
-- +goose StatementBegin
DO $$
BEGIN
    ALTER TABLE idempotency_keys ALTER COLUMN response SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not available: idempotency_keys.response stays pglz';
END
$$;
-- +goose StatementEnd

-- +goose Down
ALTER TABLE idempotency_keys ALTER COLUMN response SET COMPRESSION default;
CREATE INDEX sub_orders_order_idx ON sub_orders (order_id);
