-- The chainer finds the events it has not linked by a query, not by a to-do row per event (V7's
-- audit_unchained, its trigger and its delete: two writes, an index entry and a foreign-key lock per event).
--
-- It reads the events above a floor, an event id at or below which every event is linked, and leaves out
-- those already in audit_chain: a pass reads what came since the pass before last, however long the trail
-- (io.hmb.gateway.audit.AuditChain). The floor is kept on the last row each linking pass adds (floor), with
-- the next floor (floor_next: the highest event id taken when that pass began, and floor_next_xid: the
-- transaction id of that pass, taken after). The floor may rise to floor_next once every transaction older
-- than floor_next_xid has ended, since each of them took its event ids after its transaction id (below):
-- by then every event up to floor_next is committed, and visible, or never will be. An event whose
-- transaction commits late is therefore still above the floor when it becomes visible, and is linked.
-- These columns are the chainer's bookkeeping, not the trail: no hash covers them; a floor set too high
-- leaves events unlinked, which audit verify reports.
ALTER TABLE audit_chain ADD COLUMN floor BIGINT, ADD COLUMN floor_next BIGINT, ADD COLUMN floor_next_xid BIGINT;

-- An event's id is taken after its transaction's id, so that "every transaction older than X has ended"
-- also means "every event id taken before X was is committed or abandoned".
CREATE FUNCTION audit_event_next_id() RETURNS BIGINT AS $$
BEGIN
    PERFORM pg_current_xact_id();
    RETURN nextval('audit_event_id_seq');
END;
$$ LANGUAGE plpgsql VOLATILE;

-- The first pass after this has no floor yet: it reads the trail once.
DROP TRIGGER audit_event_enqueue ON audit_event;
ALTER TABLE audit_event ALTER COLUMN id SET DEFAULT audit_event_next_id();
DROP FUNCTION audit_event_enqueue();
DROP TABLE audit_unchained;
