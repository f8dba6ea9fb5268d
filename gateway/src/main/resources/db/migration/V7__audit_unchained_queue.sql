-- Events not yet linked into the hash chain: a row is added with every event (by trigger, so no writer
-- can forget it) and removed by the chainer in the transaction that links the event. The chainer used to
-- find its work by anti-joining a window of the last 100,000 events against the whole chain on every
-- pass, which cost PostgreSQL CPU in proportion to the table's size (found by ./hmb bench). This is not
-- the audit trail (audit_event and audit_chain are, append-only), only the chainer's to-do list.
CREATE TABLE audit_unchained (
    event_id BIGINT PRIMARY KEY REFERENCES audit_event(id)
);

INSERT INTO audit_unchained(event_id)
    SELECT e.id FROM audit_event e WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id);

CREATE FUNCTION audit_event_enqueue() RETURNS trigger AS $$
BEGIN
    INSERT INTO audit_unchained(event_id) VALUES (NEW.id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_enqueue AFTER INSERT ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_enqueue();
