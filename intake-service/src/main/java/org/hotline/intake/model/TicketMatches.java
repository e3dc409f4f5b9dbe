package org.hotline.intake.model;

import java.util.List;

/** One page of a ticket search, and how many tickets match in all. */
public record TicketMatches(List<Ticket> items, long total) {
}
