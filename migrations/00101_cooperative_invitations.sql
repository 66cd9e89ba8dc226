-- Memberships and delegations by consent: a manager invites a person by
-- e-mail address or phone number, and the person accepts or declines. The
-- row is kept whether or not an account has that login (user_id is then
-- NULL and nobody can accept it), so that the manager learns nothing about
-- who has an account. Accepting creates the membership or delegation.

-- +goose Up
CREATE TABLE cooperative_invitations (
    id             uuid PRIMARY KEY,
    cooperative_id uuid NOT NULL REFERENCES cooperatives (id) ON DELETE CASCADE,
    kind           text NOT NULL CHECK (kind IN ('member', 'delegate')),
    -- role is the membership's role; NULL for a delegation.
    role           text CHECK ((kind = 'member') = (role IN ('coop_manager', 'coop_staff'))),
    -- login is the e-mail address (lower case) or phone number as the
    -- manager typed it, normalised.
    login          text NOT NULL CHECK (length(login) BETWEEN 1 AND 254),
    user_id        uuid REFERENCES users (id) ON DELETE CASCADE,
    invited_by     uuid REFERENCES users (id) ON DELETE SET NULL,
    status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'cancelled')),
    expires_at     timestamptz NOT NULL,
    answered_at    timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
-- One open invitation per person and kind in a cooperative.
CREATE UNIQUE INDEX cooperative_invitations_open_idx
    ON cooperative_invitations (cooperative_id, kind, login) WHERE status = 'pending';
CREATE INDEX cooperative_invitations_user_idx
    ON cooperative_invitations (user_id, created_at) WHERE status = 'pending';

-- +goose Down
DROP TABLE cooperative_invitations;
