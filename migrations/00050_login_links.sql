-- Sign-in links sent by e-mail: the owner of an account signs in with one
-- while an attack spread over many addresses has its password log-in
-- blocked. As for sessions and password resets, only SHA-256 hashes of the
-- tokens are stored.

-- +goose Up
CREATE TABLE login_links (
    token_hash bytea PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_links_user_idx ON login_links (user_id);

-- +goose Down
DROP TABLE login_links;
