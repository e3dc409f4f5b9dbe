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
