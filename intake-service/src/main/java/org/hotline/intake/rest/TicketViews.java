package org.hotline.intake.rest;

import java.util.List;

import org.hotline.backbone.audit.AuditTrail;
import org.hotline.backbone.security.Caller;
import org.hotline.backbone.security.Mask;
import org.hotline.intake.model.FollowUp;
import org.hotline.intake.model.RepeatReport;
import org.hotline.intake.model.Ticket;
import org.hotline.intake.model.TicketHistory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tickets as this caller may see them: name and phone in full only for operators and the street's
 * dispatchers (such a read is audited), masked for everyone else.
 */
@ApplicationScoped
public class TicketViews {

    private final Caller caller;
    private final AuditTrail audit;
    private final ObjectMapper json;

    public TicketViews(Caller caller, AuditTrail audit, ObjectMapper json) {
        this.caller = caller;
        this.audit = audit;
        this.json = json;
    }

    public TicketView of(Ticket t) {
        TicketView v = TicketView.of(t);
        if (!caller.seesPersonalDataOf(t.street)) {
            return v.masked();
        }
        audit.personalDataShown(t.id); // a read that shows the caller in full is audited (AuditFilter)
        return v;
    }

    /** The ticket with its history, repeats and follow-up calls. */
    public TicketView details(Ticket t, List<TicketHistory> history, List<RepeatReport> repeats,
            List<FollowUp> followUps) {
        boolean full = caller.seesPersonalDataOf(t.street);
        // events carry no caller data, but free text in them (a cancel reason) may hold a phone number
        TicketView view = TicketView.of(t).with(
                history.stream().map(h -> new TicketView.HistoryEntry(h.seq, h.type, h.occurredAt, h.eventId,
                        full ? parse(h.data) : maskStrings(parse(h.data)))).toList(),
                repeats.stream().map(RepeatView::of).toList(),
                followUps.stream().map(f -> new TicketView.FollowUpView(f.id, f.reached, f.satisfaction, f.comment,
                        f.recordedAt)).toList());
        if (full) {
            audit.personalDataShown(t.id);
        }
        return full ? view : view.masked();
    }

    /** Phone numbers masked in the string values only, so numbers (coordinates) and the shape stay intact. */
    private static JsonNode maskStrings(JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(Mask.phonesIn(node.asText()));
        }
        if (node instanceof ObjectNode o) {
            o.fields().forEachRemaining(e -> e.setValue(maskStrings(e.getValue())));
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, maskStrings(a.get(i)));
            }
        }
        return node;
    }

    private JsonNode parse(String data) {
        try {
            return json.readTree(data);
        } catch (Exception e) {
            return json.getNodeFactory().textNode(data);
        }
    }
}
