-- The audit log as an RFC 9162 Merkle tree over the chained events (docs/audit-log.md): leaf i is the
-- event at chain position i + 1. A row is a complete subtree, stored when its last leaf arrives: level 0
-- holds the leaf hashes, level L node idx covers leaves idx * 2^L .. (idx + 1) * 2^L - 1. About two rows
-- per event; roots and proofs of any size read O(log^2 n) of them. The tree is extended by the chainer
-- (Java: SM3 is not in PostgreSQL), also over chains that predate this migration. Append-only, like the
-- rest of the trail: what makes a rewrite detectable is not this table but the checkpoints of its root
-- signed outside the database.
CREATE TABLE audit_tree (
    level SMALLINT NOT NULL CHECK (level BETWEEN 0 AND 62),
    idx   BIGINT NOT NULL CHECK (idx >= 0),
    hash  BYTEA NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, idx)
);

CREATE TRIGGER audit_tree_append_only BEFORE UPDATE OR DELETE ON audit_tree
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();

GRANT SELECT, INSERT ON audit_tree TO ${app_role};

-- A participant asks for the entries of its message (AuditLogService.GetInclusionProof): found by id, not
-- by a scan of the trail. One more index entry per audit event on the write path.
CREATE INDEX audit_event_message_id ON audit_event (message_id);

-- The serving role creates no temporary tables either (PostgreSQL grants TEMP on a database to PUBLIC).
-- Only the database's owner can revoke it; for another owner this only warns (docs/security.md).
DO $$
BEGIN
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END
$$;
