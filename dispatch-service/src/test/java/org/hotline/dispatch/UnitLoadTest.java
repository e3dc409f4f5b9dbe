package org.hotline.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.AssignmentReason;
import org.hotline.dispatch.model.AssignmentRole;
import org.hotline.dispatch.model.AssignmentStatus;
import org.hotline.dispatch.repository.AssignmentRepository;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * A unit's load, as the capacity check reads it (a native count): it counts the assignments its
 * own transaction has made and not yet flushed, as a joint dispatch or a batch of received
 * tickets needs when it gives the same unit a second order.
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
class UnitLoadTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    AssignmentRepository assignments;

    @Test
    void theLoadCountsTheTransactionsOwnNewAssignments() {
        String street = StreetFixture.street();
        String lead = StreetFixture.unit(street, "a", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String backup = StreetFixture.unit(street, "b", "MEDIATION", List.of("NOISE"), 3, 30.56, 119.98);
        UUID ticket = UUID.fromString(StreetFixture.ticket(StreetFixture.probe(bootstrap), street, "NOISE"));
        StreetFixture.assignmentOf(ticket.toString(), lead);

        QuarkusTransaction.begin();
        try {
            assertEquals(new AssignmentRepository.UnitLoad(0, 0), assignments.openOfUnit(backup, ticket));
            Assignment a = new Assignment();
            a.id = UUID.randomUUID();
            a.ticketId = ticket;
            a.unitId = backup;
            a.role = AssignmentRole.ASSIST;
            a.status = AssignmentStatus.OFFERED;
            a.reason = AssignmentReason.BACKUP;
            a.createdAt = Instant.now();
            a.persist(); // not flushed: the count must flush it first
            assertEquals(new AssignmentRepository.UnitLoad(1, 1), assignments.openOfUnit(backup, ticket));
            assertEquals(new AssignmentRepository.UnitLoad(1, 0), assignments.openOfUnit(backup, UUID.randomUUID()));
        } finally {
            QuarkusTransaction.rollback(); // leave nothing behind
        }
        assertEquals(new AssignmentRepository.UnitLoad(0, 0),
                QuarkusTransaction.requiringNew().call(() -> assignments.openOfUnit(backup, ticket)));
    }
}
