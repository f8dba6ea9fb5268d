-- Who may do what. These migrations run as the schema owner, which owns every table and alone may change
-- one; the gateway serves as ${app_role} (embedded: hmb_app; on a server: --jdbc-user), which gets only
-- what the gateway's own queries need (docs/security.md, "Database roles"). It is no superuser, so no
-- COPY ... PROGRAM, no session_replication_role; it owns nothing, so it cannot ALTER, DROP, TRUNCATE or
-- disable a trigger. On the audit trail it may only read and append; the chainer's to-do list it also
-- empties. A table added later needs its GRANT in its own migration (DatabaseAccessTest fails without).
--
-- No one but the owner creates objects in the schema (PostgreSQL before 15 lets every role). When the
-- owner is not the schema's owner this REVOKE only warns; the operator runs it (docs/security.md).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO ${app_role};

GRANT SELECT, INSERT ON gateway_start TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON participant, participant_key, product, product_member TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON message TO ${app_role};
GRANT SELECT, INSERT ON audit_event, audit_chain TO ${app_role};
GRANT SELECT, INSERT, DELETE ON audit_unchained TO ${app_role};
GRANT USAGE ON SEQUENCE gateway_start_id_seq, message_id_seq, audit_event_id_seq TO ${app_role};

-- So that a gateway serving as this role sees the schema is up to date (it migrates nothing itself).
GRANT SELECT ON ${flyway:table} TO ${app_role};
