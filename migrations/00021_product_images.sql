-- Product images: the files live in the media storage
-- (internal/platform/storage) under content-addressed keys
-- "products/<product id>/<sha256 of the uploaded bytes>-<size>.<ext>"; a
-- row names the original (re-encoded without metadata) and its two
-- resized copies. position orders a product's images from 0; the first is
-- the one lists show.

-- +goose Up
CREATE TABLE product_images (
    id           uuid PRIMARY KEY,
    product_id   uuid NOT NULL REFERENCES products (id),
    position     integer NOT NULL CHECK (position >= 0),
    alt          text NOT NULL DEFAULT '' CHECK (char_length(alt) <= 300),
    original_key text NOT NULL,
    content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
    width        integer NOT NULL CHECK (width > 0),
    height       integer NOT NULL CHECK (height > 0),
    bytes        integer NOT NULL CHECK (bytes > 0),
    thumb_key    text NOT NULL,
    medium_key   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    -- The same file twice on one product would share its keys, and deleting
    -- one would take the other's files.
    UNIQUE (product_id, original_key)
);
CREATE INDEX product_images_product_idx ON product_images (product_id, position, id);

-- +goose Down
DROP TABLE product_images;
