-- The product catalog: products of cooperatives, their variants (packaging)
-- with prices in VND and stock, and wholesale price tiers.
--
-- A product is public when it is active and its cooperative is verified;
-- the list filters below have an index each. Ids are UUIDv7, so ordering by
-- id is ordering by creation ("newest").

-- +goose Up
CREATE TABLE products (
    id               uuid PRIMARY KEY,
    cooperative_id   uuid NOT NULL REFERENCES cooperatives (id),
    slug             text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name             text NOT NULL CHECK (name <> ''),
    -- description is Markdown as written; description_html is it rendered
    -- and sanitised once, on write.
    description      text NOT NULL DEFAULT '',
    description_html text NOT NULL DEFAULT '',
    group_slug       text NOT NULL REFERENCES ocop_groups (slug),
    province_slug    text NOT NULL REFERENCES provinces (slug),
    -- The OCOP rating: stars with the certificate's number and expiry (a
    -- CSV import sets only the stars). An expired rating is kept but not
    -- shown as current.
    ocop_stars       smallint CHECK (ocop_stars IN (3, 4, 5)),
    ocop_certificate text,
    ocop_expires_on  date,
    certifications   text[] NOT NULL DEFAULT '{}',
    keywords         text[] NOT NULL DEFAULT '{}',
    -- Months (1–12) when the product is in season; empty means all year.
    season_months    smallint[] NOT NULL DEFAULT '{}'
                     CHECK (season_months <@ '{1,2,3,4,5,6,7,8,9,10,11,12}'::smallint[]),
    status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'archived')),
    -- min_price_vnd is the lowest price of the active variants, kept by the
    -- service so that the list can filter and sort on it with an index.
    min_price_vnd    bigint CHECK (min_price_vnd > 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Public lists: active products, newest first or by price, per filter.
CREATE INDEX products_active_id_idx ON products (id DESC) WHERE status = 'active';
CREATE INDEX products_active_price_idx ON products ((coalesce(min_price_vnd, 0)), id) WHERE status = 'active';
CREATE INDEX products_active_province_idx ON products (province_slug, id DESC) WHERE status = 'active';
CREATE INDEX products_active_group_idx ON products (group_slug, id DESC) WHERE status = 'active';
CREATE INDEX products_active_province_price_idx ON products (province_slug, (coalesce(min_price_vnd, 0)), id) WHERE status = 'active';
CREATE INDEX products_active_group_price_idx ON products (group_slug, (coalesce(min_price_vnd, 0)), id) WHERE status = 'active';
CREATE INDEX products_active_stars_idx ON products (ocop_stars, id DESC) WHERE status = 'active';
CREATE INDEX products_certifications_idx ON products USING gin (certifications);
CREATE INDEX products_season_idx ON products USING gin (season_months);
-- A cooperative's own list, drafts included.
CREATE INDEX products_cooperative_idx ON products (cooperative_id, id DESC);

CREATE TABLE product_variants (
    id                uuid PRIMARY KEY,
    product_id        uuid NOT NULL REFERENCES products (id),
    -- cooperative_id repeats the product's, so that a SKU is unique within
    -- its cooperative: the key of CSV import.
    cooperative_id    uuid NOT NULL REFERENCES cooperatives (id),
    sku               text NOT NULL CHECK (sku ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    unit              text NOT NULL CHECK (unit <> ''),
    price_vnd         bigint NOT NULL CHECK (price_vnd > 0),
    stock             integer NOT NULL DEFAULT 0 CHECK (stock >= 0),
    weight_grams      integer CHECK (weight_grams > 0),
    -- Wholesale: the smallest order that gets wholesale prices, and tiers
    -- [{"min_qty": 20, "unit_price_vnd": 38000}, …] by ascending quantity.
    -- Tiers are read and written with their variant as a whole.
    wholesale_min_qty integer CHECK (wholesale_min_qty > 1),
    price_tiers       jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(price_tiers) = 'array'),
    status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    position          integer NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (cooperative_id, sku)
);
CREATE INDEX product_variants_product_idx ON product_variants (product_id, position, id);

-- +goose Down
DROP TABLE product_variants;
DROP TABLE products;
