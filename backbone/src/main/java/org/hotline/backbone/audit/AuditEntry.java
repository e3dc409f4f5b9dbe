package org.hotline.backbone.audit;

import java.time.Instant;

/**
 * One action by a person: who ({@code actor}, {@code roles}), what ({@code action}: method and
 * path template), which ticket, the outcome ({@code status}), when, and from where ({@code client}).
 */
public record AuditEntry(long id, Instant at, String actor, String roles, String action, String ticketId, int status,
        String client) {
}
