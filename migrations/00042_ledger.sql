-- The settlement ledger: double-entry books of what the platform holds, owes
-- and earns for each cooperative (package internal/payment/ledger).
--
-- A journal is one business event (a sub-order's sale, a refund, a payout,
-- an offset of commission against what is owed); its entries are signed
-- VND amounts (debit > 0, credit < 0) on accounts, and they sum to zero.
-- Every journal concerns one cooperative; each entry repeats the
-- cooperative, so that per-cooperative balances of every account are one
-- indexed sum.
--
-- The database itself refuses what the Go code must never write:
--   * a journal whose entries do not sum to zero: a deferred constraint
--     trigger checks each journal at commit, so a journal and its entries
--     may be written by separate statements of one transaction but never
--     committed unbalanced. Amounts are never zero, so a single entry is
--     unbalanced; a journal without entries is a memo (a cash-on-delivery
--     sale at a zero commission rate records its gross and nothing else);
--   * entries added to a journal written by an earlier transaction;
--   * any UPDATE, DELETE or TRUNCATE: the ledger is append-only, and a
--     mistake is corrected by a further journal.
--
-- Journal keys make posting idempotent: "sale:<sub_order_id>",
-- "refund:<refund key>", "payout:<cooperative_id>:<bank reference>",
-- "offset:<uuid>". Sub-order ids are not foreign keys, so that the ledger
-- does not depend on the order schema's table names.

-- +goose Up
CREATE TABLE ledger_journals (
    id             uuid PRIMARY KEY,
    key            text NOT NULL UNIQUE CHECK (key <> ''),
    kind           text NOT NULL CHECK (kind IN ('card_sale', 'direct_sale', 'card_refund', 'direct_refund',
                                                 'payout', 'offset')),
    cooperative_id uuid NOT NULL REFERENCES cooperatives (id),
    sub_order_id   uuid,
    -- amount_vnd is the event's gross amount: the sale, the refund, the
    -- transfer. A direct sale's gross is only here: that money never passes
    -- through the platform, so it is no balance of the platform's books.
    amount_vnd     bigint NOT NULL CHECK (amount_vnd > 0),
    -- The commission rate in force when a sale was posted; refunds of the
    -- sale use it, whatever the rate is by then.
    commission_bps integer CHECK (commission_bps BETWEEN 0 AND 10000),
    -- The refund's key or the bank transfer's reference, shown on statements.
    reference      text NOT NULL DEFAULT '',
    paid_on        date,
    created_by     uuid REFERENCES users (id),
    posted_at      timestamptz NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    -- The target of the entries' foreign key, which ties an entry's
    -- cooperative to its journal's.
    UNIQUE (id, cooperative_id),
    CHECK ((kind IN ('card_sale', 'direct_sale')) = (commission_bps IS NOT NULL)),
    CHECK ((kind IN ('card_sale', 'direct_sale', 'card_refund', 'direct_refund')) = (sub_order_id IS NOT NULL)),
    CHECK ((kind = 'payout') = (paid_on IS NOT NULL))
);
-- Statements: a cooperative's journals in order of posting.
CREATE INDEX ledger_journals_cooperative_posted_idx ON ledger_journals (cooperative_id, posted_at, id);
-- Refunds find their sale and the refunds before them.
CREATE INDEX ledger_journals_sub_order_idx ON ledger_journals (sub_order_id) WHERE sub_order_id IS NOT NULL;

CREATE TABLE ledger_entries (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    journal_id     uuid NOT NULL,
    cooperative_id uuid NOT NULL,
    -- platform_cash       asset: money the platform holds (card payments).
    -- coop_payable        liability: what the platform owes the cooperative
    --                     (credit balance, i.e. negative when owed).
    -- coop_receivable     asset: commission the cooperative owes the
    --                     platform on sales it collected itself.
    -- commission_revenue  income: the platform's commission.
    account        text NOT NULL CHECK (account IN ('platform_cash', 'coop_payable', 'coop_receivable',
                                                    'commission_revenue')),
    amount_vnd     bigint NOT NULL CHECK (amount_vnd <> 0),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (journal_id, cooperative_id) REFERENCES ledger_journals (id, cooperative_id)
);
CREATE INDEX ledger_entries_journal_idx ON ledger_entries (journal_id);
-- Balances: one index-only sum per cooperative and account.
CREATE INDEX ledger_entries_cooperative_account_idx ON ledger_entries (cooperative_id, account) INCLUDE (amount_vnd);

-- +goose StatementBegin
CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    journal uuid;
    total   numeric;
BEGIN
    IF TG_TABLE_NAME = 'ledger_journals' THEN
        journal := NEW.id;
    ELSE
        journal := NEW.journal_id;
    END IF;
    SELECT coalesce(sum(amount_vnd), 0) INTO total
    FROM ledger_entries
    WHERE journal_id = journal;
    IF total <> 0 THEN
        RAISE EXCEPTION 'ledger: journal % is unbalanced: its entries sum to %', journal, total
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_journal_balanced';
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- Deferred to commit, so that the check sees every entry of the journal. A
-- journal is checked once per entry; journals have a handful.
CREATE CONSTRAINT TRIGGER ledger_journal_balanced AFTER INSERT ON ledger_journals
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced();
CREATE CONSTRAINT TRIGGER ledger_entry_balanced AFTER INSERT ON ledger_entries
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced();

-- +goose StatementBegin
-- A journal's created_at is its transaction's start (now()); an entry whose
-- journal started at another time belongs to an earlier transaction. A
-- missing journal is left to the foreign key.
CREATE FUNCTION ledger_entry_same_transaction() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM ledger_journals WHERE id = NEW.journal_id AND created_at <> now()) THEN
        RAISE EXCEPTION 'ledger: journal % is closed; post a new journal instead', NEW.journal_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_journal_closed';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER ledger_entry_same_transaction BEFORE INSERT ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_same_transaction();

-- +goose StatementBegin
CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger: % is append-only; post a correcting journal instead', TG_TABLE_NAME
        USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_append_only';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER ledger_journals_append_only BEFORE UPDATE OR DELETE ON ledger_journals
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_journals_no_truncate BEFORE TRUNCATE ON ledger_journals
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();

-- +goose Down
DROP TABLE ledger_entries;
DROP TABLE ledger_journals;
DROP FUNCTION ledger_append_only();
DROP FUNCTION ledger_entry_same_transaction();
DROP FUNCTION ledger_check_balanced();
