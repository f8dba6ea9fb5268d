package io.hmb.gateway.delivery;

import io.hmb.gateway.store.MessageRef;
import java.time.Instant;

/** A store-and-forward message a delivery loop has claimed. */
record ClaimedMessage(long rowId, MessageRef ref, byte[] envelope, int attempts, Instant acceptedAt, Instant expireAt) {}
