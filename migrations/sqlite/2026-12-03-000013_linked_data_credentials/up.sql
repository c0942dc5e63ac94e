-- Each certificate's credential as JSON-LD with an embedded Data Integrity
-- proof (eddsa-rdfc-2022), the form the Digital Credentials Consortium's
-- wallet and verifier accept; signed once at issuance, beside the VC-JWT.
-- Certificates issued before this have none.
CREATE TABLE certificate_linked_data (
    certificate_id INTEGER PRIMARY KEY REFERENCES certificates (id) ON DELETE CASCADE,
    credential TEXT NOT NULL
);
