-- The inbox claim (DeliveryQueue.CLAIM_INBOX) reads a recipient's oldest waiting messages. Through message_inbox
-- (V11) it also walks that recipient's messages in flight; through message_outbox (V3, V11) it read the waiting
-- messages of every recipient and sorted them, which is what PostgreSQL chose for the claim's generic plan on a
-- table with a real backlog (found with EXPLAIN ANALYZE; InboxClaimPlanTest pins it). message_outbox, ordered by
-- next_attempt_at, has had no reader since the push poll (DUE_PUSH_PAIRS) reads per recipient, so it becomes
-- the claim's index: the same rows (its predicate is unchanged), so admissions and claims write no more index
-- entries than before.
DROP INDEX message_outbox;
CREATE INDEX message_waiting ON message(recipient, id) WHERE queue_state IN ('ACCEPTED', 'RETRY_WAIT');

-- The claim also takes over leases that ended: an inbox delivery never acknowledged (DELIVERED) and a push whose
-- worker died (DELIVERING; MessageState: the inbox takes over a push whose lease ran out). It finds both by
-- lease_until, so the lease index now holds both; a push claim writes one entry more. The in-flight count
-- (queue_state = 'DELIVERED' AND lease_until > ?) still reads it: that predicate implies this one.
DROP INDEX message_inbox_in_flight;
CREATE INDEX message_leases ON message(recipient, lease_until)
    WHERE delivery = 'STORE_AND_FORWARD' AND queue_state IN ('DELIVERED', 'DELIVERING');
