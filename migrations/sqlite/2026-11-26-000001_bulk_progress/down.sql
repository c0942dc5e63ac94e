ALTER TABLE bulk_verifications DROP COLUMN finished_at;
ALTER TABLE bulk_verifications DROP COLUMN checked;
ALTER TABLE bulk_verifications DROP COLUMN total;
