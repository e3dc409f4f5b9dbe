package org.hotline.intake.messaging;

import java.time.OffsetDateTime;

import org.hotline.intake.model.Complexity;
import org.hotline.intake.model.CreateTicketRequest;
import org.hotline.intake.model.Source;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * A record on {@code upstream.110-handover}: a 110 call the police dispatch system judged neither
 * a police matter nor an emergency (双非警情) and hands over to civic handling. Plain JSON from a
 * foreign system, not a CloudEvent; fields we do not use are ignored (docs/intake.md).
 */
public record Handover110(
        /* 接警单号: the police incident number; one ticket per number, ever */
        @NotBlank String incidentNo,
        /* 报警时间: when the citizen called 110; the clocks start here */
        @NotNull OffsetDateTime callTime,
        /* when the police system handed it over (informational) */
        OffsetDateTime handoverTime,
        @NotBlank String callerName,
        @NotBlank String callerPhone,
        @NotBlank String address,
        Double latitude,
        Double longitude,
        @NotBlank String street,
        String grid,
        /* the catalogue code the police hand-over rules chose (派单目录) */
        @NotBlank String category,
        /* optional; the catalogue's default when absent */
        Complexity complexity,
        /* 简要警情: what the caller reported */
        @NotBlank String summary,
        /* the police station that took the call (informational) */
        String policeStation) {

    public CreateTicketRequest toRequest() {
        return new CreateTicketRequest(Source.HANDOVER_110, new CreateTicketRequest.Caller(callerName, callerPhone),
                new CreateTicketRequest.Location(address, latitude, longitude, street, grid), category, complexity,
                summary, incidentNo, callTime.toInstant());
    }

    /** Our request's field names → this record's, so a dead letter names the field as 110 sent it. */
    public static String fieldName(String requestField) {
        return switch (requestField) {
            case "caller.name" -> "callerName";
            case "caller.phone" -> "callerPhone";
            case "location.address" -> "address";
            case "location.latitude" -> "latitude";
            case "location.longitude" -> "longitude";
            case "location.street" -> "street";
            case "location.grid" -> "grid";
            case "description" -> "summary";
            case "upstreamRef" -> "incidentNo";
            case "reportedAt" -> "callTime";
            default -> requestField;
        };
    }
}
