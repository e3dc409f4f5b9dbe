package org.hotline.notification.messaging;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What notification reads of assignment.withdrawn, assignment.ack-lapsed, assignment.returned and
 * return.rejected: which order changed (an unknown one is ignored).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AssignmentChange(String assignmentId) {
}
