package io.hmb.bench;

/**
 * Who calls the gateway in the gateway scenarios, and over which channels: the bureau (coverage checks,
 * settlements), the lead insurer and co-insurer they address, and the co-insurer's inbox subscriber.
 * A bench rig hands these out; the two-node rig hands out one set per way of reaching its nodes.
 */
record Clients(Party bureau, Party lead, Party coInsurer, InboxSubscriber inbox) {}
