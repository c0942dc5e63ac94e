DROP TABLE bulk_verifications;
DROP TABLE api_tokens;
DROP TABLE invitations;
DROP TABLE memberships;
DROP TABLE organization_admins;
DROP TABLE organizations;
