-- Cooperatives (hợp tác xã) and the people who run them. This is the minimum
-- that membership needs; the cooperative and catalog capabilities extend the
-- table with ALTER TABLE.

-- +goose Up
CREATE TABLE cooperatives (
    id            uuid PRIMARY KEY,
    slug          text NOT NULL UNIQUE,
    name          text NOT NULL,
    province_slug text NOT NULL REFERENCES provinces (slug),
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified', 'rejected')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- One user may belong to several cooperatives, with one role in each.
CREATE TABLE cooperative_members (
    cooperative_id uuid NOT NULL REFERENCES cooperatives (id) ON DELETE CASCADE,
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role           text NOT NULL CHECK (role IN ('coop_manager', 'coop_staff')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cooperative_id, user_id)
);
CREATE INDEX cooperative_members_user_idx ON cooperative_members (user_id);

-- +goose Down
DROP TABLE cooperative_members;
DROP TABLE cooperatives;
