-- A bulk verification of a long list runs in the background, chunk by
-- chunk, so its page can show how far it has got. Rows from before this
-- were checked in one go: they are finished.
ALTER TABLE bulk_verifications ADD COLUMN total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bulk_verifications ADD COLUMN checked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bulk_verifications ADD COLUMN finished_at TIMESTAMP;
UPDATE bulk_verifications SET finished_at = created_at;
