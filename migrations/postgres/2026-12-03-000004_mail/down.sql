DROP TABLE outbox;
DROP TABLE account_tokens;
ALTER TABLE users DROP COLUMN mail_preference;
ALTER TABLE users DROP COLUMN email_confirmed_at;
