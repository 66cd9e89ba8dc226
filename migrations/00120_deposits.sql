-- Deposits (đặt cọc) on orders placed from quotes: a quote may say what
-- share of its total the cooperative accepts as a deposit; a buyer who
-- pays only the deposits confirms the order with them and pays each
-- balance to the cooperative on delivery (cash or transfer), which the
-- cooperative or staff records.
--
-- sub_orders.received_vnd stays what has been received for a sub-order
-- (card, transfers, then the balance), so the balance due is
-- total_vnd - received_vnd until balance_paid_at is set.

-- +goose Up
ALTER TABLE sourcing_quotes
    -- 0: the cooperative wants full payment before delivery.
    ADD COLUMN deposit_percent integer NOT NULL DEFAULT 0
        CHECK (deposit_percent = 0 OR deposit_percent BETWEEN 10 AND 90);

ALTER TABLE orders
    -- deposit_vnd is the sum of the sub-orders' deposits when the buyer
    -- chose to pay deposits only, 0 for full payment.
    ADD COLUMN deposit_vnd bigint NOT NULL DEFAULT 0 CHECK (deposit_vnd >= 0 AND deposit_vnd < total_vnd),
    DROP CONSTRAINT orders_payment_status_check,
    ADD CONSTRAINT orders_payment_status_check
        CHECK (payment_status IN ('unpaid', 'deposit_paid', 'paid', 'cod', 'refunded', 'partially_refunded', 'cancelled'));

ALTER TABLE sub_orders
    ADD COLUMN deposit_vnd bigint NOT NULL DEFAULT 0 CHECK (deposit_vnd >= 0 AND deposit_vnd < total_vnd),
    -- When and how the balance was received (cash, transfer), and by whom.
    ADD COLUMN balance_paid_at timestamptz,
    ADD COLUMN balance_method text NOT NULL DEFAULT '' CHECK (balance_method IN ('', 'cash', 'transfer')),
    ADD COLUMN balance_by uuid REFERENCES users (id),
    ADD CONSTRAINT sub_orders_balance_needs_deposit CHECK (balance_paid_at IS NULL OR deposit_vnd > 0);

-- +goose Down
ALTER TABLE sub_orders
    DROP CONSTRAINT sub_orders_balance_needs_deposit,
    DROP COLUMN balance_by,
    DROP COLUMN balance_method,
    DROP COLUMN balance_paid_at,
    DROP COLUMN deposit_vnd;
UPDATE orders SET payment_status = 'paid' WHERE payment_status = 'deposit_paid';
ALTER TABLE orders
    DROP CONSTRAINT orders_payment_status_check,
    ADD CONSTRAINT orders_payment_status_check
        CHECK (payment_status IN ('unpaid', 'paid', 'cod', 'refunded', 'partially_refunded', 'cancelled')),
    DROP COLUMN deposit_vnd;
ALTER TABLE sourcing_quotes DROP COLUMN deposit_percent;
