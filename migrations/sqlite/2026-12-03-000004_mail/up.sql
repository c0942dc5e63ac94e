-- Mail and the accounts that rely on it: confirmed addresses, one-time
-- links for confirming and resetting, and an outbox written in the same
-- transaction as the event that causes a message.

ALTER TABLE users ADD COLUMN email_confirmed_at TIMESTAMP;
-- Which mail the person accepts: 'all', 'essential' (no optional mail) or
-- 'resets_only' (only password resets they ask for).
ALTER TABLE users ADD COLUMN mail_preference TEXT NOT NULL DEFAULT 'all';
-- Accounts made by the operator before addresses were confirmed keep their
-- standing; learners confirm on their next visit.
UPDATE users SET email_confirmed_at = created_at WHERE role <> 'learner';

-- One-time links. Only the SHA-256 of the token is kept.
CREATE TABLE account_tokens (
    token_hash BLOB PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX account_tokens_user ON account_tokens (user_id);

-- Messages waiting to go out, and those sent (their address kept 30 days,
-- their key long after, so that no event is mailed twice).
-- event_key makes each event's message unique: written once, never twice.
-- claimed_until is a sender's lease: another sender skips the row until it
-- passes, so a sender that died mid-batch does not hold its mail forever.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_key TEXT NOT NULL UNIQUE,
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    to_address TEXT NOT NULL,
    -- The message as JSON (the server's Letter), rendered when sent so the
    -- configured wording applies; emptied once sent, since it may hold a
    -- one-time link.
    letter TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0,
    next_try_at TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP,
    sent_at TIMESTAMP,
    last_error TEXT
);
CREATE INDEX outbox_waiting ON outbox (sent_at, next_try_at);
