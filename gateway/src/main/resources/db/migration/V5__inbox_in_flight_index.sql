-- The inbox counts a recipient's in-flight deliveries on every pass; without this index that count
-- walked the whole accepted backlog (found by ./hmb bench's soak).
CREATE INDEX message_inbox_in_flight ON message(recipient, lease_until)
    WHERE delivery = 'STORE_AND_FORWARD' AND state = 'DELIVERED';
