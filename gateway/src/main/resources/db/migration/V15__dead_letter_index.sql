-- The outbox gauges (GatewayMetrics.OUTBOX_GAUGES, every 5 s) count the dead letters. No index held them, so the count
-- read every row the gateway ever accepted (the queued ones it reads through message_inbox). A message is dead-lettered
-- rarely: this index holds only those, and no other row writes an entry in it. Building it reads the table once.
CREATE INDEX message_dead_letters ON message(id) WHERE queue_state = 'DEAD_LETTERED';
