package org.hotline.intake.messaging;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

import org.hotline.backbone.outbox.Outbox;
import org.hotline.intake.config.IntakeConfig;
import org.hotline.intake.repository.TicketHistoryRepository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Every change of a ticket is written here, in the caller's transaction: the event (outbox, keyed
 * by the ticket id) with its history entry, or a history entry alone for what is no event of
 * intake's. Immediately, or at the end of a {@link #batch}.
 */
@ApplicationScoped
public class TicketEvents {

    public static final String TICKET_RECEIVED = "ticket.received";
    public static final String TICKET_CANCELLED = "ticket.cancelled";
    public static final String TICKET_REOPENED = "ticket.reopened";
    public static final String TICKET_REPEAT_REPORTED = "ticket.repeat-reported";
    public static final String TICKET_REPEAT_OVERRIDDEN = "ticket.repeat-overridden";
    /** History only: dispatch's event, recorded with its id. */
    public static final String TICKET_CLOSED = "ticket.closed";
    /** History only (no event): the follow-up call's result. */
    public static final String FOLLOW_UP_RECORDED = "follow-up.recorded";

    private final Outbox outbox;
    private final IntakeConfig config;
    private final TicketHistoryRepository history;
    private final ObjectMapper json;

    public TicketEvents(Outbox outbox, IntakeConfig config, TicketHistoryRepository history, ObjectMapper json) {
        this.outbox = outbox;
        this.history = history;
        this.config = config;
        this.json = json;
    }

    /** The event and the ticket's history entry holding the same data. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(UUID ticketId, String type, TicketPayload data) {
        Outbox.RecordedEvent e = outbox.publish(config.topics().ticketEvents(), type, ticketId.toString(), data);
        history.add(ticketId, type, e.id(), e.time(), e.data());
    }

    /**
     * Runs {@code work} in the caller's transaction, writing the events and history entries it
     * publishes and notes as one JDBC batch per table when it returns, each in the order written;
     * nothing if it throws. Until then they are not in the tables: {@code work} must not read them
     * back by SQL (receiving a report does not).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public <T> T batch(Supplier<T> work) {
        return outbox.batch(() -> history.batch(work));
    }

    /** A history entry with no event of intake's ({@code eventId}: the other service's event, or null). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void note(UUID ticketId, String type, UUID eventId, Instant at, HistoryNote data) {
        try {
            history.add(ticketId, type, eventId, at, json.writeValueAsString(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
