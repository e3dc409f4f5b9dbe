package org.hotline.notification.messaging;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What notification reads of the data of any event a rule names (dispatch-events, sla-events,
 * ticket-events; docs/schemas): the fields that choose the recipients and fill the texts. A field
 * an event type does not carry is null. The data itself also goes on as it came: templates may
 * name any of its fields, and a webhook gets it whole (less the free text its receiver may not see).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NotifiedEvent(String ticketId, String assignmentId, String unitId, String unitName, String street,
        String category, String address, String deadline, String ackDeadline, String stage, String role,
        String action, String outcome, String matchedBy, String recipient, Integer level) {
}
