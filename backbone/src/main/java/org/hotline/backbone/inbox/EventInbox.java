package org.hotline.backbone.inbox;

import java.time.Duration;
import java.util.function.Consumer;

import org.hotline.backbone.config.BackboneConfig;
import org.hotline.backbone.event.CloudEvent;
import org.hotline.backbone.event.PoisonEventException;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * How every consumer handles a record: decode, skip an event id seen before, apply the effect,
 * record the id — all in one transaction per attempt.
 *
 * <p>A poison record fails at once (the channel's dead-letter strategy sets it aside with the
 * reason). Any other failure (the database restarting, a lock timeout) is retried with exponential
 * backoff on the same record, which holds back the records behind it and so keeps their order;
 * only after {@code hotline.consumer.max-attempts} does it go to the dead-letter topic too.
 */
@ApplicationScoped
public class EventInbox {

    private static final Logger LOG = Logger.getLogger(EventInbox.class);

    private final ProcessedEvents processed;
    private final BackboneConfig config;

    public EventInbox(ProcessedEvents processed, BackboneConfig config) {
        this.processed = processed;
        this.config = config;
    }

    public void process(String recordValue, Consumer<CloudEvent> handler) {
        Duration backoff = config.consumer().initialBackoff();
        for (int attempt = 1;; attempt++) {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    CloudEvent event = processed.firstDelivery(recordValue);
                    if (event != null) {
                        handler.accept(event);
                    }
                });
                return;
            } catch (PoisonEventException e) {
                throw e;
            } catch (RuntimeException e) {
                PoisonEventException poison = poisonCause(e);
                if (poison != null) {
                    throw poison;
                }
                if (attempt >= config.consumer().maxAttempts()) {
                    throw new PoisonEventException("gave up after " + attempt + " attempts: " + e, e);
                }
                LOG.warnf("processing failed (attempt %d of %d), retrying in %s: %s", attempt,
                        config.consumer().maxAttempts(), backoff, e.toString());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = backoff.multipliedBy(2).compareTo(config.consumer().maxBackoff()) > 0
                        ? config.consumer().maxBackoff() : backoff.multipliedBy(2);
            }
        }
    }

    private static PoisonEventException poisonCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PoisonEventException p) {
                return p;
            }
        }
        return null;
    }
}
