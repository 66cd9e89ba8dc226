-- One product, several packagings: the catalog CSV's `product` column
-- names a product within its cooperative, and its rows are the product's
-- variants. A product whose packagings were once separate products is
-- merged: the emptied product stays (order lines keep referring to it),
-- archived, with merged_into naming the product its variants moved to, so
-- that its old address redirects there.

-- +goose Up
ALTER TABLE products
    ADD COLUMN product_key text CHECK (product_key ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$'),
    ADD COLUMN merged_into uuid REFERENCES products (id) CHECK (merged_into <> id);
CREATE UNIQUE INDEX products_cooperative_key_idx ON products (cooperative_id, product_key)
    WHERE product_key IS NOT NULL;

-- +goose Down
DROP INDEX products_cooperative_key_idx;
ALTER TABLE products DROP COLUMN merged_into, DROP COLUMN product_key;
