-- Account admin: a site admin may turn an account off (it cannot sign in,
-- and its sessions end) and sees when each account last signed in.
ALTER TABLE users ADD COLUMN disabled_at TIMESTAMP;
ALTER TABLE users ADD COLUMN last_sign_in_at TIMESTAMP;
