package org.hotline.intake.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hotline.backbone.security.Mask;
import org.hotline.intake.model.Complexity;
import org.hotline.intake.model.Satisfaction;
import org.hotline.intake.model.Source;
import org.hotline.intake.model.Ticket;
import org.hotline.intake.model.TicketStatus;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A ticket as a reader sees it: caller data in full for those who may see it (operators, the
 * street's dispatchers), otherwise {@link #masked()}. {@code history}, {@code repeats} and
 * {@code followUps} come only with GET /api/tickets/{id}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TicketView(UUID id, Source source, String callerName, String callerPhone, String address,
        Double latitude, Double longitude, String street, String grid, String category, Complexity complexity,
        String description, String upstreamRef, TicketStatus status, Instant reportedAt, Instant receivedAt,
        int repeatCount, String cancelReason, Instant cancelledAt, List<HistoryEntry> history,
        List<RepeatView> repeats, List<FollowUpView> followUps) {

    public static TicketView of(Ticket t) {
        return new TicketView(t.id, t.source, t.callerName, t.callerPhone, t.address, t.latitude, t.longitude,
                t.street, t.grid, t.category, t.complexity, t.description, t.upstreamRef, t.status, t.reportedAt,
                t.receivedAt, t.repeatCount, t.cancelReason, t.cancelledAt, null, null, null);
    }

    public TicketView with(List<HistoryEntry> history, List<RepeatView> repeats, List<FollowUpView> followUps) {
        return new TicketView(id, source, callerName, callerPhone, address, latitude, longitude, street, grid,
                category, complexity, description, upstreamRef, status, reportedAt, receivedAt, repeatCount,
                cancelReason, cancelledAt, history, repeats, followUps);
    }

    /**
     * For a reader who may not see the caller in full: name and phone masked (张*, 138****5678),
     * and any phone number written into free text (description, cancel reason, repeats,
     * follow-up comments) masked too. History entries are masked where they are built.
     */
    public TicketView masked() {
        return new TicketView(id, source, Mask.name(callerName), Mask.phone(callerPhone), address, latitude,
                longitude, street, grid, category, complexity, Mask.phonesIn(description), upstreamRef, status,
                reportedAt, receivedAt, repeatCount, Mask.phonesIn(cancelReason), cancelledAt, history,
                repeats == null ? null : repeats.stream().map(RepeatView::masked).toList(),
                followUps == null ? null : followUps.stream().map(FollowUpView::masked).toList());
    }

    /** One change, in order: the event type published for it (or follow-up.recorded) and its data. */
    public record HistoryEntry(long seq, String type, Instant occurredAt, UUID eventId, JsonNode data) {
    }

    public record FollowUpView(UUID id, boolean reached, Satisfaction satisfaction,
            String comment, Instant recordedAt) {

        FollowUpView masked() {
            return new FollowUpView(id, reached, satisfaction, Mask.phonesIn(comment), recordedAt);
        }
    }
}
