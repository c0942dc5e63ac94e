-- Everything that is counted to slow an attacker down: failed sign-ins per
-- account, per address and per account-from-address, registrations per
-- address, wrong passwords when deleting an account. subject names the
-- counter (see server/src/throttle.rs); rows older than an hour are swept.
DROP TABLE login_failures;
CREATE TABLE throttle_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX throttle_events_subject ON throttle_events (subject, at);
CREATE INDEX throttle_events_at ON throttle_events (at);

-- Trainers act on the programs an admin assigned them to, and on nothing else.
CREATE TABLE program_staff (
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (program_id, user_id)
);
CREATE INDEX program_staff_user ON program_staff (user_id);

-- Who wrote a name into these rows, so that deleting that account can take
-- the name out again.
ALTER TABLE course_versions ADD COLUMN published_by_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE course_drafts ADD COLUMN updated_by_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE api_tokens ADD COLUMN created_by_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL;
