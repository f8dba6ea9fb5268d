-- Every accepted message, its delivery state, and the answers stored for idempotent retries.
-- State machine: ACCEPTED -> DELIVERING -> (RETRY_WAIT -> DELIVERING)* -> DELIVERED -> ACKNOWLEDGED,
-- or -> DEAD_LETTERED after max attempts (re-drivable to ACCEPTED). Pass-through calls:
-- FORWARDING -> ANSWERED | FAILED.
CREATE TABLE message (
    id               BIGSERIAL PRIMARY KEY,
    message_id       TEXT NOT NULL UNIQUE,
    sender           TEXT NOT NULL,
    recipient        TEXT NOT NULL,
    message_type     TEXT NOT NULL,
    admdvs           CHAR(6) NOT NULL,
    product_code     TEXT,
    idempotency_key  TEXT,
    content_digest   BYTEA,
    nonce            BYTEA NOT NULL,
    ciphertext_digest BYTEA NOT NULL,         -- SM3 of the envelope's ciphertext, for audit
    delivery         TEXT NOT NULL CHECK (delivery IN ('PASS_THROUGH', 'STORE_AND_FORWARD')),
    state            TEXT NOT NULL,
    envelope         BYTEA,                   -- the sealed envelope, for store-and-forward
    response         BYTEA,                   -- the stored answer (Acceptance or the recipient's envelope)
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ,
    lease_until      TIMESTAMPTZ,             -- a delivery worker holds the message until then
    last_error       TEXT,
    received_at      TIMESTAMPTZ NOT NULL,    -- gateway clock: the authoritative time
    expire_at        TIMESTAMPTZ NOT NULL,
    delivered_at     TIMESTAMPTZ,
    acknowledged_at  TIMESTAMPTZ,
    UNIQUE (sender, idempotency_key)
);
CREATE INDEX message_outbox ON message(next_attempt_at)
    WHERE state IN ('ACCEPTED', 'RETRY_WAIT');
CREATE INDEX message_inbox ON message(recipient, id)
    WHERE state IN ('ACCEPTED', 'RETRY_WAIT', 'DELIVERING', 'DELIVERED') AND delivery = 'STORE_AND_FORWARD';
CREATE INDEX message_pair_order ON message(sender, recipient, id)
    WHERE delivery = 'STORE_AND_FORWARD' AND state NOT IN ('ACKNOWLEDGED', 'DEAD_LETTERED');

-- Replay guard, backed by the same rows: a message_id is accepted once (an identical resend gets the
-- stored answer), and a sender never reuses a nonce. Rows outlive their expiry, so the guard covers
-- the whole validity window and beyond.
CREATE UNIQUE INDEX message_sender_nonce ON message(sender, nonce);
