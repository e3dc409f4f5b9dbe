package org.hotline.intake.repository;

import java.util.List;
import java.util.UUID;

import org.hotline.intake.model.FollowUp;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

/** Follow-up calls (回访). */
@ApplicationScoped
public class FollowUpRepository {

    /** A ticket's follow-up calls, in the order they were recorded. */
    public List<FollowUp> ofTicket(UUID ticketId) {
        return FollowUp.list("ticketId", Sort.by("recordedAt"), ticketId);
    }
}
