package org.hotline.intake.rest;

import java.time.Instant;
import java.util.UUID;

import org.hotline.backbone.security.Mask;
import org.hotline.intake.model.MatchedBy;
import org.hotline.intake.model.RepeatReport;
import org.hotline.intake.model.Source;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One repeat report (重复件) of a ticket. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RepeatView(UUID repeatId, UUID repeatOf, MatchedBy matchedBy, RepeatReport.Status status,
        Source source, String callerName, String callerPhone, String address, Double latitude, Double longitude,
        String street, String category, String description, String upstreamRef, Instant reportedAt,
        Instant receivedAt, String overriddenBy, String overrideReason, Instant overriddenAt) {

    public static RepeatView of(RepeatReport r) {
        return new RepeatView(r.id, r.ticketId, r.matchedBy, r.status, r.source, r.callerName, r.callerPhone,
                r.address, r.latitude, r.longitude, r.street, r.category, r.description, r.upstreamRef, r.reportedAt,
                r.receivedAt, r.overriddenBy, r.overrideReason, r.overriddenAt);
    }

    /** Caller masked, as in {@link TicketView#masked()}. */
    public RepeatView masked() {
        return new RepeatView(repeatId, repeatOf, matchedBy, status, source, Mask.name(callerName),
                Mask.phone(callerPhone), address, latitude, longitude, street, category, Mask.phonesIn(description),
                upstreamRef, reportedAt, receivedAt, overriddenBy, Mask.phonesIn(overrideReason), overriddenAt);
    }
}
