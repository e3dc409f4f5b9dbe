package org.hotline.dispatch.messaging;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hotline.dispatch.model.DispatchTicket;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of {@code whistle.blown}: several units summoned together (吹哨), each to report in
 * (docs/schemas). Fields in the order they go on the wire; nulls are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WhistleBlown(String ticketId, String street, Instant occurredAt, String actor, UUID summonId,
        List<String> unitIds) implements DispatchPayload {

    public static WhistleBlown of(DispatchTicket t, Instant at, String actor, UUID summonId, List<String> unitIds) {
        return new WhistleBlown(t.id.toString(), t.street, at, actor, summonId, unitIds);
    }
}
