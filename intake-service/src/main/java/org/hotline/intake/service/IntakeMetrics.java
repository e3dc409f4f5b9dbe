package org.hotline.intake.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public IntakeMetrics(MeterRegistry registry, TransactionSynchronizationRegistry transactions) {
        this.registry = registry;
        this.transactions = transactions;
    }

    void received(String source, String category) {
        Counter c = counter("intake.tickets.received", "Tickets opened, by source and category", "source", source,
                "category", category);
        Counter all = report(source, "ticket");
        afterCommit(() -> {
            c.increment();
            all.increment();
        });
    }

    void repeat(String source, String category, String matchedBy) {
        Counter c = counter("intake.repeats", "Reports recorded as repeats (重复件) of an open ticket", "source", source,
                "category", category, "matched_by", matchedBy);
        Counter all = report(source, "repeat");
        afterCommit(() -> {
            c.increment();
            all.increment();
        });
    }

    void overridden() {
        Counter c = counter("intake.repeats.overridden", "Repeats an operator ruled not a repeat");
        afterCommit(c::increment);
    }

    /** A refused report or request: {@code channel} rest | upstream-110 | upstream-12345. */
    public void rejected(String channel, String reason) {
        counter("intake.rejections", "Requests and upstream records refused, by reason", "channel", channel, "reason", reason)
                .increment();
    }

    public void createLatency(String channel, Duration took) {
        timers.computeIfAbsent(channel, ch -> Timer.builder("intake.ticket.create")
                .description("Time to take in one report (ticket, repeat or replay)").tag("channel", ch)
                .publishPercentileHistogram().register(registry)).record(took);
    }

    void followUp(String street, boolean reached, Satisfaction satisfaction) {
        Counter c = counter("intake.follow.ups", "Follow-up calls (回访) recorded, by satisfaction",
                "street", street == null ? "none" : street, "satisfaction",
                !reached || satisfaction == null ? "unreached" : satisfaction.name());
        afterCommit(c::increment);
    }

    private Counter report(String source, String outcome) {
        return counter("intake.reports", "Every report taken in: new ticket or repeat", "source", source, "outcome", outcome);
    }

    /**
     * The counter of this name and tags, registered once: a builder's {@code register} on every
     * report (a new Meter.Id and tag list, a registry lookup) was 0.5-0.8 % of the service's CPU
     * samples under the intake benchmark's load. Tags are few and bounded (sources, categories,
     * channels, reasons, streets), so the map stays small.
     */
    private Counter counter(String name, String description, String... tags) {
        List<String> key = new ArrayList<>(tags.length + 1);
        key.add(name);
        key.addAll(Arrays.asList(tags));
        return counters.computeIfAbsent(key,
                k -> Counter.builder(name).description(description).tags(tags).register(registry));
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
