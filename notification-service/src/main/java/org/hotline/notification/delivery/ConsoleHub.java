package org.hotline.notification.delivery;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.config.BackboneConfig;
import org.hotline.backbone.kafka.BroadcastFeed;
import org.hotline.notification.model.Channel;
import org.hotline.notification.model.Notification;
import org.hotline.notification.rest.NotificationView;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

/**
 * The live side of the CONSOLE channel: console notifications are broadcast to the command-room
 * screens subscribed to their street (SSE). A screen that connects later reads what it missed from
 * GET /api/notifications?street=.
 *
 * <p>Live across replicas (issue #14): besides what this instance's worker delivers, every replica
 * reads the events that make console notifications (dispatch-events, sla-events, ticket-events)
 * from their end with a broadcast reader of its own ({@link BroadcastFeed}: no group, no shared
 * offsets); once the inbox (of whichever replica consumed it) recorded an event, the CONSOLE rows it
 * made are read from the shared database and pushed. A notification reaches each screen once: the
 * hub remembers the ids it pushed lately.
 */
@ApplicationScoped
public class ConsoleHub {

    private static final int REMEMBERED = 20_000;

    private final BroadcastProcessor<NotificationView> processor = BroadcastProcessor.create();
    private final AtomicInteger subscribers = new AtomicInteger();
    private final Map<UUID, Boolean> pushed = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };
    private final EntityManager em;
    private final Map<String, Object> kafkaConfig;
    private final List<String> topics;
    private final String consumerName;
    private BroadcastFeed feed;

    public ConsoleHub(MeterRegistry registry, EntityManager em, BackboneConfig backbone,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            @ConfigProperty(name = "notification.topics.dispatch-events", defaultValue = "dispatch-events") String dispatchEvents,
            @ConfigProperty(name = "notification.topics.sla-events", defaultValue = "sla-events") String slaEvents,
            @ConfigProperty(name = "notification.topics.ticket-events", defaultValue = "ticket-events") String ticketEvents) {
        this.em = em;
        this.kafkaConfig = kafkaConfig;
        this.topics = List.of(dispatchEvents, slaEvents, ticketEvents);
        this.consumerName = backbone.serviceName();
        Gauge.builder("notification.console.subscribers", subscribers, AtomicInteger::get)
                .description("Command-room screens connected to the console stream").register(registry);
    }

    void start(@Observes StartupEvent ev) {
        feed = new BroadcastFeed("notification-console", kafkaConfig, topics, e -> true, this::processedAmong,
                Duration.ofSeconds(5), this::pushRowsOf).start();
    }

    void stop(@Observes ShutdownEvent ev) {
        if (feed != null) {
            feed.close();
        }
    }

    /** Whether the cross-replica feed reads every topic from its end. */
    public boolean live() {
        return feed != null && feed.ready();
    }

    private Set<String> processedAmong(Collection<String> ids) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<String> done = em.createNativeQuery(
                    "select event_id from processed_event where consumer = ?1 and event_id = any(cast(?2 as text[]))")
                    .setParameter(1, consumerName).setParameter(2, ids.toArray(String[]::new)).getResultList();
            return new HashSet<>(done);
        });
    }

    /** The console rows the event made (on whichever replica consumed it), pushed once each. */
    private void pushRowsOf(BroadcastFeed.Event e) {
        List<NotificationView> rows = QuarkusTransaction.requiringNew().call(() -> Notification
                .<Notification>list("eventId = ?1 and channel = ?2 order by createdAt", e.id(), Channel.CONSOLE)
                .stream().map(NotificationView::of).toList());
        rows.forEach(this::publish);
    }

    /** Called from several threads (delivery workers, the feed): serialised, as Reactive Streams requires. */
    public synchronized void publish(NotificationView view) {
        if (view.id() != null && pushed.put(view.id(), Boolean.TRUE) != null) {
            return; // already on the screens (delivered here, or read from the feed)
        }
        processor.onNext(view);
    }

    public Multi<NotificationView> stream(String street) {
        // a buffer per screen: a BroadcastProcessor fails a subscriber that has not requested the
        // next item (BackPressureFailure), which ended a busy screen's stream and lost its notifications
        return processor.onOverflow().buffer(4096).filter(v -> street == null || street.equals(v.street()))
                .onSubscription().invoke(s -> subscribers.incrementAndGet())
                .onTermination().invoke(subscribers::decrementAndGet);
    }

    /** Screens connected now. */
    public int subscribers() {
        return subscribers.get();
    }
}
