-- +goose Up
-- A sale changes a packaging's stock, and PostgreSQL checks every CHECK
-- constraint of a row it updates, the SKU's pattern and the tiers' shape
-- included. The same rules as domains are checked only when their column
-- is written, so a stock update checks only its own rule (stock >= 0,
-- still a CHECK). The view over the columns is made again around the
-- change.
DROP VIEW sale_items;

CREATE DOMAIN variant_sku AS text CHECK (VALUE ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$');
CREATE DOMAIN variant_unit AS text CHECK (VALUE <> '');
CREATE DOMAIN variant_price_vnd AS bigint CHECK (VALUE > 0);
CREATE DOMAIN variant_weight_grams AS integer CHECK (VALUE > 0);
CREATE DOMAIN variant_wholesale_min_qty AS integer CHECK (VALUE > 1);
CREATE DOMAIN variant_price_tiers AS jsonb CHECK (jsonb_typeof(VALUE) = 'array');
CREATE DOMAIN variant_status AS text CHECK (VALUE IN ('active', 'archived'));

ALTER TABLE product_variants
    DROP CONSTRAINT product_variants_sku_check,
    DROP CONSTRAINT product_variants_unit_check,
    DROP CONSTRAINT product_variants_price_vnd_check,
    DROP CONSTRAINT product_variants_weight_grams_check,
    DROP CONSTRAINT product_variants_wholesale_min_qty_check,
    DROP CONSTRAINT product_variants_price_tiers_check,
    DROP CONSTRAINT product_variants_status_check,
    ALTER COLUMN sku TYPE variant_sku,
    ALTER COLUMN unit TYPE variant_unit,
    ALTER COLUMN price_vnd TYPE variant_price_vnd,
    ALTER COLUMN weight_grams TYPE variant_weight_grams,
    ALTER COLUMN wholesale_min_qty TYPE variant_wholesale_min_qty,
    ALTER COLUMN price_tiers TYPE variant_price_tiers,
    ALTER COLUMN status TYPE variant_status;

CREATE VIEW sale_items AS
SELECT v.id AS variant_id, p.id AS product_id, p.slug AS product_slug, p.name AS product_name,
       c.id AS coop_id, c.slug AS coop_slug, c.name AS coop_name, c.province_slug AS coop_province,
       v.sku, v.unit, v.price_vnd, v.stock, v.wholesale_min_qty, v.price_tiers,
       (SELECT i.thumb_key FROM product_images i WHERE i.product_id = p.id ORDER BY i.position, i.id LIMIT 1) AS thumb_key,
       (v.status = 'active' AND p.status = 'active' AND c.status = 'verified') AS on_sale
FROM product_variants v
JOIN products p ON p.id = v.product_id
JOIN cooperatives c ON c.id = p.cooperative_id;

-- +goose Down
DROP VIEW sale_items;
ALTER TABLE product_variants
    ALTER COLUMN sku TYPE text,
    ALTER COLUMN unit TYPE text,
    ALTER COLUMN price_vnd TYPE bigint,
    ALTER COLUMN weight_grams TYPE integer,
    ALTER COLUMN wholesale_min_qty TYPE integer,
    ALTER COLUMN price_tiers TYPE jsonb,
    ALTER COLUMN status TYPE text,
    ADD CONSTRAINT product_variants_sku_check CHECK (sku ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    ADD CONSTRAINT product_variants_unit_check CHECK (unit <> ''),
    ADD CONSTRAINT product_variants_price_vnd_check CHECK (price_vnd > 0),
    ADD CONSTRAINT product_variants_weight_grams_check CHECK (weight_grams > 0),
    ADD CONSTRAINT product_variants_wholesale_min_qty_check CHECK (wholesale_min_qty > 1),
    ADD CONSTRAINT product_variants_price_tiers_check CHECK (jsonb_typeof(price_tiers) = 'array'),
    ADD CONSTRAINT product_variants_status_check CHECK (status IN ('active', 'archived'));
DROP DOMAIN variant_sku, variant_unit, variant_price_vnd, variant_weight_grams, variant_wholesale_min_qty,
    variant_price_tiers, variant_status;
CREATE VIEW sale_items AS
SELECT v.id AS variant_id, p.id AS product_id, p.slug AS product_slug, p.name AS product_name,
       c.id AS coop_id, c.slug AS coop_slug, c.name AS coop_name, c.province_slug AS coop_province,
       v.sku, v.unit, v.price_vnd, v.stock, v.wholesale_min_qty, v.price_tiers,
       (SELECT i.thumb_key FROM product_images i WHERE i.product_id = p.id ORDER BY i.position, i.id LIMIT 1) AS thumb_key,
       (v.status = 'active' AND p.status = 'active' AND c.status = 'verified') AS on_sale
FROM product_variants v
JOIN products p ON p.id = v.product_id
JOIN cooperatives c ON c.id = p.cooperative_id;
