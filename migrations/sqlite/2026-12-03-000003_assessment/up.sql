-- Assessment that certifies: quizzes as pools with a draw (optionally by
-- group), a review policy that keeps the key until a pass, attempt
-- policies, and a final program exam drawn from the program's courses.

ALTER TABLE course_versions ADD COLUMN review TEXT NOT NULL DEFAULT 'after_pass';

-- A quiz's draw, groups, review policy and attempt policy, as JSON (the
-- server's QuizRules); '{}' is every question, the course's review policy
-- and no limits, which is what quizzes were before.
ALTER TABLE modules ADD COLUMN quiz_rules TEXT NOT NULL DEFAULT '{}';

ALTER TABLE questions ADD COLUMN pool_group TEXT;

CREATE TABLE program_exams (
    program_id INTEGER PRIMARY KEY REFERENCES programs (id) ON DELETE CASCADE,
    pass_mark INTEGER NOT NULL,
    review TEXT NOT NULL,
    wait_hours INTEGER,
    max_attempts INTEGER,
    period_days INTEGER
);

-- How many questions each sitting draws from each course.
CREATE TABLE program_exam_draws (
    program_id INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    course_slug TEXT NOT NULL,
    questions INTEGER NOT NULL,
    PRIMARY KEY (program_id, course_slug)
);

-- questions: a JSON list of {"question": id, "order": [option positions]},
-- in the order shown.
CREATE TABLE exam_sittings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    program_id INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    questions TEXT NOT NULL,
    draft_answers TEXT,
    opened_at TIMESTAMP NOT NULL
);
CREATE INDEX exam_sittings_user ON exam_sittings (user_id, program_id);

CREATE TABLE exam_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sitting_id INTEGER NOT NULL UNIQUE REFERENCES exam_sittings (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    program_id INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    submitted_at TIMESTAMP NOT NULL,
    score_basis_points INTEGER NOT NULL,
    passed BOOLEAN NOT NULL
);
CREATE INDEX exam_attempts_user ON exam_attempts (user_id, program_id);

CREATE TABLE exam_answers (
    attempt_id INTEGER NOT NULL REFERENCES exam_attempts (id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES questions (id),
    chosen TEXT NOT NULL,
    score_basis_points INTEGER NOT NULL,
    PRIMARY KEY (attempt_id, question_id)
);

-- A trainer's leave for one more attempt beyond a quiz's or an exam's
-- policy: for a module quiz (course_id, module_slug) or an exam
-- (program_id); used_at is set when the attempt it allowed is opened.
CREATE TABLE attempt_grants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id INTEGER REFERENCES courses (id) ON DELETE CASCADE,
    module_slug TEXT,
    program_id INTEGER REFERENCES programs (id) ON DELETE CASCADE,
    granted_by_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    granted_by_name TEXT NOT NULL,
    granted_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX attempt_grants_user ON attempt_grants (user_id);

-- Policies count attempts per learner and module over time.
CREATE INDEX attempts_user_module ON attempts (user_id, course_id, module_slug, submitted_at);
