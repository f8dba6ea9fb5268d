-- The audit log's Merkle tree keeps only every fourth level (io.hmb.gateway.audit.AuditTree.STRIDE): the
-- complete subtrees of height 4, 8, 12 ..., about one row per 15 events where V10 stored two per event (the
-- leaves and every level). The others are computed when read, from at most 8 stored nodes of the level
-- below or, under level 4, from at most 8 events; proofs and roots still read O(log^2 n) rows. What V10
-- stored at the stored levels is the same, so the rest is deleted and nothing needs rebuilding. The table
-- stays append-only for the serving role: only this migration, as the owner, lifts the trigger.
ALTER TABLE audit_tree DISABLE TRIGGER audit_tree_append_only;
DELETE FROM audit_tree WHERE level = 0 OR level % 4 <> 0;
ALTER TABLE audit_tree ENABLE TRIGGER audit_tree_append_only;
ALTER TABLE audit_tree ADD CONSTRAINT audit_tree_stored_levels CHECK (level > 0 AND level % 4 = 0);
