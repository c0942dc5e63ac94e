-- Where each certificate sits in the published Bitstring Status Lists
-- (revocation and suspension share the place): a random position in list
-- number `list_number`, unique. Certificates issued before this have none
-- and are checked through the verify page and API only.
CREATE TABLE certificate_status_slots (
    certificate_id BIGINT PRIMARY KEY REFERENCES certificates (id) ON DELETE CASCADE,
    list_number INTEGER NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (list_number, position)
);
