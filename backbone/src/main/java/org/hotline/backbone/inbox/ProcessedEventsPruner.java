package org.hotline.backbone.inbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.hotline.backbone.config.BackboneConfig;
import org.hotline.backbone.worker.WakeableLoop;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

/**
 * Forgets event ids this service consumed longer ago than {@code hotline.consumer.dedup-retention},
 * so {@code processed_event} stays bounded. The retention must outlast the topics' retention: an
 * event still on a topic can be replayed, and its id must still be known then. Deletes in small
 * batches, each its own transaction, so consumers claiming new ids are never held up.
 */
@ApplicationScoped
public class ProcessedEventsPruner {

    private static final Logger LOG = Logger.getLogger(ProcessedEventsPruner.class);
    private static final int BATCH = 5_000;

    private final EntityManager em;
    private final BackboneConfig config;
    private final Clock clock;
    private final Counter forgotten;
    private final WakeableLoop loop = new WakeableLoop("processed-event-pruner");
    /** A first prune of a large backlog stops between batches at shutdown, not after the datasource closed. */
    private volatile boolean stopping;

    public ProcessedEventsPruner(EntityManager em, BackboneConfig config, Clock clock, MeterRegistry registry) {
        this.em = em;
        this.config = config;
        this.clock = clock;
        this.forgotten = Counter.builder("hotline.inbox.pruned")
                .description("Consumed event ids forgotten after the deduplication retention").register(registry);
    }

    void start(@Observes StartupEvent ev) {
        loop.start(new WakeableLoop.Step() {
            @Override
            public long run() {
                pruneOnce();
                return config.consumer().pruneInterval().toMillis();
            }

            @Override
            public long onFailure(RuntimeException e) {
                LOG.warnf("pruning processed event ids failed, retrying in a minute: %s", e.toString());
                return Duration.ofMinutes(1).toMillis();
            }
        });
    }

    void stop(@Observes ShutdownEvent ev) {
        stopping = true;
        loop.stop(Duration.ofSeconds(5));
    }

    /** Forgets every id of this service older than the retention; returns how many. */
    public int pruneOnce() {
        Instant before = clock.instant().minus(config.consumer().dedupRetention());
        int total = 0;
        int deleted;
        do {
            deleted = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                    "delete from processed_event where (consumer, event_id) in (select consumer, event_id"
                            + " from processed_event where consumer = ?1 and processed_at < ?2 limit " + BATCH + ")")
                    .setParameter(1, config.serviceName()).setParameter(2, before).executeUpdate());
            total += deleted;
        } while (deleted == BATCH && !stopping);
        forgotten.increment(total);
        if (total > 0) {
            LOG.infof("forgot %d consumed event ids older than %s", total, before);
        }
        return total;
    }
}
