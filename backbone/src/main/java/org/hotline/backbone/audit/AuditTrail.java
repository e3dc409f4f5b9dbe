package org.hotline.backbone.audit;

import jakarta.enterprise.context.RequestScoped;

/**
 * What the audit filter cannot see from the path: a resource or service names the ticket an
 * action touched when the path does not carry it (a ticket just created, an assignment's ticket),
 * and the person behind an action authenticated by other means than a token.
 */
@RequestScoped
public class AuditTrail {

    private String ticketId;
    private String actor;
    private String means;
    private final java.util.Set<String> personalDataOf = new java.util.LinkedHashSet<>();

    /**
     * The response shows this ticket's caller (name, phone) in full: a read that does so is
     * recorded too, one entry per ticket, so "who saw this caller" has an answer.
     */
    public void personalDataShown(Object ticketId) {
        if (ticketId != null) {
            personalDataOf.add(ticketId.toString());
        }
    }

    public java.util.Set<String> personalDataShown() {
        return personalDataOf;
    }

    public void ticket(Object id) {
        this.ticketId = id == null ? null : id.toString();
    }

    public String ticket() {
        return ticketId;
    }

    /**
     * For an action without a bearer token whose person is proven another way (a signed one-tap
     * link): who, and by what means (recorded in place of roles, e.g. {@code "signed-link"}).
     */
    public void actor(String who, String means) {
        this.actor = who;
        this.means = means;
    }

    public String actor() {
        return actor;
    }

    public String means() {
        return means;
    }
}
