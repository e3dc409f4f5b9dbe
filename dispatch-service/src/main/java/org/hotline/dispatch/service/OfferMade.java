package org.hotline.dispatch.service;

import java.time.Instant;

/** Fired in a transaction that offered a lead assignment: the ack-timeout worker may need to wake sooner. */
public record OfferMade(Instant ackDeadline) {
}
