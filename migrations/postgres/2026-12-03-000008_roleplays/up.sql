-- Observed role plays a program asks for, with the checklist a trainer
-- scores while watching, and each observation of a learner.

-- items: JSON list of [id, text], as roleplays/<id>.toml has them.
CREATE TABLE program_roleplays (
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    roleplay_key TEXT NOT NULL,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    script TEXT NOT NULL,
    items TEXT NOT NULL,
    PRIMARY KEY (program_id, roleplay_key)
);

-- marks: JSON list of {item, text, met, note} as scored (the item's text
-- kept, so the record reads the same after the checklist changes).
-- passed: every item met. The observer's name survives their account.
CREATE TABLE roleplay_observations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    roleplay_key TEXT NOT NULL,
    observed_on TIMESTAMP NOT NULL,
    observer_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    observer_name TEXT NOT NULL,
    marks TEXT NOT NULL,
    passed BOOLEAN NOT NULL,
    scored_at TIMESTAMP NOT NULL
);
CREATE INDEX roleplay_observations_learner ON roleplay_observations (user_id, program_id);
