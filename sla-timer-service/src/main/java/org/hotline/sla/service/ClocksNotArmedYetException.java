package org.hotline.sla.service;

/**
 * A stage-ending event arrived before the ticket's clocks were armed (the events come on
 * different topics, so their order is not guaranteed). Not poison: the inbox retries it.
 */
public class ClocksNotArmedYetException extends RuntimeException {
    public ClocksNotArmedYetException(Object ticketId) {
        super("no clocks yet for ticket " + ticketId);
    }
}
