-- Certificate states: a renewal may start in the future (the day the one
-- it renews ends), a certificate may be suspended while a concern is looked
-- into, and a program says when renewal opens and how long its grace runs.

ALTER TABLE certificates ADD COLUMN valid_from TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
UPDATE certificates SET valid_from = issued_at;
-- Why it was suspended is in the audit log, for staff only: the public
-- page never shows it.
ALTER TABLE certificates ADD COLUMN suspended_at TIMESTAMP;
-- The renewal issued to follow this certificate.
ALTER TABLE certificates ADD COLUMN replaced_by_id INTEGER REFERENCES certificates (id) ON DELETE SET NULL;

-- Days before the end when renewal opens, and after it when a renewal
-- still starts the day it ended (0 and 0: renewal only after the end).
ALTER TABLE programs ADD COLUMN renewal_window_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE programs ADD COLUMN grace_days INTEGER NOT NULL DEFAULT 0;
