package org.hotline.intake.model;

/**
 * What became of a report: a new ticket, or a repeat of an open one ({@code ticket} is then the
 * original). {@code replay}: the same Idempotency-Key or upstream reference was seen before, and
 * this is the first time's result; nothing was written.
 */
public record ReceiveResult(Kind kind, boolean replay, Ticket ticket, RepeatReport repeat) {

    public enum Kind { TICKET, REPEAT }
}
