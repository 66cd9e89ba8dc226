-- A cooperative's uploaded logo and cover: the file each is stored as in
-- the media storage (internal/platform/storage), under a key that holds a
-- fresh ID ("cooperatives/<cooperative id>/<id>-logo.jpg") so that a key's
-- file never changes and a replaced picture's file can be removed without
-- touching the new one. cooperatives.logo_url and banner_url hold the
-- address the storefront shows; a URL typed in by hand has no row here.

-- +goose Up
CREATE TABLE cooperative_images (
    cooperative_id uuid NOT NULL REFERENCES cooperatives (id) ON DELETE CASCADE,
    kind           text NOT NULL CHECK (kind IN ('logo', 'cover')),
    key            text NOT NULL UNIQUE,
    content_type   text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
    width          integer NOT NULL CHECK (width > 0),
    height         integer NOT NULL CHECK (height > 0),
    bytes          integer NOT NULL CHECK (bytes > 0),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cooperative_id, kind)
);

-- +goose Down
DROP TABLE cooperative_images;
