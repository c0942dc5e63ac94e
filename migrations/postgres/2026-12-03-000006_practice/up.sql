-- Practice a program may require besides its courses and exam: hours of
-- supervised co-facilitation a supervisor confirms, and texts the learner
-- signs (a code of ethics, a confidentiality agreement), by version.

-- Minutes of confirmed supervised practice the program requires (0: none).
ALTER TABLE programs ADD COLUMN supervised_minutes INTEGER NOT NULL DEFAULT 0;

-- The texts a program asks its learners to sign, as programs.toml has them.
CREATE TABLE program_attestations (
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    attestation_key TEXT NOT NULL,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (program_id, attestation_key)
);

-- A learner's signature of one version of a text: a new version is a new
-- signature, and the old ones stay as the record of what was agreed.
CREATE TABLE attestation_signatures (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    attestation_key TEXT NOT NULL,
    version INTEGER NOT NULL,
    signed_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, program_id, attestation_key, version)
);

-- Sessions a learner co-facilitated, as they logged them (no details of
-- the group's members), and what the supervisor they named decided.
-- status: 'pending', 'confirmed' or 'declined'. The supervisor's name is
-- kept so the record survives their account.
CREATE TABLE practice_logs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    practiced_on TIMESTAMP NOT NULL,
    minutes INTEGER NOT NULL,
    role TEXT NOT NULL,
    supervisor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    supervisor_name TEXT NOT NULL,
    status TEXT NOT NULL,
    review_note TEXT NOT NULL DEFAULT '',
    logged_at TIMESTAMP NOT NULL,
    reviewed_at TIMESTAMP
);
CREATE INDEX practice_logs_learner ON practice_logs (user_id, program_id);
CREATE INDEX practice_logs_supervisor ON practice_logs (supervisor_id, status);
