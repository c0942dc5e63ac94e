DROP TABLE practice_logs;
DROP TABLE attestation_signatures;
DROP TABLE program_attestations;
ALTER TABLE programs DROP COLUMN supervised_minutes;
