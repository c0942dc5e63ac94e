-- Certificates withdrawn because their holder asked for them to be
-- reissued under a new name. The row stays (its code still answers, as
-- revoked, with a neutral reason) but keeps neither the name nor the
-- credential, and it is left out of the chain of renewals, so nothing
-- public links it to the certificate that replaced it.
CREATE TABLE certificate_withdrawals (
    certificate_id BIGINT PRIMARY KEY REFERENCES certificates (id) ON DELETE CASCADE,
    withdrawn_at TIMESTAMP NOT NULL
);
