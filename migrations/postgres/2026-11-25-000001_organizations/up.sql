-- Organizations that place trained volunteers as facilitators.
CREATE TABLE organizations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Who runs an organization's page. One organization per admin account, so
-- every /org page knows whose roster it shows without an id in the address.
CREATE TABLE organization_admins (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    added_at TIMESTAMP NOT NULL
);

-- A learner's consent to be seen: progress is visible to an organization
-- while, and only while, this row exists. Leaving deletes it.
CREATE TABLE memberships (
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at TIMESTAMP NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

-- One-time invitations. The token is kept readable, unlike session tokens,
-- so the organization can copy a link again until it is used: a leaked link
-- only lets someone share their own progress with the organization. The
-- name and email are what the organization typed or imported.
CREATE TABLE invitations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    withdrawn_at TIMESTAMP
);
CREATE INDEX invitations_organization ON invitations (organization_id, created_at);

-- API tokens for machines, scoped to verification. Only the hash is kept;
-- the prefix lets a person tell their tokens apart. The request window
-- counts requests per token in the database, so several app instances share
-- one limit.
CREATE TABLE api_tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    token_hash BYTEA NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    label TEXT NOT NULL,
    scope TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP,
    window_started_at TIMESTAMP,
    window_requests INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_organization ON api_tokens (organization_id);

-- A bulk verification's results, kept for a day so that the page can show
-- them after a plain form post and offer them as CSV.
CREATE TABLE bulk_verifications (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    results TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
