-- A pass-through's answer (and its failure) changes only its row's state, response, delivered_at and
-- last_error, yet was never a HOT update: PostgreSQL updates in place, without a new entry in every index,
-- only when no column an index names changed, its predicate included, and the delivery queue's partial
-- indexes (V3, V5) name state. So they now name queue_state instead: a store-and-forward message's state,
-- NULL for a pass-through, which its answer leaves NULL. The indexes keep the same rows; the queue's queries
-- (DeliveryQueue) name queue_state so that the planner still sees they imply the predicates.
--
-- fillfactor: new rows leave half of each page free, so the answer's row version (the row plus the answer
-- envelope, about three times the row admitted) finds room beside the row it replaces, and a stored
-- message's updates too. Measured in docs/performance.md, "Writes per message".
--
-- Adding a stored column rewrites the table once, under the migration's lock.
ALTER TABLE message SET (fillfactor = 50);
ALTER TABLE message ADD COLUMN queue_state TEXT
    GENERATED ALWAYS AS (CASE WHEN delivery = 'STORE_AND_FORWARD' THEN state END) STORED;

DROP INDEX message_outbox;
CREATE INDEX message_outbox ON message(next_attempt_at)
    WHERE queue_state IN ('ACCEPTED', 'RETRY_WAIT');
DROP INDEX message_inbox;
CREATE INDEX message_inbox ON message(recipient, id)
    WHERE queue_state IN ('ACCEPTED', 'RETRY_WAIT', 'DELIVERING', 'DELIVERED') AND delivery = 'STORE_AND_FORWARD';
DROP INDEX message_pair_order;
CREATE INDEX message_pair_order ON message(sender, recipient, id)
    WHERE delivery = 'STORE_AND_FORWARD' AND queue_state NOT IN ('ACKNOWLEDGED', 'DEAD_LETTERED');
DROP INDEX message_inbox_in_flight;
CREATE INDEX message_inbox_in_flight ON message(recipient, lease_until)
    WHERE delivery = 'STORE_AND_FORWARD' AND queue_state = 'DELIVERED';
