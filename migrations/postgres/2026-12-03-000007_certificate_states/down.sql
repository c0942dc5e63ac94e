ALTER TABLE programs DROP COLUMN grace_days;
ALTER TABLE programs DROP COLUMN renewal_window_days;
ALTER TABLE certificates DROP COLUMN replaced_by_id;
ALTER TABLE certificates DROP COLUMN suspended_at;
ALTER TABLE certificates DROP COLUMN valid_from;
