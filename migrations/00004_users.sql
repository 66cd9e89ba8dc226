-- Accounts and their global roles. A person signs in with an e-mail address
-- or a Vietnamese mobile number (stored as E.164, +84…); at least one is set.
-- Roles tied to a cooperative live in cooperative_members (00006).

-- +goose Up
CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text UNIQUE CHECK (email = lower(email)),
    phone         text UNIQUE CHECK (phone ~ '^\+84[35789][0-9]{8}$'),
    password_hash text NOT NULL,
    full_name     text NOT NULL CHECK (full_name <> ''),
    -- A wholesaler is a business buyer: its company and tax code.
    company_name  text,
    tax_code      text,
    disabled_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (email IS NOT NULL OR phone IS NOT NULL)
);

-- user_roles holds the roles that are not tied to a cooperative. A
-- trade_staff role is scoped to one province, or national when
-- province_slug is NULL.
CREATE TABLE user_roles (
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role          text NOT NULL CHECK (role IN ('consumer', 'wholesaler', 'trade_staff', 'admin')),
    province_slug text REFERENCES provinces (slug),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, role),
    CHECK (role = 'trade_staff' OR province_slug IS NULL)
);
CREATE INDEX user_roles_role_idx ON user_roles (role);

-- +goose Down
DROP TABLE user_roles;
DROP TABLE users;
