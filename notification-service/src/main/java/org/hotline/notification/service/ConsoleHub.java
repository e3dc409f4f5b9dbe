package org.hotline.notification.service;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.hotline.backbone.inbox.ProcessedEvents;
import org.hotline.backbone.kafka.BroadcastFeed;
import org.hotline.backbone.kafka.LiveHub;
import org.hotline.notification.config.NotificationConfig;
import org.hotline.notification.repository.NotificationRepository;
import org.hotline.notification.rest.NotificationView;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

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
 * hub remembers the ids it pushed lately. While no screen is connected to this replica, the feed
 * passes events over unread: reading an event's console rows for nobody was among the service's
 * heaviest frames in the end-to-end benchmark, on every replica, and a screen that connects reads
 * what it missed through the API anyway. Only the types a rule names are held for the inbox and
 * read: the consumers skip the others without an inbox row (BatchInbox), so holding them would stall
 * the feed for its maximum wait each, and they make no rows.
 */
@ApplicationScoped
public class ConsoleHub {

    private static final int REMEMBERED = 20_000;

    private final LiveHub<NotificationView> hub = new LiveHub<>();
    private final Map<UUID, Boolean> pushed = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };
    private final NotificationRepository notifications;
    private final ProcessedEvents processed;
    private final Rules rules;
    private final Map<String, Object> kafkaConfig;
    private final List<String> topics;
    private BroadcastFeed feed;

    public ConsoleHub(MeterRegistry registry, NotificationRepository notifications, ProcessedEvents processed,
            NotificationConfig config, Rules rules,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.notifications = notifications;
        this.processed = processed;
        this.rules = rules;
        this.kafkaConfig = kafkaConfig;
        this.topics = List.of(config.topics().dispatchEvents(), config.topics().slaEvents(), config.topics().ticketEvents());
        Gauge.builder("notification.console.subscribers", hub, LiveHub::subscribers)
                .description("Command-room screens connected to the console stream").register(registry);
    }

    void start(@Observes StartupEvent ev) {
        feed = new BroadcastFeed("notification-console", kafkaConfig, topics, e -> watched() && notifies(e),
                this::processedAmong,
                Duration.ofSeconds(5), this::pushRowsOf).whileWatched(this::watched).start();
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

    /** Whether the event's type may make notifications (a rule names it); the others make no rows. */
    private boolean notifies(BroadcastFeed.Event e) {
        return e.type() != null && rules.handles(e.type());
    }

    private Set<String> processedAmong(Collection<String> ids) {
        return processed.processedAmong(ids);
    }

    /** The console rows the event made (on whichever replica consumed it), pushed once each. */
    private void pushRowsOf(BroadcastFeed.Event e) {
        if (!watched() || !notifies(e)) {
            return;
        }
        List<NotificationView> rows = QuarkusTransaction.requiringNew().call(
                () -> notifications.consoleRowsOf(e.id()).stream().map(NotificationView::of).toList());
        rows.forEach(this::publish);
    }

    /** Called from several threads (delivery workers, the feed); the hub serialises what reaches the screens. */
    public synchronized void publish(NotificationView view) {
        if (view.id() != null && pushed.put(view.id(), Boolean.TRUE) != null) {
            return; // already on the screens (delivered here, or read from the feed)
        }
        hub.publish(view);
    }

    /** The street's console notifications from now on (a buffer per screen: LiveHub); {@code street} null: every street's. */
    public Multi<NotificationView> stream(String street) {
        return hub.stream().filter(v -> street == null || street.equals(v.street()));
    }

    private boolean watched() {
        return hub.subscribers() > 0;
    }

    /** Screens connected now. */
    public int subscribers() {
        return hub.subscribers();
    }
}
