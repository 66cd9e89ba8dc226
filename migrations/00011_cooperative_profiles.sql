-- The cooperative's profile, its verification by trade staff and the
-- product statistics of the public directory. The statistics belong to the
-- catalog, which keeps them current inside its own transactions
-- (cooperative.Store.SetProductStats); they are stored here so that the
-- directory filters and exports without joining the catalog.

-- +goose Up
ALTER TABLE cooperatives
    -- registration_number is the mã số HTX (the tax code): 10 digits, or 10
    -- digits, a hyphen and 3 digits. Cooperatives created by a catalog import
    -- may not have one yet.
    ADD COLUMN registration_number text UNIQUE CHECK (registration_number ~ '^[0-9]{10}(-[0-9]{3})?$'),
    ADD COLUMN commune             text NOT NULL DEFAULT '',
    ADD COLUMN address             text NOT NULL DEFAULT '',
    ADD COLUMN phone               text NOT NULL DEFAULT '',
    ADD COLUMN email               text NOT NULL DEFAULT '',
    ADD COLUMN founded_year        int CHECK (founded_year BETWEEN 1900 AND 2100),
    ADD COLUMN member_count        int CHECK (member_count > 0),
    ADD COLUMN story               text NOT NULL DEFAULT '',
    ADD COLUMN logo_url            text NOT NULL DEFAULT '',
    ADD COLUMN banner_url          text NOT NULL DEFAULT '',
    ADD COLUMN certifications      text[] NOT NULL DEFAULT '{}',
    -- The outcome of the last review: who decided, when, and why a
    -- rejection was made.
    ADD COLUMN rejection_reason    text NOT NULL DEFAULT '',
    ADD COLUMN reviewed_by         uuid REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN reviewed_at         timestamptz,
    ADD COLUMN product_groups      text[] NOT NULL DEFAULT '{}',
    ADD COLUMN product_count       int NOT NULL DEFAULT 0 CHECK (product_count >= 0),
    ADD COLUMN ocop_product_count  int NOT NULL DEFAULT 0 CHECK (ocop_product_count >= 0),
    -- name_folded is what accent-insensitive lookups and the directory's
    -- alphabetical order use.
    ADD COLUMN name_folded         text GENERATED ALWAYS AS (fold_vi(name)) STORED;

CREATE INDEX cooperatives_directory_idx ON cooperatives (name_folded, id) WHERE status = 'verified';
CREATE INDEX cooperatives_province_name_idx ON cooperatives (province_slug, name_folded);
CREATE INDEX cooperatives_review_idx ON cooperatives (status, province_slug, id);
CREATE INDEX cooperatives_groups_idx ON cooperatives USING gin (product_groups);

-- +goose Down
DROP INDEX cooperatives_groups_idx;
DROP INDEX cooperatives_review_idx;
DROP INDEX cooperatives_province_name_idx;
DROP INDEX cooperatives_directory_idx;
ALTER TABLE cooperatives
    DROP COLUMN name_folded,
    DROP COLUMN ocop_product_count,
    DROP COLUMN product_count,
    DROP COLUMN product_groups,
    DROP COLUMN reviewed_at,
    DROP COLUMN reviewed_by,
    DROP COLUMN rejection_reason,
    DROP COLUMN certifications,
    DROP COLUMN banner_url,
    DROP COLUMN logo_url,
    DROP COLUMN story,
    DROP COLUMN member_count,
    DROP COLUMN founded_year,
    DROP COLUMN email,
    DROP COLUMN phone,
    DROP COLUMN address,
    DROP COLUMN commune,
    DROP COLUMN registration_number;
