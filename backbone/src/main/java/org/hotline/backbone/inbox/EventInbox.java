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
 * reason). An event that is early ({@link RetryLaterException}) or meets an infrastructure failure
 * (connection lost, deadlock, lock or serialization conflict: nothing wrong with the event) is
 * retried without limit, with exponential backoff capped at {@code hotline.consumer.max-backoff},
 * on the same record, which holds back the records behind it and so keeps their order: an outage
 * delays events, it never dead-letters them. Any other failure (a bug) is retried
 * {@code hotline.consumer.max-attempts} times, then dead-lettered with its reason.
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
                boolean transientFailure = retryable(e);
                if (!transientFailure && attempt >= config.consumer().maxAttempts()) {
                    throw new PoisonEventException("gave up after " + attempt + " attempts: " + e, e);
                }
                if (attempt == 1 || attempt % 10 == 0) {
                    LOG.warnf("processing failed (attempt %d%s), retrying in %s: %s", attempt,
                            transientFailure ? ", transient: no limit" : " of " + config.consumer().maxAttempts(),
                            backoff, e.toString());
                }
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

    /**
     * Early events and infrastructure failures: nothing is wrong with the event itself. Public for
     * consumers of foreign (non-CloudEvents) records, which classify failures the same way.
     */
    public static boolean retryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RetryLaterException || t instanceof java.sql.SQLTransientException
                    || t instanceof java.sql.SQLRecoverableException
                    || t instanceof jakarta.persistence.PessimisticLockException
                    || t instanceof jakarta.persistence.LockTimeoutException
                    || t instanceof jakarta.persistence.QueryTimeoutException) {
                return true;
            }
        }
        return databaseUnavailable(e) || lostToAnotherTransaction(e);
    }

    /**
     * The database cannot be reached or has no room: no connection from the pool (an SQLException
     * without a state), SQLSTATE classes 08 (connection), 53 (resources), 57 (operator intervention).
     */
    public static boolean databaseUnavailable(Throwable e) {
        return anySqlState(e, state -> state == null || state.startsWith("08") || state.startsWith("53")
                || state.startsWith("57"));
    }

    /** Lost to another transaction: a deadlock or serialization failure (class 40), a lock wait timeout (55P03). */
    public static boolean lostToAnotherTransaction(Throwable e) {
        return anySqlState(e, state -> state != null && (state.startsWith("40") || state.equals("55P03")));
    }

    private static boolean anySqlState(Throwable e, java.util.function.Predicate<String> state) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && state.test(sql.getSQLState())) {
                return true;
            }
        }
        return false;
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
