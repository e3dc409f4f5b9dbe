package org.hotline.sla.service;

import org.hotline.backbone.inbox.RetryLaterException;

/**
 * A ticket's clocks were expected but are not there. The router parks early events before this
 * can happen; should it happen anyway, it is not poison, and the inbox retries it.
 */
public class ClocksNotArmedYetException extends RetryLaterException {
    public ClocksNotArmedYetException(Object ticketId) {
        super("no clocks yet for ticket " + ticketId);
    }
}
