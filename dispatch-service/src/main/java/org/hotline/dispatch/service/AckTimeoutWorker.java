package org.hotline.dispatch.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.hotline.backbone.worker.WakeableLoop;
import org.hotline.dispatch.config.DispatchConfig;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/** The acknowledgement-timeout worker's thread: sleeps until the earliest offer is due (at most the poll interval). */
@ApplicationScoped
public class AckTimeoutWorker {

    private static final Logger LOG = Logger.getLogger(AckTimeoutWorker.class);
    private static final Duration GAUGE_EVERY = Duration.ofSeconds(5);

    private final AckLapses lapses;
    private final DispatchConfig config;
    private final Clock clock;
    private final WakeableLoop loop = new WakeableLoop("dispatch-ack-timeout");
    private Instant nextGauge = Instant.EPOCH;
    /** When the loop's next pass is due (the clock's time); null while a pass runs. */
    private volatile Instant nextPassAt;

    public AckTimeoutWorker(AckLapses lapses, DispatchConfig config, Clock clock) {
        this.lapses = lapses;
        this.config = config;
        this.clock = clock;
    }

    void start(@Observes StartupEvent ev) {
        if (!config.ackWorker().enabled()) {
            LOG.warn("ack-timeout worker disabled (dispatch.ack-worker.enabled=false)");
            return;
        }
        int batch = config.ackWorker().batchSize();
        long poll = config.ackWorker().pollInterval().toMillis();
        loop.start(new WakeableLoop.Step() {
            @Override
            public long run() {
                nextPassAt = null;
                long sleep = pass();
                nextPassAt = clock.instant().plusMillis(sleep);
                return sleep;
            }

            private long pass() {
                Instant now = clock.instant();
                if (now.isAfter(nextGauge)) {
                    lapses.refreshGauges();
                    nextGauge = now.plus(GAUGE_EVERY);
                }
                if (lapses.lapseDue(batch) >= batch) {
                    return 0;
                }
                Instant next = lapses.nextDue();
                if (next == null) {
                    return poll;
                }
                long until = Duration.between(clock.instant(), next).toMillis() + 1;
                // due but claimed elsewhere (a console action holds the ticket): look again shortly
                return Math.min(poll, until > 0 ? until : 50);
            }

            @Override
            public long onFailure(RuntimeException e) {
                LOG.warnf("ack-timeout pass failed, retrying: %s", e.toString());
                nextPassAt = clock.instant().plusSeconds(1);
                return 1000;
            }
        });
    }

    /**
     * A new lead offer wakes the worker only when it falls due before the next pass, or while a pass
     * runs (its reads may have missed the offer). Only offers can make anything due sooner, and a
     * pass is two transactions: with minutes to acknowledge and a pass every poll interval at
     * most, a wake per offer was two transactions per ticket that found nothing due.
     */
    void onOfferMade(@Observes(during = TransactionPhase.AFTER_SUCCESS) OfferMade offer) {
        Instant next = nextPassAt;
        if (next == null || offer.ackDeadline() == null || offer.ackDeadline().isBefore(next)) {
            loop.wake();
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        loop.stop(Duration.ofSeconds(10));
    }

    public boolean running() {
        return loop.running();
    }
}
