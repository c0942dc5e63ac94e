-- Training hours by category, counted from the program's courses (their
-- estimated hours), live sessions a learner attended, and external
-- trainings a trainer approved; continuing-education hours for renewal,
-- counted the same way from sessions and trainings; and the exam again for
-- a certificate that lapsed too long ago.

-- Minutes of training a first certificate asks for (0: none), at most
-- `self_paced_cap_minutes` of them from courses (NULL: no cap); minutes
-- of continuing education a renewal asks for (0: renewing means completing
-- the program again); days after a lapse when the exam is needed again
-- (NULL: never).
ALTER TABLE programs ADD COLUMN training_minutes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE programs ADD COLUMN self_paced_cap_minutes INTEGER;
ALTER TABLE programs ADD COLUMN ce_minutes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE programs ADD COLUMN reexam_after_days INTEGER;

-- The program's hour categories and the least each asks, for training and
-- for continuing education.
CREATE TABLE program_hour_categories (
    program_id INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    category_key TEXT NOT NULL,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    training_minimum_minutes INTEGER NOT NULL,
    ce_minimum_minutes INTEGER NOT NULL,
    PRIMARY KEY (program_id, category_key)
);

-- The hours each of the program's courses counts for, in one category.
CREATE TABLE program_course_hours (
    program_id INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    course_slug TEXT NOT NULL,
    category_key TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    PRIMARY KEY (program_id, course_slug)
);

-- A live session a trainer scheduled. The trainer's name is kept so the
-- record survives their account.
CREATE TABLE live_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    minutes INTEGER NOT NULL,
    place TEXT NOT NULL,
    category_key TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    trainer_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    trainer_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX live_sessions_program ON live_sessions (program_id, starts_at);

-- A learner's place in a session. attendance: NULL until the trainer
-- records it, then 'attended' or 'absent'; only attended hours count.
CREATE TABLE session_seats (
    session_id INTEGER NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    signed_up_at TIMESTAMP NOT NULL,
    attendance TEXT,
    marked_at TIMESTAMP,
    PRIMARY KEY (session_id, user_id)
);
CREATE INDEX session_seats_learner ON session_seats (user_id);

-- A training taken elsewhere, as the learner logged it, and what a
-- trainer of the program decided. status: 'pending', 'confirmed' or
-- 'declined'; only confirmed hours count.
CREATE TABLE external_trainings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    program_id INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    provider TEXT NOT NULL,
    taken_on TIMESTAMP NOT NULL,
    minutes INTEGER NOT NULL,
    category_key TEXT NOT NULL,
    status TEXT NOT NULL,
    reviewer_name TEXT NOT NULL DEFAULT '',
    review_note TEXT NOT NULL DEFAULT '',
    logged_at TIMESTAMP NOT NULL,
    reviewed_at TIMESTAMP
);
CREATE INDEX external_trainings_learner ON external_trainings (user_id, program_id);
CREATE INDEX external_trainings_program ON external_trainings (program_id, status);
