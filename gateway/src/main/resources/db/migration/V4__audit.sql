-- Append-only audit trail. Events are written in the same transaction as the state change they record;
-- a single chainer (elected by advisory lock) later links committed events into an SM3 hash chain in
-- audit_chain, so writers never serialise on the chain head. No personal data: header fields only.
CREATE TABLE audit_event (
    id                BIGSERIAL PRIMARY KEY,
    at                TIMESTAMPTZ NOT NULL,
    event             TEXT NOT NULL,
    message_id        TEXT NOT NULL,
    sender            TEXT NOT NULL,
    recipient         TEXT NOT NULL,
    message_type      TEXT NOT NULL,
    admdvs            CHAR(6) NOT NULL,
    ciphertext_digest BYTEA,
    detail            TEXT NOT NULL DEFAULT ''
);

CREATE TABLE audit_chain (
    position    BIGINT PRIMARY KEY,
    event_id    BIGINT NOT NULL UNIQUE REFERENCES audit_event(id),
    prev_hash   BYTEA NOT NULL,
    hash        BYTEA NOT NULL
);

CREATE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_chain_append_only BEFORE UPDATE OR DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
