-- The message lifecycle, enforced. io.hmb.gateway.store.MessageState defines the states, their delivery
-- mode and the moves between them (its javadoc draws the state machine the code follows). This
-- supersedes the state-machine comment in V3, which the code never followed: a push goes from
-- DELIVERING straight to ACKNOWLEDGED; DELIVERED belongs to the inbox alone (handed to a subscriber
-- stream, waiting for its acknowledgement) and an inbox message is dead-lettered from there; a
-- pass-through's FAILED is forwarded again on a retry with the same key, and an ANSWERED one is asked
-- again when its stored answer would arrive expired. V3 cannot be edited (Flyway checksums it).
--
-- The constraint lists exactly MessageState's values, each with its mode; MessageStateSchemaTest fails
-- if the two drift apart. Adding it scans the table once, under the migration's lock.
ALTER TABLE message ADD CONSTRAINT message_state_known CHECK (
    (delivery = 'STORE_AND_FORWARD'
        AND state IN ('ACCEPTED', 'DELIVERING', 'RETRY_WAIT', 'DELIVERED', 'ACKNOWLEDGED', 'DEAD_LETTERED'))
    OR (delivery = 'PASS_THROUGH' AND state IN ('FORWARDING', 'ANSWERED', 'FAILED'))
);
