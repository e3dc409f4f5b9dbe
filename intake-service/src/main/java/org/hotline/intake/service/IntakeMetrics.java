package org.hotline.intake.service;

import java.time.Duration;

import org.hotline.intake.model.Satisfaction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Intake's numbers. Received and repeat counts move only when their transaction commits, so they
 * equal the rows in the database. The repeat-call rate is
 * {@code rate(intake_reports_total{outcome="repeat"}) / rate(intake_reports_total)}. Follow-up calls
 * (回访) for the satisfaction rate (满意率): {@code intake_follow_ups_total} by street and
 * satisfaction ({@code unreached} when the caller could not be reached); the rate is
 * (SATISFIED + BASICALLY_SATISFIED) / reached (deploy/prometheus recording rules).
 */
@ApplicationScoped
public class IntakeMetrics {

    private final MeterRegistry registry;
    private final TransactionSynchronizationRegistry transactions;

    public IntakeMetrics(MeterRegistry registry, TransactionSynchronizationRegistry transactions) {
        this.registry = registry;
        this.transactions = transactions;
    }

    void received(String source, String category) {
        Counter c = Counter.builder("intake.tickets.received").description("Tickets opened, by source and category")
                .tags("source", source, "category", category).register(registry);
        Counter all = report(source, "ticket");
        afterCommit(() -> {
            c.increment();
            all.increment();
        });
    }

    void repeat(String source, String category, String matchedBy) {
        Counter c = Counter.builder("intake.repeats").description("Reports recorded as repeats (重复件) of an open ticket")
                .tags("source", source, "category", category, "matched_by", matchedBy).register(registry);
        Counter all = report(source, "repeat");
        afterCommit(() -> {
            c.increment();
            all.increment();
        });
    }

    void overridden() {
        Counter c = Counter.builder("intake.repeats.overridden").description("Repeats an operator ruled not a repeat")
                .register(registry);
        afterCommit(c::increment);
    }

    /** A refused report or request: {@code channel} rest | upstream-110 | upstream-12345. */
    public void rejected(String channel, String reason) {
        Counter.builder("intake.rejections").description("Requests and upstream records refused, by reason")
                .tags("channel", channel, "reason", reason).register(registry).increment();
    }

    public void createLatency(String channel, Duration took) {
        Timer.builder("intake.ticket.create").description("Time to take in one report (ticket, repeat or replay)")
                .tag("channel", channel).publishPercentileHistogram().register(registry).record(took);
    }

    void followUp(String street, boolean reached, Satisfaction satisfaction) {
        Counter c = Counter.builder("intake.follow.ups").description("Follow-up calls (回访) recorded, by satisfaction")
                .tags("street", street == null ? "none" : street, "satisfaction",
                        !reached || satisfaction == null ? "unreached" : satisfaction.name())
                .register(registry);
        afterCommit(c::increment);
    }

    private Counter report(String source, String outcome) {
        return Counter.builder("intake.reports").description("Every report taken in: new ticket or repeat")
                .tags("source", source, "outcome", outcome).register(registry);
    }

    private void afterCommit(Runnable count) {
        if (transactions.getTransactionKey() == null) {
            count.run();
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
                // counted only if the change is kept
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    count.run();
                }
            }
        });
    }
}
