-- Timestamps are UTC. Ids are 64-bit (SQLite's INTEGER PRIMARY KEY is).
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('learner', 'trainer', 'org_admin', 'admin')),
    created_at TIMESTAMP NOT NULL
);

-- Only a SHA-256 of the cookie's token is kept: a copy of this table cannot log anyone in.
CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- subject is 'account:<email>' or 'address:<ip>'.
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures (subject, failed_at);

CREATE TABLE courses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    current_version_id INTEGER,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE course_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    course_id INTEGER NOT NULL REFERENCES courses (id),
    version_label TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    outcomes TEXT NOT NULL,
    pass_mark INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL
);
CREATE INDEX course_versions_course ON course_versions (course_id);

CREATE TABLE modules (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    course_version_id INTEGER NOT NULL REFERENCES course_versions (id),
    position INTEGER NOT NULL,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    content_note TEXT,
    body_markdown TEXT NOT NULL,
    body_html TEXT NOT NULL,
    has_quiz BOOLEAN NOT NULL,
    quiz_pass_mark INTEGER NOT NULL,
    UNIQUE (course_version_id, slug)
);

CREATE TABLE questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    module_id INTEGER NOT NULL REFERENCES modules (id),
    position INTEGER NOT NULL,
    question_key TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('single', 'multiple', 'true_false')),
    scenario TEXT,
    prompt TEXT NOT NULL
);
CREATE INDEX questions_module ON questions (module_id, position);

CREATE TABLE question_options (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id INTEGER NOT NULL REFERENCES questions (id),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    correct BOOLEAN NOT NULL,
    why TEXT NOT NULL
);
CREATE INDEX question_options_question ON question_options (question_id, position);

CREATE TABLE programs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    valid_for_months INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE program_courses (
    program_id INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    course_slug TEXT NOT NULL,
    PRIMARY KEY (program_id, position)
);

CREATE TABLE enrollments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id INTEGER NOT NULL REFERENCES courses (id),
    enrolled_at TIMESTAMP NOT NULL,
    last_module_slug TEXT,
    completed_at TIMESTAMP,
    UNIQUE (user_id, course_id)
);

-- Modules are keyed by slug, not by versioned id, so reading survives a new course version.
CREATE TABLE module_reads (
    enrollment_id INTEGER NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    module_slug TEXT NOT NULL,
    first_read_at TIMESTAMP NOT NULL,
    PRIMARY KEY (enrollment_id, module_slug)
);

-- A quiz as handed to one learner: its option order, and answers saved before submission.
CREATE TABLE quiz_sittings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    module_id INTEGER NOT NULL REFERENCES modules (id),
    option_order TEXT NOT NULL,
    draft_answers TEXT,
    opened_at TIMESTAMP NOT NULL
);
CREATE INDEX quiz_sittings_user_module ON quiz_sittings (user_id, module_id);

-- Insert-only: one graded attempt per sitting, so a resubmitted form cannot add a second.
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sitting_id INTEGER NOT NULL UNIQUE REFERENCES quiz_sittings (id),
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id INTEGER NOT NULL REFERENCES courses (id),
    course_version_id INTEGER NOT NULL REFERENCES course_versions (id),
    module_id INTEGER NOT NULL REFERENCES modules (id),
    module_slug TEXT NOT NULL,
    submitted_at TIMESTAMP NOT NULL,
    score_basis_points INTEGER NOT NULL,
    passed BOOLEAN NOT NULL
);
CREATE INDEX attempts_user_course ON attempts (user_id, course_id);

CREATE TABLE attempt_answers (
    attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES questions (id),
    chosen TEXT NOT NULL,
    score_basis_points INTEGER NOT NULL,
    PRIMARY KEY (attempt_id, question_id)
);
