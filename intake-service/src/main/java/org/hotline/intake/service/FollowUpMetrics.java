package org.hotline.intake.service;

import org.hotline.intake.model.Satisfaction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Follow-up calls (回访) for the satisfaction rate (满意率): {@code intake_follow_ups_total} by street
 * and satisfaction ({@code unreached} when the caller could not be reached). Counted once the
 * follow-up is committed, so the counts equal the rows of {@code follow_up}. The rate is
 * (SATISFIED + BASICALLY_SATISFIED) / reached (deploy/prometheus recording rules).
 */
@ApplicationScoped
public class FollowUpMetrics {

    private final MeterRegistry registry;
    private final TransactionSynchronizationRegistry transactions;

    public FollowUpMetrics(MeterRegistry registry, TransactionSynchronizationRegistry transactions) {
        this.registry = registry;
        this.transactions = transactions;
    }

    void recorded(String street, boolean reached, Satisfaction satisfaction) {
        Counter c = Counter.builder("intake.follow.ups").description("Follow-up calls (回访) recorded, by satisfaction")
                .tags("street", street == null ? "none" : street, "satisfaction",
                        !reached || satisfaction == null ? "unreached" : satisfaction.name())
                .register(registry);
        if (transactions.getTransactionKey() == null) {
            c.increment();
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
                // counted only if the follow-up is kept
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    c.increment();
                }
            }
        });
    }
}
