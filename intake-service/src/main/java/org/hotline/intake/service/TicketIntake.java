package org.hotline.intake.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.hotline.backbone.web.ProblemException;
import org.hotline.backbone.web.RequestBodies;
import org.hotline.backbone.worker.GroupCommit;
import org.hotline.intake.config.IntakeConfig;
import org.hotline.intake.messaging.TicketEvents;
import org.hotline.intake.model.Category;
import org.hotline.intake.model.CreateTicketRequest;
import org.hotline.intake.model.ReceiveResult;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

/**
 * The one door every report comes through (operator REST, 110 hand-over, 12345 platform): the
 * request's shape checked against its constraints, then {@link TicketService#check} and
 * {@link TicketService#receive}, timed.
 *
 * <p>Reports are written by group commit ({@code intake.group-commit.*}): those that arrive while
 * another group commits share the next transaction, in arrival order, so that under load a
 * ticket costs a share of one commit instead of a whole one. The caller still returns only after
 * its own report has committed. Inside a group each report sees the ones before it (its repeat
 * match and key claim read the tables), exactly as if they had come one after the other.
 */
@ApplicationScoped
public class TicketIntake {

    private record Report(CreateTicketRequest request, String idempotencyKey) {
    }

    /** A report's outcome inside a group: its result, or the refusal of {@link TicketService#check}. */
    private record Outcome(ReceiveResult result, ProblemException refused) {
    }

    private final TicketService tickets;
    private final RequestBodies bodies;
    private final IntakeMetrics metrics;
    private final EntityManager em;
    private final TicketEvents events;
    private final GroupCommit<Report, Outcome> writes;

    public TicketIntake(TicketService tickets, RequestBodies bodies, IntakeMetrics metrics, EntityManager em,
            TicketEvents events, IntakeConfig config, MeterRegistry registry) {
        this.tickets = tickets;
        this.bodies = bodies;
        this.metrics = metrics;
        this.em = em;
        this.events = events;
        this.writes = new GroupCommit<>("intake-reports", config.groupCommit().lanes(),
                config.groupCommit().maxReports(), this::write, GroupCommit.Transactions.JTA, registry);
    }

    /** With the outbox relay and the consumers, before the datasource goes: the groups in flight finish. */
    void stop(@Observes ShutdownEvent event) {
        writes.stop(5_000);
    }

    /** @param channel rest | upstream-110 | upstream-12345 (the latency metric's tag) */
    public ReceiveResult receive(CreateTicketRequest request, String idempotencyKey, String channel) {
        long start = System.nanoTime();
        try {
            if (request == null) {
                throw new ProblemException(400, "Invalid request", "a request body is required");
            }
            Outcome outcome = writes.write(new Report(bodies.valid(request), idempotencyKey));
            if (outcome.refused() != null) {
                throw outcome.refused();
            }
            return outcome.result();
        } finally {
            metrics.createLatency(channel, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * One group, in one transaction (GroupCommit's). The group's events and history entries are
     * written at its end, one JDBC batch each: nothing in the group reads them back.
     */
    private List<Outcome> write(List<Report> reports) {
        return events.batch(() -> receiveEach(reports));
    }

    private List<Outcome> receiveEach(List<Report> reports) {
        // every report's rules first (they write nothing), so that the callers of those that pass
        // are locked for repeat matching in one statement for the group
        List<Category> categories = new ArrayList<>(reports.size());
        List<Outcome> outcomes = new ArrayList<>(reports.size());
        List<CreateTicketRequest> passed = new ArrayList<>(reports.size());
        for (Report r : reports) {
            try {
                categories.add(tickets.check(r.request()));
                outcomes.add(null);
                passed.add(r.request());
            } catch (ProblemException refused) {
                categories.add(null);
                outcomes.add(new Outcome(null, refused));
            }
        }
        tickets.lockCallers(passed);
        for (int i = 0; i < reports.size(); i++) {
            if (outcomes.get(i) != null) {
                continue; // refused
            }
            Report r = reports.get(i);
            outcomes.set(i, new Outcome(tickets.receive(r.request(), categories.get(i), r.idempotencyKey()), null));
            // the next report's repeat match and key claim read the tables by SQL; and a failure
            // here, not at commit, is one GroupCommit may retry report by report
            em.flush();
            // this report's answer keeps the ticket as this report left it: a later report of the
            // group that repeats it loads its own copy (and one session stays small)
            em.clear();
        }
        return outcomes;
    }
}
