ALTER TABLE users DROP COLUMN last_sign_in_at;
ALTER TABLE users DROP COLUMN disabled_at;
