-- A certificate is a record of what was true at issue: the holder's name,
-- the program and the course versions are copied, not joined, so later
-- renames and new course versions do not change an issued certificate.
-- user_id becomes NULL if the account is deleted; the certificate stays
-- verifiable as issued.
CREATE TABLE certificates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    program_id INTEGER NOT NULL REFERENCES programs (id),
    -- 1 for the first certificate of a program, 2 for its first renewal, ...:
    -- two racing issuances of the same one collide on the unique key.
    sequence INTEGER NOT NULL,
    holder_name TEXT NOT NULL,
    program_slug TEXT NOT NULL,
    program_title TEXT NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    revocation_reason TEXT,
    credential_jwt TEXT NOT NULL,
    UNIQUE (user_id, program_id, sequence)
);

CREATE TABLE certificate_courses (
    certificate_id INTEGER NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    course_version_id INTEGER NOT NULL REFERENCES course_versions (id),
    course_title TEXT NOT NULL,
    version_label TEXT NOT NULL,
    PRIMARY KEY (certificate_id, position)
);

-- Who did what, when and why. Insert-only; the actor's name is copied so
-- the entry stays readable after the account is gone.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    reason TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject, at);
