ALTER TABLE api_tokens DROP COLUMN created_by_user_id;
ALTER TABLE course_drafts DROP COLUMN updated_by_user_id;
ALTER TABLE course_versions DROP COLUMN published_by_user_id;
DROP TABLE program_staff;
DROP TABLE throttle_events;
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures (subject, failed_at);
