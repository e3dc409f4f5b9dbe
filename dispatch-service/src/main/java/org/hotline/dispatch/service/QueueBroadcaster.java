package org.hotline.dispatch.service;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.inbox.ProcessedEvents;
import org.hotline.backbone.kafka.BroadcastFeed;
import org.hotline.backbone.kafka.LiveHub;
import org.hotline.dispatch.config.DispatchConfig;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Feeds the consoles' live queue stream from Kafka, so it does not depend on which replica did the
 * work (issue #14): every replica reads ticket-events, dispatch-events and sla-events from their end
 * with a broadcast reader of its own ({@link BroadcastFeed}: no consumer group, no shared offsets).
 * For each event about a ticket the ticket's current queue item is read from the shared database
 * and pushed, with the event's type and time, to the screens watching its street.
 *
 * <ul>
 * <li>dispatch-events are written by a committed transaction (outbox), so the item read is the
 * state after the change, whichever replica made it;
 * <li>ticket-events change dispatch's copy only once dispatch's consumer processed them (on any
 * replica): the item is read once the inbox recorded the event id (at most 5 s later);
 * <li>sla.stage-started sets a deadline the queue orders by: pushed once dispatch's consumer
 * stored it, as ticket-events;
 * <li>the other sla-events (warning, breach, escalation, stage met) do not change the queue item;
 * they are pushed so the screens re-read the ticket's clocks (lights).
 * </ul>
 * While no screen is connected to this replica, events are passed over unread: reading a queue
 * item per event for nobody cost a query or three per event on every replica (the end-to-end
 * benchmark's profile put the item's reads among dispatch's heaviest frames), and a screen that
 * connects reads the queue through the REST API first anyway.
 */
@ApplicationScoped
public class QueueBroadcaster {

    private static final Logger LOG = Logger.getLogger(QueueBroadcaster.class);

    private final QueueService queue;
    private final ProcessedEvents processed;
    private final ObjectMapper mapper;
    private final java.util.Map<String, Object> kafkaConfig;
    private final List<String> topics;
    private final LiveHub<ObjectNode> hub = new LiveHub<>();
    private BroadcastFeed feed;

    public QueueBroadcaster(QueueService queue, ProcessedEvents processed, ObjectMapper mapper, DispatchConfig config,
            @Identifier("default-kafka-broker") java.util.Map<String, Object> kafkaConfig,
            @ConfigProperty(name = "dispatch.topics.sla-events", defaultValue = "sla-events") String slaEvents) {
        this.queue = queue;
        this.processed = processed;
        this.mapper = mapper;
        this.kafkaConfig = kafkaConfig;
        this.topics = List.of(config.topics().ticketEvents(), config.topics().dispatchEvents(), slaEvents);
    }

    void start(@Observes StartupEvent ev) {
        String ticketEvents = topics.get(0);
        // a ticket event and a stage's deadline change the item once dispatch's consumer has applied them
        feed = new BroadcastFeed("dispatch-queue", kafkaConfig, topics,
                e -> watched() && (e.topic().equals(ticketEvents) || "sla.stage-started".equals(e.type())),
                this::processedAmong, Duration.ofSeconds(5), this::emit).whileWatched(this::watched).start();
    }

    /** Whether the feed reads every topic from its end (tests wait for it before they act). */
    public boolean live() {
        return feed != null && feed.ready();
    }

    /** The event ids among these that dispatch's consumer (any replica) has processed. */
    Set<String> processedAmong(Collection<String> ids) {
        return processed.processedAmong(ids);
    }

    /** Whether any screen is connected to this replica's stream. */
    private boolean watched() {
        return hub.subscribers() > 0;
    }

    private void emit(BroadcastFeed.Event e) {
        if (!watched()) {
            return;
        }
        UUID ticketId;
        try {
            ticketId = UUID.fromString(e.subject());
        } catch (RuntimeException notATicket) {
            return;
        }
        QueueService.QueueItem item = QuarkusTransaction.requiringNew().call(() -> queue.item(ticketId));
        if (item == null) {
            return; // not one of dispatch's tickets (yet)
        }
        ObjectNode node = mapper.valueToTree(item);
        node.put("event", e.type());
        node.put("eventTime", e.time());
        if (e.topic().equals(topics.get(2))) {
            node.put("slaStage", e.data().path("stage").asText(null));
        }
        hub.publish(node);
    }

    /** The street's changes from now on; {@code street} null: every street's. */
    public Multi<ObjectNode> stream(String street) {
        Multi<ObjectNode> all = hub.stream(); // a buffer per screen (LiveHub)
        return street == null ? all : all.filter(i -> street.equals(i.path("street").asText()));
    }

    void stop(@Observes ShutdownEvent ev) {
        if (feed != null) {
            feed.close();
        }
        LOG.debug("queue stream feed stopped");
    }
}
