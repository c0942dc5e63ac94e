-- Reflection prompts a course's files offer (reflections.toml), replaced
-- on each import; and each learner's private answers, kept by prompt id.

CREATE TABLE course_reflection_prompts (
    course_slug TEXT NOT NULL,
    prompt_key TEXT NOT NULL,
    position INTEGER NOT NULL,
    module_slug TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (course_slug, prompt_key)
);

-- Only the learner reads these: they are in their data export and go with
-- their account.
CREATE TABLE reflections (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_slug TEXT NOT NULL,
    prompt_key TEXT NOT NULL,
    answer TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, course_slug, prompt_key)
);
