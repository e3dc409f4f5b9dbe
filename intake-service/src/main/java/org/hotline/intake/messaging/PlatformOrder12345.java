package org.hotline.intake.messaging;

import java.time.OffsetDateTime;

import org.hotline.intake.model.Complexity;
import org.hotline.intake.model.CreateTicketRequest;
import org.hotline.intake.model.Source;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * A record on {@code upstream.12345-orders}: a work order (工单) the provincial 12345 platform
 * pushes to the street. Plain JSON from a foreign system, not a CloudEvent; fields we do not use
 * are ignored (docs/intake.md).
 */
public record PlatformOrder12345(
        /* 工单编号: the platform's order number; one ticket per number, ever */
        @NotBlank String orderNo,
        /* 受理时间: when the platform took the citizen's call; the clocks start here */
        @NotNull OffsetDateTime acceptedAt,
        /* when the platform pushed the order (informational) */
        OffsetDateTime pushedAt,
        /* 诉求人 */
        @NotNull @Valid Appealer appealer,
        /* 诉求内容 */
        @NotBlank String content,
        @NotBlank String address,
        /* WGS-84; optional */
        @Valid Coordinate coordinate,
        @NotBlank String street,
        String grid,
        /* 派单目录 code */
        @NotBlank String categoryCode,
        /* optional; the catalogue's default when absent */
        Complexity complexity,
        /* PHONE | WEB | APP | WECHAT (informational) */
        String channel,
        /* the platform's own deadline for the reply (informational; our SLA policy rules) */
        OffsetDateTime replyDeadline) {

    public record Appealer(@NotBlank String name, @NotBlank String phone) {
    }

    public record Coordinate(@NotNull Double lat, @NotNull Double lng) {
    }

    public CreateTicketRequest toRequest() {
        return new CreateTicketRequest(Source.HOTLINE_12345, new CreateTicketRequest.Caller(appealer.name(),
                appealer.phone()), new CreateTicketRequest.Location(address, coordinate == null ? null : coordinate.lat(),
                        coordinate == null ? null : coordinate.lng(), street, grid),
                categoryCode, complexity, content, orderNo, acceptedAt.toInstant());
    }

    /** Our request's field names → this record's, so a dead letter names the field as the platform sent it. */
    public static String fieldName(String requestField) {
        return switch (requestField) {
            case "caller.name" -> "appealer.name";
            case "caller.phone" -> "appealer.phone";
            case "location.address" -> "address";
            case "location.latitude" -> "coordinate.lat";
            case "location.longitude" -> "coordinate.lng";
            case "location.street" -> "street";
            case "location.grid" -> "grid";
            case "category" -> "categoryCode";
            case "description" -> "content";
            case "upstreamRef" -> "orderNo";
            case "reportedAt" -> "acceptedAt";
            default -> requestField;
        };
    }
}
