-- A published version says what changed and who published it; versions
-- loaded from course files have neither.
ALTER TABLE course_versions ADD COLUMN change_summary TEXT;
ALTER TABLE course_versions ADD COLUMN published_by_name TEXT;

-- Who may edit a course besides admins: its creator, and trainers an admin adds.
CREATE TABLE course_editors (
    course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (course_id, user_id)
);
CREATE INDEX course_editors_user ON course_editors (user_id);

-- The one draft of a course, as the JSON of its whole content in the
-- course-file shape. Learners never read this table.
CREATE TABLE course_drafts (
    course_id INTEGER PRIMARY KEY REFERENCES courses (id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by_name TEXT NOT NULL
);

-- Practical requirements of a program, from programs.toml.
CREATE TABLE program_practicals (
    program_id INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    practical_key TEXT NOT NULL,
    title TEXT NOT NULL,
    PRIMARY KEY (program_id, position)
);

-- A trainer's word that a learner met a practical requirement. Keyed by the
-- requirement's key, so a sign-off survives programs.toml being reordered.
CREATE TABLE practical_signoffs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    program_id INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    practical_key TEXT NOT NULL,
    completed_on TIMESTAMP NOT NULL,
    note TEXT NOT NULL,
    signed_by_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    signed_by_name TEXT NOT NULL,
    signed_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, program_id, practical_key)
);
