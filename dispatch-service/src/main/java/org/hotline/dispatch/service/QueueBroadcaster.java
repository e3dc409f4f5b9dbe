package org.hotline.dispatch.service;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/**
 * Feeds the consoles' live stream: after a transaction that changed a ticket commits, the ticket's
 * current queue item is read (on one thread of its own, so the committing thread never waits and
 * one ticket's items go out in order) and broadcast. Changes of one ticket that pile up while it is
 * being read collapse into one item: consoles want the state, not every step.
 */
@ApplicationScoped
public class QueueBroadcaster {

    private static final Logger LOG = Logger.getLogger(QueueBroadcaster.class);

    private final QueueService queue;
    private final BroadcastProcessor<QueueService.QueueItem> processor = BroadcastProcessor.create();
    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dispatch-queue-stream");
        t.setDaemon(true);
        return t;
    });
    private final Set<UUID> pending = ConcurrentHashMap.newKeySet();

    public QueueBroadcaster(QueueService queue) {
        this.queue = queue;
    }

    void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) QueueChanged changed) {
        if (pending.add(changed.ticketId())) {
            reader.submit(() -> emit(changed.ticketId()));
        }
    }

    private void emit(UUID ticketId) {
        pending.remove(ticketId);
        try {
            QueueService.QueueItem item = QuarkusTransaction.requiringNew().call(() -> queue.item(ticketId));
            if (item != null) {
                processor.onNext(item);
            }
        } catch (RuntimeException e) {
            LOG.warnf("queue stream: ticket %s not sent: %s", ticketId, e.toString());
        }
    }

    /** The street's changes from now on; {@code street} null: every street's. */
    public Multi<QueueService.QueueItem> stream(String street) {
        return street == null ? processor : processor.filter(i -> street.equals(i.street()));
    }

    void stop(@Observes ShutdownEvent ev) {
        reader.shutdownNow();
    }
}
